"""`train`'s options come from the TrainConfig declarations: every old flag is still there,
the settings that had none (step schedule, image size, gradients, init ε) now have one."""
import json

import pytest

import main
from core.cli import build_parser
from core.cli.train import config_from_args
from core.settings.config import TrainConfig
from core.settings.fields import settings_of

OLD_FLAGS = ["--hidden", "--activation", "--loss", "--output", "--init", "--optimizer", "--momentum", "--lr",
             "--schedule", "--batch-size", "--epochs", "--iterations", "--sampling", "--l2", "--seed",
             "--val-split", "--normalisation", "--positive-class", "--track-test", "--preset", "--out", "--json",
             "--report"]


def parse(*argv):
    return config_from_args(build_parser().parse_args(["train", *argv]))


def test_every_flag_of_the_previous_version_is_still_there_and_each_setting_has_one(capsys):
    with pytest.raises(SystemExit):
        main.main(["train", "--help"])
    help_text = capsys.readouterr().out
    for flag in OLD_FLAGS:
        assert f"{flag} " in help_text or f"{flag}\n" in help_text, flag
    for info in settings_of(TrainConfig):
        if info.group != "run":
            assert info.cli_flag() and info.cli_flag() in help_text, info.name
    assert "Range: > 0 and < 10000" in help_text            # the declared range, in the help


def test_options_override_the_preset_and_only_those():
    config = parse("--preset", "ng-ex4-400-25-10-cg", "--hidden", "40", "--lr", "0.5")
    assert config.hidden_sizes == (40,) and config.learning_rate == 0.5
    assert config.image_size == (20, 20) and config.l2 == 1.0 and config.optimizer == "cg"   # from the preset
    assert parse("--hidden", "0").hidden_sizes == ()
    assert parse("--val-split", "10000").val_split == 10000 and parse("--val-split", "0.2").val_split == 0.2


def test_settings_that_were_out_of_reach_now_have_flags():
    config = parse("--schedule", "step", "--step-epochs", "3", "--step-gamma", "0.25", "--image-size", "14x14",
                   "--init", "uniform", "--init-epsilon", "0.05", "--track-test")
    assert (config.schedule, config.step_epochs, config.step_gamma) == ("step", 3, 0.25)
    assert config.image_size == (14, 14) and config.init_epsilon == 0.05 and config.track_test
    assert parse("--preset", "ng-ex4-400-25-10-cg", "--image-size", "native").image_size == ()
    assert not parse("--preset", "two-layer-50-sampled", "--no-track-test").track_test
    assert parse("--preset", "two-layer-50-sampled").track_test


@pytest.mark.parametrize("argv, phrase", [
    (["--step-gamma", "1.5"], "step gamma must be > 0 and <= 1"),
    (["--step-epochs", "0"], "step every must be >= 1"),
    (["--image-size", "20x"], "image size must be two whole numbers"),
    (["--gradients", "finite"], "gradients must be one of backprop, numerical"),
    (["--val-split", "a tenth"], "validation split must be a number"),
])
def test_bad_values_of_the_new_flags_give_one_clear_line(capsys, argv, phrase):
    code = main.main(["train", "--dataset", "digits", *argv])
    err = capsys.readouterr().err
    assert code == 2 and phrase in err and len(err.strip().splitlines()) == 1


def test_step_schedule_from_the_command_line_shapes_the_learning_rate(capsys):
    code = main.main(["train", "--dataset", "digits", "--hidden", "8", "--epochs", "4", "--schedule", "step",
                      "--step-epochs", "2", "--step-gamma", "0.1", "--lr", "0.5", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    rates = json.loads(out.strip().splitlines()[-1])["history"]["learning_rate"]
    assert rates == pytest.approx([0.5, 0.5, 0.05, 0.05])


def test_the_saved_model_records_every_declared_setting(capsys, tmp_path):
    from core.files.model_io import load_model
    path = tmp_path / "m.npz"
    code = main.main(["train", "--dataset", "digits", "--hidden", "8", "--epochs", "1", "--image-size", "6x6",
                      "--schedule", "step", "--step-gamma", "0.3", "--out", str(path)])
    assert code == 0, capsys.readouterr().err
    _, metadata = load_model(path)
    saved = metadata["config"]
    assert list(saved) == [info.name for info in settings_of(TrainConfig)]
    assert saved["image_size"] == [6, 6] and saved["step_gamma"] == 0.3 and list(metadata["input_shape"]) == [6, 6]
    assert TrainConfig.from_dict(saved).step_gamma == 0.3
