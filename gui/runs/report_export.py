"""File > Export report…: a recorded run's report (core.reports) as one HTML file.

The run is the one selected in the Runs tab, else the newest with a checkpoint. Measuring a
checkpoint on 10,000 test images and drawing the pictures takes a second or more, so the report
is made and written in a worker; the result is told in the status bar, a report that cannot be
made in one sentence in a dialog. ``export(run_id, path)`` with a path skips the file dialog
(tests, lessons).
"""
from pathlib import Path

from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtWidgets import QFileDialog

from core.records.reader import list_runs, open_run
from core.reports.reproduce import base_dataset_name
from core.reports.run_report import build_report, dataset_for_report, write_report
from gui.ground.errors import describe_error, show_error, show_info
from gui.ground.threads import JobWorker, ThreadHandle
from gui.ground.save_paths import suggested_path


def make_report(run_id, path, loaded):
    """Worker-thread work: the report of run_id written to path; returns (path, run name). The
    loaded dataset is used when it is the run's data, else the run's data is loaded."""
    record = open_run(run_id)
    wanted = base_dataset_name(record.settings["dataset"]["name"])
    dataset = loaded if loaded is not None and loaded.name == wanted else dataset_for_report(record.settings)
    write_report(path, build_report(record, dataset))
    return path, record.name


def report_file_name(name):
    """'report-<run name>.html' with only characters every file system takes."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name).strip("-")
    return f"report-{safe or 'run'}.html"


class ReportExporter(QObject):
    """services: WindowServices; selected_runs: () -> the Runs tab's selected run ids."""

    written = pyqtSignal(str)     # the report's path
    failed = pyqtSignal(str)      # a sentence for the user

    def __init__(self, services, selected_runs, parent=None):
        super().__init__(parent or services.parent)
        self.services = services
        self.selected_runs = selected_runs
        self.handles = []      # ThreadHandles kept until their thread ends (a running QThread must not be freed)
        self.working = False   # from start until its result or failure arrives (the thread ends just after)

    @property
    def busy(self):
        return self.working

    def export(self, run_id=None, path=None):
        """Make the report of run_id (default: the selected run, else the newest) at path (None:
        ask with a file dialog). Returns the ThreadHandle, or None when nothing starts."""
        run_id = run_id or self._default_run()
        if not run_id:
            show_info(self.services.parent, "No run to report on", "A report is made from a recorded run: train a "
                                                                    "run first (every run is recorded).")
            return None
        if path is None:
            name = next((s.name for s in list_runs() if s.id == run_id), run_id)
            path, _ = QFileDialog.getSaveFileName(self.services.parent, f"Export the report of {name}",
                                                  suggested_path(report_file_name(name)), "Web pages (*.html)")
            if not path:
                return None
        return self.start(run_id, str(path))

    def _default_run(self):
        selected = self.selected_runs()
        if selected:
            return selected[0]
        readable = [s for s in list_runs() if not s.problem and s.checkpoints]
        return readable[-1].id if readable else ""

    def start(self, run_id, path):
        if self.busy:
            self._fail("A report is being made; wait for it to finish.")
            return None
        if Path(path).is_dir():
            self._fail(f"{path} is a folder; give a file name such as report.html")
            return None
        loaded = self.services.dataset()
        worker = JobWorker(lambda report, cancelled: make_report(run_id, path, loaded))
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        self.services.show_status(f"Making the report of run {run_id}…")
        self.working = True
        self.handles = [h for h in self.handles if h.running] + [ThreadHandle(worker).start()]
        return self.handles[-1]

    def _failed(self, error):
        self.working = False
        self._fail(describe_error(error))

    def _done(self, result):
        self.working = False
        path, name = result
        self.services.show_status(f"Saved the report of {name} to {path} (open it in a web browser)")
        self.written.emit(path)

    def _fail(self, text):
        self.services.show_status(f"No report: {text}")
        show_error(self.services.parent, "Could not make the report", text)
        self.failed.emit(text)

    def close(self, milliseconds=10000):
        return all([handle.wait(milliseconds) for handle in self.handles])
