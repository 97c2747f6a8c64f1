"""Render File > Export report… / Save experiment… / Open experiment… at 1366x768 after a short real
run on MNIST (layout checks, README). Everything is written under a temporary DIGITLAB_HOME.

    QT_QPA_PLATFORM=offscreen python scripts/render_report_experiment.py [--out-prefix /tmp/i24a_]

Writes <prefix>file_menu.png (the window with its File menu open), <prefix>experiment_other_data.png
(an experiment opened on other data: the run starts and a dialog says it will not repeat bit for
bit), <prefix>report.html and <prefix>report_page.png (the page as Qt's rich-text viewer lays it
out: a browser puts the headline figures side by side).
"""
import argparse
import base64
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DIGITLAB_SCREEN", "1366x768")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-prefix", default="/tmp/i24a_")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="digitlab-render-")
    os.environ["DIGITLAB_HOME"] = home
    os.environ["DIGITLAB_SETTINGS"] = str(Path(home) / "settings.ini")

    from PyQt5.QtCore import QEventLoop, QTimer
    from PyQt5.QtGui import QImage, QPainter
    from PyQt5.QtWidgets import QApplication, QMessageBox, QTextBrowser
    from core.data.datasets import load_idx_folder
    from core.data.transforms import subsample
    from gui.shell.main_window import MainWindow
    from gui.ground.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)
    mnist = load_idx_folder(args.data, name="mnist", cache_dir=Path(home) / "cache")
    window = MainWindow(restore_settings=False)
    window.resize(1366, 768)
    window.show()
    window.set_dataset(mnist)
    window.form.set_config(dataclasses.replace(window.form.config(), hidden_sizes=(64,), epochs=3, batch_size=64,
                                               train_examples=6000, val_split=1000.0, seed=1))

    def wait_for(signal, start, ms=120000):
        loop = QEventLoop()
        signal.connect(lambda *a: loop.quit())
        QTimer.singleShot(0, start)
        QTimer.singleShot(ms, loop.quit)
        loop.exec_()

    def settle(ms=400):
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec_()

    prefix = args.out_prefix
    experiment = f"{prefix}experiment.npz"
    wait_for(window.experiment_files.saved, lambda: window.actions.trigger("save_experiment", experiment))
    wait_for(window.run_finished, lambda: window.actions.trigger("start"))
    settle()
    # the File menu, painted over the window where it opens
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    settle()
    picture = window.grab().toImage()
    painter = QPainter(picture)
    painter.drawImage(window.mapFromGlobal(menu.pos()), menu.grab().toImage())
    painter.end()
    picture.save(f"{prefix}file_menu.png")
    menu.hide()
    # the report of the run just trained
    wait_for(window.reports.written, lambda: window.actions.trigger("export_report", path=f"{prefix}report.html"))
    # the experiment opened on other data (a 20,000-image MNIST)
    window.set_dataset(subsample(mnist, 20000, 2000))
    wait_for(window.experiment_files.opened, lambda: window.actions.trigger("open_experiment", experiment))
    settle(1500)
    picture = window.grab().toImage()
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    painter = QPainter(picture)
    painter.drawImage(window.mapFromGlobal(box.mapToGlobal(box.rect().topLeft())), box.grab().toImage())
    painter.end()
    picture.save(f"{prefix}experiment_other_data.png")
    if window.is_training:
        wait_for(window.run_finished, lambda: None)

    class Page(QTextBrowser):   # data: URIs are not fetched by Qt's viewer by itself
        def loadResource(self, kind, url):
            text = url.toString()
            if text.startswith("data:image/png;base64,"):
                return QImage.fromData(base64.b64decode(text.split(",", 1)[1]))
            return super().loadResource(kind, url)

    page = Page()
    page.setHtml(Path(f"{prefix}report.html").read_text(encoding="utf-8"))
    page.document().setTextWidth(1340)
    page.resize(1366, int(page.document().size().height()) + 20)
    page.show()
    settle()
    page.grab().save(f"{prefix}report_page.png")
    window.close()
    print("\n".join(f"{prefix}{name}" for name in ("file_menu.png", "experiment_other_data.png", "report.html",
                                                    "report_page.png")))


if __name__ == "__main__":
    main()
