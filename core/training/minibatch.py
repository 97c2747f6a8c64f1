"""The training loop: a generator of snapshots that any caller can drive (CLI, tests, GUI worker).

Control from another thread (pause, resume, stop, a new learning rate) goes through the run's
RunControl (core.training.run_control), which the loop checks between batches; a queued Qt
signal could not reach a worker that is busy inside this loop.
"""
import math
import time

import numpy as np

from core.training.batches import ReferenceBatches, TrainingBatches
from core.training.blas import limited_blas_threads
from core.training.divergence import divergence
from core.training.data_order import data_order_rng, epoch_order, order_rng_after
from core.errors import ConfigError
from core.data.augment import make_augmenter
from core.drawing.non_digits import is_digit_task
from core.evaluation.evaluate import evaluate_inputs
from core.training.layer_stats import layer_stats, reference_layer_stats
from core.data.normalise import to_float
from core.training.optim import make_optimizer, schedule_factor
from core.training.snapshots import BatchSnapshot, DivergedSnapshot, EndSnapshot, EpochSnapshot
from core.training.training_run import HISTORY_KEYS, TrainingRun
from core.training.training_state import TrainingState, check_state_fits, dropout_states, set_dropout_states

NETWORK_COPY_SECONDS = 0.25   # how often a batch snapshot carries a weights copy for the canvas


class Trainer(TrainingRun):
    """Mini-batch training of a Network on uint8 images (data and controls: TrainingRun)."""
    uses_learning_rate = True   # FullBatchTrainer: False (a line search picks each step)
    resumable = True            # state() and restore(): the explicit TrainingState
    # True: the plain, allocating data path and layer stats (core.training.batches and
    # layer_stats), for tests that compare the fast path with it; same results to float rounding.
    reference_path = False
    # True: augmented batches are prepared ahead in a background thread (core.training.prefetch),
    # the same batches with the same random draws as inline; False: inline, in the loop's thread.
    prefetch_augmentation = True

    def __init__(self, config, train_images, train_labels, val_images=None, val_labels=None,
                 class_names=None, network=None, image_shape=None):
        super().__init__(config, train_images, train_labels, val_images, val_labels, class_names,
                         network, image_shape)
        if config.batch_size > len(self.train_labels):
            raise ConfigError(f"batch size {config.batch_size:,} is larger than the {len(self.train_labels):,} "
                              f"training examples")
        self.optimizer = make_optimizer(config.optimizer, self.network.params, config.momentum)
        self.learning_rate = config.learning_rate
        # The run's random generators and where it starts: what a TrainingState holds (state() gives
        # them out, restore() puts them back). Augmentation has its own generator, so switching it
        # on leaves the batch order alone; None when every strength is 0.
        self._order_rng = data_order_rng(config.seed)
        self._augmenter = make_augmenter(config.augmentation, np.random.default_rng([config.seed, 2]),
                                         digit_labels=is_digit_task(self.class_names))
        self._initial_loss = None
        self._start_epoch, self._start_elapsed = 0, 0.0

    def set_learning_rate(self, learning_rate):
        """New base learning rate from the next batch on (the schedule still multiplies it);
        ConfigError unless a positive number."""
        self.control.set_learning_rate(learning_rate)

    # ----- the loop --------------------------------------------------------------------
    @property
    def batches_per_epoch(self):
        return max(1, math.ceil(len(self.train_labels) / self.config.batch_size))

    @property
    def total_steps(self):
        cfg = self.config
        return cfg.iterations if cfg.iterations else cfg.epochs * self.batches_per_epoch

    def _epoch_order(self, rng):
        cfg = self.config
        return epoch_order(rng, len(self.train_labels), self.batches_per_epoch, cfg.batch_size, cfg.sampling)

    def run(self):
        """Train, yielding BatchSnapshot every config.snapshot_every batches, an EpochSnapshot
        after each epoch, maybe DivergedSnapshot, and finally one EndSnapshot."""
        with limited_blas_threads():   # see core/blas.py: one BLAS thread is faster on 2 cores
            feed = self._batch_feed()
            try:
                yield from self._run(feed)
            finally:   # also when the caller drops or closes the generator: no thread outlives the run
                feed.close()

    def _batch_feed(self):
        """The run's batches (core.training.batches), augmented when the config says so."""
        cfg, net = self.config, self.network
        augmenter = self._augmenter
        data = (self.train_images, self.train_labels, net.targets(self.train_labels), cfg.normalisation,
                net.dtype, cfg.batch_size)
        if self.reference_path:
            return ReferenceBatches(*data, augment=augmenter, image_shape=self.image_shape)
        return TrainingBatches(*data, augment=augmenter, image_shape=self.image_shape,
                               prefetch=self.prefetch_augmentation)

    def _run(self, feed):
        cfg, net = self.config, self.network
        rng = self._order_rng
        n_train, batch_size = len(self.train_labels), cfg.batch_size
        val_inputs = to_float(self.val_images, cfg.normalisation, net.dtype)
        weights_before = [np.empty_like(W) for W in net.weights]   # filled on snapshot batches only
        # Dense weight gradients folded into the optimiser's GEMM (core/nn/product_gradient.py),
        # except on snapshot batches, whose layer stats need the gradient arrays.
        folds = self.optimizer.folds_products and not self.reference_path
        checkpoint = [p.copy() for p in net.params]
        total_steps, per_epoch = self.total_steps, self.batches_per_epoch
        n_epochs = math.ceil(total_steps / per_epoch)
        training_seconds, last_copy = 0.0, -1.0
        initial_loss = None
        window_loss = window_correct = window_count = 0.0
        window_started = time.perf_counter()
        window_paused = 0.0
        start_epoch, training_seconds, initial_loss = self._start_epoch, self._start_elapsed, self._initial_loss
        for epoch in range(start_epoch, n_epochs):
            order = self._epoch_order(rng)
            epoch_loss = epoch_correct = epoch_count = 0.0
            epoch_started, epoch_paused = time.perf_counter(), 0.0
            batches = min(per_epoch, total_steps - self.step)
            feed.plan_epoch(order, batches)   # with prefetching: augmentation starts on them now
            for batch in range(batches):
                paused = self._wait_while_paused()
                window_paused += paused
                epoch_paused += paused
                if self.stop_requested:
                    training_seconds += time.perf_counter() - epoch_started - epoch_paused
                    yield self._end("stopped", f"Stopped by request after {self.step} steps.", epoch, training_seconds, n_train)
                    return
                base = self.base_learning_rate
                self.learning_rate = base * schedule_factor(cfg.schedule, self.step, total_steps, per_epoch,
                                                            cfg.step_epochs, cfg.step_gamma)
                indices = order[batch * batch_size:(batch + 1) * batch_size]
                x, y, labels = feed.gather(indices)
                take_stats = (self.step + 1) % cfg.snapshot_every == 0
                # Overflow on the way to divergence is detected below; numpy's warnings about it
                # would only be noise on the user's terminal.
                with np.errstate(over="ignore", invalid="ignore"):
                    loss, grads = net.loss_and_gradients(x, y, cfg.l2, n_train, fold_weight_grads=folds and not take_stats)
                if initial_loss is None:
                    initial_loss = self._initial_loss = loss
                window_mean = (window_loss + loss * len(indices)) / (window_count + len(indices))
                problem = divergence(loss, window_mean if take_stats else None, initial_loss, self.network.weights)
                if problem:
                    training_seconds += time.perf_counter() - epoch_started - epoch_paused
                    diverged = self._diverged(problem, checkpoint, epoch, training_seconds, n_train)
                    # The exploded batches say nothing about the restored weights: forget them.
                    window_loss = window_correct = window_count = 0.0
                    epoch_loss = epoch_correct = epoch_count = 0.0
                    yield diverged
                    if isinstance(diverged, EndSnapshot):
                        return
                    continue
                correct = feed.count_correct(net.last_output, labels)
                if take_stats:
                    for W, before in zip(net.weights, weights_before):
                        np.copyto(before, W)
                self.optimizer.step(grads, self.learning_rate)
                self.step += 1
                n = len(indices)
                window_loss += loss * n
                window_correct += correct
                window_count += n
                epoch_loss += loss * n
                epoch_correct += correct
                epoch_count += n
                if take_stats:
                    now = time.perf_counter()
                    seconds = max(1e-9, now - window_started - window_paused)
                    elapsed = training_seconds + now - epoch_started - epoch_paused
                    network_copy = None
                    if elapsed - last_copy >= NETWORK_COPY_SECONDS:
                        network_copy, last_copy = net.copy(), elapsed
                    yield BatchSnapshot(
                        step=self.step, epoch=epoch, batch=batch + 1, batches_per_epoch=per_epoch,
                        total_steps=total_steps, batch_loss=loss, batch_accuracy=correct / n,
                        mean_loss=window_loss / window_count, mean_accuracy=window_correct / window_count,
                        learning_rate=self.learning_rate, samples_per_second=window_count / seconds,
                        elapsed=elapsed, layer_stats=self._layer_stats(weights_before, grads), network=network_copy)
                    window_loss = window_correct = window_count = 0.0
                    window_started, window_paused = time.perf_counter(), 0.0
            epoch_seconds = time.perf_counter() - epoch_started - epoch_paused
            training_seconds += epoch_seconds
            epoch_mean = epoch_loss / max(epoch_count, 1)
            problem = divergence(epoch_mean, epoch_mean, initial_loss, net.weights) if epoch_count else ""
            if problem:   # never take a checkpoint of exploded weights
                diverged = self._diverged(problem, checkpoint, epoch, training_seconds, n_train)
                yield diverged
                if isinstance(diverged, EndSnapshot):
                    return
                continue
            checkpoint = [p.copy() for p in net.params]
            yield self._epoch_snapshot(epoch, epoch_loss, epoch_correct, epoch_count, val_inputs,
                                       epoch_count / max(epoch_seconds, 1e-9), training_seconds)
        yield self._end("finished", f"Finished {self.step} steps ({n_epochs} epoch{'' if n_epochs == 1 else 's'}).",
                        n_epochs - 1,
                        training_seconds, n_train)

    # ----- the explicit training state (core.training.training_state) -------------------------
    def state(self):
        """The TrainingState of this run now, as copies: exact at an epoch end (run() suspended at
        an EpochSnapshot), when every batch of the epoch was drawn and augmented (also when
        prefetched: core.training.prefetch)."""
        history = self.history
        return TrainingState(
            epochs_done=len(history["epoch"]), step=self.step, history=self.history_copy(),
            weights=[param.copy() for param in self.network.params], optimizer=self.optimizer.state_dict(),
            order_rng=self._order_rng.bit_generator.state,
            augment_rng=self._augmenter.rng.bit_generator.state if self._augmenter is not None else None,
            dropout_rngs=dropout_states(self.network), base_learning_rate=self.base_learning_rate,
            initial_loss=self._initial_loss, elapsed=history["elapsed"][-1] if history["elapsed"] else 0.0)

    def restore(self, state):
        """Make the next run() continue from ``state``: weights (when it has them), optimiser, base
        learning rate, step, history and every generator. Without saved optimiser or generator
        states the optimiser starts fresh and the data order is re-derived from the seed (exact
        unless something else drew from that generator). ValueError if the state does not fit
        this trainer's network or optimiser."""
        cfg = self.config
        check_state_fits(state, self.network.params)
        if state.optimizer is not None:
            self.optimizer.load_state(state.optimizer)
        if state.weights is not None:
            for param, saved in zip(self.network.params, state.weights):
                param[...] = saved
        if state.base_learning_rate is not None:
            self.set_learning_rate(state.base_learning_rate)
        self.step = int(state.step)
        self.history = {key: list(values) for key, values in state.history.items()}
        for key in HISTORY_KEYS:
            self.history.setdefault(key, [])
        self._order_rng.bit_generator.state = state.order_rng or order_rng_after(
            cfg.seed, state.epochs_done, len(self.train_labels), self.batches_per_epoch, cfg.batch_size, cfg.sampling)
        if self._augmenter is not None and state.augment_rng is not None:
            self._augmenter.rng.bit_generator.state = state.augment_rng
        if state.dropout_rngs is not None:
            set_dropout_states(self.network, state.dropout_rngs)
        self._initial_loss = state.initial_loss
        self._start_epoch, self._start_elapsed = int(state.epochs_done), float(state.elapsed)

    # ----- helpers ---------------------------------------------------------------------
    def _layer_stats(self, weights_before, grads):
        stats = reference_layer_stats if self.reference_path else layer_stats
        return stats(self.network.weights, weights_before, grads[0::2])

    def evaluate_inputs(self, inputs, labels, with_probabilities=False):
        """(loss, accuracy, confusion, predictions[, probabilities]) of the current network on float inputs."""
        return evaluate_inputs(self.network, inputs, labels, len(self.class_names), self.config.l2,
                               len(self.train_labels), with_probabilities=with_probabilities)

    def extra_epoch_metrics(self):
        """More per-epoch figures for the history ({name: value}); subclasses add e.g. test accuracy."""
        return {}

    def _epoch_snapshot(self, epoch, loss_sum, correct, count, val_inputs, samples_per_second, elapsed):
        val_loss, val_accuracy, confusion, predictions, probabilities = self.evaluate_inputs(
            val_inputs, self.val_labels, with_probabilities=True)
        train_loss, train_accuracy = loss_sum / max(count, 1), correct / max(count, 1)
        for key, value in self.extra_epoch_metrics().items():
            self.history.setdefault(key, []).append(float(value))
        for key, value in (("epoch", epoch + 1), ("step", self.step), ("train_loss", train_loss),
                           ("train_accuracy", train_accuracy), ("val_loss", val_loss),
                           ("val_accuracy", val_accuracy), ("learning_rate", self.learning_rate),
                           ("elapsed", elapsed)):
            self.history[key].append(float(value))
        first = self.network.first_layer_images(self.image_shape)
        return EpochSnapshot(
            epoch=epoch, step=self.step, train_loss=train_loss, train_accuracy=train_accuracy,
            val_loss=val_loss, val_accuracy=val_accuracy, val_confusion=confusion,
            val_predictions=predictions, first_layer_weights=first, learning_rate=self.learning_rate,
            samples_per_second=samples_per_second, elapsed=elapsed, network=self.network.copy(),
            history=self.history_copy(), val_probabilities=probabilities.astype(np.float32, copy=False))

    def _diverged(self, problem, checkpoint, epoch, elapsed, n_train):
        """Restore the last good weights; then either end the run or pause it."""
        self.network.set_params(checkpoint)
        self.optimizer.reset()
        suggestion = self.base_learning_rate / 10
        message = (f"Training diverged: {problem} at step {self.step + 1} (epoch {epoch + 1}) with learning "
                   f"rate {self.learning_rate:.3g}. The weights were restored to the last good checkpoint "
                   f"(the end of the previous epoch, or the start). Lower the learning rate, e.g. to "
                   f"{suggestion:g}" + (f", or the L2 strength ({self.config.l2:g})" if self.config.l2 else "")
                   + ", and try again.")
        if self.config.on_divergence == "stop":
            return self._end("diverged", message, epoch, elapsed, n_train)
        self.pause()   # the caller decides the new learning rate, then resume(); a stop still wins
        return DivergedSnapshot(message=message, step=self.step, epoch=epoch, learning_rate=self.learning_rate,
                                suggested_learning_rate=suggestion)

    def _end(self, reason, message, epoch, elapsed, n_train):
        samples = self.step * self.config.batch_size
        return EndSnapshot(reason=reason, message=message, step=self.step, epoch=epoch, elapsed=elapsed,
                           samples_per_second=samples / elapsed if elapsed > 0 else 0.0,
                           network=self.network.copy(), history=self.history_copy())
