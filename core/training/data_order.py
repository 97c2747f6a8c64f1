"""The data-order rule, in one place: which training examples each mini-batch gets.

A run's examples are drawn from ONE generator, ``np.random.default_rng(seed + 1)``: per epoch a
permutation of the training set ("without replacement") or batches_per_epoch * batch_size
indices drawn with replacement. Everything that must see the same batches as a run uses these
functions: the trainer (core.training.minibatch), resuming a record that lacks the saved
generator (core.training.training_state), one update step by step (core.analysis.step_through)
and a race on identical batches (gui.training.race: both racers get the same data seed).
The generator is separate from the weight initialisation (seed) and from augmentation
([seed, 2]), so switching either on or off leaves the batch order alone.
"""
import numpy as np


def data_order_rng(seed):
    """The data-order generator of a run with this seed."""
    return np.random.default_rng(seed + 1)


def epoch_order(rng, n_train, batches_per_epoch, batch_size, sampling):
    """(n,) int indices into the training set for one epoch, drawn from ``rng``: a permutation of
    all n_train examples, or with sampling == "replacement" batches_per_epoch * batch_size draws."""
    if sampling == "replacement":
        return rng.integers(0, n_train, batches_per_epoch * batch_size)
    return rng.permutation(n_train)


def order_rng_after(seed, epochs_done, n_train, batches_per_epoch, batch_size, sampling):
    """The data-order generator's state after ``epochs_done`` epochs of a run that drew nothing
    else from it (a record that lacks the saved state is resumed from this)."""
    rng = data_order_rng(seed)
    for _ in range(epochs_done):
        epoch_order(rng, n_train, batches_per_epoch, batch_size, sampling)
    return rng.bit_generator.state
