"""File > My drawings is a feature (gui/my_drawings) that draws on a canvas, shows galleries and
races two starts: widgets of other features (draw, my_digits, training). A feature imports only
the ground and core, so the shell hands it those widgets here."""
from gui.draw.canvas import DrawingCanvas
from gui.my_digits.gallery import DigitGallery
from gui.my_drawings.controller import MyDrawingsController
from gui.my_drawings.parts import Parts
from gui.training.race_window import RaceWindow

PARTS = Parts(canvas=lambda: DrawingCanvas(size=260), gallery=DigitGallery, race_window=RaceWindow)


def my_drawings_controller(window, root=None):
    """The window's MyDrawingsController, given its services and the parts above; a folder of
    images loaded in the Data panel gets settings that fit it (MyDrawingsController.fit_small_data)."""
    controller = MyDrawingsController(window.services, window.set_dataset, window.tabs.show_tab, PARTS, root,
                                      show_config=window.form.set_config)
    window.dataset_loaded.connect(lambda dataset: window.data.last_kind == "images"
                                  and controller.fit_small_data(dataset))
    return controller
