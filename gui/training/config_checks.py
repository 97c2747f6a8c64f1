"""Checks the settings form can make before Start, knowing the loaded data's shape.

core.training.trainers.make_trainer refuses some set-ups only once it builds the network (numerical
gradients on a network over core.nn.numerical_training.MAX_NUMERICAL_PARAMS parameters, numerical gradients
with a full-batch optimiser). The form repeats those rules here with plain arithmetic (no
network is allocated per keystroke), so Start is disabled with the reason instead of failing.
"""
from core.settings.config import FULL_BATCH_OPTIMIZERS
from core.errors import ConfigError
from core.nn.layer_spec import describe_stack, parse_layers
from core.nn.numerical_training import MAX_NUMERICAL_PARAMS
from core.data.splits import validation_count
from core.training.memory_check import check_training_memory

DEFAULT_INPUT_SHAPE = (28, 28)   # MNIST, assumed until a dataset is loaded


def layer_sizes(config, input_shape=None, n_classes=10):
    """(n_inputs, *hidden, n_outputs) the config builds on images of input_shape (H, W)."""
    height, width = config.image_size or tuple(input_shape or DEFAULT_INPUT_SHAPE)
    n_outputs = 1 if config.is_binary else n_classes
    return (height * width, *config.hidden_sizes, n_outputs)


def parameter_count(sizes):
    """Weights and biases of a dense network with these layer sizes: sum (a + 1) * b."""
    return int(sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])))


def stack_input_shape(config, input_shape=None):
    """(H, W, 1): what the first layer of config's stack reads (the image size, else the data's)."""
    height, width = config.image_size or tuple(input_shape or DEFAULT_INPUT_SHAPE)[:2]
    return (int(height), int(width), 1)


def check_layer_stack(config, input_shape=None, n_classes=10):
    """describe_stack's rows for config.layers on these images ([] for the MLP of hidden_sizes);
    ConfigError when the stack does not fit them or its output layer has the wrong unit count
    (the same rules core.training.training_run.build_network applies at Start)."""
    if not config.layers.strip():
        return []
    specs = parse_layers(config.layers)
    rows = describe_stack(specs, stack_input_shape(config, input_shape))
    n_classes += 1 if config.non_digits > 0 and not config.is_binary else 0   # the "not a digit" class
    n_outputs = 1 if config.is_binary else n_classes
    if specs[-1].size != n_outputs:
        task = "one digit against the rest" if config.is_binary else f"{n_classes} classes"
        raise ConfigError(f"the output layer {specs[-1].text()} has {specs[-1].size} units but {task} "
                          f"need{'s' if config.is_binary else ''} {n_outputs}; end the stack with dense{n_outputs}")
    return rows


def check_for_data(config, input_shape=None, n_classes=10, n_train=None):
    """ConfigError with the reason when config cannot train on data of this shape (input_shape
    (H, W), n_classes, n_train training images; None where no data is loaded yet)."""
    if n_train:
        validation_count(n_train, config.val_split)   # e.g. 10,000 held out of 1,437 digits
    if config.positive_class >= n_classes:
        raise ConfigError(f"positive class {config.positive_class} is not a class of this dataset "
                          f"({n_classes} classes)")
    stack_rows = check_layer_stack(config, input_shape, n_classes)
    # what Start would allocate, against the memory there is (MNIST's 70,000 until data is loaded)
    check_training_memory(config, tuple(input_shape or DEFAULT_INPUT_SHAPE), n_classes, n_train or 70_000)
    if config.gradients != "numerical":
        return
    if config.optimizer in FULL_BATCH_OPTIMIZERS:
        raise ConfigError("numerical gradients are for the mini-batch trainer; choose sgd, momentum or adam "
                          "(or backprop gradients for cg / lbfgs)")
    sizes = layer_sizes(config, input_shape, n_classes)
    count = parameter_count(sizes)
    name = "-".join(map(str, sizes))
    if stack_rows:   # a layer stack: its own count (describe_stack's rows), named by its text
        count, name = sum(row.n_params for row in stack_rows), config.layers
    if count > MAX_NUMERICAL_PARAMS:
        raise ConfigError(
            f"numerical gradients are refused for a {name} network: it has {count:,} "
            f"parameters (limit {MAX_NUMERICAL_PARAMS:,}), so every batch would take {2 * count:,} forward "
            f"passes. Use a smaller image size (8x8) and a few hidden units, or backprop.")
