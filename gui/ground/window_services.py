"""What a feature controller may ask of the main window, as a few named callables.

Controllers (My digits, experiments, the race, ...) are given this and the widgets they work on,
never the window itself: what a feature depends on is then written down here, a test can give a
controller fakes of exactly these, and the window can change its inside without breaking them.
"""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class WindowServices:
    parent: object                  # the QWidget that parents the feature's dialogs and windows
    dataset: Callable               # () -> the loaded Dataset, or None
    shown_model: Callable           # () -> (network, StartSnapshot info, epoch) the views show (None, None, 0 if none)
    is_training: Callable           # () -> bool: a run is going
    start_training: Callable        # (config=..., network=...) or (plan=...): start a run as Start does
    form_config: Callable           # () -> the settings form's TrainConfig (raises ConfigError if invalid)
    show_status: Callable           # (text) -> None: one line in the status bar
