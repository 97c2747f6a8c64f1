"""Training > One update, step by step: a real main window, the tiny preset on the built-in digits
and the settings form's network; real steps in the worker thread, real tables and clipboard."""
import dataclasses
import html
import re

import numpy as np
import pytest
from PyQt5.QtCore import QItemSelectionModel, Qt
from PyQt5.QtWidgets import QApplication

from core.analysis.step_through import StepThrough
from core.settings.presets import get_preset
from core.training.trainers import prepare_dataset
from gui_helpers import digits, make_window

STAGES = ["1 Forward pass", "2 Loss", "3 Backward pass", "4 Gradient check", "5 Update", "6 After the update"]


def plain(label):
    """A rich-text label's text as the user reads it (tags dropped, entities decoded)."""
    return html.unescape(re.sub("<[^>]+>", "", label.text()))


def open_dialog(qtbot, window):
    """Training > One update, step by step…; returns the dialog and its first record."""
    window.actions["step_through"].trigger()
    dialog = window.step_through.dialog
    qtbot.waitUntil(lambda: dialog.record is not None and not dialog.busy, timeout=20000)
    return dialog, dialog.record


@pytest.fixture
def window(qtbot):
    return make_window(qtbot)


def reference_stepper(batch_size):
    """The same steps computed here, outside the app: the tiny preset on the built-in digits."""
    config = get_preset("numerical-gradients-tiny").config
    config.batch_size = batch_size
    data = prepare_dataset(config, digits())
    return StepThrough(config, data.train_images, data.train_labels, n_classes=data.n_classes)


def test_the_dialog_shows_every_stage_with_the_real_numbers(qtbot, window):
    dialog, record = open_dialog(qtbot, window)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == STAGES
    assert dialog.isVisible() and dialog.source_combo.currentData() == "tiny"
    assert len(record["batch"]["labels"]) == dialog.batch_spin.value() == 4
    expected = reference_stepper(4).step()
    assert record["batch"]["indices"] == expected["batch"]["indices"]

    forward = dialog.pages[0]
    assert [forward.list.item(i).text() for i in range(forward.list.count())] == [
        "a0: the input pixels", "dense1: z1 = a0 @ W1 + b1", "sigmoid1: a1 = sigmoid(z1)", "output: z2 = a1 @ W2 + b2"]
    forward.list.setCurrentRow(2)
    shown = forward.table.table_model.values
    assert shown.shape == (16, 4)                                    # units x examples
    assert np.allclose(shown, np.asarray(expected["forward"][1]["output"]).T)
    assert "a1 = sigmoid(z1)" in forward.formula.text()

    dialog.tabs.setCurrentIndex(1)                                  # a page fills itself when shown
    loss = dialog.pages[1]
    assert f"C = {expected['loss']['value']:.6g}" in loss.intro.text()
    assert np.allclose(loss.table.table_model.values, np.asarray(expected["loss"]["probabilities"]).T)

    dialog.tabs.setCurrentIndex(2)
    backward = dialog.pages[2]
    names = [backward.list.item(i).text() for i in range(backward.list.count())]
    assert names[:3] == ["output: dC/dz2 = delta2", "dC/dW2", "dC/db2"] and "dC/dW1" in names
    backward.list.setCurrentRow(names.index("dC/dW1"))
    assert np.allclose(backward.table.table_model.values, expected["backward"][2]["dW"])

    dialog.tabs.setCurrentIndex(3)
    check = dialog.pages[3].table.table_model.values
    assert check.shape == (len(expected["gradient_check"]["entries"]), 4)
    assert np.all(check[:, 3] < 1e-6)                              # backprop and central differences agree
    assert np.allclose(check[:, 0], [e["backprop"] for e in expected["gradient_check"]["entries"]])


def test_the_update_table_is_w_minus_rate_times_gradient_and_next_takes_the_next_batch(qtbot, window):
    dialog, first = open_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(4)
    update = dialog.pages[4]
    rate = first["update"]["learning_rate"]
    assert rate == 0.5 and "W <- W - learning_rate * dC/dW" in html.unescape(update.intro.text())
    for row, name in enumerate(["W1", "b1", "W2", "b2"]):
        update.list.setCurrentRow(row)
        table = update.table.table_model.values
        before, grad, after = table[:, 0], table[:, 1], table[:, 3]
        assert np.allclose(after, before - rate * grad, rtol=0, atol=1e-15)
        assert np.any(grad != 0)
        assert update.table.table_model.row_labels[0] == f"{name}[0" + (", 0]" if name[0] == "W" else "]")
    update.list.setCurrentRow(0)
    weights_after_first = update.table.table_model.values[:, 3].copy()

    dialog.batch_spin.setValue(1)                                  # the next step uses one image
    with qtbot.waitSignal(dialog.stepped, timeout=10000) as blocker:
        dialog.next_button.click()
    second = blocker.args[0]
    reference = reference_stepper(4)
    reference.step()
    reference.config.batch_size = 1
    expected = reference.step()
    assert second["step"] == 2 and second["batch"]["indices"] == expected["batch"]["indices"]
    assert len(second["batch"]["indices"]) == 1 and second["batch"]["indices"][0] not in first["batch"]["indices"]
    assert "Step 2" in dialog.batch_label.text()
    update.list.setCurrentRow(0)
    assert np.allclose(update.table.table_model.values[:, 0], weights_after_first)   # it goes on from the update
    assert np.allclose(update.table.table_model.values[:, 3], np.ravel(expected["update"]["parameters"][0]["after"]))
    dialog.tabs.setCurrentIndex(0)
    assert dialog.pages[0].table.table_model.values.shape[1] == 1   # one example column


def test_tables_can_be_copied(qtbot, window):
    dialog, record = open_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(1)
    page = dialog.pages[1]
    page.list.setCurrentRow(0)                                     # the probabilities, 10 x 4
    table = page.table
    model = table.table_model
    selection = table.selectionModel()
    for row, column in ((2, 1), (2, 2), (3, 1), (3, 2)):
        selection.select(model.index(row, column), QItemSelectionModel.Select)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key_C, Qt.ControlModifier)
    p = np.asarray(record["loss"]["probabilities"])
    expected = "\n".join("\t".join(f"{p[column, row]:.10g}" for column in (1, 2)) for row in (2, 3))
    assert QApplication.clipboard().text() == expected

    page.copy_button.click()
    lines = QApplication.clipboard().text().split("\n")
    assert len(lines) == 11                                        # labels + one line per class
    assert lines[0].split("\t")[1:] == model.column_labels and lines[0].startswith("\t#1 (")
    first_class = lines[1].split("\t")
    assert first_class[0] == "0" and np.allclose([float(v) for v in first_class[1:]], p[:, 0], rtol=1e-9)


def test_a_network_over_the_size_limit_gets_a_clear_message(qtbot, window):
    dialog, _ = open_dialog(qtbot, window)
    window.form.set_config(dataclasses.replace(window.form.config(), hidden_sizes=(300,)))   # 22,510 parameters
    with qtbot.waitSignal(dialog.failed, timeout=10000) as blocker:
        dialog.source_combo.setCurrentIndex(dialog.source_combo.findData("form"))
    message = dialog.message.text()
    assert "22,510 parameters" in message and "at most 10,000" in message and "numerical-gradients-tiny" in message
    assert dialog.message.isVisible() and dialog.record is None
    assert dialog.pages[4].list.count() == 0                       # no stale numbers left on the pages

    window.form.set_config(dataclasses.replace(window.form.config(), hidden_sizes=(12,)))   # 64-12-10: fits
    with qtbot.waitSignal(dialog.stepped, timeout=10000) as blocker:
        dialog.start_button.click()
    assert blocker.args[0]["parameters"] == 64 * 12 + 12 + 12 * 10 + 10
    assert not dialog.message.isVisible()


def test_next_stage_walks_every_stage_in_order_and_ends_on_the_loss_after_the_update(qtbot, window):
    dialog, record = open_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(0)
    expected = reference_stepper(4).step()
    seen = []
    for _ in range(len(STAGES) + 2):                # two clicks more than stages: the walk stops at the end
        seen.append((dialog.tabs.tabText(dialog.tabs.currentIndex()), plain(dialog.guide)))
        if not dialog.stage_button.isEnabled():
            break
        dialog.stage_button.click()
    assert [title for title, _ in seen] == STAGES
    assert not dialog.stage_button.isEnabled() and dialog.next_button.isDefault()
    guides = [guide for _, guide in seen]
    assert all(guide.startswith(f"Stage {k + 1} of 6, ") for k, guide in enumerate(guides))
    labels = ", ".join(str(v) for v in expected["batch"]["labels"])
    assert f"(labels {labels})" in guides[0]
    assert f"C = {expected['loss']['value']:.3f}" in guides[1]
    after = expected["after_update"]
    assert after["loss_after"] < after["loss_before"]
    sentence = f"{after['loss_before']:.2f} before the update, {after['loss_after']:.2f} after ({after['change']:+.2f})"
    assert "Loss on this batch: " + sentence in guides[5] and "lowered the loss" in guides[5]
    page = dialog.pages[5]
    assert "loss on this batch: " + sentence in plain(page.intro)
    values = page.table.table_model.values
    assert np.allclose(values[0], [after["loss_before"], after["loss_after"], after["change"]])
    assert values.shape == (1 + 4, 3)              # the batch's loss, then p(label) per image

    with qtbot.waitSignal(dialog.stepped, timeout=10000):
        dialog.next_button.click()                  # the next batch stays on the page shown
    assert dialog.tabs.currentIndex() == 5 and "Stage 6 of 6" in dialog.guide.text()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    dialog.tabs.setCurrentIndex(0)
    assert dialog.stage_button.isEnabled() and dialog.stage_button.isDefault()


def test_with_a_huge_learning_rate_the_dialog_says_the_loss_went_up_and_why(qtbot, window):
    dialog, _ = open_dialog(qtbot, window)
    window.form.set_config(dataclasses.replace(window.form.config(), hidden_sizes=(12,), learning_rate=50.0,
                                               optimizer="sgd"))
    with qtbot.waitSignal(dialog.stepped, timeout=10000) as blocker:
        dialog.source_combo.setCurrentIndex(dialog.source_combo.findData("form"))
    after = blocker.args[0]["after_update"]
    assert after["loss_after"] > after["loss_before"]
    qtbot.waitUntil(lambda: not dialog.busy and dialog.stage_button.isEnabled(), timeout=10000)
    while dialog.stage_button.isEnabled():
        dialog.stage_button.click()
    guide = plain(dialog.guide)
    assert "Stage 6 of 6" in guide and f"after ({after['change']:+.2f})" in guide
    assert "The loss went UP: the learning rate 50 is too large" in guide and "smaller learning rate" in guide
