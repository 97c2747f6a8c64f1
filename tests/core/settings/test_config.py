"""TrainConfig declared once: every setting's declaration gives its validation message, its
JSON form (model files, saved settings) and loads settings saved by the previous version."""
import dataclasses
import json
import math

import pytest

from core.errors import ConfigError
from core.files.model_io import load_model, model_metadata, save_model
from core.nn.network import Network
from core.settings.config import TrainConfig
from core.settings.presets import PRESETS
from core.settings.fields import GROUPS, setting, settings_of
from core.training.trainers import make_trainer

SETTINGS = settings_of(TrainConfig)


def test_every_field_is_a_declared_setting_with_words_for_people():
    assert [info.name for info in SETTINGS] == [f.name for f in dataclasses.fields(TrainConfig)]
    for info in SETTINGS:
        assert info.label and len(info.help) > 15 and info.group in GROUPS, info.name
        assert info.problem(info.default) is None, info.name          # the defaults are valid
        if info.choices:
            assert info.default in info.choices, info.name
    TrainConfig().validate()


def out_of_range_values(info):
    """Values the declaration must refuse: outside the choices or past each bound."""
    if info.choices:
        yield "no-such-choice" if info.type is str else 99
    bounds = [(info.minimum, -1), (info.above, 0), (info.maximum, 1), (info.below, 0)]
    for (bound, step), exclusive in zip(bounds, (False, True, False, True)):
        if bound is None:
            continue
        value = bound + step * (1 if isinstance(bound, int) else 0.5) if not exclusive else bound
        yield (value,) if info.type is tuple else value


@pytest.mark.parametrize("info", [i for i in SETTINGS if i.choices or i.range_text()], ids=lambda i: i.name)
def test_each_declared_limit_is_enforced_with_a_message_naming_the_setting(info):
    values = list(out_of_range_values(info))
    assert values
    for value in values:
        with pytest.raises(ConfigError) as raised:
            dataclasses.replace(TrainConfig(), **{info.name: value}).validate()
        message = str(raised.value)
        assert info.what in message and "got" in message, message


@pytest.mark.parametrize("changes, phrase", [
    (dict(learning_rate=-1.0), "learning rate must be > 0 and < 10000 (got -1.0)"),
    (dict(momentum=1.0), "momentum must be >= 0 and < 1"),
    (dict(step_gamma=0.0), "step gamma must be > 0 and <= 1"),
    (dict(step_epochs=0), "step every must be >= 1"),
    (dict(hidden_sizes=(64, 0)), "hidden layers must each be >= 1"),
    (dict(image_size=(20,)), "image size must be two numbers"),
    (dict(activation="swish"), "activation must be one of sigmoid, tanh, relu, leaky_relu"),
    (dict(seed=1.5), "seed must be a whole number"),
    (dict(track_test="yes"), "must be yes or no"),
    (dict(val_split=1.5), "a fraction below 1 or a whole count"),
    (dict(epochs=0, iterations=0), "at least one epoch or iteration"),
    (dict(positive_class=3), "needs a sigmoid output"),
])
def test_messages_say_what_is_wrong(changes, phrase):
    with pytest.raises(ConfigError, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        TrainConfig(**changes).validate()


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_survives_json_and_back(name):
    config = PRESETS[name].config
    again = TrainConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config


def test_settings_of_the_previous_version_with_an_extra_dict_still_load():
    old = {"hidden_sizes": [25], "activation": "sigmoid", "optimizer": "cg", "step_epochs": 1,
           "extra": {"image_size": [20, 20], "gradients": "numerical", "track_test": True, "unknown": 1},
           "a_setting_from_the_future": 3}
    config = TrainConfig.from_dict(old)
    assert (config.image_size, config.gradients, config.track_test) == ((20, 20), "numerical", True)
    assert config.hidden_sizes == (25,) and config.activation == "sigmoid"
    assert TrainConfig.from_dict({"extra": {}}) == TrainConfig()
    assert TrainConfig.from_dict({"extra": {"image_size": None}}).image_size == ()
    with pytest.raises(ValueError, match="hidden layers"):
        TrainConfig.from_dict({"hidden_sizes": "abc"})


def test_a_model_file_saved_by_the_previous_version_loads_and_trains_again(tmp_path, digits):
    """An 8x8-digits model whose config still holds extra = {image_size: [4, 4], track_test: true}."""
    network = Network((16, 6, 10), "sigmoid", seed=0)
    old_config = {key: value for key, value in TrainConfig(hidden_sizes=(6,)).to_dict().items()
                  if key not in ("image_size", "gradients", "track_test")}
    old_config["extra"] = {"image_size": [4, 4], "track_test": True}
    path = tmp_path / "old.npz"
    save_model(path, network, model_metadata(network, (4, 4), [str(d) for d in range(10)], config=old_config))
    loaded, metadata = load_model(path)
    config = TrainConfig.from_dict(metadata["config"])
    assert config.image_size == (4, 4) and config.track_test and config.to_dict()["image_size"] == [4, 4]
    config = dataclasses.replace(config, epochs=1, val_split=100)
    trainer = make_trainer(config, digits, network=loaded, test_images=digits.test_images, test_labels=digits.test_labels)
    assert trainer.image_shape == (4, 4)
    end = list(trainer.run())[-1]
    assert end.reason == "finished" and len(end.history["test_accuracy"]) == 1


def test_a_new_setting_is_one_line():
    """What the declaration gives a setting added later (as dropout or layers will be)."""
    @dataclasses.dataclass
    class Extended(TrainConfig):
        dropout: float = setting(0.0, label="Dropout", help="Fraction of hidden units dropped while training.",
                                 group="network", minimum=0.0, below=1.0)

    info = settings_of(Extended)[-1]
    assert (info.name, info.type, info.default, info.cli_flag()) == ("dropout", float, 0.0, "--dropout")
    assert info.from_text("0.25") == 0.25 and "Range: >= 0 and < 1" in info.help_text()
    assert Extended(dropout=0.5).validate().to_dict()["dropout"] == 0.5
    with pytest.raises(ConfigError, match="dropout must be >= 0 and < 1"):
        Extended(dropout=1.0).validate()
    assert Extended.from_dict({"dropout": 0.3}).dropout == 0.3


def test_text_forms_round_trip_for_every_setting():
    for info in SETTINGS:
        value = info.default
        again = info.from_text(info.to_text(value))
        assert again == value or (isinstance(value, float) and math.isclose(again, value)), info.name
    assert settings_of(TrainConfig)[0].from_text("256, 128") == (256, 128)
    image = next(i for i in SETTINGS if i.name == "image_size")
    assert image.from_text("20x20") == (20, 20) and image.from_text("native") == ()
    with pytest.raises(ConfigError, match="image size"):
        image.from_text("20x")
