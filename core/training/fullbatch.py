"""Full-batch training with conjugate gradients or L-BFGS, as in Andrew Ng's ex4.

ex4 trains a 400-25-10 network by handing the cost J(theta) and its gradient to an optimiser
(Rasmussen's fmincg there; scipy's CG algorithm here) for a fixed number of iterations. Every iteration looks at the whole training set, so
here an iteration is one step *and* one epoch: each yields a BatchSnapshot and an EpochSnapshot.

The optimiser (core.training.fullbatch_optimizers: scipy's CG step for step, or L-BFGS) is
itself a generator, so everything runs in the caller's thread. One uninterrupted
optimiser keeps CG's conjugate directions and L-BFGS's curvature pairs intact. The run control
(core.training.run_control) is checked inside every cost evaluation and after every iteration (a
line search may evaluate the cost several times), so pause and stop act within one full-batch
pass. The learning rate means nothing here (the line search picks each step), so
set_learning_rate is a no-op that says so.

While run() is in progress ``trainer.network`` is being moved around by line searches; use the
snapshots' network copies. After run() it holds the weights of the last accepted iteration.
"""
import hashlib
import time

import numpy as np

from core.errors import ConfigError
from core.evaluation.evaluate import evaluate_inputs
from core.training.fullbatch_optimizers import minimise
from core.data.normalise import to_float
from core.nn.regularisation import add_l2_gradient, l2_penalty
from core.training.snapshots import BatchSnapshot, EndSnapshot, EpochSnapshot, LayerStats
from core.training.training_run import TrainingRun

FULL_BATCH_OPTIMIZERS = ("cg", "lbfgs")
CHUNK = 8192   # examples per block when summing the full-batch cost (bounds float64 memory)

LEARNING_RATE_NOTE = ("the learning rate does not apply to full-batch CG / L-BFGS training: "
                      "a line search chooses every step's size")


class _StopRequested(Exception):
    """Raised inside the objective to abandon minimize mid line-search."""


def flatten(params):
    """[W1, b1, ...] -> one float64 vector (what the optimiser moves)."""
    return np.concatenate([np.asarray(p, np.float64).ravel() for p in params])


def unflatten(theta, shapes):
    """Inverse of flatten: views into theta shaped like the parameters."""
    arrays, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        arrays.append(theta[start:start + size].reshape(shape))
        start += size
    return arrays


class FullBatchTrainer(TrainingRun):
    """Full-batch CG / L-BFGS training with the Trainer's interface (run, pause, resume, stop, history).

    train_images: (n_train, H, W) or (n_train, n_inputs) uint8; labels are digits (a binary
    config maps them to 0/1). The network is float64 (line searches need the precision); inputs
    are converted block by block, so memory stays near one CHUNK of float64 inputs.
    """
    uses_learning_rate = False

    def __init__(self, config, train_images, train_labels, val_images=None, val_labels=None,
                 class_names=None, network=None, image_shape=None):
        if config.optimizer not in FULL_BATCH_OPTIMIZERS:
            raise ConfigError(f"the full-batch trainer runs cg or lbfgs, not {config.optimizer!r}")
        super().__init__(config, train_images, train_labels, val_images, val_labels, class_names,
                         network, image_shape)
        self.network = self.network.copy(dtype=np.float64)
        self.test_images = self.test_labels = None
        self.learning_rate = 0.0   # reported in snapshots: no learning rate is used
        self.n_evaluations = 0
        self._targets = self._x_buffer = self._evaluations = None   # made by _prepare_buffers
        self._paused_seconds = 0.0

    def attach_test_set(self, test_images, test_labels):
        """Also record test loss/accuracy in the history after every epoch (iteration)."""
        self.test_images = np.ascontiguousarray(test_images).reshape(len(test_images), -1)
        self.test_labels = self._task_labels(test_labels)
        self.history.setdefault("test_loss", [])
        self.history.setdefault("test_accuracy", [])

    # ----- control (pause, resume, stop: TrainingRun) ------------------------------------
    def set_learning_rate(self, learning_rate):
        """No-op: returns the reason (a line search chooses every step)."""
        return LEARNING_RATE_NOTE

    @property
    def batches_per_epoch(self):
        return 1

    @property
    def total_steps(self):
        """Optimiser iterations: config.iterations, else config.epochs (one iteration = one pass)."""
        return self.config.iterations or self.config.epochs

    # ----- the objective ------------------------------------------------------------------
    def _wait_or_stop(self):
        """Hold while paused (not training time); abandon the optimiser if a stop was asked for."""
        self._paused_seconds += self.control.wait_while_paused()
        if self.control.stop_requested:
            raise _StopRequested

    def cost_and_gradient(self, theta):
        """(J, dJ/dtheta) over the whole training set for flat float64 weights theta.

        J = mean data cost + l2 / (2 n) * sum(W**2), biases not regularised (ex4's nnCostFunction).
        Also remembers (J, training accuracy) for the iteration callback.
        """
        net, cfg = self.network, self.config
        self._prepare_buffers()
        net.set_params(unflatten(theta, net.param_shapes()))
        n = len(self.train_labels)
        total_loss, correct = 0.0, 0
        gradient = np.zeros_like(theta)
        for start in range(0, n, CHUNK):
            stop = min(n, start + CHUNK)
            x = to_float(self.train_images[start:stop], cfg.normalisation, out=self._x_buffer[:stop - start])
            loss, grads = net.loss_and_gradients(x, self._targets[start:stop])
            total_loss += loss * (stop - start)
            gradient += flatten(grads) * (stop - start)
            output = net.last_output
            predicted = output[:, 0] >= 0.5 if net.is_binary else np.argmax(output, axis=1)
            correct += int(np.count_nonzero(predicted == self.train_labels[start:stop]))
        total_loss /= n
        gradient /= n
        add_l2_gradient(unflatten(gradient, net.param_shapes())[0::2], net.weights, cfg.l2, n)   # views: in place
        total_loss += l2_penalty(net.weights, cfg.l2, n)
        self.n_evaluations += 1
        self._remember(theta, total_loss, correct / n)
        self._wait_or_stop()
        return total_loss, gradient

    def _prepare_buffers(self):
        """Targets, the float chunk buffer and the evaluation memo, made once: cost_and_gradient
        works on its own (scipy can drive it) as well as inside run()."""
        if self._targets is None:
            net = self.network
            self._targets = net.targets(self.train_labels)
            self._x_buffer = np.empty((min(CHUNK, len(self.train_labels)), net.n_inputs), np.float64)
            self._evaluations = {}

    def _remember(self, theta, loss, accuracy):
        key = hashlib.blake2b(theta.tobytes(), digest_size=16).digest()
        self._evaluations[key] = (loss, accuracy)
        while len(self._evaluations) > 8:
            self._evaluations.pop(next(iter(self._evaluations)))

    def _recall(self, theta):
        key = hashlib.blake2b(theta.tobytes(), digest_size=16).digest()
        if key not in self._evaluations:
            self.cost_and_gradient(theta)
        return self._evaluations[key]

    # ----- the generator -------------------------------------------------------------------
    def run(self):
        """Train, yielding a BatchSnapshot and an EpochSnapshot per optimiser iteration, then an
        EndSnapshot (reason 'finished' or 'stopped')."""
        cfg, net = self.config, self.network
        shapes = net.param_shapes()
        self._prepare_buffers()
        val_inputs = to_float(self.val_images, cfg.normalisation, np.float64)
        test_inputs = None if self.test_images is None else to_float(self.test_images, cfg.normalisation, np.float64)
        view = net.copy()   # the snapshots' network: line searches keep moving self.network
        n_train, total = len(self.train_labels), self.total_steps
        previous_weights = [W.copy() for W in view.weights]
        previous_elapsed, previous_evaluations = 0.0, 0
        started, self._paused_seconds = time.perf_counter(), 0.0
        theta = flatten(net.params)
        reason, message = "finished", ""

        def elapsed():
            return time.perf_counter() - started - self._paused_seconds

        iterations = minimise(self.cost_and_gradient, theta, total, cfg.optimizer)
        try:
            while True:
                try:
                    theta, loss = next(iterations)
                except StopIteration as done:
                    message = done.value or ""
                    break
                _, accuracy = self._recall(theta)
                view.set_params(unflatten(theta, shapes))
                self.step += 1
                now = elapsed()
                speed = (self.n_evaluations - previous_evaluations) * n_train / max(now - previous_elapsed, 1e-9)
                previous_elapsed, previous_evaluations = now, self.n_evaluations
                stats = self._layer_stats(view, previous_weights)
                previous_weights = [W.copy() for W in view.weights]
                yield BatchSnapshot(step=self.step, epoch=self.step - 1, batch=1, batches_per_epoch=1,
                                    total_steps=total, batch_loss=loss, batch_accuracy=accuracy, mean_loss=loss,
                                    mean_accuracy=accuracy, learning_rate=0.0, samples_per_second=speed,
                                    elapsed=now, layer_stats=stats, network=view.copy())
                yield self._epoch_snapshot(view, loss, accuracy, val_inputs, test_inputs, speed, now)
                # the consumer's time between iterations is not training time; a pause or stop
                # asked for while it handled this iteration acts before the next one
                self._wait_or_stop()
        except _StopRequested:
            reason = "stopped"
        finally:
            iterations.close()
        net.set_params(unflatten(theta, shapes))   # the last accepted iteration's weights
        seconds = elapsed()
        text = (f"Stopped by request after {self.step} iterations." if reason == "stopped" else
                f"Finished {self.step} {cfg.optimizer.upper()} iterations ({message}).")
        yield EndSnapshot(reason=reason, message=text, step=self.step, epoch=max(0, self.step - 1),
                          elapsed=seconds, samples_per_second=self.n_evaluations * n_train / max(seconds, 1e-9),
                          network=net.copy(), history=self.history_copy())

    def _layer_stats(self, view, previous_weights):
        stats = []
        for i, (W, before) in enumerate(zip(view.weights, previous_weights)):
            weight_rms = float(np.sqrt(np.mean(W * W)))
            update = float(np.sqrt(np.mean((W - before) ** 2)))
            stats.append(LayerStats(f"W{i + 1}", weight_rms, float("nan"),
                                    update / weight_rms if weight_rms > 0 else 0.0))
        return tuple(stats)

    def _epoch_snapshot(self, view, train_loss, train_accuracy, val_inputs, test_inputs, speed, elapsed):
        n_classes, l2, n_train = len(self.class_names), self.config.l2, len(self.train_labels)
        val_loss, val_accuracy, confusion, predictions = evaluate_inputs(
            view, val_inputs, self.val_labels, n_classes, l2, n_train)
        values = {"epoch": self.step, "step": self.step, "train_loss": train_loss, "train_accuracy": train_accuracy,
                  "val_loss": val_loss, "val_accuracy": val_accuracy, "learning_rate": 0.0, "elapsed": elapsed}
        if test_inputs is not None:
            test_loss, test_accuracy, _, _ = evaluate_inputs(view, test_inputs, self.test_labels, n_classes, l2, n_train)
            values.update(test_loss=test_loss, test_accuracy=test_accuracy)
        for key, value in values.items():
            self.history[key].append(float(value))
        first = view.first_layer_images(self.image_shape)
        return EpochSnapshot(
            epoch=self.step - 1, step=self.step, train_loss=train_loss, train_accuracy=train_accuracy,
            val_loss=val_loss, val_accuracy=val_accuracy, val_confusion=confusion, val_predictions=predictions,
            first_layer_weights=first, learning_rate=0.0, samples_per_second=speed, elapsed=elapsed,
            network=view.copy(), history=self.history_copy())


def is_full_batch(config):
    return config.optimizer in FULL_BATCH_OPTIMIZERS

