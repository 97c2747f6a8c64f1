"""The app side of run records: the window creates one RunRecordsController, which adds the Runs tab,
the rewind bar and the recording notice above the tabs, and does what the panel asks.

  record every run     RunRecording.begin(...) is what the TrainingController's worker iterates
  open                 the run's curves into the Training plots, its last checkpoint into the views
  continue / fork      a ContinuePlan (core.records.resume) handed to
                       MainWindow.start_training(plan): the curves go on where the run ended
  rewind               the slider shows any kept epoch in the weights, evaluation and draw tabs
  rename / delete      on disk, then the list is read again

Disk work on records is small (settings.json and history.jsonl per run) and stays on the GUI
thread; loading and evaluating a checkpoint runs in a worker (gui.runs.checkpoint_views).

Over 300 lines: open, continue, fork, rename, delete and rewind share the window wiring and
the record in hand; each is a few lines.
"""
from pathlib import Path

from PyQt5.QtCore import QEvent, QObject, pyqtSignal
from PyQt5.QtWidgets import QFileDialog, QMessageBox

from core.errors import DigitLabError
from core.storage import user_dirs
from core.settings.config import TrainConfig
from core.records.resume import plan_fork, plan_resume
from core.records.reader import UnreadableRecord, delete_run, load_run, rename_run
from gui.runs.checkpoint_views import CheckpointShower
from gui.runs.notice_bar import NoticeBar
from gui.runs.recording import RunRecording, prefill_history
from gui.runs.rewind_bar import EpochMarker, RewindBar
from gui.runs.run_dialogs import ContinueDialog, ForkDialog, describe_changes, fork_changes
from gui.runs.runs_lister import RunsLister
from gui.runs.runs_panel import RunsPanel
from gui.ground import theme
from gui.ground.errors import describe_error, show_error, show_info


class RunRecordsController(QObject):
    listed = pyqtSignal(list)   # the table now shows these RunSummary rows

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.recording = RunRecording(self)
        self.panel = RunsPanel(self.recording.cap_mb, str(user_dirs.runs_dir()))
        self.runs_tab_index = window.tabs.addTab(self.panel, "Runs")
        self.rewind = RewindBar()
        self.notice = NoticeBar()
        centre = window.tabs.parentWidget().layout()   # banner, tabs: the bars go between them
        centre.insertWidget(centre.indexOf(window.tabs), self.notice)
        centre.insertWidget(centre.indexOf(window.tabs), self.rewind)
        self.marker = EpochMarker(window.tabs.training)
        self.resume_marker = EpochMarker(window.tabs.training, theme.GREY, dashed=True, position=0.08)
        self.shower = CheckpointShower(window)
        self.lister = RunsLister(self)
        self.lister.listed.connect(self._on_listed)
        self.lister.failed.connect(self.panel.show_notice)
        self.opened = None            # RunRecord shown in the views and the rewind bar
        self.dialog = None            # the open Continue / Fork dialog or delete question

        self.recording.started.connect(lambda *_: self._on_run_started())
        self.recording.notice.connect(self.show_notice)
        window.training.finished.connect(self.refresh)
        self.panel.refresh_requested.connect(self.refresh)
        self.panel.cap_changed.connect(self.recording.set_cap_mb)
        self.panel.open_requested.connect(self.open_run)
        self.panel.continue_requested.connect(self.ask_continue)
        self.panel.fork_requested.connect(self.ask_fork)
        self.panel.rename_requested.connect(self.rename)
        self.panel.delete_requested.connect(self.ask_delete)
        self.rewind.epoch_chosen.connect(self.show_epoch)
        self.rewind.closed.connect(self.marker.hide)
        self.shower.failed.connect(lambda message: show_error(window, "Cannot show that checkpoint", message))
        window.views_cleared.connect(self.forget_opened)   # Reset, from the button, the menu or a script
        window.installEventFilter(self)   # join the checkpoint worker when the window closes
        self.refresh()

    # ----- the list ------------------------------------------------------------------------------
    def refresh(self):
        """Read the runs folder again (in a worker: gui.runs.runs_lister); ``listed`` follows."""
        self.lister.refresh()

    def _on_listed(self, summaries):
        self.panel.set_runs(summaries)
        self.listed.emit(summaries)

    def show_notice(self, text):
        self.notice.show_notice(text)
        self.panel.show_notice(text)
        self.window.statusBar().showMessage(text)

    def _on_run_started(self):
        """This run is being recorded: an old "not recorded" notice no longer applies."""
        self.notice.setVisible(False)
        self.panel.show_notice("")
        self.close_rewind()
        self.refresh()

    def forget_opened(self):
        """Reset: the views are cleared, so are the rewind bar and both lines on the plots."""
        self.close_rewind()
        self.resume_marker.hide()

    def close_rewind(self):
        self.opened = None
        self.rewind.setVisible(False)
        self.marker.hide()

    def _record(self, run_id):
        """The readable RunRecord of a listed run, or None (an error shown)."""
        summary = self.panel.summary(run_id)
        try:
            return load_run(Path(summary.path) if summary else user_dirs.runs_dir() / run_id)
        except (UnreadableRecord, OSError) as error:
            show_error(self.window, "Cannot read that run", f"{run_id}: {error}")
            return None

    def _refuse_while_training(self):
        if self.window.is_training:
            show_info(self.window, "Training in progress", "Stop the current run first.")
            return True
        return False

    # ----- open and rewind -------------------------------------------------------------------------
    def open_run(self, run_id, epoch=None):
        """Show the run's curves in the Training plots and its checkpoint of ``epoch`` (default:
        the last kept) in the weights, evaluation and draw tabs; the rewind bar slides over it."""
        if self._refuse_while_training():
            return None
        record = self._record(run_id)
        if record is None:
            return None
        window = self.window
        window.reset()
        state = window.state
        prefill_history(state, record.history())
        window.run_config = TrainConfig.from_dict(record.settings.get("config", {}))
        steps = state.epochs["step"].view()
        training = window.tabs.training
        training.set_step_range(int(steps[-1]) if len(steps) else 1)
        training.refresh(state, state.take_dirty({"epoch"}))
        self._show_origin(record, steps)
        kept = [e for e in record.checkpoints if e <= len(record.rows)]
        self.opened = record
        window.progress.state_label.setText(f"Run “{record.name}”: {len(record.rows)} epochs, {record.status}")
        window.statusBar().showMessage(f"Opened run “{record.name}” ({record.run_id}). The rewind bar above "
                                       f"the tabs moves through its epoch checkpoints.")
        if not kept:
            self.rewind.setVisible(False)
            return record
        epoch = epoch if epoch in kept else kept[-1]
        self.rewind.set_run(record.name, kept, epoch)
        self.show_epoch(epoch)
        return record

    def show_epoch(self, epoch):
        """Show the opened run's checkpoint of ``epoch`` in every view (evaluated in a worker)."""
        record = self.opened
        if record is None or epoch not in record.checkpoints or self.window.is_training:
            return
        steps = self.window.state.epochs["step"].view()
        if 0 < epoch <= len(steps):
            self.marker.show_at(float(steps[epoch - 1]), epoch)
        self.shower.request(record.run_id, epoch, record.checkpoints[epoch], record.name)

    # ----- continue and fork --------------------------------------------------------------------------
    def ask_continue(self, run_id):
        """The Continue dialog for a listed run (returns it; its OK starts the run)."""
        record = None if self._refuse_while_training() else self._record(run_id)
        if record is None:
            return None
        return self._continue_dialog(record.path, record.name, len(record.rows))

    def continue_model(self, path=None):
        """File > Continue training a model…: a model file saved by DigitLab, in a new record."""
        if self._refuse_while_training():
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "Continue training a model", "",
                                                  "DigitLab models (*.npz);;All files (*)")
        if not path:
            return None
        try:
            epochs = plan_resume(path, 1).state.epochs_done
        except DigitLabError as error:
            return show_error(self.window, "Cannot continue that model", describe_error(error))
        return self._continue_dialog(Path(path), Path(path).name, epochs)

    def _continue_dialog(self, reference, name, epochs_done):
        def note(n):
            try:
                return plan_resume(reference, n).note
            except DigitLabError as error:
                return theme.span(describe_error(error), "error")

        dialog = self.dialog = ContinueDialog(name, epochs_done, note, self.window)
        dialog.chosen.connect(lambda n: self._start(lambda: plan_resume(reference, n), "Cannot continue"))
        dialog.open()
        return dialog

    def ask_fork(self, run_id):
        """The Fork dialog: a kept checkpoint (the rewind bar's epoch when this run is opened), the
        length, and which of the settings form's values change."""
        record = None if self._refuse_while_training() else self._record(run_id)
        if record is None:
            return None
        try:
            form_config = self.window.form.config()
        except DigitLabError as error:
            return show_error(self.window, "Cannot fork", f"The settings form is not valid: {error}")
        parent_config = TrainConfig.from_dict(record.settings.get("config", {}))
        applied, refused = fork_changes(form_config, parent_config)
        kept = [e for e in record.checkpoints if e <= len(record.rows)]
        dialog = self.dialog = ForkDialog(record.name, kept, len(record.rows), describe_changes(applied, refused),
                                          self.window)
        if self.opened is not None and self.opened.run_id == record.run_id and self.rewind.isVisible():
            dialog.select_epoch(self.rewind.epoch)
        changes = {key: getattr(form_config, key) for key in applied}
        dialog.chosen.connect(lambda epoch, n: self._start(
            lambda: plan_fork(record.path, epoch, changes, n), "Cannot fork"))
        dialog.open()
        return dialog

    def _start(self, make_plan, title):
        window = self.window
        if self._refuse_while_training():
            return
        try:
            plan = make_plan()
        except DigitLabError as error:
            show_error(window, title, describe_error(error))
            return
        wanted = plan.dataset.get("name")
        if window.dataset is None or (wanted and window.dataset.name != wanted):
            show_info(window, "Load its data first", f"That run was trained on {wanted or 'other data'}; load "
                      f"it in the Data panel, then try again.")
            return
        self.close_rewind()
        window.start_training(plan)
        window.statusBar().showMessage(plan.note)

    # ----- rename and delete ---------------------------------------------------------------------------
    def rename(self, run_id, name):
        summary = self.panel.summary(run_id)
        try:
            rename_run(summary.path if summary else run_id, name)
        except DigitLabError as error:
            show_error(self.window, "Cannot rename the run", describe_error(error))
        self.refresh()

    def ask_delete(self, run_ids):
        """Ask before deleting (returns the question box; Yes deletes)."""
        summaries = [s for s in (self.panel.summary(i) for i in run_ids) if s is not None]
        if not summaries:
            return None
        names = "<br>".join(f"• {s.name}" for s in summaries[:12]) + ("<br>…" if len(summaries) > 12 else "")
        box = self.dialog = QMessageBox(QMessageBox.Question, "Delete runs",
                                        f"Delete {len(summaries)} run record{'s' if len(summaries) > 1 else ''} "
                                        f"with all their checkpoints?<br><br>{names}",
                                        QMessageBox.Yes | QMessageBox.Cancel, self.window)
        box.setObjectName("deleteRunsDialog")
        box.setDefaultButton(QMessageBox.Cancel)
        box.buttonClicked.connect(lambda button: box.standardButton(button) == QMessageBox.Yes
                                  and self.delete([s.path for s in summaries]))
        box.open()
        return box

    def delete(self, paths):
        problems = []
        for path in paths:
            try:
                delete_run(path)
            except DigitLabError as error:
                problems.append(describe_error(error))
            if self.opened is not None and Path(self.opened.path) == Path(path) and not Path(path).exists():
                self.close_rewind()
        self.refresh()
        if problems:
            show_error(self.window, "Not every run was deleted", "\n".join(problems))

    def eventFilter(self, watched, event):
        if watched is self.window and event.type() == QEvent.Close:
            self.shower.close()
            self.lister.close()
        return False

    def prefill(self, state, plan):
        """A continued or forked run's earlier epochs into the new run's RunState (its curves),
        with a dashed line where the new epochs begin."""
        self.close_rewind()
        self.resume_marker.hide()
        if plan is not None and prefill_history(state, plan.state.history):
            how = "forked" if plan.fork_checkpoint is not None else "continued"
            self.resume_marker.show_at(float(state.epochs["step"].view()[-1]),
                                       f"{how} after epoch {plan.state.epochs_done}")

    def _show_origin(self, record, steps):
        """The opened run's last continuation or its fork point, as the dashed line."""
        self.resume_marker.hide()
        continued = record.settings.get("continued") or []
        parent = record.settings.get("parent") or {}
        epoch, how = ((continued[-1].get("after_epoch"), "continued") if continued else
                      (parent.get("epoch"), "forked") if "run" in parent else (None, ""))
        if isinstance(epoch, int) and 0 < epoch < len(steps):
            self.resume_marker.show_at(float(steps[epoch - 1]), f"{how} after epoch {epoch}")
