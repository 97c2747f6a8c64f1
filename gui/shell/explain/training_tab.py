"""Explanations of the Training tab (loss and accuracy curves, smoothing) and the Weights tab
(weight tiles, layer statistics, hidden units), with the shown run's figures."""
import numpy as np

from gui.shell.explain.figures import (START_HINT, count, epochs_done, finite, history_values, last_epoch,
                                       network, network_words, now, page, pct, plain, shown_what,
                                       todo, val_sentence)


def _epoch_word(n):
    return f"{n} epoch{'s' if n != 1 else ''}"


def _val_loss_trend(values):
    """How the validation loss moved over the epochs, in words; one epoch is one point, no trend."""
    values = [float(v) for v in values if finite(v)]
    if len(values) < 2:
        return ("With one epoch there is one validation point, so no trend yet: whether it comes down shows "
                "from the second epoch on.")
    first, last = values[0], values[-1]
    best = min(values)
    best_epoch = values.index(best) + 1
    if last > best and best_epoch < len(values):
        return (f"It was {first:.4f} after the first epoch and lowest, {best:.4f}, after epoch {best_epoch}; "
                f"it has risen since (the network may be starting to overfit).")
    if last < first:
        return f"It was {first:.4f} after the first epoch, so it has come down."
    return f"It was {first:.4f} after the first epoch, so it has not come down."


def loss_plot(window):
    last = last_epoch(window)
    batch = window.state.batch["loss"].view()
    figures = todo(f"The curves appear while a network trains. {START_HINT}")
    if last is not None and finite(last.get("val_loss")):
        gap = ("The training loss is well below the validation loss: the network fits its training images "
               "better than new ones (overfitting begins)." if last["train_loss"] < 0.7 * last["val_loss"] else "")
        figures = now(f"after {_epoch_word(epochs_done(window))} of {shown_what(window)}, the validation loss is "
                      f"{last['val_loss']:.4f} and the training loss (mean over the last epoch) "
                      f"{last['train_loss']:.4f}. {_val_loss_trend(history_values(window, 'val_loss'))} {gap}")
    elif len(batch):
        figures = now(f"{count(len(batch))} points so far; the latest mini-batch loss is {batch[-1]:.4f}. "
                      "The validation loss appears when the first epoch ends.")
    return page(
        "Loss curve", "The loss is one number saying how wrong the network's answers are: for each image, "
        "the cross-entropy is minus the log of the probability the network gave to the right digit (0 when it "
        "was sure and right; about 2.3 when it guessed evenly among 10 digits), averaged over images. "
        "Training means changing the weights to make it smaller.",
        "<p><b>How to read it.</b> Across: training steps (one step is one update of the weights from one "
        "mini-batch). Up: the loss. The faint blue line is the loss of each mini-batch, noisy because every "
        "batch holds different images; the thick blue line is the same smoothed (see Loss smoothing). Orange "
        "dots: the training loss averaged over each epoch. Green squares: the loss on the validation images, "
        "which the network never trains on, measured at the end of each epoch. With an L2 strength above 0 the "
        "mini-batch loss includes the weight cost.</p>",
        "<p>A falling green line means the network is still getting better on new images. Green rising while "
        "orange keeps falling means it is memorising its training images (overfitting). A line that shoots up "
        "or vanishes means the learning rate is too high.</p>",
        figures)


def accuracy_plot(window):
    last = last_epoch(window)
    figures = todo(f"The curves appear while a network trains. {START_HINT}")
    if last is not None and finite(last.get("val_accuracy")):
        val, train = last["val_accuracy"], last["train_accuracy"]
        below = (" Here the training accuracy is below the validation accuracy, which is usual early on: it is "
                 "a mean over an epoch while the weights were still changing." if train < val else "")
        test = history_values(window, "test_accuracy")
        test_text = (f" Test accuracy (purple): {pct(test[-1])}." if test and finite(test[-1]) else "")
        figures = now(f"Validation accuracy {pct(val)}: {val_sentence(window, val)}. Training accuracy "
                      f"{pct(train)} (epoch {epochs_done(window)} of {shown_what(window)}).{below}{test_text}")
    elif len(window.state.batch["accuracy"]):
        figures = now(f"the running mini-batch accuracy is {pct(window.state.batch['accuracy'].view()[-1])}; "
                      "the validation accuracy appears when the first epoch ends.")
    return page(
        "Accuracy curve", "Accuracy is the share of images the network labels correctly: its answer is the "
        "digit with the highest probability, and it counts as correct when that is the true digit.",
        "<p><b>How to read it.</b> Across: training steps, as in the loss plot. Up: accuracy in percent (the "
        "range zooms to where the curves are, so 97% against 98% stays visible: read the numbers on the axis). "
        "Faint blue: the running mini-batch accuracy. Orange dots: training accuracy, the mean over an epoch's "
        "batches while the weights were still changing, which is why it can sit below validation early on. "
        "Green squares: validation accuracy, measured once at the end of each epoch on images held out from "
        "training: the honest figure of how well the network reads digits it has not seen.</p>",
        figures)


def smoothing(window):
    value = window.tabs.training.smoothing
    return page(
        "Loss smoothing", "Each mini-batch holds different images, so the raw loss jumps up and down. The thick "
        "blue curve is a running average of it (an exponential moving average): each point is "
        "<i>smoothing</i> × the previous point + (1 − <i>smoothing</i>) × the new mini-batch loss.",
        "Higher values give a calmer curve that reacts later; 0 shows the raw loss. It changes only the "
        "picture, never the training. <b>log scale</b> draws the loss axis in powers of ten, which shows "
        "small late improvements that a linear axis squashes flat.",
        now(f"smoothing {value:.2f}: each point keeps {value:.0%} of the previous one and takes "
            f"{1 - value:.0%} of the new batch."))


def weight_tiles(window):
    grid = window.tabs.weights
    net = network(window)
    tiles = grid.tiles
    figures = todo(f"The tiles appear when a network trains or a model is opened. {START_HINT}")
    if net is not None and len(tiles):
        _, h, w = tiles.shape
        limit = float(np.max(np.abs(tiles))) if tiles.size else 0.0
        figures = now(f"{count(len(tiles))} tiles of {h}x{w} ({network_words(net)}). The largest weight is "
                      f"{limit:.3g} in size.")
        if not net.is_mlp:
            figures += ("<p>This network starts with convolution layers, so the tab shows its filters: small "
                        "patterns each slid over the whole image.</p>")
    return page(
        "First-layer weights", "Each tile is one hidden unit of the first layer. A unit multiplies every input "
        "pixel by its own weight and adds them up, so its weights form a picture the size of the image: the "
        "pattern that makes the unit respond most.",
        "<p><b>How to read it.</b> Red pixels have positive weights (ink there makes the unit more active), "
        "blue ones negative (ink there makes it less active), white near zero. At the start the tiles are "
        "noise; as training goes on strokes and blobs appear. Hover over a tile for its numbers; click it to "
        "select it.</p>", figures)


def layer_stats(window):
    stats = window.state.layer_stats
    figures = todo(f"The table fills while a network trains. {START_HINT}")
    if stats:
        rows = "".join(f"<li>{s.name}: weights {s.weight_rms:.3g} in size (root mean square), update / weight "
                       f"{s.update_ratio:.2g}</li>" for s in stats if finite(s.weight_rms))
        figures = now(f"the latest mini-batch gave:<ul>{rows}</ul>")
    elif network(window) is not None:
        figures = now("a model opened from a file: its weights are known, but not its gradients or updates "
                      "(those exist only while it trains).")
    return page(
        "Layer statistics", "One row per weight matrix of the network (W1 the first layer). It tells whether "
        "every layer is learning at a healthy pace.",
        "<p><b>How to read it.</b> <i>W rms</i>: the typical size of the layer's weights (the square root of "
        "the mean of their squares). <i>∇ rms</i>: the typical size of the gradient, how strongly the loss "
        "pushes on those weights. <i>upd/W</i>: how much one update changes the weights, relative to their "
        "size; about 0.001 per step is healthy at the starting learning rate, 0.1 means the weights are "
        "rewritten every step, 0.000001 that nothing moves. Below: a histogram of the chosen layer's weights "
        "(across: weight value, up: how many weights have it).</p>", figures)


def unit_list(window):
    units = window.tabs.unit_list
    caption = plain(units.caption.text())
    figures = todo(f"Hidden units appear when a network trains or a model is opened. {START_HINT}")
    if units.layers:
        figures = now(caption)
    return page(
        "Hidden units", "Every unit of the chosen hidden layer, as a small square. Its colour is the unit's "
        "mean activation (how strongly it responds) over the validation images: white weak, dark blue strong.",
        "A grey, struck-through unit is dead: it outputs zero for every image, so it takes no part in the "
        "answer (with ReLU a unit can die when a large update pushes it below zero for good). Pick the layer "
        "and the order above the list; click a unit to open its card: its weights, the images that excite it "
        "most, and what happens to the accuracy when it is switched off.", figures)


TEXTS = {"loss_plot": loss_plot, "accuracy_plot": accuracy_plot, "smoothing": smoothing,
         "weight_tiles": weight_tiles, "layer_stats": layer_stats, "unit_list": unit_list}
