"""The window's current figures in plain words, for the explanations: percentages and counts as the
views show them, the shown run's last epoch, the network's shape, the loaded data. Every function
takes the main window and returns text (or None when there is nothing yet)."""
import html
import math
import re

import numpy as np


def pct(fraction, digits=1):
    """0.978 -> '97.8%' (how every explanation writes an accuracy)."""
    return f"{100 * float(fraction):.{digits}f}%"


def count(n):
    """10000 -> '10,000'."""
    return f"{int(n):,}"


def plain(text):
    """A label's text without its HTML tags (for quoting what a view shows)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text or "")).strip()


def para(*sentences):
    return "<p>" + " ".join(s for s in sentences if s) + "</p>"


def page(title, what, *parts):
    """The explanation's HTML: a title, what it is, the current figures (the ``now`` or ``todo``
    paragraphs: a student looks for the numbers first), then how to read it (None left out)."""
    parts = [part if part.startswith("<") else para(part) for part in parts if part]
    figures = [part for part in parts if part.startswith(FIGURES)]
    rest = [part for part in parts if not part.startswith(FIGURES)]
    return f"<h3>{html.escape(title)}</h3>{para(what)}{''.join(figures)}{''.join(rest)}"


FIGURES = ("<p><b>Now:</b>", "<p><b>Nothing to show yet.</b>")


def now(text):
    """A paragraph of current figures, marked so the reader sees they are this window's numbers."""
    return f"<p><b>Now:</b> {text}</p>"


def todo(text):
    return f"<p><b>Nothing to show yet.</b> {text}</p>"


START_HINT = "Load data in the left panel (Data), then press <b>Start</b> (Ctrl+Return)."


def last_epoch(window):
    """{'epoch', 'step', 'train_loss', 'train_accuracy', 'val_loss', 'val_accuracy', ...} of the shown
    run's latest finished epoch (its history), or None before the first epoch ends."""
    history = window.state.history or {}
    if not history.get("epoch"):
        return None
    return {key: values[-1] for key, values in history.items() if len(values)}


def epochs_done(window):
    history = window.state.history or {}
    return len(history.get("epoch") or ())


def history_values(window, key):
    return list((window.state.history or {}).get(key) or ())


def n_validation(window):
    """How many validation images the shown run (or loaded model) is measured on, or None."""
    info = window.model_info
    labels = getattr(info, "val_labels", None)
    return None if labels is None else len(labels)


def finite(value):
    return value is not None and math.isfinite(float(value))


def network(window):
    """The network the views show (being trained, or opened from a file), or None."""
    return window.state.network


def network_words(net):
    """'64 inputs, one hidden layer of 128 units, 10 outputs (8,330 weights and biases)'."""
    if net is None:
        return None
    n_params = sum(int(np.asarray(p).size) for p in net.params)
    if net.is_mlp:
        sizes = list(net.layer_sizes)
        hidden = sizes[1:-1]
        if not hidden:
            middle = "no hidden layer"
        elif len(hidden) == 1:
            middle = f"one hidden layer of {count(hidden[0])} units"
        else:
            middle = f"{len(hidden)} hidden layers of " + ", ".join(count(h) for h in hidden) + " units"
        shape = f"{count(sizes[0])} inputs (one per pixel), {middle}, {count(sizes[-1])} outputs"
    else:
        shape = f"the layers {net.layers_text}"
    return f"{shape} ({count(n_params)} weights and biases)"


def hidden_word(net):
    return {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}.get(net.activation_name, net.activation_name)


def dataset_words(window):
    """'the built-in 8x8 digits: 1,438 training and 359 test images' or None."""
    data = window.dataset
    if data is None:
        return None
    h, w = data.image_shape
    name = {"digits": "the built-in digits", "mnist": "MNIST"}.get(data.name, data.name)
    return (f"{name} ({h}x{w} pixels, {data.n_classes} classes): {count(len(data.train_labels))} training and "
            f"{count(len(data.test_labels))} test images")


def run_config(window):
    """The settings of the shown run, or the form's when there is none."""
    config = getattr(window.model_info, "config", None) or window.run_config
    return config if config is not None else window.form.config()


def shown_what(window):
    """'the run being trained' / 'the finished run' / 'the model opened from file x.npz'."""
    if window.loaded_model_name:
        return f"the model opened from {html.escape(window.loaded_model_name)}"
    if window.is_training:
        return "the run being trained"
    return "the last run" if window.state.start is not None else None


def val_sentence(window, fraction, what="labels"):
    """'of 144 images the network never trained on, it labels 125 correctly'."""
    n = n_validation(window)
    if not n:
        return ""
    return f"of {count(n)} images the network never trained on, it {what} {count(round(fraction * n))} correctly"
