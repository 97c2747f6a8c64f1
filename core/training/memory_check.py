"""Refuse a training set-up that cannot fit in memory before anything is allocated: the resized
copy of the data (``--image-size 5000x5000`` on MNIST is 1.75 TB of uint8) and the network's
training memory (core.nn.memory.training_bytes) for the config's stack, batch and optimiser.
The CLI calls it through prepare_dataset; the app's settings form through its config checks."""
from core.errors import ConfigError
from core.nn.layer_spec import mlp_specs, parse_layers
from core.nn.memory import check_fits, training_bytes
from core.settings.config import FULL_BATCH_OPTIMIZERS

# optimiser arrays per parameter: momentum's velocity, Adam's two moments; the full-batch
# methods keep a few float64 vectors (CG: direction and gradients; L-BFGS: its (s, y) pairs)
OPTIMISER_SLOTS = {"sgd": 0, "momentum": 1, "adam": 2, "cg": 4, "lbfgs": 22}


def _size(config, image_shape):
    """(height, width) the network reads: the config's image size, else the data's ((n,): n x 1)."""
    shape = tuple(config.image_size) or tuple(image_shape)[:2]
    return (int(shape[0]), int(shape[1])) if len(shape) == 2 else (int(shape[0]), 1)


def training_memory(config, image_shape, n_classes, n_images, n_train=None):
    """Bytes a run of ``config`` needs on n_images images of image_shape (H, W) with n_classes
    classes (n_train of them in training; default all): data copies plus the network's training
    memory. Raises ConfigError for a stack that does not fit the images."""
    height, width = _size(config, image_shape)
    pixels = height * width
    n_train = n_images if n_train is None else n_train
    full_batch = config.optimizer in FULL_BATCH_OPTIMIZERS
    itemsize = 8 if full_batch else 4                      # full-batch trains a float64 copy
    n_outputs = 1 if config.is_binary else n_classes
    specs = parse_layers(config.layers) if config.layers.strip() else mlp_specs(config.hidden_sizes, n_outputs)
    batch = n_train if full_batch else min(config.batch_size, max(n_train, 1))
    resized = n_images * pixels if config.image_size else 0        # the uint8 copy at the new size
    evaluated = n_images * pixels * itemsize // 2                  # float copies of the sets evaluated
    network = training_bytes(specs, (height, width, 1), batch, itemsize,
                             OPTIMISER_SLOTS.get(config.optimizer, 2))
    return int(resized + evaluated + network)


def check_training_memory(config, image_shape, n_classes, n_images, n_train=None):
    """ConfigError saying how much memory the run would need when that is more than is available."""
    try:
        needed = training_memory(config, image_shape, n_classes, n_images, n_train)
    except ConfigError:
        return   # a stack that does not fit these images: the checks after this one say why
    height, width = _size(config, image_shape)
    n_outputs = 1 if config.is_binary else n_classes
    network = config.layers.strip() or "-".join(map(str, (height * width, *config.hidden_sizes, n_outputs)))
    check_fits(needed, f"training {network} on {n_images:,} images of {height}x{width}",
               hint="use fewer units or filters, a smaller batch or image size")


def check_dataset_memory(config, dataset):
    """check_training_memory for a core.data Dataset (train + test images)."""
    n_images = len(dataset.train_images) + len(dataset.test_images)
    check_training_memory(config, dataset.image_shape, len(dataset.class_names), n_images,
                          len(dataset.train_images))
