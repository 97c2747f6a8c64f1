"""Experiments in the main window: comparing runs (Runs > Compare), the Calibration tab,
and the Draw tab's calibrated probabilities. The window creates this with one line; everything
else is wired here (main_window.py stays an assembler).
"""
from PyQt5 import sip
from PyQt5.QtCore import QObject

from core.errors import DigitLabError
from gui.runs.compare_window import open_compare
from gui.runs.compare_picker import CompareRunsPicker
from gui.ground.errors import describe_error, show_error, show_info
from gui.runs.calibration_view import CalibrationView


class ExperimentsController(QObject):
    """Given the window's services (gui.ground.window_services: the dialogs' parent, the loaded
    data, the model the views show), the centre tabs (it adds the Calibration tab), the draw panel
    (calibrated probabilities) and the snapshot signal."""

    def __init__(self, services, tabs, draw_panel, snapshots):
        super().__init__(services.parent)
        self.parent_widget = services.parent
        self.current_dataset, self.shown_model = services.dataset, services.shown_model
        self.compare_windows = []
        self._start = None   # the StartSnapshot of the run being trained
        self.calibration = CalibrationView()
        tabs.addTab(self.calibration, "Calibration")
        self.calibration.temperature_fitted.connect(draw_panel.set_temperature)
        self.calibration.measure_button.clicked.connect(self.measure_current)
        snapshots.connect(self._on_snapshot)

    # ----- compare ------------------------------------------------------------------------------
    def pick_and_compare(self, dialog=None):
        """Runs > Compare runs…: pick records, then open the compare window (non-blocking)."""
        dialog = dialog or CompareRunsPicker(self.parent_widget)
        dialog.accepted.connect(lambda: self.compare(dialog.selected_run_ids()))
        dialog.open()
        return dialog

    def compare(self, run_ids):
        """open_compare on the window's loaded data; the window is returned (None on error)."""
        try:
            compare = open_compare(run_ids, self.current_dataset(), self.parent_widget)
        except (DigitLabError, ValueError) as error:
            show_error(self.parent_widget, "Cannot compare these runs", describe_error(error))
            return None
        self.compare_windows = [w for w in self.compare_windows if not sip.isdeleted(w)] + [compare]
        return compare

    # ----- calibration --------------------------------------------------------------------------
    def _on_snapshot(self, snapshot):
        if snapshot.kind == "start":
            self._start = snapshot
            self.calibration.clear()
        elif snapshot.kind == "epoch" and self._start is not None and len(self._start.val_labels):
            start = self._start
            self.calibration.request(snapshot.network, start.val_images, start.val_labels, start.config.normalisation,
                                     epoch=snapshot.epoch + 1)

    def measure_current(self):
        """Measure the model the views show (trained or opened) on its validation images."""
        network, info, epoch, _name = self.shown_model()
        if network is None or info is None or not len(info.val_labels):
            show_info(self.parent_widget, "No model to measure",
                      "Train a model (with a validation split) or open a model file first.")
            return
        self.calibration.request(network, info.val_images, info.val_labels, info.config.normalisation,
                                 name=f"current model (epoch {epoch})")

    def shutdown(self):
        self.calibration.shutdown()
        for compare in self.compare_windows:
            if not sip.isdeleted(compare):
                compare.close()
