"""Render every README screenshot from the real app, trained for real on an MNIST subset.

    QT_QPA_PLATFORM=offscreen python scripts/render_readme.py [--data DIR] [--out-dir docs] [--only NAME,...]

One MainWindow, on a pretended 1366x768 laptop screen (DIGITLAB_SCREEN: it opens maximised), trains a small MLP and a small CNN on 6,000 MNIST images (2 epochs each),
forks the MLP once, and the script grabs the window (or the neuron card / compare / step-through
window) for each picture. Digits are drawn on the canvas with real mouse events
(render_window.draw_sample and the bench templates) and kept as My digits with real key presses.
Everything is written under a temporary DIGITLAB_HOME: no user folder is touched.
Waiting is on the app's own signals or conditions (processEvents loops with a timeout), never
fixed sleeps.
"""
import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from render_window import MAX_PNG_BYTES, draw_sample, save_grab  # noqa: E402
from gui.ground.screen_fit import fit_to_screen  # noqa: E402

CNN_STACK = "conv8x5,pool2,conv16x5v,pool2,dense64,dense10"
SCREEN = "1366x768"   # the README's pictures show the window as it opens on a laptop


def wait_until(condition, timeout_ms=60000, what="a condition"):
    """Process events until condition() is true (like qtbot.waitUntil); SystemExit on timeout."""
    from PyQt5.QtCore import QElapsedTimer, QEventLoop, QTimer
    clock = QElapsedTimer()
    clock.start()
    while not condition():
        if clock.elapsed() > timeout_ms:
            raise SystemExit(f"timed out waiting for {what}")
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec_()


def wait_signal(signal, start, timeout_ms=120000, check=lambda *args: True, what="a signal"):
    """Call start(), then process events until signal fires with args passing check; returns the args."""
    got = []

    def on(*args):
        if not got and check(*args):
            got.append(args)
    signal.connect(on)
    try:
        start()
        wait_until(lambda: bool(got), timeout_ms, what)
    finally:
        signal.disconnect(on)
    return got[0]


def settle(window):
    """Let pending redraws and layouts land (the redraw scheduler ticks at ~30 Hz)."""
    from PyQt5.QtWidgets import QApplication
    for _ in range(3):
        QApplication.processEvents()
    wait_until(lambda: not window.redraw.timer.isActive() if hasattr(window.redraw, "timer") else True, 2000)
    QApplication.processEvents()


def draw_template(canvas, label):
    """A user-like drawing of label (bench/drawn_digits.py template), dragged with mouse events."""
    import numpy as np
    from PyQt5.QtCore import QEvent, QPointF, Qt
    from PyQt5.QtGui import QMouseEvent
    from PyQt5.QtWidgets import QApplication
    from bench.drawn_digits import draw_digit
    side = min(canvas.width(), canvas.height())
    canvas.clear()
    canvas.set_brush_width(max(10.0, side / 18))
    digit = draw_digit(label, 0, np.random.default_rng(label))
    for stroke in digit.strokes:
        points = np.asarray(stroke) * side / 280.0
        def send(kind, x, y, button, buttons):
            QApplication.sendEvent(canvas, QMouseEvent(kind, QPointF(x, y), button, buttons, Qt.NoModifier))
        send(QEvent.MouseButtonPress, *points[0], Qt.LeftButton, Qt.LeftButton)
        for x, y in points[1:]:
            send(QEvent.MouseMove, x, y, Qt.NoButton, Qt.LeftButton)
        send(QEvent.MouseButtonRelease, *points[-1], Qt.LeftButton, Qt.NoButton)


class Renderer:
    def __init__(self, args):
        self.args = args
        self.out = Path(args.out_dir)
        self.only = set(args.only.split(",")) if args.only else None
        self.sizes = {}

    def wanted(self, name):
        return self.only is None or name in self.only

    def save(self, widget, name):
        from PyQt5.QtWidgets import QApplication
        QApplication.processEvents()
        self.sizes[name] = save_grab(widget, self.out / f"{name}.png")

    # ----- set-up -------------------------------------------------------------------------------
    def start(self):
        home = tempfile.mkdtemp(prefix="digitlab-readme-")
        os.environ["DIGITLAB_HOME"] = home
        os.environ["DIGITLAB_SETTINGS"] = str(Path(home) / "settings.ini")
        os.environ["DIGITLAB_SCREEN"] = SCREEN   # every window sizes itself for a laptop (gui/ground/screen_fit.py)
        from core.data.datasets import load_idx_folder
        from core.data.transforms import subsample
        from gui.shell.app import create_app
        from gui.shell.main_window import MainWindow
        self.app = create_app([])
        dataset = subsample(load_idx_folder(self.args.data, name="mnist", cache_dir=Path(home) / "cache"), 6000, 1000)
        window = self.window = MainWindow(restore_settings=False)
        window.dataset_panel.set_choice("mnist", self.args.data)
        window.set_dataset(dataset, "MNIST: 6,000 training images of 60,000 (a quick run)")
        window.show()
        wait_until(window.isVisible, 5000, "the window")
        return home

    def train(self, config, tab=0):
        window = self.window
        window.form.set_config(config)
        window.tabs.setCurrentIndex(tab)
        args = wait_signal(window.run_finished, window.start_training, 300000, what="the end of the run")
        print(f"run ended: {args[0]}")
        self.listed()
        settle(window)

    def listed(self):
        records = self.window.run_records
        records.refresh()
        wait_until(lambda: not (records.lister.busy or records.lister.again), 20000, "the runs list")

    def newest_run(self):
        return self.window.run_records.panel.summaries[0].id

    def draw(self, digit, template=False):
        """Draw on the Draw tab and wait for the prediction (and the panel's timer) to settle."""
        window = self.window
        panel = window.tabs.draw_panel
        window.tabs.setCurrentWidget(window.tabs.draw_page)
        wait_until(lambda: panel.canvas.isVisible(), 5000, "the canvas")
        starter = (lambda: draw_template(panel.canvas, digit)) if template else (lambda: draw_sample(panel.canvas, str(digit)))
        wait_signal(panel.predicted, starter, 10000, check=lambda p: p is not None, what="a prediction")
        wait_until(lambda: not panel._timer.isActive(), 5000, "the prediction timer")
        return panel

    # ----- the shipped model before any run -----------------------------------------------------
    def shipped(self):
        """docs/screenshot-not-a-digit.png: a drawn K, read by the shipped model as not a digit."""
        if not self.wanted("screenshot-not-a-digit"):
            return
        from render_window import SAMPLE_STROKES
        SAMPLE_STROKES.setdefault("K", [[(0.36, 0.22), (0.36, 0.80)], [(0.66, 0.22), (0.38, 0.52), (0.68, 0.80)]])
        panel = self.draw("K")
        evidence = panel.look_inside.evidence
        panel.look_inside.setCurrentIndex(0)
        self.show_draw_tab()
        wait_until(lambda: evidence.evidence is not None and not evidence.job.busy
                   and evidence.evidence.image is not None, 20000, "the evidence map")
        settle(self.window)
        self.save(self.window, "screenshot-not-a-digit")
        panel.canvas.clear()

    # ----- the MLP pictures ---------------------------------------------------------------------
    def mlp(self):
        window = self.window
        base = window.form.config()
        config = dataclasses.replace(base, hidden_sizes=(64,), layers="", epochs=2, batch_size=64,
                                     schedule="constant", learning_rate=0.1, val_split=1000.0)
        self.train(config, tab=0)
        self.mlp_id = self.newest_run()
        window.run_records.rename(self.mlp_id, "MLP 64, lr 0.1")
        if self.wanted("screenshot"):
            window.tabs.setCurrentIndex(0)
            settle(window)
            self.save(window, "screenshot")
        if self.wanted("screenshot-neuron-card"):
            card = window.inspect.open_card(1, self.busiest_unit())
            wait_signal(card.shown, lambda: None if card.data is None else card.shown.emit(card.data), 30000,
                        what="the neuron card")
            card.silence_button.setChecked(True)
            wait_until(lambda: "restore" in card.silence_button.text(), 20000, "silencing")
            fit_to_screen(card, max(card.width(), 900), max(card.height(), 700))
            settle(window)
            self.save(card, "screenshot-neuron-card")
            card.close()
        if self.wanted("screenshot-draw") or self.wanted("screenshot-fool"):
            self.keep_my_digits()
            panel = self.draw(7)
            evidence = panel.look_inside.evidence
            panel.look_inside.setCurrentIndex(0)
            self.show_draw_tab()
            wait_until(lambda: evidence.evidence is not None and not evidence.job.busy
                       and evidence.evidence.image is not None, 20000, "the evidence map")
            settle(window)
            self.save(window, "screenshot-draw")
            fool = panel.look_inside.fool
            panel.look_inside.setCurrentIndex(1)
            page = window.tabs.draw_page
            page.setSizes([sum(page.sizes()), 0])   # My digits folded away: the whole drawing fits better
            settle(window)
            page.widget(0).verticalScrollBar().setValue(page.widget(0).verticalScrollBar().maximum())
            target = 3 if panel.probability_view.top_index != 3 else 9
            fool.target_picker.buttons[target].click()
            wait_signal(fool.fooled, fool.fool_button.click, 30000, what="fool it")
            settle(window)
            self.save(window, "screenshot-fool")
            panel.look_inside.setCurrentIndex(0)
        if self.wanted("screenshot-map"):
            self.draw(4)
            view = window.inspect.map
            wait_signal(view.map_ready, lambda: window.tabs.setCurrentWidget(view), 60000, what="the PCA map")
            wait_until(lambda: view.marker_position() is not None if hasattr(view, "marker_position") else True,
                       5000, "the marker")
            settle(window)
            self.save(window, "screenshot-map")
        if self.wanted("screenshot-data-augmentation"):
            config = dataclasses.replace(window.form.config(), augment_shift=2.0, augment_rotation=15.0,
                                         augment_elastic_alpha=20.0, augment_thickness=0.5,
                                         augment_aspect=0.2, augment_styles=0.5)
            preview = window.tabs.data.augment_preview
            wait_signal(preview.refreshed, lambda: window.form.set_config(config), 20000,
                        what="the augmentation preview")
            window.form.augmentation.set_expanded(True)
            window.tabs.setCurrentWidget(window.tabs.data)
            settle(window)
            self.scroll_settings_to(window.form.augmentation, 10)   # the strengths in view
            self.save(window, "screenshot-data-augmentation")
            window.form.set_config(dataclasses.replace(window.form.config(), augment_shift=0.0, augment_rotation=0.0,
                                                       augment_elastic_alpha=0.0, augment_thickness=0.0,
                                                       augment_aspect=0.0, augment_styles=0.0))
        if self.wanted("screenshot-step"):
            dialog = window.step_through.open()
            wait_until(lambda: dialog.record is not None and not dialog.busy, 60000, "the first step")
            dialog.tabs.setCurrentIndex(4)
            fit_to_screen(dialog, max(dialog.width(), 1000), max(dialog.height(), 700))
            settle(window)
            self.save(dialog, "screenshot-step")
            dialog.close()

    def busiest_unit(self):
        """The hidden unit of layer 1 whose silencing should matter most: mean ReLU activation on
        the validation images times the size of its outgoing weights (a dead unit makes a dull card)."""
        import numpy as np
        network, info = self.window.state.network, self.window.model_info
        x = np.asarray(info.val_images, np.float32).reshape(len(info.val_images), -1)
        if x.max() > 1.5:
            x = x / 255.0
        hidden = np.maximum(x @ network.weights[0] + network.biases[0], 0)
        score = hidden.mean(axis=0) * np.abs(network.weights[1]).sum(axis=1)
        unit = int(np.argmax(score))
        print(f"neuron card: unit {unit} of layer 1")
        return unit

    def scroll_settings_to(self, widget, margin):
        """Scroll the settings form so widget starts margin px below the top of its viewport."""
        scroll = self.window.settings_scroll
        top = widget.mapTo(scroll.widget(), widget.rect().topLeft()).y()
        scroll.verticalScrollBar().setValue(max(0, top - margin))
        settle(self.window)

    def show_draw_tab(self):
        """The Draw tab with room for the look-inside pages: the My digits panel below gets what
        its gallery row needs, the drawing area the rest."""
        page = self.window.tabs.draw_page
        self.window.tabs.setCurrentWidget(page)
        total = sum(page.sizes())
        page.setSizes([total - 175, 175])   # one row of kept digits
        settle(self.window)

    def keep_my_digits(self):
        """Keep one drawing of every digit 0-9 as My digits (real key presses on the canvas)."""
        from PyQt5.QtCore import Qt
        from PyQt5.QtGui import QKeyEvent
        from PyQt5.QtCore import QEvent
        from PyQt5.QtWidgets import QApplication
        mine = self.window.tabs.my_digits
        for label in range(10):
            panel = self.draw(label, template=True)
            canvas = panel.canvas
            canvas.setFocus()
            key = Qt.Key_0 + label
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(canvas, QKeyEvent(kind, key, Qt.NoModifier, str(label)))
            wait_until(lambda: len(mine.store) == label + 1, 5000, f"keeping a {label}")
        print(f"kept {len(mine.store)} digits in {mine.store.folder}")

    # ----- the CNN pictures ---------------------------------------------------------------------
    def cnn(self):
        window = self.window
        config = dataclasses.replace(window.form.config(), layers=CNN_STACK, epochs=2, batch_size=64,
                                     learning_rate=0.05, schedule="constant", val_split=1000.0)
        self.train(config, tab=1)
        self.cnn_id = self.newest_run()
        window.run_records.rename(self.cnn_id, "CNN conv8-conv16-dense64")
        if self.wanted("screenshot-cnn-weights"):
            window.tabs.setCurrentIndex(1)
            self.scroll_settings_to(window.form.layers_editor, 90)   # the Architecture choice above the editor too
            settle(window)
            self.save(window, "screenshot-cnn-weights")
        if self.wanted("screenshot-feature-maps"):
            self.draw(7)
            controller = window.feature_maps
            before = controller.draws
            window.tabs.setCurrentWidget(window.tabs.feature_maps)
            wait_until(lambda: controller.draws > before, 20000, "the feature maps")
            settle(window)
            self.save(window, "screenshot-feature-maps")

    def runs(self):
        window = self.window
        records = window.run_records
        window.form.set_config(dataclasses.replace(window.form.config(), learning_rate=0.02))
        dialog = records.ask_fork(self.mlp_id)
        dialog.select_epoch(1)
        wait_signal(window.run_finished, dialog.accept, 300000, what="the fork")
        self.listed()
        fork_id = self.newest_run()
        records.rename(fork_id, "fork of MLP at epoch 1, lr 0.02")
        self.listed()
        panel = records.panel
        if self.wanted("screenshot-runs"):
            panel.table.clearSelection()
            panel.select_run(self.mlp_id)
            window.tabs.setCurrentWidget(panel)
            settle(window)
            self.save(window, "screenshot-runs")
        if self.wanted("screenshot-compare"):
            compare = window.experiments.compare([self.mlp_id, self.cnn_id])
            if compare is None:
                raise SystemExit("the compare window did not open")
            fit_to_screen(compare, 1300, 860)
            compare.show()
            wait_until(lambda: compare.evaluation is not None, 60000, "the compare window's evaluation")
            settle(window)
            self.save(compare, "screenshot-compare")
            compare.close()


    def lesson(self):
        """Lesson 5 at its divergence step: the question answered, the run checked, the frame on the banner."""
        if not self.wanted("screenshot-lesson"):
            return
        window = self.window
        player = window.actions.trigger("start_lesson", "05-learning-rate")
        for _ in range(2):
            window.actions.trigger("next_lesson_step")
        window.actions.trigger("answer_lesson", 0)
        window.actions.trigger("run_lesson_step")
        wait_until(lambda: player.is_checked and not player.job.busy, 300000, "the lesson's check")
        # the diverged run is paused (the redraw timer keeps ticking): no settle(), one redraw
        window.redraw.redraw(force=True)
        self.save(window, "screenshot-lesson")
        window.actions.trigger("stop")
        player.close_lesson()
        window.lessons.hide()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    parser.add_argument("--out-dir", default=str(ROOT / "docs"))
    parser.add_argument("--only", help="comma-separated picture names without .png (default: all)")
    args = parser.parse_args(argv)
    renderer = Renderer(args)
    home = renderer.start()
    renderer.shipped()
    if renderer.only is None or renderer.only - {"screenshot-not-a-digit"}:   # the rest need training runs
        renderer.mlp()
        renderer.cnn()
        renderer.runs()
        renderer.lesson()
    renderer.window.close()
    renderer.app.processEvents()
    too_big = [name for name, size in renderer.sizes.items() if size > MAX_PNG_BYTES]
    print(f"records and My digits were kept in {home} (temporary)")
    if too_big:
        print(f"warning: over {MAX_PNG_BYTES // 1000} kB: {', '.join(too_big)}")


if __name__ == "__main__":
    main()
