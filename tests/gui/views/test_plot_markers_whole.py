"""Every epoch marker on the training plots is drawn whole, inside the plot's frame: a one-epoch
run's only train / validation points sit at the last step (the x range's right end), and points at
99.9-100% at the accuracy range's top (which stops at 100%): the ranges keep a marker's room."""
import numpy as np
import pytest
from PyQt5.QtCore import QPointF

from core.training.snapshots import BatchSnapshot, EpochSnapshot
from gui.training.run_state import RunState
from gui.views.plots import EPOCH_MARKER_SIZE, TrainingPlots

pytestmark = pytest.mark.usefixtures("themed_app")
STEPS = 211   # one epoch of the logistic-one-digit preset on MNIST


def one_epoch(state, accuracy):
    for step in range(1, STEPS + 1):
        state.add(BatchSnapshot(step=step, epoch=0, batch=step, batches_per_epoch=STEPS, total_steps=STEPS,
                                batch_loss=0.05, batch_accuracy=accuracy, mean_loss=0.05, mean_accuracy=accuracy,
                                learning_rate=1.0, samples_per_second=1e5, elapsed=step / 1000))
    state.add(EpochSnapshot(epoch=0, step=STEPS, train_loss=0.06, train_accuracy=accuracy, val_loss=0.03,
                            val_accuracy=1.0, val_confusion=np.zeros((2, 2), np.int64),
                            val_predictions=np.zeros(1, np.int64), first_layer_weights=np.zeros((1, 28, 28), np.float32),
                            learning_rate=1.0, samples_per_second=1e5, elapsed=0.3))


def marker_room(plot, curve):
    """Pixels between each of the curve's markers and the nearest edge of the plot's frame (the
    view box), less half the marker: negative when a marker is cut."""
    vb = plot.getPlotItem().vb
    frame = vb.sceneBoundingRect()
    half = EPOCH_MARKER_SIZE / 2 + 0.5   # the marker and its 1 px outline
    rooms = []
    for x, y in zip(curve.xData, curve.yData):
        point = vb.mapViewToScene(QPointF(float(x), float(y)))
        rooms.append(min(point.x() - frame.left(), frame.right() - point.x(),
                         point.y() - frame.top(), frame.bottom() - point.y()) - half)
    return min(rooms)


@pytest.mark.parametrize("size", [(620, 560), (1000, 700)])
def test_a_one_epoch_runs_points_at_the_edges_are_whole(qtbot, size):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.resize(*size)
    plots.show()
    qtbot.waitExposed(plots)
    plots.set_step_range(STEPS)
    state = RunState()
    one_epoch(state, accuracy=0.999)
    plots.refresh(state, state.take_dirty())
    accuracy, loss = plots.accuracy_plot, plots.loss_plot
    assert accuracy.y_range[1] == 100.0                      # the axis stops at 100%
    for plot in (accuracy, loss):
        for curve in (plot.train_curve, plot.val_curve):
            assert marker_room(plot, curve) >= 0, (plot, curve.name())
    plots.resize(size[0] + 200, size[1] - 100)               # resized: the room is kept
    qtbot.waitUntil(lambda: accuracy.getPlotItem().vb.width() > size[0] - 100, timeout=5000)
    for plot in (accuracy, loss):
        for curve in (plot.train_curve, plot.val_curve):
            assert marker_room(plot, curve) >= 0, (plot, curve.name())
