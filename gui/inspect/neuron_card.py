"""The neuron card window: one hidden unit (a dense unit or a conv filter) on the validation set.

    card = NeuronCardWindow(context_provider)   # context_provider() -> InspectContext (or raises)
    card.open_card(layer, unit)                 # layers from 1, units from 0; shows the window
    card.refresh()                              # the same unit on the current weights (epoch end)

Shows the unit's incoming weights (or the filter), the 9 validation images it answers most and
least, its mean activation per digit, its outgoing weights, the share of images it is silent
on (a dead unit is said plainly), and "Silence this unit": validation accuracy overall and per
digit with the unit as it is (blue) and set to zero (orange). Every card is computed in a
worker thread (gui.ground.latest_job.LatestJob + card_data.CardComputer); the ablation comes with
the card, so the toggle only redraws. Plot items are created once and updated with setOpts /
setImage. The layout is in card_layout.py.
"""
import numpy as np
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QWidget

from core.analysis.unit_weights import near_square
from gui.inspect.card_data import CardComputer
from gui.inspect.card_layout import build_card_layout
from gui.ground.latest_job import LatestJob
from gui.ground import theme
from gui.ground.screen_fit import fit_to_screen
from gui.ground.errors import describe_error
from gui.ground.pictures import tile_mosaic

RED, BLUE = (200, 30, 40), (30, 80, 200)
MAX_MAPS = 100          # outgoing maps drawn (a 10x10 grid)


class NeuronCardWindow(QWidget):
    """A non-modal window (one for the app, reused: clicking another unit shows that unit)."""

    shown = pyqtSignal(object)      # CardData, once it is drawn (tests and the bench wait on it)

    def __init__(self, context_provider, parent=None, computer=None):
        super().__init__(parent, Qt.Window)
        self.setWindowTitle("Neuron card")
        fit_to_screen(self, 1060, 720)   # or less: within the available screen (gui/ground/screen_fit.py)
        self.context_provider = context_provider
        self.layer = self.unit = None
        self.data = None            # the CardData shown
        self.images = None          # (n, H, W) validation images of that card
        self._computer = computer or CardComputer()     # shared with the unit list (InspectController)
        self.jobs = LatestJob(self)
        self.jobs.done.connect(self._on_done)
        self.jobs.failed.connect(self._on_failed)
        build_card_layout(self)
        self.silence_button.toggled.connect(self._draw_accuracy)
        self.refresh_button.clicked.connect(self.refresh)

    # ----- requests -------------------------------------------------------------------------
    def open_card(self, layer, unit):
        """Show unit ``unit`` (from 0) of hidden layer ``layer`` (from 1); the API for every view
        that lists units (weight tiles, conv filters, layer lists)."""
        self.layer, self.unit = int(layer), int(unit)
        if self.data is None or (self.data.card.layer, self.data.card.unit) != (self.layer, self.unit):
            self.silence_button.setChecked(False)     # a new unit starts as it is
        self.show()
        self.raise_()
        self.refresh()

    def refresh(self):
        """Recompute the shown unit on the weights the window shows now (in the worker)."""
        if self.layer is None:
            return
        try:
            context = self.context_provider()
        except Exception as error:       # DigitLabError: no model, no validation images
            self._set_status(describe_error(error), error=True)
            return
        layer, unit, computer = self.layer, self.unit, self._computer
        self._set_status(f"Computing layer {layer}, unit {unit} on {len(context.images):,} validation images…")
        self.jobs.submit(lambda report, cancelled: (computer.compute(context, layer, unit), context.images),
                         (layer, unit))

    def shutdown(self, milliseconds=10000):
        return self.jobs.shutdown(milliseconds)

    @property
    def busy(self):
        return self.jobs.busy

    # ----- results ----------------------------------------------------------------------------
    def _on_failed(self, error, tag):
        self._set_status(describe_error(error), error=True)

    def _on_done(self, result, tag):
        if tag != (self.layer, self.unit):
            return                        # an older request; the newer one is on its way
        self.data, self.images = result
        self._draw()
        self.shown.emit(self.data)

    def _draw(self):
        data, card = self.data, self.data.card
        kind = "filter" if card.is_conv else "unit"
        self.setWindowTitle(f"Neuron card: layer {card.layer} {kind} {card.unit}")
        self.title.setText(f"<b>Layer {card.layer} ({card.layer_name}), {kind} {card.unit}</b> "
                           f"&nbsp;·&nbsp; {data.source}")
        n = len(card.activations)
        if card.dead:
            self._set_status(f"Dead {kind}: silent on every one of the {n:,} validation images, so it passes "
                             f"nothing on and the layers above cannot use it.", error=True)
        else:
            self._set_status(f"Silent (output about 0) on {100 * card.silent_share:.1f}% of the {n:,} "
                             f"validation images; active on the rest.")
        self._draw_incoming(card)
        self._draw_extremes(card, data.digits)
        self._draw_bars(self.mean_bars, self.mean_plot, data.mean_per_digit, names=data.class_names)
        self._name_label_axes(data)
        self._draw_outgoing(card)
        self._draw_accuracy()

    def _draw_incoming(self, card):
        image = np.nan_to_num(card.incoming_image)
        limit = float(np.max(np.abs(image))) or 1.0
        self.incoming_image.setImage(image, autoLevels=False, levels=(-limit, limit))
        self.incoming_view.autoRange(padding=0.02)
        what = "filter kernels (one per input channel)" if card.is_conv else f"{card.incoming.size} incoming weights"
        self.incoming_note.setText(f"{what} · red excites, blue inhibits, white 0 · scale ±{limit:.3g}")

    def _draw_extremes(self, card, digits):
        low_note = ""
        if card.silent_share > 0 and np.all(card.activations[card.bottom] == card.activations[card.bottom[0]]):
            low_note = f" (all silent: {int(round(card.silent_share * len(digits))):,} images tie)"
        self.bottom_title.setText(f"<b>9 least active</b>{low_note}")
        for tiles, indices in ((self.top_tiles, card.top), (self.bottom_tiles, card.bottom)):
            for tile, index in zip(tiles, indices):
                value = card.activations[index]
                name = self.data.name(digits[index])
                tile.show_image(self.images[index], f"{name} · {value:.2f}",
                                f"validation image #{index}: {self.data.label_word} {name}, activation {value:.4g}")

    @staticmethod
    def _draw_bars(bars, plot, values, colour=theme.BLUE, names=()):
        values = np.nan_to_num(np.asarray(values, np.float64))
        x = np.arange(len(values))
        bars.setOpts(x=x, height=values, width=0.7, brush=theme.brush(colour), pen=theme.pen(colour, 1))
        plot.getAxis("bottom").setTicks([_ticks(x, names)])
        low, high = min(0.0, values.min()), max(0.0, values.max())
        pad = 0.06 * (high - low or 1.0)
        plot.setRange(xRange=(-0.6, len(values) - 0.4), yRange=(low - pad, high + pad), padding=0)

    def _draw_outgoing(self, card):
        out = card.outgoing
        if out.ndim == 1 and out.size <= 20:           # to the outputs (or a few units): bars
            self.outgoing_stack.setCurrentIndex(0)
            x = np.arange(out.size)
            brushes = [theme.brush(RED if v >= 0 else BLUE) for v in out]
            self.outgoing_bars.setOpts(x=x, height=out, width=0.7, brushes=brushes, pens=[None] * len(x))
            self.outgoing_plot.getAxis("bottom").setTicks([[(i, str(i)) for i in x]])
            limit = float(np.max(np.abs(out))) or 1.0
            self.outgoing_plot.setRange(xRange=(-0.6, out.size - 0.4), yRange=(-1.08 * limit, 1.08 * limit),
                                        padding=0)
            self.outgoing_note.setText(f"weights {card.outgoing_kind}: red pushes that output up, blue down")
            return
        self.outgoing_stack.setCurrentIndex(1)
        shown_maps = out[:MAX_MAPS] if out.ndim == 3 else out
        # maps in a near-square grid (a row of 64 maps would be a thin unreadable strip)
        image = np.nan_to_num(near_square(out) if out.ndim == 1 else tile_mosaic(shown_maps)[0])
        limit = float(np.max(np.abs(image))) or 1.0
        self.outgoing_image.setImage(image, autoLevels=False, levels=(-limit, limit))
        self.outgoing_view.autoRange(padding=0.02)
        if out.ndim == 1:
            what = f"{out.size} weights {card.outgoing_kind}, one cell each"
        else:
            shown = "" if len(out) <= MAX_MAPS else f", the first {MAX_MAPS} of {len(out)}"
            what = f"weights {card.outgoing_kind}: one {out.shape[1]}x{out.shape[2]} map per next unit{shown}"
        self.outgoing_note.setText(f"{what} · scale ±{limit:.3g}")

    def _draw_accuracy(self, *_):
        if self.data is None:
            return
        data = self.data
        silenced = self.silence_button.isChecked()
        self.silence_button.setText("Silenced: press to restore" if silenced else "Silence this unit")
        before = np.nan_to_num(data.per_digit_before)
        after = np.nan_to_num(data.per_digit_after)
        x = np.arange(len(before))
        width = 0.38 if silenced else 0.7
        self.accuracy_before.setOpts(x=x - (0.2 if silenced else 0), height=100 * before, width=width)
        self.accuracy_after.setOpts(x=x + 0.2, height=100 * after, width=width)
        self.accuracy_after.setVisible(silenced)
        self.accuracy_plot.getAxis("bottom").setTicks([_ticks(x, data.class_names)])
        low = 100 * min(before.min(), after.min() if silenced else 1.0)
        self.accuracy_plot.setRange(xRange=(-0.6, len(x) - 0.4), yRange=(max(0.0, low - 8), 101), padding=0)
        if silenced:
            self.accuracy_label.setText(
                f"Validation accuracy <b>{100 * data.accuracy_before:.2f}%</b> as it is (blue) → "
                f"<b>{100 * data.accuracy_after:.2f}%</b> silenced (orange), "
                f"{100 * (data.accuracy_after - data.accuracy_before):+.2f} points; "
                f"{data.changed:,} predictions change.")
        else:
            self.accuracy_label.setText(f"Validation accuracy <b>{100 * data.accuracy_before:.2f}%</b> with the "
                                        f"unit as it is. Press “Silence this unit” to set it to 0.")

    def _name_label_axes(self, data):
        """'digit' or 'class' in the titles and axes (a drawings project's cards name its classes)."""
        word = data.label_word
        for plot in (self.mean_plot, self.accuracy_plot):
            plot.getPlotItem().setLabel("bottom", word)
        for label, text in ((self.mean_title, f"<b>Mean activation per {word}</b>"),
                            (self.accuracy_title, f"<b>Validation accuracy per {word}</b>"),
                            (self.top_title, f"<b>9 most active</b> ({word} · activation)")):
            if label is not None:
                label.setText(text)

    def _set_status(self, text, error=False):
        self.status.setText(text)
        self.status.setObjectName("notice" if error else "hint")
        self.status.setStyleSheet(theme.error_style("font-weight: bold;") if error else "")

    def closeEvent(self, event):
        self.jobs.cancel()
        super().closeEvent(event)


def _ticks(x, names):
    """Tick labels for bars at x: the class names where there are, else the numbers."""
    return [(i, names[i] if i < len(names) else str(i)) for i in x]
