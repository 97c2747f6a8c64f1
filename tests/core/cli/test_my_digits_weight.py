"""`train --my-digits-weight W` with no kept digits says so on stderr instead of training
without them silently (issue 18); with kept digits it mixes them in without a warning."""
import numpy as np

from core.cli import main
from core.cli.train import kept_digits
from core.data.my_digits.store import MyDigits
from core.drawing.strokes import prepare_strokes


def seven():
    t = np.linspace(0, 1, 20)[:, None]
    return [np.vstack([np.array([40.0, 50.0]) + t * [150.0, 0.0], np.array([190.0, 50.0]) + t * [-90.0, 180.0]])]


def test_a_weight_with_nothing_kept_warns_once_and_still_trains(capsys, digitlab_home):
    code = main(["train", "--dataset", "digits", "--epochs", "1", "--my-digits-weight", "0.5", "--no-record"])
    err = capsys.readouterr().err
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: --my-digits-weight 0.5 has no effect: no digits are kept in "
                        f"{digitlab_home / 'data' / 'my_digits'} (keep some on the app's Draw tab)"]


def test_kept_digits_are_mixed_in_without_a_warning(capsys, digitlab_home):
    MyDigits().keep(7, seven(), prepare_strokes(seven()))
    images, labels = kept_digits(0.3)
    assert images.shape == (1, 28, 28) and labels.tolist() == [7]
    assert kept_digits(0.0) is None
    assert "warning" not in capsys.readouterr().err
