"""The training curves' axes are cached as pixmaps (gui/views/plots.py cache_axes): a curve
update must not repaint them, and what is shown must stay exactly what uncached axes draw,
also after the range and the size change."""
import numpy as np
from PyQt5.QtWidgets import QGraphicsItem

from core.training.snapshots import BatchSnapshot, EpochSnapshot
from gui.training.run_state import RunState
from gui.views.plots import TrainingPlots

TOTAL_STEPS = 600


def feed(state, steps, rng):
    """Batch snapshots of a falling loss / rising accuracy, an epoch snapshot every 200 steps."""
    for step in steps:
        loss = 2.3 * np.exp(-step / 150) + 0.05 + 0.05 * rng.random()
        state.add(BatchSnapshot(step=step, epoch=step // 200, batch=step % 200 or 200, batches_per_epoch=200,
                                total_steps=TOTAL_STEPS, batch_loss=loss, batch_accuracy=1 - loss / 2.5,
                                mean_loss=loss, mean_accuracy=1 - loss / 2.5, learning_rate=0.1,
                                samples_per_second=1e5, elapsed=step / 1000))
        if step % 200 == 0:
            state.add(EpochSnapshot(epoch=step // 200 - 1, step=step, train_loss=loss, train_accuracy=1 - loss / 2.5,
                                    val_loss=loss * 1.1, val_accuracy=1 - loss / 2.4,
                                    val_confusion=np.zeros((10, 10), np.int64), val_predictions=np.zeros(1, np.int64),
                                    first_layer_weights=np.zeros((1, 28, 28), np.float32), learning_rate=0.1,
                                    samples_per_second=1e5, elapsed=step / 1000))


def axes(plots):
    return [plot.getPlotItem().getAxis(name) for plot in (plots.loss_plot, plots.accuracy_plot)
            for name in ("left", "bottom", "top", "right")]


def pair(qtbot):
    """A TrainingPlots as the app makes it, and one with its axes' cache switched off."""
    made = []
    for cached in (True, False):
        plots = TrainingPlots()
        qtbot.addWidget(plots)
        if not cached:
            for axis in axes(plots):
                axis.setCacheMode(QGraphicsItem.NoCache)
        plots.resize(800, 560)
        plots.set_step_range(TOTAL_STEPS)
        plots.show()
        made.append(plots)
    qtbot.waitExposed(made[1])
    return made


def refresh_both(pair_, state):
    changed = state.take_dirty()
    for plots in pair_:
        plots.refresh(state, changed)


def image(widget):
    from PyQt5.QtWidgets import QApplication
    if QApplication.focusWidget() is not None:   # a focused plot draws its focus ring: not the axes' business
        QApplication.focusWidget().clearFocus()
    shot = widget.grab().toImage()
    data = np.frombuffer(shot.constBits().asstring(shot.sizeInBytes()), np.uint8)
    return data.reshape(shot.height(), shot.bytesPerLine())[:, :shot.width() * 4].copy()


def assert_same_drawing(shown, expected):
    """Equal pixels, except a few: the pixmap's edge may round the faint grid line along a plot's
    border one pixel apart (seen after a resize), and tick text drawn into the pixmap may differ
    by a step of antialiasing (1/255, seen in log mode with the app's theme)."""
    differ = (shown != expected).any(axis=-1) if shown.ndim == 3 else shown != expected
    assert differ.mean() < 1e-3
    assert np.abs(shown.astype(int) - expected.astype(int)).max() <= 40


def test_the_app_caches_every_axis_of_both_plots(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    assert all(axis.cacheMode() == QGraphicsItem.DeviceCoordinateCache for axis in axes(plots))


def test_cached_axes_draw_exactly_what_uncached_ones_do_as_the_run_goes_on(qtbot):
    cached, plain = pair(qtbot)
    state, rng = RunState(), np.random.default_rng(0)
    feed(state, range(10, 110, 10), rng)
    refresh_both((cached, plain), state)
    first = image(cached)
    assert_same_drawing(first, image(plain))
    feed(state, range(110, 420, 10), rng)          # the loss falls: its y axis gets other ticks
    refresh_both((cached, plain), state)
    later = image(cached)
    assert_same_drawing(later, image(plain))
    assert not np.array_equal(first, later)
    plain.loss_plot.set_log_scale(True)             # the axis changes mode: the cache follows
    cached.loss_plot.set_log_scale(True)
    assert_same_drawing(image(cached), image(plain))
    for plots in (cached, plain):                   # and size
        plots.resize(640, 700)
    assert_same_drawing(image(cached), image(plain))


class CountingPicture:
    """Stands in for an axis's QPicture and records every replay of it (AxisItem.paint)."""

    def __init__(self, axis, picture, played):
        self.axis, self.picture, self.played = axis, picture, played

    def play(self, painter):
        self.played.append(self.axis)
        return self.picture.play(painter)


def test_a_curve_update_does_not_repaint_the_axes(qtbot):
    cached, plain = pair(qtbot)
    state = RunState()
    feed(state, range(10, 210, 10), np.random.default_rng(1))
    refresh_both((cached, plain), state)
    qtbot.waitUntil(lambda: all(axis.picture is not None for plots in (cached, plain) for axis in axes(plots)
                                if axis.isVisible()))
    played = []
    for plots in (cached, plain):
        for axis in axes(plots):
            if axis.picture is not None:
                axis.picture = CountingPicture(axis, axis.picture, played)
    for plots in (cached, plain):   # the same points again: the curve repaints, the ranges stay
        curve = plots.accuracy_plot.batch_curve
        curve.setData(curve.xData, curve.yData)
    plain_axes, cached_axes = set(axes(plain)), set(axes(cached))
    qtbot.waitUntil(lambda: any(axis in plain_axes for axis in played))   # uncached axes replay theirs
    assert not any(axis in cached_axes for axis in played)
