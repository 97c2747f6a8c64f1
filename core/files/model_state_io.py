"""A model file that can also be continued: core.files.model_io's .npz plus the training state.

The state (core.training.training_state.TrainingState) goes into the metadata under
``training_state`` and its arrays (the optimiser's velocity / moments) into the same archive as
``resume.<name>`` entries. model_io.load_model ignores both, so such a file is an ordinary
model everywhere else (evaluate, predict, the app's Open).

Kept apart from model_io on purpose: model_io decides how a network's parameters are stored;
this module only adds entries to the archive that save_model wrote, so the two can change
independently. The whole file still appears at once: save_model writes a temporary file beside
the target, the extra entries are appended to it, and only then is it renamed onto the target.
"""
import contextlib
import os
import secrets
import zipfile
from pathlib import Path

import numpy as np

from core.errors import ModelFileError
from core.files.model_io import load_model, save_model

STATE_KEY = "training_state"
ARRAY_PREFIX = "resume."


def save_model_with_state(path, network, metadata, state):
    """save_model(path, network, metadata) plus ``state`` (a TrainingState, or None for a plain
    model file), written atomically. ModelFileError if the file cannot be written."""
    if state is None:
        save_model(path, network, metadata)
        return
    state_json, arrays = state.to_json()
    metadata = dict(metadata, **{STATE_KEY: state_json})
    path = Path(path)
    temp_path = path.with_name(f".{path.name}.{secrets.token_hex(4)}.state.tmp")
    try:
        save_model(temp_path, network, metadata)
        # Stored, not deflated: float32 optimiser state compresses by under 10% at ~100 ms per epoch.
        with zipfile.ZipFile(temp_path, "a", compression=zipfile.ZIP_STORED) as archive:
            for name, array in arrays.items():
                with archive.open(f"{ARRAY_PREFIX}{name}.npy", "w") as entry:
                    np.lib.format.write_array(entry, np.ascontiguousarray(array), allow_pickle=False)
        with open(temp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp_path, path)
    except OSError as error:
        raise ModelFileError(f"could not save the model to {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp_path)


def load_model_with_state(path):
    """(network, metadata, TrainingState or None). ModelFileError if the model or its training
    state is unreadable (a plain model file gives None, not an error)."""
    from core.training.training_state import TrainingState
    network, metadata = load_model(path)
    state_json = metadata.get(STATE_KEY)
    if state_json is None:
        return network, metadata, None
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key[len(ARRAY_PREFIX):]: data[key] for key in data.files if key.startswith(ARRAY_PREFIX)}
        state = TrainingState.from_json(state_json, arrays, metadata.get("history", {}))
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"{path}: the saved training state is unusable ({error})") from None
    return network, metadata, state
