"""The curves drawn without a window (the run report, the film) look as the Training tab draws
them: train orange circles, validation green squares, test purple triangles, accuracy in % (a
walkthrough found the report's curves blue and orange, and accuracy as a share, 0.97)."""
import numpy as np

from core.figures import curve_colours
from core.figures.curves import accuracy_range, curve_series, curves_image

HISTORY = {"epoch": [1, 2, 3], "train_loss": [0.9, 0.5, 0.3], "val_loss": [0.8, 0.6, 0.5],
           "train_accuracy": [0.71, 0.88, 0.93], "val_accuracy": [0.74, 0.86, 0.9]}


def pixels_of(image, colour):
    return int(np.all(np.asarray(image) == np.array(colour, np.uint8), axis=-1).sum())


def test_train_and_validation_have_the_apps_colours_and_markers_and_accuracy_is_in_percent():
    losses, accuracies = curve_series(HISTORY)
    assert [(s.label, s.colour, s.marker) for s in accuracies] == [
        ("train", curve_colours.ORANGE, "o"), ("validation", curve_colours.GREEN, "s")]
    assert [s.colour for s in losses] == [curve_colours.ORANGE, curve_colours.GREEN]
    assert accuracies[0].ys == [71.0, 88.0, 93.0] and losses[0].ys == [0.9, 0.5, 0.3]
    assert accuracy_range(HISTORY) == (70.0, 100.0) and accuracy_range({"val_accuracy": [0.985]}) == (95.0, 100.0)
    image = curves_image(HISTORY, size=(900, 320))
    assert pixels_of(image, curve_colours.ORANGE) > 100 and pixels_of(image, curve_colours.GREEN) > 100
    assert pixels_of(image, (214, 95, 15)) == 0 and pixels_of(image, curve_colours.BLUE) == 0   # the old pair


def test_a_run_that_recorded_test_accuracy_gets_the_purple_test_curve():
    history = dict(HISTORY, test_loss=[0.85, 0.55, 0.45], test_accuracy=[0.72, 0.87, 0.91])
    losses, accuracies = curve_series(history)
    assert accuracies[-1].label == "test" and accuracies[-1].colour == curve_colours.PURPLE
    assert accuracies[-1].ys == [72.0, 87.0, 91.0] and losses[-1].marker == "t"
    assert pixels_of(curves_image(history), curve_colours.PURPLE) > 50
    assert len(curve_series(HISTORY)[1]) == 2   # none recorded: no test curve, no legend entry
