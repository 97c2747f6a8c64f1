"""Redraw scheduling: a ~30 Hz QTimer that redraws only the views whose data changed.

Snapshots land in a RunState on the GUI thread (cheap appends, a set of dirty kinds). Each tick
takes the dirty kinds and hands them to the views, throttling the costly ones: curves and
progress at most every CURVES_INTERVAL, weight tiles every WEIGHTS_INTERVAL, the layer
statistics every STATS_INTERVAL, and the per-epoch evaluation spread over three ticks (the
confusion matrix, the report table, the gallery). The run's end draws everything still due in FINAL_STAGES, one costly
view per turn of the event loop, then says so (finish): drawn at once they held the window
25-45 ms at the end of every run (bench/bench_gui.py), each apart is under a frame.
"""
import math
import time

from PyQt5.QtCore import QObject, QTimer

REDRAW_MS = 33            # ~30 Hz for curves and progress
CURVES_INTERVAL = 0.2     # seconds between curve / progress redraws (5 Hz still reads as live)
WEIGHTS_INTERVAL = 0.5   # seconds between weight-tile redraws (the costly views)
STATS_INTERVAL = 0.5
# the run's end, one stage per turn of the event loop: curves and progress, the weight tiles, the
# layer statistics, the confusion matrix, the report table, the gallery
FINAL_STAGES = ({"start", "epoch", "end", "batch", "progress"}, {"weights"}, {"stats"}, {"evaluation"},
                {"report"}, {"gallery"})


def rate_fraction(state):
    """The latest learning rate over the run's first (the update / weight ratio scales with it);
    None when the run has no rate (full batch) or no batch yet."""
    rates = state.batch["learning_rate"].view()
    if len(rates) == 0 or not rates[0] > 0 or not math.isfinite(rates[-1]):
        return None
    return float(rates[-1] / rates[0])


class RedrawScheduler(QObject):
    """Draws ``state`` (a RunState, replaced for every run) into ``tabs`` and ``progress``.

    ``evaluation_source`` is what the gallery and the evaluation tab label and show: a
    StartSnapshot (class_names, image_shape, val_images (n_val, H, W), val_labels (n_val,)).
    """

    def __init__(self, tabs, progress, parent=None):
        super().__init__(parent)
        self.tabs, self.progress = tabs, progress
        self.state = None
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        self.closed = False
        self.selected_cell = None
        self._evaluation = None   # (predictions (n_val,), evaluation source) last shown
        self._confusion = None    # its confusion matrix (n_classes, n_classes)
        self.invariance_hook = None   # source -> None: hands the shown model to the invariance view
        self._last = {"curves": 0.0, "weights": 0.0, "stats": 0.0}
        self._held = set()            # map-stall: "weights" / "evaluation" waiting for their tab
        self._weights_first = False   # both due in one tick: which one goes first (they alternate)
        self._stage = None            # the next of FINAL_STAGES while a run's end is being drawn
        self._chain = 0               # which chain of scheduled stages is current
        self._then = []               # what to call once it is
        tabs.currentChanged.connect(self._draw_held)

    @property
    def held(self):
        """The views ("weights", "evaluation") waiting for their hidden tab to be shown."""
        return frozenset(self._held)

    def start(self, state):
        self._finish_now()   # the last run's end, if still being drawn, first
        self.state = state
        self._held.clear()
        self.timer.start()

    def stop(self):
        self.timer.stop()

    def close(self):
        """Nothing may redraw once the window (and its pyqtgraph items) is being torn down."""
        self.closed = True
        self.timer.stop()
        self._stage, self._then = None, []

    # ----- the run's end ---------------------------------------------------------------------
    def finish(self, then=None):
        """The run has ended: draw everything still due (also views held for their tab), one
        stage of FINAL_STAGES per turn of the event loop, then call ``then()`` (the window says
        the run finished only then, so whoever waits for that sees every view drawn)."""
        self.timer.stop()
        if then is not None:
            self._then.append(then)
        if self._stage is None:
            self._stage = 0
            self._schedule_stage()

    @property
    def finishing(self):
        """True while a run's end is being drawn."""
        return self._stage is not None

    def _schedule_stage(self):
        chain = self._chain   # a stage scheduled before _finish_now took over is dropped
        QTimer.singleShot(0, lambda: self._next_stage() if chain == self._chain else None)

    def _next_stage(self, schedule=True):
        if self._stage is None or self.closed:
            return
        if self._stage < len(FINAL_STAGES):
            self.redraw(force=True, kinds=FINAL_STAGES[self._stage])
            self._stage += 1
            if schedule:
                self._schedule_stage()
            return
        self._stage = None
        then, self._then = self._then, []
        for callback in then:
            callback()

    def _finish_now(self):
        """Draw the rest of a run's end at once and call what waits for it (a new run starts, or
        the views are cleared, before the stages are through)."""
        self._chain += 1
        while self._stage is not None and not self.closed:
            self._next_stage(schedule=False)

    def redraw(self, force=False, kinds=None):
        """Timer slot: refresh only the views whose data changed since the last call. force:
        everything that changed, whatever its interval (and the views held for their tab);
        kinds: only these kinds of change (a stage of the run's end)."""
        state = self.state
        if self.closed or state is None:
            return
        tabs, now, last = self.tabs, time.perf_counter(), self._last
        keys = {"epoch", "evaluation", "report", "gallery", "end", "start"}
        if force or now - last["curves"] >= CURVES_INTERVAL:
            keys |= {"batch", "progress"}
        if force or now - last["weights"] >= WEIGHTS_INTERVAL:
            keys.add("weights")
        if force or now - last["stats"] >= STATS_INTERVAL:
            keys.add("stats")
        if kinds is not None:
            keys &= set(kinds)
        changed = state.take_dirty(keys)
        if force:
            # map-stall: what waited for its tab is drawn now
            changed |= self._held if kinds is None else self._held & set(kinds)
        if not changed:
            return
        if changed & {"batch", "progress"}:
            last["curves"] = now
        info = state.start
        tabs.training.refresh(state, changed)
        if "progress" in changed and info is not None:
            n_epochs = -(-info.total_steps // info.batches_per_epoch)
            self.progress.update_from(state, info.total_steps, n_epochs, uses_learning_rate=info.uses_learning_rate)
        if "weights" in changed and "evaluation" in changed and not force:
            # Not both in one tick (each costs the GUI thread tens of ms). They take turns: when
            # epochs end faster than the ticks come (small data), always deferring the weights
            # would leave the weight tiles undrawn for the whole run.
            later = "evaluation" if self._weights_first else "weights"
            self._weights_first = not self._weights_first
            changed.discard(later)
            state.dirty.add(later)
        if "weights" in changed and state.network is not None and info is not None:
            last["weights"] = now
            if not self._hold("weights", tabs.weights_pane, force):
                self.show_network(state.network, info.image_shape)
        if "stats" in changed and state.layer_stats:
            last["stats"] = now
            tabs.layer_stats.set_stats(state.layer_stats, state.network, rate_fraction=rate_fraction(state))
        if "evaluation" in changed and state.last_epoch is not None and info is not None:
            if self._hold("evaluation", tabs.confusion, force):
                return
            # spread the per-epoch work over three ticks: the matrix now, the report table (and the
            # invariance view's model) next time, the gallery after that
            at_once = force and kinds is None
            self.show_evaluation(state.last_epoch.val_confusion, state.last_epoch.val_predictions, info,
                                 gallery=at_once, report=at_once)
            if not at_once:
                state.dirty.add("report")
        elif "report" in changed and self._evaluation is not None:
            self._show_report()
            state.dirty.add("gallery")
        elif "gallery" in changed:
            self.refresh_gallery()

    # ----- map-stall: views on a hidden tab are drawn when it is shown --------------------------
    # The weight tiles and the evaluation (a confusion matrix of 100 text items, the table, the
    # gallery) cost the GUI thread 20-90 ms while training: drawn for nobody, they were most of
    # the stalls with another tab shown (bench_gui.py --map). A forced redraw (the run's end)
    # and a window not shown (tests, exports) draw everything as before.
    def _hold(self, kind, widget, force):
        """True (and ``kind`` remembered) when ``widget``'s tab is not the one shown."""
        tabs = self.tabs
        page = widget
        while page is not None and tabs.indexOf(page) < 0:
            page = page.parentWidget()
        if force or not tabs.isVisible() or page is None or tabs.currentWidget() is page:
            self._held.discard(kind)
            return False
        self._held.add(kind)
        return True

    def _draw_held(self, _index=None):
        """The shown tab changed: draw what waited for it."""
        state = self.state
        info = state.start if state is not None else None
        if self.closed or info is None:
            return
        if ("weights" in self._held and state.network is not None
                and not self._hold("weights", self.tabs.weights_pane, False)):
            self.show_network(state.network, info.image_shape)
        if ("evaluation" in self._held and state.last_epoch is not None
                and not self._hold("evaluation", self.tabs.confusion, False)):
            self.show_evaluation(state.last_epoch.val_confusion, state.last_epoch.val_predictions, info)

    # ----- what a redraw draws (also used for a loaded model) ---------------------------------
    def show_network(self, network, image_shape):
        # A conv first layer shows its filters (C_out * C_in tiles of k x k); a dense one its
        # units' weights as images.
        kind = ("filter" if network.first_layer_kind == "conv"
                else "output unit" if len(network.weights) == 1 else "hidden unit")
        if not self.tabs.weights_pane.show_conv(network):   # cnngui: conv filters of every conv layer
            self.tabs.weights.set_tiles(network.first_layer_images(image_shape), kind)
        # the histogram only when someone may look; it catches up when its tab is shown
        self.tabs.layer_stats.set_network(network, draw=self.tabs.currentWidget() is not self.tabs.training)

    def show_evaluation(self, confusion, predictions, source, gallery=True, report=True):
        """confusion (n_classes, n_classes); predictions (n_val,) for source's validation set.
        report / gallery False: only the matrix now (the redraw draws the rest at later ticks)."""
        self._evaluation = (predictions, source)
        self._confusion = confusion
        self.tabs.confusion.set_confusion(confusion, list(source.class_names))
        if report:
            self._show_report()
        if gallery:
            self.refresh_gallery()

    def _show_report(self):
        """The per-class report table of the evaluation shown, and the model to the invariance view."""
        _, source = self._evaluation
        self.tabs.report.set_confusion(self._confusion, list(source.class_names))
        if self.invariance_hook is not None:
            self.invariance_hook(source)

    def refresh_gallery(self):
        if self.selected_cell is not None:
            self.show_cell_examples(*self.selected_cell)
        else:
            self.show_misclassified()

    def show_cell_examples(self, true_class, predicted_class):
        if self._evaluation is None:
            return
        predictions, source = self._evaluation
        self.selected_cell = (true_class, predicted_class)
        self.tabs.gallery.show_cell(source.val_images, source.val_labels, predictions, list(source.class_names),
                                    true_class, predicted_class)

    def show_misclassified(self):
        if self._evaluation is None:
            return
        predictions, source = self._evaluation
        self.selected_cell = None
        self.tabs.gallery.show_misclassified(source.val_images, source.val_labels, predictions,
                                             list(source.class_names))

    def clear(self):
        self._finish_now()
        self.selected_cell = self._evaluation = self._confusion = None
        self._held.clear()
        self.tabs.invariance.forget_current_model()   # no model shown: no curves of one
