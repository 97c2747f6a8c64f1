"""Runs > Export film...: the dialog, then core.figures.film in a worker thread (a CNN's feature
maps over twenty checkpoints take a few seconds), the result told in the status bar or an error
dialog. ``export(...)`` with a path skips the dialog (tests, lessons).
"""
from PyQt5.QtCore import QObject, pyqtSignal

from core.figures.film import NEEDS_DATA, check_frames_folder, check_gif_path, render_film, write_gif, write_png_folder
from core.records.reader import list_runs, open_run
from gui.ground.errors import describe_error, show_error, show_info
from gui.ground.threads import JobWorker, ThreadHandle
from gui.runs.film_dialog import FilmDialog, FilmRequest


def make_film(request, dataset, report):
    """Worker-thread work: render and write the film; returns (request, frame count, size)."""
    record = open_run(request.run_id)
    frames = render_film(record, request.view, request.frames, dataset if request.view in NEEDS_DATA else None,
                         request.image, progress=lambda done, total: report(done, total))
    write_gif(frames, request.path)
    if request.png_dir:
        write_png_folder(frames, request.png_dir)
    return request, len(frames), frames[0].image.size


class FilmExporter(QObject):
    """services: WindowServices; selected_runs: () -> the Runs tab's selected run ids; live_run:
    () -> the id of the record the run in progress writes, or None (its film has the frames of
    the checkpoints written so far; the dialog offers it first)."""

    written = pyqtSignal(str, int)     # the GIF's path, its frame count
    failed = pyqtSignal(str)           # a sentence for the user

    def __init__(self, services, selected_runs, live_run=lambda: None, parent=None):
        super().__init__(parent or services.parent)
        self.services = services
        self.selected_runs = selected_runs
        self.live_run = live_run
        self.handle = None
        self.dialog = None

    @property
    def busy(self):
        return self.handle is not None and self.handle.running

    def export(self, run_id=None, view="weights", path=None, frames=None, png_dir=None, image=0):
        """With a path: make the film at once. Without: open the dialog (returned)."""
        if path is not None:
            return self.start(FilmRequest(run_id or self._default_run(), view, str(path), frames, png_dir, image))
        summaries = [s for s in list_runs() if not s.problem and s.checkpoints]
        if not summaries:
            show_info(self.services.parent, "No run to film", "A film is made from a recorded run's checkpoints: "
                                                               "train a run first (every run is recorded).")
            return None
        self.dialog = FilmDialog(summaries, run_id or self._default_run(), self.services.parent)
        self.dialog.chosen.connect(self.start)
        self.dialog.open()
        return self.dialog

    def _default_run(self):
        """The live run if one records, else the Runs tab's selection, else the newest run."""
        live = self.services.is_training() and self.live_run()
        if live:
            return live
        selected = self.selected_runs()
        if selected:
            return selected[0]
        readable = [s for s in list_runs() if not s.problem and s.checkpoints]
        return readable[-1].id if readable else ""

    def start(self, request):
        """Make the film of a FilmRequest in a worker; returns the ThreadHandle (None if refused)."""
        if self.busy:
            self._fail("A film is being made; wait for it to finish.")
            return None
        try:
            check_gif_path(request.path)
            if request.png_dir:
                check_frames_folder(request.png_dir)
        except Exception as error:   # DigitLabError: said before any frame is drawn
            self._fail(describe_error(error))
            return None
        dataset = self.services.dataset()
        worker = JobWorker(lambda report, cancelled: make_film(request, dataset, report))
        worker.progress.connect(lambda values: self.services.show_status(
            f"Making the {request.view} film: frame {values[0]} of {values[1]}…"))
        worker.done.connect(self._done)
        worker.failed.connect(lambda error: self._fail(describe_error(error)))
        self.services.show_status(f"Making the {request.view} film of run {request.run_id}…")
        self.handle = ThreadHandle(worker)
        self.handle.start()
        return self.handle

    def _done(self, result):
        request, count, (width, height) = result
        frames = f" and {count} PNG frames in {request.png_dir}" if request.png_dir else ""
        self.services.show_status(f"Saved the film {request.path}: {count} frame{'s' if count != 1 else ''} of {width}x{height}{frames}")
        self.written.emit(request.path, count)

    def _fail(self, text):
        self.services.show_status(f"No film: {text}")
        show_error(self.services.parent, "Could not make the film", text)
        self.failed.emit(text)

    def close(self, milliseconds=10000):
        return self.handle.wait(milliseconds) if self.handle is not None else True
