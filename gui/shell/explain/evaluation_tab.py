"""Explanations of the Evaluation tab (confusion matrix, per-class report, misclassified images,
invariance) and the Data tab (overview, augmentation preview), with the shown model's figures."""
import numpy as np

from gui.shell.explain.figures import START_HINT, count, dataset_words, now, page, pct, plain, todo

AFTER_EPOCH = f"It fills when the first epoch of a run ends (or when a model is opened). {START_HINT}"


def _confusion(window):
    view = window.tabs.confusion
    return (None, []) if view.confusion is None else (np.asarray(view.confusion), list(view.class_names))


def confusion_matrix(window):
    matrix, names = _confusion(window)
    figures = todo(AFTER_EPOCH)
    if matrix is not None and matrix.sum():
        total, correct = int(matrix.sum()), int(np.trace(matrix))
        off = matrix.copy()
        np.fill_diagonal(off, 0)
        true, guess = np.unravel_index(int(np.argmax(off)), off.shape)
        worst = (f" The most frequent mistake: a true {names[true]} read as {names[guess]}, "
                 f"{count(off[true, guess])} times (row {names[true]}, column {names[guess]})."
                 if off[true, guess] else " There is no mistake at all.")
        figures = now(f"of {count(total)} validation images, {count(correct)} sit on the diagonal (correct, "
                      f"{pct(correct / total)}) and {count(total - correct)} off it.{worst}")
    return page(
        "Confusion matrix", "A table of every validation image by its true digit (row) and the network's "
        "answer (column). The diagonal holds the correct answers; every other cell counts one kind of mistake, "
        "e.g. row 4, column 9: fours the network read as nines.",
        "Darker cells hold more images. <b>row-normalised</b> divides each row by its total, so a cell reads as "
        "the share of that digit (the diagonal is then each digit's recall). Click a cell to see its images "
        "in the gallery on the right.", figures)


def class_report(window):
    report = window.tabs.report.report
    figures = todo(AFTER_EPOCH)
    if report is not None and report["classes"]:
        classes = [c for c in report["classes"] if c["support"]]
        worst = min(classes, key=lambda c: c["f1"])
        best = max(classes, key=lambda c: c["f1"])
        figures = now(f"overall accuracy {pct(report['accuracy'])}. Hardest digit: {worst['name']} (recall "
                      f"{pct(worst['recall'])}: of {count(worst['support'])} true {worst['name']}s it found "
                      f"{count(round(worst['recall'] * worst['support']))}; precision {pct(worst['precision'])}). "
                      f"Easiest: {best['name']} (F1 {pct(best['f1'])}).")
    return page(
        "Precision, recall and F1", "How well the network does on each digit, on the validation images.",
        "<p><b>Recall</b> of a digit: of the images that really are that digit, the share the network labels "
        "so (a row of the confusion matrix: diagonal ÷ row total). <b>Precision</b>: of the images the "
        "network labels as that digit, the share that really are (a column: diagonal ÷ column total). "
        "<b>F1</b> combines the two (2 × precision × recall ÷ (precision + recall)): high only when both are. "
        "<b>Support</b>: how many validation images of that digit there are. The last rows average over the "
        "digits (macro: every digit counts the same; weighted: by support).</p>", figures)


def misclassified(window):
    gallery = window.tabs.gallery
    shown = len(gallery.shown_indices)
    figures = (now(plain(gallery.title.text()) + ".") if shown else todo(AFTER_EPOCH))
    return page(
        "Misclassified images", "Validation images the network labelled wrongly, each with its true digit and "
        "the network's answer. Many are badly written or ambiguous even for a person; others show what the "
        "network has not learned yet.",
        "Clicking a cell of the confusion matrix shows only that mistake (e.g. true 4, answered 9); <b>Show all "
        "misclassified</b> brings every mistake back.", figures)


def invariance_plot(window):
    view = window.tabs.invariance
    status = plain(view.status.text())
    figures = now(status) if view._results else todo(
        "Train or open a model, then press <b>Compute</b> (it shifts and turns every one of a set of "
        "validation images and measures the accuracy at each amount). " + (status if status else ""))
    return page(
        "Invariance: shifted and turned digits", "Does the network still read a digit when it is moved or "
        "turned? Each validation image is shifted a few pixels sideways (solid line) or up and down (dashed), "
        "or rotated, and the accuracy is measured again at every amount.",
        "<p><b>How to read it.</b> Left plot: across, the shift in pixels (0 = as drawn); up, accuracy in "
        "percent. Right plot: across, the rotation in degrees (+ = counter-clockwise). The grey line is chance "
        "(guessing). A dense network learns each pixel's place, so its accuracy drops quickly with a shift; a "
        "convolutional network slides its filters over the image and holds up much better. Augmentation with "
        "shifts and rotations helps either.</p>", figures)


def data_overview(window):
    words = dataset_words(window)
    figures = todo("Load data in the left panel (Data): the built-in digits need no download.")
    if words:
        data = window.dataset
        counts = np.bincount(data.train_labels, minlength=data.n_classes)
        rare, common = int(np.argmin(counts)), int(np.argmax(counts))
        figures = now(f"{words}. The rarest class in training is {data.class_names[rare]} "
                      f"({count(counts[rare])} images), the commonest {data.class_names[common]} "
                      f"({count(counts[common])}).")
    return page(
        "The data", "What the network learns from. Left: sample training images, one row per class, as "
        "the network receives them (grey levels 0 = white to 255 = black ink). Right: how many training (blue) "
        "and test (orange) images each class has; about equal counts mean no digit is favoured.", figures)


def augment_preview(window):
    preview = window.tabs.data.augment_preview
    status = plain(preview.status.text())
    return page(
        "Augmentation preview", "Top row: training images as they are. Bottom row: the same images with the "
        "random changes augmentation would make in one batch (shift, rotation, scale, shear, elastic "
        "wobble, thickness, width, writing styles), at the strengths set in the left panel (Augmentation). "
        "<b>New draw</b> shows another random draw.",
        "If a changed digit no longer looks like its label to you, the strengths are too high: the network "
        "would be taught wrong answers.", now(status) if status else None)


TEXTS = {"confusion_matrix": confusion_matrix, "class_report": class_report, "misclassified": misclassified,
         "invariance_plot": invariance_plot, "data_overview": data_overview, "augment_preview": augment_preview}
