"""Explanations of the left panel (data, preset, settings, the run and its progress) and of the
divergence banner, with the form's values and the run's figures."""
from core.errors import ConfigError
from gui.shell.explain.figures import (START_HINT, count, dataset_words, epochs_done, finite, last_epoch, network,
                                       network_words, now, page, pct, plain, todo, val_sentence)
from gui.ground.text import format_duration

ACTIVATION_WORDS = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}
LOSS_WORDS = {"cross_entropy": "cross-entropy", "mse": "mean squared error",
              "binary_cross_entropy": "binary cross-entropy (one sigmoid output per class)"}


def form_config(window):
    """The settings the form holds now (its last valid ones when a field does not parse)."""
    try:
        return window.form.config()
    except ConfigError:
        return window.form.base_config


def _split_words(window, config):
    """'1,295 images to train on, 143 held out for validation' for the loaded data, or ''."""
    data = window.dataset
    if data is None:
        return ""
    n = len(data.train_labels)
    split = config.val_split
    held = int(round(split * n)) if split < 1 else int(split)
    train = n - held
    if config.train_examples:
        train = min(train, config.train_examples)
    return f"{count(train)} images to train on, {count(held)} held out for validation"


def data_panel(window):
    words = dataset_words(window)
    figures = (now(f"{words}. {plain(window.dataset_panel.status.text())}") if words else
               todo("Pick a source and press <b>Load data</b>: 'Built-in digits' needs no download; MNIST "
                    "needs its four files in a folder (or <b>Download MNIST…</b>)."))
    return page(
        "Data", "Where the images come from. MNIST is 70,000 handwritten digits of 28x28 pixels (60,000 to "
        "train on, 10,000 to test on); the built-in digits are 1,797 small 8x8 digits that train in seconds.",
        "Part of the training images is held out as the validation set (Validation split, in the advanced "
        "settings): the network never trains on them, so its accuracy on them shows how well it reads new "
        "digits. The test images are kept apart until the end.", figures)


def preset_box(window):
    name = window.form.held_preset()
    shown = window.form.preset_combo.currentText()
    return page(
        "Presets", "A preset fills in every setting at once with the values of a known network from a "
        "tutorial or a paper, so you can reproduce its result. Every field stays editable afterwards; the box "
        "then says <i>Custom</i>.",
        now(f"the form holds the preset <b>{shown}</b>." if name else
            "the settings are your own (no preset holds exactly these values)."))


def settings_form(window):
    config = form_config(window)
    error = window.form.error()
    return page(
        "Network and training settings", "Everything that decides which network is trained and how. Hover "
        "over any field for what it does. The fields are grouped: the network (its layers, activation, loss), "
        "the optimiser (how the weights are updated), the data, and, folded away, advanced settings and "
        "augmentation.",
        now(f"{_network_words(config)}, learning rate {config.learning_rate:g}, batches of "
            f"{count(config.batch_size)}, {count(config.epochs)} epochs." + (f" The form cannot start: "
                                                                          f"{error}" if error else "")))


def _network_words(config):
    if config.layers:
        return f"a layer stack {config.layers}"
    hidden = list(config.hidden_sizes)
    return ("no hidden layer (logistic regression)" if not hidden else
            "hidden layers of " + ", ".join(count(h) for h in hidden) + f" {ACTIVATION_WORDS.get(config.activation, config.activation)} units")


def layers(window):
    config = form_config(window)
    net = network(window)
    figures = now(f"the form asks for {_network_words(config)}.")
    if net is not None:
        figures += now(f"the network shown has {network_words(net)}.")
    return page(
        "Hidden layers", "The layers between the input pixels and the 10 outputs. Each hidden unit takes a "
        "weighted sum of the layer before, then an activation (like ReLU: negative sums become 0). More units "
        "can learn more patterns but take longer and can overfit.",
        "Type the sizes input side first, e.g. <i>128</i> or <i>256,128</i>; an empty field means no hidden "
        "layer. Convolutional networks are written as a layer stack (e.g. conv16x5,pool2,dense128).", figures)


def loss_choice(window):
    config = form_config(window)
    return page(
        "Loss", "The loss turns the network's answers into one number to make smaller. Cross-entropy is "
        "minus the log of the probability given to the right digit: it punishes a confident wrong answer "
        "hard. Mean squared error compares the outputs with the one-hot target (1 for the right digit, 0 for "
        "the rest), as in older tutorials; it learns more slowly.",
        now(f"the form uses {LOSS_WORDS.get(config.loss, config.loss)}."))


def learning_rate(window):
    config = form_config(window)
    rates = window.state.batch["learning_rate"].view()
    current = (f" The run is now at {rates[-1]:.3g} (the schedule, {config.schedule}, changes it as training "
               "goes on)." if len(rates) else "")
    return page(
        "Learning rate", "How far each update moves the weights along the negative gradient: new weight = "
        "weight − learning rate × gradient (with momentum or Adam, a smoothed gradient). Too small: the loss "
        "falls slowly. Too large: it jumps about or explodes.",
        "You can change it while a run trains (type a value and press Enter): it applies from the next batch.",
        now(f"the form says {config.learning_rate:g}.{current}"))


def batch_size(window):
    config = form_config(window)
    start = window.state.start
    per_epoch = (f" The run makes {count(start.batches_per_epoch)} updates per epoch." if start is not None
                 else "")
    return page(
        "Batch size", "How many training images one update looks at. The gradient is averaged over the batch: "
        "bigger batches give a steadier direction but fewer updates per epoch; smaller ones are noisier but "
        "update more often.", now(f"{count(config.batch_size)} images per update ({_split_words(window, config)})."
                                  f"{per_epoch}" if window.dataset is not None
                                  else f"{count(config.batch_size)} images per update."))


def epochs(window):
    config = form_config(window)
    done = epochs_done(window)
    return page(
        "Epochs", "One epoch is one pass over every training image, in batches. More epochs let the network "
        "learn more, until the validation accuracy stops improving.",
        now(f"the form asks for {count(config.epochs)} epochs" +
            (f"; the run shown has finished {done}." if done else ".")))


def l2_strength(window):
    config = form_config(window)
    return page(
        "L2 strength (lambda)", "A cost on large weights added to the loss: λ / (2 × number of training images) "
        "× the sum of every weight squared (biases are left out). It pulls weights towards zero, which keeps "
        "the network from relying on a few pixels and helps against overfitting. 0 turns it off.",
        now(f"λ = {config.l2:g}."))


def augmentation(window):
    config = form_config(window)
    settings = config.augmentation
    used = [f"{name} up to {value:g}" for name, value in
            (("shift (pixels)", settings.shift), ("rotation (degrees)", settings.rotation),
             ("scale", settings.scale), ("shear (degrees)", settings.shear),
             ("elastic strength", settings.elastic_alpha), ("thickness", settings.thickness),
             ("width", settings.aspect), ("writing styles", settings.styles)) if value]
    return page(
        "Augmentation", "Each batch, the training images are changed a little at random: shifted, turned, "
        "stretched, thickened. The network never sees exactly the same image twice, so it learns the shape of "
        "a digit rather than its exact pixels. Validation images are never changed. The Data tab shows the "
        "effect on sample images.",
        now("augmentation is on: " + ", ".join(used) + "." if used else "augmentation is off (every strength 0)."))


def run_panel(window):
    return page(
        "Run", "Start trains a network with the settings above on the loaded data; Pause (Space) holds it "
        "between two batches; Stop (Esc) ends it, keeping what it learned; Reset clears every view.",
        progress_figures(window))


def start_button(window):
    error = window.form.error()
    reason = ("load data first (left panel, Data)." if window.dataset is None else
              f"the settings have a problem: {error}" if error else
              "a run is going on: stop it first." if window.is_training else "")
    return page(
        "Start", "Builds a new network with random weights and trains it with the settings above; every view "
        "follows it live. Shortcut: Ctrl+Return.",
        now(f"Start is not available: {reason}" if reason else "ready: press Start."))


def progress_figures(window):
    state = window.state
    snap, epoch = state.last_batch, state.last_epoch
    if snap is None and epoch is None:
        return todo(START_HINT)
    parts = []
    if snap is not None:
        parts.append(f"step {count(snap.step)} of {count(snap.total_steps)} (epoch {snap.epoch + 1}, batch "
                     f"{snap.batch} of {snap.batches_per_epoch}), {snap.samples_per_second:,.0f} images per "
                     f"second, {format_duration(snap.elapsed)} of training")
    last = last_epoch(window)
    if last is not None and finite(last.get("val_accuracy")):
        parts.append(f"validation loss {last['val_loss']:.4f}, validation accuracy {pct(last['val_accuracy'], 2)} "
                     f"({val_sentence(window, last['val_accuracy'])})")
    if state.end is not None:
        parts.append(plain(window.progress.state_label.text()).rstrip("."))
    return now("; ".join(parts) + ".")


def progress(window):
    return page(
        "Progress", "How far the run has got. The bar counts updates (steps) out of the run's total. "
        "<i>Epoch</i> and <i>Batch</i>: where the run is. <i>Samples/s</i>: training images processed per second "
        "(pauses excluded). <i>Remaining</i>: the time per step so far times the steps left. <i>Learning "
        "rate</i>: the rate of the latest update (a schedule lowers it). <i>Val loss</i> and <i>Val acc.</i>: "
        "loss and accuracy on the validation images at the last epoch end.", progress_figures(window))


def divergence_banner(window):
    diverged = window.state.diverged
    figures = (now(f"the run diverged at step {count(diverged.step)} with learning rate "
                   f"{diverged.learning_rate:.3g}; the banner suggests {diverged.suggested_learning_rate:.3g}.")
               if diverged is not None else now("no run has diverged: the banner is hidden."))
    return page(
        "Training diverged", "When the loss becomes infinite or not a number, the updates were too large: "
        "the weights overshot and blew up. The run is paused and the weights are put back to the last good "
        "checkpoint. Resume with a smaller learning rate (the banner suggests one), or stop.", figures)


TEXTS = {"data_panel": data_panel, "preset_box": preset_box, "settings_form": settings_form, "layers": layers,
         "loss_choice": loss_choice, "learning_rate": learning_rate, "batch_size": batch_size, "epochs": epochs,
         "l2_strength": l2_strength, "augmentation": augmentation, "run_panel": run_panel,
         "start_button": start_button, "progress": progress, "divergence_banner": divergence_banner}
