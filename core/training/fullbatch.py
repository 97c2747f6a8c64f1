"""Full-batch training with scipy's conjugate gradient or L-BFGS, as in Andrew Ng's ex4.

ex4 trains a 400-25-10 network by handing the cost J(theta) and its gradient to an optimiser
(fmincg; here scipy.optimize.minimize with jac=True, method 'CG' or 'L-BFGS-B') for a fixed
number of iterations. Every iteration looks at the whole training set, so here an iteration is
one step *and* one epoch: each yields a BatchSnapshot and an EpochSnapshot.

How the generator and scipy meet: minimize runs in a worker thread and hands each iteration's
weights to the generator through a small queue (its callback). The worker waits until the
consumer has handled each iteration before it goes on (lock-step), so a pause takes effect at
once. One uninterrupted minimize call keeps CG's conjugate directions and L-BFGS's curvature
history intact, which restarting minimize in chunks would lose. Pause and stop are checked inside every cost evaluation and at
every iteration (a line search may evaluate the cost several times), so both act within one
full-batch pass. The learning rate means nothing here (the line search picks each step), so
set_learning_rate is a no-op that says so.

While run() is in progress ``trainer.network`` is being moved around by line searches; use the
snapshots' network copies. After run() it holds the final weights.
"""
import hashlib
import queue
import threading
import time

import numpy as np
import scipy.optimize

from core.errors import ConfigError
from core.training.evaluate import evaluate_inputs
from core.data.normalise import to_float
from core.nn.regularisation import add_l2_gradient, l2_penalty
from core.training.snapshots import BatchSnapshot, EndSnapshot, EpochSnapshot, LayerStats
from core.training.training_run import TrainingRun

SCIPY_METHODS = {"cg": "CG", "lbfgs": "L-BFGS-B"}
CHUNK = 8192   # examples per block when summing the full-batch cost (bounds float64 memory)

LEARNING_RATE_NOTE = ("the learning rate does not apply to full-batch CG / L-BFGS training: "
                      "a line search chooses every step's size")


class _StopRequested(Exception):
    """Raised inside the objective to abandon minimize mid line-search."""


def flatten(params):
    """[W1, b1, ...] -> one float64 vector (what scipy optimises)."""
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
        if config.optimizer not in SCIPY_METHODS:
            raise ConfigError(f"the full-batch trainer runs cg or lbfgs, not {config.optimizer!r}")
        super().__init__(config, train_images, train_labels, val_images, val_labels, class_names,
                         network, image_shape)
        self.network = self.network.copy(dtype=np.float64)
        self.test_images = self.test_labels = None
        self.learning_rate = 0.0   # reported in snapshots: no learning rate is used
        self.n_evaluations = 0
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

    # ----- the objective (runs in the worker thread) ------------------------------------------
    def _wait_or_stop(self):
        if not self._running.is_set():
            started = time.perf_counter()
            while not self._running.wait(0.05):
                pass
            self._paused_seconds += time.perf_counter() - started
        if self.stop_requested:
            raise _StopRequested

    def cost_and_gradient(self, theta):
        """(J, dJ/dtheta) over the whole training set for flat float64 weights theta.

        J = mean data cost + l2 / (2 n) * sum(W**2), biases not regularised (ex4's nnCostFunction).
        Also remembers (J, training accuracy) for the iteration callback.
        """
        net, cfg = self.network, self.config
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

    def _minimize(self, updates, theta0):
        """Worker thread: run scipy and put ('iteration', ...) / ('done', ...) on the queue."""
        started = time.perf_counter()
        self._paused_seconds = 0.0
        last = {"theta": theta0, "message": ""}

        def elapsed():
            return time.perf_counter() - started - self._paused_seconds

        def hand_over(item):
            while True:   # bounded queue: wait for the consumer, but not if it went away
                try:
                    updates.put(item, timeout=0.1)
                    return
                except queue.Full:
                    if self.stop_requested:
                        raise _StopRequested from None

        def wait_until_handled():
            # Lock-step with the consumer: a pause asked for while it handles iteration k stops
            # the optimiser before iteration k+1 (no iterations computed ahead of what was seen).
            # The wait is not training time.
            waited_from = time.perf_counter()
            while not self._handled.acquire(timeout=0.05):
                if self.stop_requested:
                    raise _StopRequested
            self._paused_seconds += time.perf_counter() - waited_from

        def callback(intermediate_result):
            theta = np.array(intermediate_result.x, np.float64)
            loss, accuracy = self._recall(theta)
            last["theta"] = theta
            hand_over(("iteration", theta, loss, accuracy, elapsed(), self.n_evaluations))
            wait_until_handled()
            self._wait_or_stop()

        reason = "finished"
        try:
            result = scipy.optimize.minimize(
                self.cost_and_gradient, theta0, jac=True, method=SCIPY_METHODS[self.config.optimizer],
                callback=callback, options={"maxiter": self.total_steps})
            last["message"] = str(result.message)
            if not np.array_equal(result.x, last["theta"]) and np.all(np.isfinite(result.x)):
                last["theta"] = np.array(result.x, np.float64)
        except (_StopRequested, StopIteration):
            reason = "stopped"
        except BaseException as error:   # a bug: re-raised in the generator's thread
            updates.put(("error", error))
            return
        if self.stop_requested:
            reason = "stopped"
        updates.put(("done", reason, last["theta"], last["message"], elapsed()))

    # ----- the generator -------------------------------------------------------------------
    def run(self):
        """Train, yielding a BatchSnapshot and an EpochSnapshot per optimiser iteration, then an
        EndSnapshot (reason 'finished' or 'stopped')."""
        cfg, net = self.config, self.network
        shapes = net.param_shapes()
        self._targets = net.targets(self.train_labels)
        self._x_buffer = np.empty((min(CHUNK, len(self.train_labels)), net.n_inputs), np.float64)
        self._evaluations = {}
        val_inputs = to_float(self.val_images, cfg.normalisation, np.float64)
        test_inputs = None if self.test_images is None else to_float(self.test_images, cfg.normalisation, np.float64)
        view = net.copy()   # the consumer's own network: the worker keeps moving self.network
        theta0 = flatten(net.params)
        updates = queue.Queue(maxsize=1)
        self._handled = threading.Semaphore(0)
        worker = threading.Thread(target=self._minimize, args=(updates, theta0), daemon=True,
                                  name="digitlab-fullbatch")
        worker.start()
        n_train, total = len(self.train_labels), self.total_steps
        previous_weights = [W.copy() for W in view.weights]
        previous_elapsed, previous_evaluations = 0.0, 0
        try:
            while True:
                item = updates.get()
                if item[0] == "error":
                    raise item[1]
                if item[0] == "done":
                    _, reason, theta, message, elapsed = item
                    worker.join()
                    net.set_params(unflatten(theta, shapes))
                    text = (f"Stopped by request after {self.step} iterations." if reason == "stopped" else
                            f"Finished {self.step} {cfg.optimizer.upper()} iterations ({message}).")
                    yield EndSnapshot(reason=reason, message=text, step=self.step, epoch=max(0, self.step - 1),
                                      elapsed=elapsed, samples_per_second=self.n_evaluations * n_train / max(elapsed, 1e-9),
                                      network=net.copy(), history=self.history_copy())
                    return
                _, theta, loss, accuracy, elapsed, evaluations = item
                view.set_params(unflatten(theta, shapes))
                self.step += 1
                seconds = max(elapsed - previous_elapsed, 1e-9)
                speed = (evaluations - previous_evaluations) * n_train / seconds
                previous_elapsed, previous_evaluations = elapsed, evaluations
                stats = self._layer_stats(view, previous_weights)
                previous_weights = [W.copy() for W in view.weights]
                yield BatchSnapshot(step=self.step, epoch=self.step - 1, batch=1, batches_per_epoch=1,
                                    total_steps=total, batch_loss=loss, batch_accuracy=accuracy, mean_loss=loss,
                                    mean_accuracy=accuracy, learning_rate=0.0, samples_per_second=speed,
                                    elapsed=elapsed, layer_stats=stats, network=view.copy())
                yield self._epoch_snapshot(view, loss, accuracy, val_inputs, test_inputs, speed, elapsed)
                self._handled.release()
        finally:
            if worker.is_alive():   # the consumer stopped early (closed the generator)
                self.stop()
                while worker.is_alive():   # keep the queue drained so the worker can finish
                    try:
                        updates.get(timeout=0.05)
                    except queue.Empty:
                        pass
                worker.join()

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
    return config.optimizer in SCIPY_METHODS

