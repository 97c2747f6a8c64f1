"""A model file that can also be continued: core.files.model_io's .npz plus the training state.

The state (core.training.training_state.TrainingState) goes into the metadata under
``training_state`` and its arrays (the optimiser's velocity / moments) into the same archive as
``resume.<name>`` entries. model_io.load_model ignores both, so such a file is an ordinary
model everywhere else (evaluate, predict, the app's Open).

Kept apart from model_io on purpose: model_io decides how a network's parameters are stored;
this module only adds entries to the archive that model_archive builds, so the two can change
independently. The whole file still appears at once: the archive is completed in memory and
save_model writes it with one atomic write.
"""
import zipfile

import numpy as np

from core.errors import ModelFileError
from core.files.model_io import load_model, model_archive, save_model

STATE_KEY = "training_state"
ARRAY_PREFIX = "resume."


def save_model_with_state(path, network, metadata, state):
    """save_model(path, network, metadata) plus ``state`` (a TrainingState, or None for a plain
    model file), written atomically. ModelFileError if the file cannot be written."""
    if state is None:
        save_model(path, network, metadata)
        return
    state_json, arrays = state.to_json()
    archive = model_archive(network, dict(metadata, **{STATE_KEY: state_json}))
    # Built in memory and written by save_model's one atomic write, so an error names the user's
    # file and a killed save leaves the one kind of temp file atomic_write knows how to clean.
    # Stored, not deflated: float32 optimiser state compresses by under 10% at ~100 ms per epoch.
    with zipfile.ZipFile(archive, "a", compression=zipfile.ZIP_STORED) as zipped:
        for name, array in arrays.items():
            with zipped.open(f"{ARRAY_PREFIX}{name}.npy", "w") as entry:
                np.lib.format.write_array(entry, np.ascontiguousarray(array), allow_pickle=False)
    save_model(path, network, None, archive=archive)


def load_model_with_state(path):
    """(network, metadata, TrainingState or None). ModelFileError if the model or its training
    state is unreadable (a plain model file gives None, not an error)."""
    from core.training.training_state import TrainingState, check_state_fits
    network, metadata = load_model(path)
    state_json = metadata.get(STATE_KEY)
    if state_json is None:
        return network, metadata, None
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key[len(ARRAY_PREFIX):]: data[key] for key in data.files if key.startswith(ARRAY_PREFIX)}
        state = TrainingState.from_json(state_json, arrays, metadata.get("history", {}))
        state.weights = [param.copy() for param in network.params]   # the state is whole on its own
        check_state_fits(state, network.params)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"{path}: the saved training state is unusable ({error})") from None
    return network, metadata, state
