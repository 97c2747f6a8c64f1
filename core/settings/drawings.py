"""The training set-up for the user's own drawn classes (a drawings project, `train --images`):
a small CNN, Adam, small batches, many epochs and augmentation for the way drawings vary, for
any number of classes (the output layer has one unit per class, so it cannot be a fixed preset).

Measured (bench/bench_shapes.py): five shapes, 20 drawings per class, 99.0 to 100% on held-out
drawings of other sizes, slants and pen widths (5 training sets), in about 2 s of training.
With 40 epochs one of the five sets reached only 94.7%; 100 epochs cost a second more.
"""
from dataclasses import replace

from core.errors import ConfigError
from core.settings.config import TrainConfig

LAYERS = "conv8x5,pool2,conv16x5v,pool2,dense64"   # + dense<number of classes>
# shapes and symbols: a little shift, rotation, scale, shear, thickness and width, no digit styles
AUGMENTATION = dict(augment_shift=2.0, augment_rotation=15.0, augment_scale=0.15, augment_shear=20.0,
                    augment_thickness=0.3, augment_aspect=0.2)


def drawn_classes_config(n_classes, **changes):
    """The TrainConfig for n_classes drawn classes (28x28 images prepared as the canvas prepares
    them), with ``changes`` (TrainConfig fields) applied; ConfigError for fewer than two classes."""
    if n_classes < 2:
        raise ConfigError(f"a classifier needs at least two classes, not {n_classes}")
    config = TrainConfig(layers=f"{LAYERS},dense{int(n_classes)}", activation="relu", init="he", optimizer="adam",
                         learning_rate=0.002, schedule="cosine", batch_size=16, epochs=100, val_split=0.1,
                         **AUGMENTATION)
    return replace(config, **changes).validate()
