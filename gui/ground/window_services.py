"""What a feature controller may ask of the main window, as a few named callables.

Controllers (My digits, experiments, the race, ...) are given this and the widgets they work on,
never the window itself: what a feature depends on is then written down here, a test can give a
controller fakes of exactly these, and the window can change its inside without breaking them.
"""
from dataclasses import dataclass
from typing import Callable, NamedTuple, Optional


class ShownModel(NamedTuple):
    """The model every "ask the model" view shows: the one being trained or one opened."""
    network: object            # Network, or None (nothing trained or opened yet)
    info: object               # its StartSnapshot (config, validation images, class names), or None
    epoch: int                 # epochs it has been trained (0 for none)
    name: Optional[str]        # the file's name for an opened model or "last run's model (...)" once a run ended; None while training


@dataclass(frozen=True)
class WindowServices:
    parent: object                  # the QWidget that parents the feature's dialogs and windows
    dataset: Callable               # () -> the loaded Dataset, or None
    shown_model: Callable           # () -> ShownModel: the model every view shows
    is_training: Callable           # () -> bool: a run is going
    start_training: Callable        # (config=..., network=..., my_digits=...) or (plan=...): start a run as Start does
    form_config: Callable           # () -> the settings form's TrainConfig (raises ConfigError if invalid)
    show_status: Callable           # (text) -> None: one line in the status bar
