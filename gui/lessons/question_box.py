"""The question of a lesson step: its prompt, and radio buttons for a multiple choice or a field
for a number. The learner's answer (a choice's index from 0, or a number) is ``given``.

    box = QuestionBox()
    box.show_question(question)          # core.lessons.lesson.Question, or None
    box.answered.connect(...)            # the answer, or None when the field was emptied
    box.answer(2); box.lock()            # as the learner would; lock once the run checks it
"""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtGui import QDoubleValidator
from PyQt5.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from core.lessons.expressions import fill


class QuestionBox(QWidget):
    answered = pyqtSignal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.question, self.given = None, None
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setTextFormat(Qt.PlainText)
        self.prompt.setObjectName("lessonQuestion")
        self.choices = QVBoxLayout()
        self.group = QButtonGroup(self)
        self.group.buttonClicked.connect(lambda button: self._set(self.group.id(button)))
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("your answer (a number)")
        self.number_edit.setValidator(QDoubleValidator(-1e12, 1e12, 6, self))
        self.number_edit.textEdited.connect(self._number_edited)
        self.number_edit.setToolTip("Type your prediction, then press Run (or Enter): the run then checks it.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.prompt)
        layout.addLayout(self.choices)
        layout.addWidget(self.number_edit)

    def show_question(self, question):
        self.question, self.given = question, None
        for button in self.group.buttons():
            self.group.removeButton(button)
        while self.choices.count():
            row = self.choices.takeAt(0).widget()
            row.hide()               # now: deleteLater waits for the event loop's next turn
            row.deleteLater()
        self.number_edit.clear()
        self.number_edit.setEnabled(True)
        self.setVisible(question is not None)
        if question is None:
            return
        self.prompt.setText(question.prompt)
        self.number_edit.setVisible(question.kind == "number")
        if question.kind == "choice":
            for index, choice in enumerate(question.choices):
                row = ChoiceRow(choice.text)
                self.group.addButton(row.button, index)
                self.choices.addWidget(row)

    def fill_prompt(self, facts):
        """The prompt with its {numbers} filled in (a question may quote an earlier run)."""
        if self.question is not None:
            self.prompt.setText(fill(self.question.prompt, facts))

    def answer(self, value):
        """Answer as the learner would: a choice's index (from 0) or a number."""
        question = self.question
        if question is None:
            raise ValueError("this step asks nothing")
        if question.kind == "choice":
            if not 0 <= int(value) < len(question.choices):
                raise ValueError(f"choose 0 to {len(question.choices) - 1}, not {value}")
            self.group.button(int(value)).setChecked(True)
            self._set(int(value))
        else:
            self.number_edit.setText(f"{float(value):g}")
            self._set(float(value))

    def lock(self):
        """The answer is final (the run checks it)."""
        for widget in self.group.buttons() + [self.number_edit]:
            widget.setEnabled(False)

    def unlock(self):
        for widget in self.group.buttons() + [self.number_edit]:
            widget.setEnabled(True)

    def shown_answer(self):
        """The answer as a lesson's text names it: the number, or the choice counted from 1."""
        if self.question is None or self.given is None:
            return None
        return self.given if self.question.kind == "number" else int(self.given) + 1

    def _number_edited(self, text):
        try:
            self._set(float(text))
        except ValueError:
            self._set(None)

    def _set(self, value):
        self.given = value
        self.answered.emit(value)


class ChoiceRow(QWidget):
    """A radio button with its text beside it, wrapped (a QRadioButton's own text never wraps: a
    long choice made the Lessons panel, and the window, wider than a laptop's screen). A click on
    the text chooses it too."""

    def __init__(self, text, parent=None):
        super().__init__(parent)
        self.button = QRadioButton()
        self.button.setAccessibleName(text)
        self.button.setToolTip("Your prediction: Run checks it against what the run measures")
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)
        self.label.mousePressEvent = lambda _event: self.button.click() if self.button.isEnabled() else None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button, 0, Qt.AlignTop)
        layout.addWidget(self.label, 1)
