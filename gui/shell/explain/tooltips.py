"""Tooltips for the window's numbers, axes and controls that their views leave without one, set
after the window is built (as the ? buttons are), so that every figure and control says what it is
and how it is computed. A tooltip a view sets itself is kept; the plot axes get their unit."""
from PyQt5.QtWidgets import QLabel

# (how to find the widget in the main window, its tooltip)
TIPS = (
    # ----- left panel: data
    (lambda w: w.dataset_panel.kind_combo, "Where the images come from: MNIST from a folder, the built-in 8x8 "
     "digits (no download), IDX / .mat files or a folder of images of your own; while File > My drawings "
     "trains, your drawings"),
    (lambda w: w.dataset_panel.folder_edit, "The folder (or file) the images are read from"),
    (lambda w: w.dataset_panel.browse_button, "Choose the folder or file to load"),
    (lambda w: w.dataset_panel.load_button, "Read the chosen data; every view then uses it"),
    (lambda w: w.dataset_panel.download_button, "Download MNIST's four files (about 11 MB), checked, into the "
     "folder above"),
    (lambda w: w.dataset_panel.status, "The data loaded: how many training and test images it has. A share of "
     "the training images is held out for validation when a run starts (Validation split)"),
    # ----- Training tab
    (lambda w: w.tabs.training.smoothing_label, "The smoothing weight: each point of the thick loss curve keeps "
     "this share of the previous point and takes the rest from the new mini-batch loss"),
    (lambda w: w.tabs.training.log_box, "Draw the loss axis in powers of ten: small late improvements stay "
     "visible"),
    (lambda w: w.tabs.training.loss_plot, "Across: training steps (one step = one update from one mini-batch). "
     "Up: the loss, its mean per image (lower is better). Press F1 or ? for how to read it"),
    (lambda w: w.tabs.training.accuracy_plot, "Across: training steps (one step = one update from one "
     "mini-batch). Up: accuracy in %, the share of images labelled correctly. Press F1 or ? for how to read it"),
    # ----- Weights tab
    (lambda w: w.tabs.weights.scale_label, "How many tiles there are, their size in pixels, and the weight that "
     "gets the strongest colour (red +, blue −): the largest weight in size"),
    (lambda w: w.tabs.weights.caption, "The tile under the mouse (or selected): its largest weight in size, "
     "the mean and the root mean square of its weights"),
    (lambda w: w.tabs.layer_stats.layer_combo, "The weight matrix whose values the histogram below shows"),
    (lambda w: w.tabs.layer_stats.hint, "A rule of thumb for the upd/W column: one update should change the "
     "weights by about a thousandth of their size at the starting learning rate"),
    (lambda w: w.tabs.layer_stats.histogram, "Across: weight value. Up: how many weights of the chosen layer "
     "have it"),
    (lambda w: w.tabs.unit_list.caption, "The chosen layer: how many units it has, how many are dead (silent on "
     "every validation image), and the range of the colour scale (mean activation)"),
    # ----- Evaluation tab
    (lambda w: w.tabs.confusion.normalise_box, "Divide each row by its total: a cell then shows the share of "
     "that true digit given that answer (the diagonal becomes each digit's recall)"),
    (lambda w: w.tabs.confusion.summary, "Counted over the validation images: correct answers are the "
     "diagonal's sum, accuracy is that sum over all images"),
    (lambda w: w.tabs.confusion, "Rows: the true digit. Columns: the network's answer. Each cell counts "
     "validation images; click one to see them"),
    (lambda w: w.tabs.report.parentWidget().findChild(QLabel), "Per digit, on the validation images: "
     "precision (of the answers 'd', the share right), recall (of the true d's, the share found), F1 (the two "
     "combined) and n, how many there are"),
    (lambda w: w.tabs.show_all_button, "Show every misclassified validation image again (after clicking a "
     "cell of the confusion matrix)"),
    (lambda w: w.tabs.gallery.title, "Validation images the network labels wrongly: how many there are (the "
     "first ones are shown), each with its true digit and the network's answer"),
    (lambda w: w.tabs.invariance.clear_button, "Remove every curve from the two plots"),
    (lambda w: w.tabs.invariance.status, "Accuracy on the same validation images unmoved, at the largest shift "
     "and at the largest rotation measured"),
    (lambda w: w.tabs.invariance.shift_plot, "Across: shift in pixels (solid: sideways, dashed: up and down). "
     "Up: accuracy in % on the shifted validation images"),
    (lambda w: w.tabs.invariance.rotation_plot, "Across: rotation in degrees (+ = counter-clockwise). Up: "
     "accuracy in % on the rotated validation images"),
    # ----- Data tab
    (lambda w: w.tabs.data.info, "The loaded dataset: where it comes from, how many training and test "
     "images, their size in pixels and the number of classes"),
    (lambda w: w.tabs.data.grid, "Sample training images, one row per class, as the network receives them"),
    (lambda w: w.tabs.data.counts, "Across: class. Up: number of images of that class (blue: training, "
     "orange: test)"),
    (lambda w: w.tabs.data.augment_preview.status, "Which random draw of the augmentation is shown: each epoch "
     "every training image gets a new one"),
    # ----- Draw tab
    (lambda w: w.tabs.draw_panel.brush_spin, "Width of the pen on the canvas, in screen pixels"),
    (lambda w: w.tabs.draw_panel.threshold_slider, "Confidence threshold: an answer whose probability is below "
     "it is shown as unsure (the dashed line on the bars)"),
    (lambda w: w.tabs.draw_panel.threshold_value, "The confidence threshold: answers below this probability "
     "are shown as unsure"),
    (lambda w: w.tabs.draw_panel.undo_button, "Remove the last stroke"),
    (lambda w: w.tabs.draw_panel.clear_button, "Clear the canvas"),
    (lambda w: w.tabs.draw_panel.input_caption, "How your drawing was made into the network's input: cropped "
     "to the ink, scaled and centred in a square of the training images' size"),
    (lambda w: w.tabs.draw_panel.model_label, "The network that reads your drawing: the one being trained, "
     "one opened from a file, or the model shipped with DigitLab"),
    (lambda w: w.tabs.draw_panel.probability_view.top_label, "The network's answer: the digit with the "
     "highest probability, and that probability (the softmax of the output scores)"),
    (lambda w: w.tabs.draw_panel.probability_view.detail_label, "The runner-up digits and their probabilities"),
    (lambda w: w.tabs.draw_panel.probability_view.plot, "Across: digit. Up: the probability the network gives "
     "it (all ten add up to 1); the dashed line is the confidence threshold"),
    (lambda w: w.tabs.draw_panel.look_inside.evidence.method_combo, "How the evidence is measured: the "
     "gradient of the answer's score times each pixel, the same summed along a path from a blank image "
     "(integrated gradients), or how much the score drops when a patch is covered (occlusion)"),
    (lambda w: w.tabs.draw_panel.look_inside.evidence.title, "The question the map answers: why the network "
     "gave its answer (and not the digit picked below)"),
    (lambda w: w.tabs.draw_panel.look_inside.evidence.legend, "How to read the map's colours: red pixels raised "
     "the answer's score, blue ones lowered it, white ones did not matter"),
    (lambda w: w.tabs.draw_panel.look_inside.fool.fool_button, "Search the smallest change to the drawing that "
     "makes the network answer the picked digit"),
    (lambda w: w.tabs.draw_panel.look_inside.fool.answer_label, "The network's answer to the changed image, and "
     "its probability, against its answer before the change"),
    # ----- Feature maps tab
    (lambda w: w.tabs.feature_maps.index_spin, "Which validation image to look inside (its number in the "
     "validation set)"),
    (lambda w: w.tabs.feature_maps.random_button, "Pick a validation image at random"),
    (lambda w: w.tabs.feature_maps.caption, "The image shown and what the network answers for it"),
    (lambda w: w.tabs.feature_maps.scale_note, "How the maps are coloured: each map on its own scale, white 0, "
     "dark blue its largest value"),
    # ----- Runs, Calibration, Map tabs
    (lambda w: w.run_records.panel.refresh_button, "Read the list of recorded runs again from disk"),
    (lambda w: w.run_records.panel.rename_button, "Give the selected run a name of your own"),
    (lambda w: w.run_records.panel.delete_button, "Delete the selected runs from disk (asks first)"),
    (lambda w: w.run_records.panel.folder_label, "The folder where every run is recorded"),
    (lambda w: w.run_records.panel.details, "The selected run: its settings, its epochs and its best "
     "validation accuracy"),
    (lambda w: w.experiments.calibration.measure_button, "Measure the calibration of the network shown now, "
     "on the validation images"),
    (lambda w: w.experiments.calibration.summary, "ECE: the mean gap between confidence and accuracy over the "
     "ten bins, weighted by their image counts. T: the temperature that divides the output scores to make "
     "confidence match accuracy best. NLL: the mean cross-entropy before → after scaling"),
    (lambda w: w.experiments.calibration.diagram, "Across: confidence (the top probability), in ten bins. "
     "Up: the share of the bin's images labelled correctly (0 to 1); the diagonal is perfect calibration"),
    (lambda w: w.experiments.calibration.ece_plot, "Across: epoch. Up: the expected calibration error on the "
     "validation images, in %"),
    (lambda w: w.inspect.map.pca_button, "Place the images by PCA: the two directions in which the layer's "
     "activations vary most (fast; distances are honest)"),
)

# plot axes whose label lacked its unit: (plot widget, axis, label)
AXES = (
    (lambda w: w.tabs.training.loss_plot, "left", "loss (mean per image)"),
    (lambda w: w.tabs.layer_stats.histogram, "left", "weights"),   # how many per bar; longer titles were cut
    (lambda w: w.tabs.data.counts, "left", "count (images)"),
    (lambda w: w.experiments.calibration.diagram, "left", "accuracy (share correct, 0–1)"),
)


def install_tooltips(window):
    """Give every widget of TIPS its tooltip unless its view set one; label the AXES with their unit."""
    for find, tip in TIPS:
        widget = find(window)
        if widget is not None and not widget.toolTip():
            widget.setToolTip(tip)
    look_inside = window.tabs.draw_panel.look_inside
    look_inside.evidence.versus_picker.set_tip("Why the answer and not {name}? The map then compares the two "
                                               "scores", none_tip="No comparison: the map explains the answer alone")
    look_inside.fool.target_picker.set_tip("Search a small change that makes the network say {name}")
    for find, axis, label in AXES:
        find(window).getPlotItem().setLabel(axis, label)
