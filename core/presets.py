"""Named training set-ups from the classic tutorials (filled in by the presets work).

A Preset is a TrainConfig plus what the data needs (which dataset, an image size to downscale
to); everything stays editable after selection.
"""
from dataclasses import dataclass, field

from core.config import TrainConfig
from core.errors import ConfigError


@dataclass(frozen=True)
class Preset:
    name: str                  # command-line name, e.g. 'nielsen-sigmoid-mse'
    title: str                 # short human title for the app's menu
    description: str           # one paragraph: where it comes from, what to expect
    config: TrainConfig = field(default_factory=TrainConfig)


PRESETS = {
    "default": Preset("default", "Default: 784-128-10 ReLU, momentum SGD",
                      "A good modern baseline: one hidden layer of 128 ReLU units, softmax + "
                      "cross-entropy, SGD with momentum 0.9 and a cosine learning-rate schedule.",
                      TrainConfig()),
}


def get_preset(name):
    try:
        return PRESETS[name]
    except KeyError:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None
