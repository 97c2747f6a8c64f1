"""Saving / loading models and exporting metrics: file work with user-facing error messages.

Kept apart from the window so the rules (which class names go in the metadata, what makes a
model unusable for the current data) are in one small place.
"""
from core.files.history_csv import write_history_csv
from core.settings.config import TrainConfig
from core.errors import ModelFileError
from core.files.model_io import check_compatible, load_model, model_metadata, save_model
from core.data.normalise import to_float
from core.training.trainers import make_trainer


def metadata_for(network, info, dataset, history=None):
    """model_metadata for a network trained on ``dataset`` in the run ``info`` describes (a
    StartSnapshot: config, image_shape, task class names)."""
    config = info.config
    return model_metadata(network, info.image_shape, list(info.class_names), config.normalisation,
                          dataset.name if dataset is not None else "", config.to_dict(), history or {},
                          positive_class=config.positive_class)


def save(path, network, metadata):
    save_model(path, network, metadata)


def load_for_dataset(path, dataset):
    """(network, metadata) from path; ModelFileError if corrupt or made for other images."""
    network, metadata = load_model(path)
    if dataset is not None:
        check_compatible(metadata, dataset.image_shape, path)
    return network, metadata


def evaluate_loaded(network, metadata, dataset):
    """Validation-split evaluation of a loaded model on ``dataset``.

    Returns (info, loss, accuracy, confusion, predictions), info the StartSnapshot of a run that
    would train this model on this data (its validation set, class names); the split follows the model's own
    config (val_split, seed) so it is the same split it was validated on.
    """
    config = TrainConfig.from_dict(metadata.get("config") or {})
    config.on_divergence = "pause"
    if int(metadata.get("positive_class", -1)) != config.positive_class:
        config.positive_class = int(metadata.get("positive_class", -1))
    if network.is_binary and config.positive_class < 0:
        raise ModelFileError("this one-unit model does not say which class it detects")
    try:
        trainer = make_trainer(config, dataset, network=network)
    except Exception as error:   # ConfigError etc.: the saved config does not fit this data
        raise ModelFileError(f"the model does not fit the loaded data: {error}") from None
    inputs = to_float(trainer.val_images, config.normalisation, network.dtype)
    loss, accuracy, confusion, predictions = trainer.evaluate_inputs(inputs, trainer.val_labels)
    return trainer.start_snapshot(), loss, accuracy, confusion, predictions


def export_history_csv(path, history, config=None):
    """Write the per-epoch metrics (every column the history has) to path as CSV, atomically,
    with the run's settings as '#' lines first when config is given; returns the row count."""
    return write_history_csv(path, history, config)
