"""The lesson being taken: one step at a time, beside the window it talks about.

    player = LessonPlayer(host)
    player.open(lesson, progress)           # core.lessons.lesson.Lesson, core.lessons.progress.LessonProgress
    player.answer(2) / player.answer(90.0)  # what a learner does with the question's widgets
    player.press_primary()                  # Run (or Check)
    player.next_step()

A step sets the window up (its ``do:`` actions), points at a part of it (``look:``, drawn by
the host's highlight), shows its text and maybe a question. Run does the step's ``run:``
actions and waits for its event (the run finished, the test measured, ...); then the answer is
judged against what this run measured (core.lessons.verdict), in a worker thread (precision or
shifted accuracy of a CNN take a moment), and the text after the check is shown with the
numbers filled in.

The host (gui/shell/lesson_host.py) is what the player asks of the window:
  host.do(command) -> None or a message     host.point_at(target name or None)
  host.facts_job(remembered) -> fn() -> facts dict (run in a worker)
  host.event: pyqtSignal(str)               the WAITS events, as they happen
  host.loading                              True while the data a step asked for loads
"""
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from core.lessons.expressions import fill
from core.lessons.verdict import judge
from gui.ground.latest_job import LatestJob
from gui.lessons.question_box import QuestionBox

WAITING = {   # what the panel says while a step waits, to the learner
    "finished": "Training… the check comes when the run ends.",
    "tested": "Training… the check comes when the run ends and its test accuracy is measured.",
    "gradient_speed": "Timing both ways of getting the gradient…",
    "drawing": "Draw a digit on the canvas: the lesson goes on when the network has answered.",
    "kept": "Keep your drawing in My digits (its label buttons, or a digit key): the lesson then goes on.",
    "loaded": "Loading the data…",
}
SET_UP_ACTIONS = ("load_data", "pick_preset", "set_setting")   # what a resumed lesson does again
VERDICT_STYLE = {True: "color: #1b7a1b;", False: "color: #b3261e;", None: "color: #555;"}


class LessonPlayer(QWidget):
    step_opened = pyqtSignal(int)          # index of the step now shown
    checked = pyqtSignal(object)           # the Verdict (None for a step without a question)
    finished = pyqtSignal(str)             # the lesson's id, when its last step is done
    closed = pyqtSignal()

    def __init__(self, host, parent=None):
        super().__init__(parent)
        self.host = host
        self.lesson = self.progress = None
        self.index = 0
        self.waiting = None                # the event the step waits for, or None
        self.given = None                  # the learner's answer (choice index from 0, or number)
        self.remembered = {}
        self.verdict = None
        self.is_checked = False
        self.job = LatestJob(self)
        self.job.done.connect(self._on_job_done)
        self.job.failed.connect(self._on_job_failed)
        host.event.connect(self._on_event)
        self._build()

    def _build(self):
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setObjectName("lessonTitle")
        self.step_label = QLabel()
        self.step_label.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.question = QuestionBox()
        self.question.answered.connect(self._set_given)
        self.question.number_edit.returnPressed.connect(self.press_primary)   # Enter: Run / Check
        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setObjectName("lessonVerdict")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.back_button = QPushButton("◀ Back")
        self.back_button.setToolTip("The step before this one")
        self.primary_button = QPushButton("Run")
        self.next_button = QPushButton("Next ▶")
        self.close_button = QPushButton("Lessons")
        self.close_button.setToolTip("Leave this lesson (it resumes at this step) and show the list of lessons")
        self.back_button.clicked.connect(lambda: self.open_step(self.index - 1))
        self.primary_button.clicked.connect(self.press_primary)
        self.next_button.clicked.connect(self.next_step)
        self.close_button.clicked.connect(self.close_lesson)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 4)   # the panel is narrow on a laptop: every pixel for the text
        layout.addWidget(self.title)
        layout.addWidget(self.step_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.question)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        for button in (self.back_button, self.primary_button, self.next_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        layout.addWidget(self.close_button)

    # ----- opening ----------------------------------------------------------------------------
    def open(self, lesson, progress, index=None):
        """Show ``lesson`` at the step its progress remembers (or ``index``)."""
        self.lesson, self.progress = lesson, progress
        self.title.setText(f"<b>{lesson.title}</b>")
        start = progress.step(lesson.lesson_id) if index is None else index
        start = min(max(start, 0), len(lesson.steps) - 1)
        self.remembered = progress.remembered(lesson.lesson_id) if start else {}
        # a lesson resumed at step k: the set-up of the steps before it (data, preset, settings)
        # is done again, so the run of step k is the one the lesson describes
        for step in lesson.steps[:start]:
            for command in step.do:
                if command.action in SET_UP_ACTIONS:
                    self.host.do(command)
        self.open_step(start)

    @property
    def step(self):
        return self.lesson.steps[self.index]

    def open_step(self, index):
        if self.lesson is None or not 0 <= index < len(self.lesson.steps):
            return
        self.job.cancel()
        self.index, self.given, self.verdict, self.is_checked, self.waiting = index, None, None, False, None
        self.progress.save_step(self.lesson.lesson_id, index, self.remembered)
        step = self.step
        self.step_label.setText(f"Step {index + 1} of {len(self.lesson.steps)}: {step.title}")
        problems = [message for message in (self.host.do(command) for command in step.do) if message]
        self.show_highlight(self._on_show())
        self.question.show_question(step.question)
        self.verdict_label.setText("")
        self.status.setText(" ".join(problems))
        self.back_button.setEnabled(index > 0)
        self.next_button.setText("Finish" if index == len(self.lesson.steps) - 1 else "Next ▶")
        self.primary_button.setText("Run" if step.run else "Check")
        self.primary_button.setVisible(bool(step.run or step.question))
        self.primary_button.setToolTip("Do what this step says and check your answer against the run's numbers"
                                       if step.run else "Check your answer against the numbers on screen now")
        self._update_primary()
        self.waiting = step.wait[0] if step.wait and not step.run and not step.question else None
        if self.waiting:
            self.status.setText(WAITING[self.waiting])
        self._render()
        self._submit("text")
        self.step_opened.emit(index)

    def _on_show(self):
        """True when the learner sees this lesson (its panel open, the lesson not the list)."""
        top = self.window()
        return not top.isHidden() and self.isVisibleTo(top)

    def show_highlight(self, shown):
        """The highlight on the step's part while the lesson is on show; gone when it is not (the
        panel closed, the list shown instead)."""
        look = self.step.look if shown and self.lesson is not None else None
        self.host.point_at(look[0] if look else None)

    def _render(self, facts=None):
        step = self.step
        self.question.fill_prompt(facts or {})
        text = fill(step.text, facts or {})
        if self.is_checked:
            verdict = f"\n\n---\n\n**{self.verdict.text}**" if self.verdict is not None else "\n\n---\n"
            text += verdict + "\n\n" + fill(step.after, facts or {})
        self.text.setMarkdown(text)

    # ----- the learner's answer and Run -------------------------------------------------------
    def answer(self, value):
        """Answer the question as the learner would: a choice's index (from 0) or a number."""
        if self.lesson is None:
            raise ValueError("no lesson is open")
        self.question.answer(value)

    def _set_given(self, value):
        self.given = value
        self._update_primary()

    def _update_primary(self):
        if self.lesson is None:
            return
        needs_answer = self.step.question is not None and self.given is None
        self.primary_button.setEnabled(not needs_answer and not self.is_checked and self.waiting is None)
        if needs_answer:
            self.status.setText("Answer first; then Run checks your prediction against the run." if self.step.run
                                else "Answer first, then press Check.")
        elif self.status.text().startswith("Answer first"):
            self.status.setText("")

    def press_primary(self):
        """Run (the step's actions, then wait) or Check (now)."""
        if not self.primary_button.isEnabled():
            return
        self.question.lock()
        self.primary_button.setEnabled(False)
        problems = [message for message in (self.host.do(command) for command in self.step.run) if message]
        if problems:   # nothing to wait for: the learner fixes it and tries again
            self.status.setText(" ".join(problems))
            self.question.unlock()
            self.primary_button.setEnabled(True)
            return
        self.waiting = self.step.wait[0] if self.step.wait else None
        if self.waiting is None and self.host.loading:
            self.waiting = "loaded"   # a check of the data needs the data
        if self.waiting:
            self.status.setText(WAITING[self.waiting])
        else:
            self._submit("check")

    def _on_event(self, name):
        if self.lesson is not None and name == self.waiting:
            self.waiting = None
            self.status.setText("Checking against this run's numbers…")
            self._submit("check")

    def _submit(self, tag):
        collect = self.host.facts_job(dict(self.remembered))
        step, given, index, shown = self.step, self.given, self.index, self.question.shown_answer()

        def work(_report, _cancelled):
            facts = collect()
            verdict = None
            if tag == "check" and step.question is not None:
                verdict = judge(step.question, given, {**facts, "answer": shown})
            remembered = {}
            if tag == "check":
                for name, expression, _line in step.remember:
                    try:
                        remembered[name] = expression.evaluate(facts)
                    except Exception:   # a fact the run did not measure: the name stays unknown
                        pass
            return facts, verdict, remembered
        self.job.submit(work, (tag, index))

    def _on_job_done(self, result, tag):
        kind, index = tag
        if index != self.index or self.lesson is None:
            return   # the learner moved on meanwhile
        facts, verdict, remembered = result
        if kind == "check":
            self.remembered.update(remembered)
            self.progress.save_step(self.lesson.lesson_id, self.index, self.remembered)
            self.verdict, self.is_checked = verdict, True
            facts = {**facts, **remembered, "answer": self.question.shown_answer()}
            style = VERDICT_STYLE[verdict.right if verdict is not None else None]
            self.verdict_label.setStyleSheet(style + " font-weight: bold;")
            done = "Done: the text above says what happened." if self.step.after else "Done. Press Next."
            self.verdict_label.setText(verdict.text if verdict is not None else done)
            self.status.setText("")
            self._update_primary()
            self._render(facts)
            self._scroll_to_verdict()
            self.checked.emit(verdict)
        else:
            self._render(facts)

    def _scroll_to_verdict(self):
        """The text after the check starts below the step's text: bring it into view."""
        found = self.text.document().find(self.verdict.text if self.verdict is not None else "\u2014")
        if not found.isNull():
            top = self.text.cursorRect(found).top()
            bar = self.text.verticalScrollBar()
            bar.setValue(bar.value() + top - 8)

    def _on_job_failed(self, error, tag):
        if tag[1] == self.index:
            self.status.setText(f"The numbers could not be measured: {error}")

    # ----- moving on ----------------------------------------------------------------------------
    def next_step(self):
        if self.lesson is None:
            return
        if self.index + 1 < len(self.lesson.steps):
            self.open_step(self.index + 1)
            return
        self.progress.mark_finished(self.lesson.lesson_id)
        lesson_id = self.lesson.lesson_id
        self.close_lesson(finished=True)
        self.finished.emit(lesson_id)

    def close_lesson(self, finished=False):
        self.job.cancel()
        self.host.point_at(None)
        self.lesson, self.waiting = None, None
        self.closed.emit()

    def shutdown(self):
        self.job.shutdown(5000)

