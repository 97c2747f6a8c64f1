"""Explanations of the Draw tab (canvas, answer, network input, evidence, fool it, My digits) and
of the Feature maps, Runs, Calibration and Map tabs, with what they show now."""
import numpy as np

from gui.shell.explain.figures import START_HINT, count, now, page, pct, plain, todo

DRAW_HINT = "Draw a digit on the canvas (Draw tab) with the mouse."


def _answer(window):
    """(answer name, its probability, runner-up name, its probability) of the drawing, or None."""
    panel = window.tabs.draw_panel
    probabilities = panel.last_probabilities
    if probabilities is None or panel.metadata is None:
        return None
    names = [str(n) for n in panel.metadata["class_names"]]
    order = np.argsort(probabilities)[::-1]
    second = order[1] if len(order) > 1 else order[0]
    return names[order[0]], float(probabilities[order[0]]), names[second], float(probabilities[second])


def _model_words(window):
    return plain(window.tabs.draw_panel.model_label.text()).replace("\u200b", "").replace("Model:", "").strip()


def canvas(window):
    answer = _answer(window)
    figures = (now(f"the network reads your drawing as <b>{answer[0]}</b> ({pct(answer[1])} sure). It is the "
                   f"{_model_words(window)}.") if answer else todo(DRAW_HINT))
    return page(
        "Drawing canvas", "Draw a digit with the mouse, as large as the box. While you draw, your strokes are "
        "turned into the small grey image the network expects (see <i>What the network sees</i>) and the "
        "network answers at once. Undo removes the last stroke, Clear everything; the brush size sets the "
        "stroke width.",
        "The network shown is the one being trained (updated as it learns), a model you opened, or, before "
        "any run, a model shipped with DigitLab.", figures)


def probabilities(window):
    answer = _answer(window)
    panel = window.tabs.draw_panel
    figures = todo(DRAW_HINT)
    if answer:
        view = panel.probability_view
        verdict = {"confident": "so the network counts as sure.", "unsure": "so the network counts as unsure.",
                   "not a digit": "so the answer is <i>not a digit</i>: its own 'other' class is on top."}
        figures = now(f"{answer[0]} with {pct(answer[1])}, then {answer[2]} with {pct(answer[3])}. The "
                      f"threshold line is at {view.threshold:.0%}, {verdict.get(view.state, '')}")
    elif panel.probability_view.state == "not a digit":
        figures = now("the drawing is too small to read (a dot or a tick), so the network is not asked.")
    return page(
        "The network's answer", "One bar per class: the probability the network gives it. The output layer's "
        "softmax turns the raw scores into probabilities that add up to 100%; the answer is the tallest bar. "
        "The shipped model has an eleventh bar, <i>other</i>: it was also trained on drawings that are not "
        "digits (scribbles, dashes, crosses, shapes, letters), so it can say <i>not a digit</i> instead of "
        "forcing a digit onto anything drawn.",
        "The dashed line is the confidence threshold (the slider): below it the answer is shown as unsure. A "
        "high probability is not a guarantee: networks are often over-confident (the Calibration tab measures "
        "it, and <i>Use calibrated probabilities</i> corrects it).", figures)


def network_input(window):
    panel = window.tabs.draw_panel
    image = panel.last_image
    figures = todo(DRAW_HINT)
    if image is not None:
        h, w = image.shape[-2:]
        figures = now(f"the network's input is {h}x{w} pixels; {count(int(np.count_nonzero(image > 0.05)))} of "
                      f"its {count(h * w)} pixels have ink.")
    return page(
        "What the network sees", "Your drawing as the network receives it: cropped to the ink, shrunk and "
        "centred by its centre of mass in a small square (28x28 for MNIST, 8x8 for the built-in digits), "
        "exactly as the training images were prepared. Each pixel becomes one input number: 0 for white, up "
        "to 1 for full ink.",
        "If this picture no longer looks like your digit (too thin, cut off), the network cannot read it "
        "either: draw larger or with a wider brush.", figures)


def evidence(window):
    view = window.tabs.draw_panel.look_inside.evidence
    figures = todo(DRAW_HINT)
    if view.evidence is not None:
        figures = now(f"{plain(view.title.text())} {plain(view.sum_label.text())}")
    return page(
        "Evidence: why this digit?", "A map over your drawing: red pixels pushed the network towards its "
        "answer, blue ones away from it, white ones did not matter. The method (the box above) says how it is "
        "measured: e.g. the gradient times the input, or how much the answer drops when a patch is covered.",
        "Pick another digit to ask <i>why this digit and not that one?</i>: the map then compares the two "
        "scores.", figures)


def fool_it(window):
    view = window.tabs.draw_panel.look_inside.fool
    drawn = window.tabs.draw_panel.last_probabilities is not None
    figures = todo(("Pick" if drawn else f"{DRAW_HINT} Then pick") + " a digit and press <b>Fool it</b>.")
    if view.outcome is not None:
        figures = now(f"{plain(view.answer_label.text())} {plain(view.size_label.text())}")
    return page(
        "Fool it", "Searches the smallest change to your drawing that makes the network give another answer "
        "(a so-called adversarial example). It follows the gradient of the chosen digit's score with respect "
        "to the pixels, step by step, within a bound on the change.",
        "Left: your image; middle: the changed image; right: the change (red ink added, blue removed). L2 is "
        "the overall size of the change, L∞ the largest change of any one pixel (0 to 1). A change you can "
        "hardly see that flips the answer shows the network does not read digits the way people do.", figures)


def my_digits(window):
    panel = window.tabs.my_digits
    kept = plain(panel.summary.text())
    values = window.my_digits.values
    curve = (f" On the accuracy plot, the network of the last epoch read {pct(values[-1])} of them correctly."
             if values else "")
    return page(
        "My digits", "Drawings you kept with their true label (press a digit button or the digit key after "
        "drawing). They are your own test set: <i>How does this network do on my handwriting?</i> measures "
        "the accuracy on them; they can also be mixed into training (My digits weight) or used to fine-tune "
        "the network.", now(kept + curve) if kept else None)


def feature_maps(window):
    view = window.tabs.feature_maps
    caption = plain(view.caption.text())
    return page(
        "Feature maps", "What a convolutional network computes inside, for one image: each convolution filter "
        "slides over the image and makes a map that is dark where it finds its pattern (an edge, a curve). "
        "Pooling halves the maps' size; the last rows show the dense layers and the answer.",
        "Pick your drawing (Draw tab) or a validation image (its number, or Random). A network without "
        "convolution layers has no feature maps: choose the cnn preset and train it.",
        now(caption) if caption else None)


def runs(window):
    panel = window.run_records.panel
    summaries = [s for s in panel.summaries if getattr(s, "problem", None) is None]
    figures = todo(f"Every run you train is kept here. {START_HINT}")
    if summaries:
        best = max((s for s in summaries if s.best_val_accuracy is not None), key=lambda s: s.best_val_accuracy,
                   default=None)
        figures = now(f"{count(len(panel.summaries))} run{'s' if len(panel.summaries) != 1 else ''} kept." +
                      (f" The best validation accuracy is {pct(best.best_val_accuracy)} ({best.name or best.id}, "
                       f"epoch {best.best_epoch})." if best else ""))
    return page(
        "Runs", "Every training run is recorded as it goes: its settings, its curves and the network at the "
        "end of each epoch. <b>Open</b> shows a run in every view; <b>Continue</b> trains it further; "
        "<b>Fork</b> starts a new run from one of its epochs with changed settings; select two or more to "
        "compare them.", figures)


def calibration(window):
    view = window.experiments.calibration
    figures = todo(f"It is measured when an epoch ends (or press <b>Measure the current model</b>). {START_HINT}")
    if view.result is not None:
        figures = now(plain(view.summary.text()).replace("Bar labels:", " Bar labels:"))
    return page(
        "Calibration", "Does 90% confidence mean 90% right? The validation images are sorted into ten bins by "
        "the network's confidence (its top probability); in each bin the bar is the share it got right. A "
        "well calibrated network has bars on the diagonal; bars below it mean over-confidence.",
        "<p>ECE (expected calibration error) is the average gap between confidence and accuracy, weighted by "
        "how many images each bin holds. Temperature scaling divides the network's raw scores by one number "
        "T fitted on the validation images: T above 1 softens over-confident answers. The lower plot follows "
        "the ECE epoch by epoch.</p>", figures)


def map_view(window):
    view = window.inspect.map
    status = getattr(view, "status", None)
    text = plain(status.text()) if status is not None else ""
    if view.data is not None and text:
        figures = now(text)
    elif window.state.network is not None:
        figures = now("the map is made from the network shown when the Map tab is open: open it (it takes a "
                      "moment). " + text)
    else:
        figures = todo(f"The map is made from a trained network. {START_HINT}")
    return page(
        "The Map", "Every dot is a validation image, coloured by its true digit, placed by what the chosen "
        "hidden layer makes of it: images the network sees as alike sit close together. A hidden layer has "
        "many numbers per image; PCA or t-SNE squeeze them onto a flat page.",
        "Well separated clusters mean the layer already tells the digits apart; a dot inside another digit's "
        "cluster is an image the network finds confusing. Hover a dot to see its image; your drawing appears "
        "as a marker.", figures)


TEXTS = {"canvas": canvas, "probabilities": probabilities, "network_input": network_input, "evidence": evidence,
         "fool_it": fool_it, "my_digits": my_digits, "feature_maps": feature_maps, "runs": runs,
         "calibration": calibration, "map": map_view}
