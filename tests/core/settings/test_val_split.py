"""--val-split 1.0 used to mean "hold out one image" (a whole float read as a count); it is now
refused with a message, while the count 1 and fractions below 1 keep their meaning (issue 18)."""
import pytest

from core.cli import main
from core.errors import ConfigError
from core.settings.config import TrainConfig, parse_val_split


def test_one_point_zero_is_refused_with_what_to_give_instead():
    with pytest.raises(ConfigError, match=r"\(got 1\.0; 1\.0 holds out every image\)"):
        TrainConfig(val_split=parse_val_split("1.0")).validate()
    with pytest.raises(ConfigError, match="1.0 holds out every image"):
        TrainConfig(val_split=1.0).validate()


def test_counts_and_fractions_keep_their_meaning():
    assert parse_val_split("1") == 1 and parse_val_split("10000") == 10000 and parse_val_split("10000.0") == 10000
    assert parse_val_split("0.25") == 0.25
    TrainConfig(val_split=parse_val_split("1")).validate()


def test_the_cli_says_so_in_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path))
    assert main(["train", "--dataset", "digits", "--val-split", "1.0", "--no-record"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "1.0 holds out every image" in err
