"""Render the Runs tab and the rewind bar after real training on an MNIST subset (layout checks,
README pictures). Everything is written under a temporary DIGITLAB_HOME, never the user's folder.

    QT_QPA_PLATFORM=offscreen python scripts/render_runs.py [--out-prefix /tmp/runsgui_]

Writes <prefix>panel.png (three runs: a baseline, a fork, a corrupt record), <prefix>continued.png
(Training tab after continuing the baseline by 2 epochs), <prefix>rewind_training.png and
<prefix>rewind_evaluation.png (the rewind slider at epoch 1 of the continued run), and the two
dialogs: <prefix>fork_dialog.png, <prefix>continue_dialog.png.
"""
import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-prefix", default="/tmp/runsgui_")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="digitlab-render-")
    os.environ["DIGITLAB_HOME"] = home
    os.environ["DIGITLAB_SETTINGS"] = str(Path(home) / "settings.ini")

    from PyQt5.QtCore import QEventLoop, QTimer
    from PyQt5.QtWidgets import QApplication
    from core.data.datasets import load_idx_folder
    from core.data.transforms import subsample
    from core.storage import user_dirs
    from gui.shell.main_window import MainWindow
    from gui.ground.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)
    dataset = subsample(load_idx_folder(args.data, name="mnist", cache_dir=Path(home) / "cache"), 6000, 500)
    window = MainWindow(restore_settings=False)
    window.resize(1400, 900)
    window.show()
    window.set_dataset(dataset)
    window.form.set_config(dataclasses.replace(window.form.config(), hidden_sizes=(64,), epochs=3, batch_size=64,
                                               schedule="constant", learning_rate=0.1, val_split=1000.0))

    def wait_for(signal, start):
        loop = QEventLoop()
        signal.connect(lambda *a: loop.quit())
        QTimer.singleShot(0, start)
        QTimer.singleShot(120000, loop.quit)
        loop.exec_()

    def settle(ms=400):
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec_()

    records = window.run_records
    panel = records.panel

    def listed():   # the runs folder is read in a worker
        while records.lister.busy or records.lister.again:
            settle(20)

    wait_for(window.run_finished, window.start_training)
    listed()
    baseline = panel.summaries[0].id
    records.rename(baseline, "baseline, lr 0.1")
    window.form.set_config(dataclasses.replace(window.form.config(), learning_rate=0.02))
    panel.select_run(baseline)
    window.form.set_config(dataclasses.replace(window.form.config(), hidden_sizes=(128,)))   # refused in a fork
    dialog = records.ask_fork(baseline)
    dialog.select_epoch(1)
    settle(100)
    dialog.grab().save(f"{args.out_prefix}fork_dialog.png")
    wait_for(window.run_finished, dialog.accept)
    broken = user_dirs.runs_dir() / "20200101-000000-broken"
    broken.mkdir()
    (broken / "settings.json").write_text("{ cut short")
    records.refresh()
    listed()
    panel.table.clearSelection()
    panel.select_run(baseline)
    window.tabs.setCurrentWidget(panel)
    settle()
    window.grab().save(f"{args.out_prefix}panel.png")

    dialog = records.ask_continue(baseline)
    dialog.epochs_spin.setValue(2)
    settle(100)
    dialog.grab().save(f"{args.out_prefix}continue_dialog.png")
    wait_for(window.run_finished, dialog.accept)
    window.tabs.setCurrentIndex(0)
    settle()
    window.grab().save(f"{args.out_prefix}continued.png")

    records.refresh()
    listed()
    panel.table.clearSelection()
    panel.select_run(baseline)
    wait_for(records.shower.shown, lambda: records.open_run(baseline))
    wait_for(records.shower.shown, lambda: records.rewind.move_to(1))
    settle()
    window.grab().save(f"{args.out_prefix}rewind_training.png")
    window.tabs.setCurrentIndex(2)
    settle()
    window.grab().save(f"{args.out_prefix}rewind_evaluation.png")
    window.tabs.setCurrentWidget(panel)
    settle()
    window.grab().save(f"{args.out_prefix}panel_after.png")
    window.close()
    print(f"wrote {args.out_prefix}panel.png, fork_dialog.png, continue_dialog.png, continued.png, "
          f"rewind_training.png, rewind_evaluation.png, panel_after.png (records in {home})")


if __name__ == "__main__":
    main()
