""""How does this network do on my handwriting?": a small dialog with the confusion matrix of the
current network on the kept digits and the accuracy per digit.

    dialog = HandwritingDialog(parent)
    dialog.show_result(result, class_names, "default model, 784-256-10")   # core evaluate_network dict
"""
import numpy as np
from PyQt5.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout

from gui.ground.widgets.confusion_view import ConfusionView
from gui.ground.screen_fit import fit_to_screen


def per_digit_lines(confusion, class_names):
    """'7: 4 of 5 (80%)' per class that has kept digits (rows: true class)."""
    lines = []
    for index, name in enumerate(class_names):
        total = int(confusion[index].sum())
        if total:
            right = int(confusion[index, index])
            lines.append(f"{name}: {right} of {total} ({right / total:.0%})")
    return lines


class HandwritingDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("How does this network do on my handwriting?")
        fit_to_screen(self, 640, 460)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.confusion = ConfusionView()
        self.per_digit = QLabel()
        self.per_digit.setObjectName("hint")
        body = QHBoxLayout()
        body.addWidget(self.confusion, 1)
        column = QVBoxLayout()
        column.addWidget(QLabel("<b>Per digit</b>"))
        column.addWidget(self.per_digit)
        column.addStretch(1)
        body.addLayout(column)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

    def show_result(self, result, class_names, model_name):
        """result: core.evaluation.evaluate.evaluate_network's dict (n, accuracy, confusion, ...)."""
        confusion = np.asarray(result["confusion"])
        self.summary.setText(f"<b>{model_name}</b> on your {result['n']} kept digits: "
                             f"<b>{result['accuracy']:.1%}</b> right. Rows: what you meant; columns: what the "
                             f"network read. Off-diagonal cells are the styles it does not know yet.")
        self.confusion.set_confusion(confusion, list(class_names))
        wrong = int(confusion.sum() - np.trace(confusion))
        self.confusion.summary.setText(f"{int(confusion.sum())} kept digits, {wrong} read wrongly.")   # not 'validation'
        self.per_digit.setText("\n".join(per_digit_lines(confusion, class_names)))
        self.show()
        self.raise_()
