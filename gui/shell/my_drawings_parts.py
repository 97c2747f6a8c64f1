"""File > My drawings is a feature (gui/my_drawings) that draws on a canvas, shows galleries and
races two starts: widgets of other features (draw, my_digits, training). A feature imports only
the ground and core, so the shell hands it those widgets here."""
from gui.draw.canvas import DrawingCanvas
from gui.my_digits.gallery import DigitGallery
from gui.my_drawings.controller import MyDrawingsController
from gui.my_drawings.parts import Parts
from gui.training.race_window import RaceWindow

PARTS = Parts(canvas=lambda: DrawingCanvas(size=260), gallery=DigitGallery, race_window=RaceWindow)


DRAWINGS_TIP = ("The drawings of File > My drawings, the data being trained on; choose another kind of data "
                "and press Load data to leave them")


def use_drawings(window, dataset, notice=None):
    """A project read as data becomes the window's data, and the Data panel names it (not MNIST)."""
    window.set_dataset(dataset, notice)
    window.dataset_panel.show_other_data(dataset.name[:1].upper() + dataset.name[1:], DRAWINGS_TIP, dataset.source)


def end_message(window):
    end = window.state.end
    return end.message if end is not None else ""


def my_drawings_controller(window, root=None):
    """The window's MyDrawingsController, given its services and the parts above; a folder of
    images loaded in the Data panel gets settings that fit it (MyDrawingsController.fit_small_data);
    the end of a run and its test accuracy reach the My drawings window's line."""
    controller = MyDrawingsController(window.services, lambda dataset, notice: use_drawings(window, dataset, notice),
                                      window.tabs.show_tab, PARTS, root, show_config=window.form.set_config)
    window.dataset_loaded.connect(lambda dataset: window.data.last_kind == "images"
                                  and controller.fit_small_data(dataset))
    window.run_finished.connect(lambda reason: controller.run_ended(reason, end_message(window)))
    window.end_test.measured.connect(lambda text, _accuracy: controller.run_measured(text))
    return controller
