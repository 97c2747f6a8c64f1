"""Render the main window after a few epochs of real training to docs/screenshot.png.

Uses MNIST from ../shared/data/mnist (or --data DIR) when present, else the built-in digits.

    QT_QPA_PLATFORM=offscreen python scripts/render_window.py [--epochs 3] [--tab 0] [--out docs/screenshot.png]
"""
import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--tab", type=int, default=0, help="0 Training, 1 Weights, 2 Evaluation, 3 Data, 4 Draw")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DIGITLAB_SETTINGS"] = str(Path(tmp) / "settings.ini")
        from core.datasets import load_dataset
        from gui.app import create_app
        from gui.main_window import MainWindow
        app = create_app([])
        dataset, notice = load_dataset("mnist", args.data, cache_dir=tmp)
        window = MainWindow(restore_settings=False)
        window.resize(1400, 900)
        window.dataset_panel.set_choice("mnist", args.data)
        window.set_dataset(dataset, notice)
        window.form.epochs_spin.setValue(args.epochs)
        window.tabs.setCurrentIndex(args.tab)
        window.show()
        window.run_finished.connect(lambda _: app.quit())
        window.start_training()
        app.exec_()
        window.tabs.weights.select_unit(5)
        app.processEvents()
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(args.out)
        print(f"wrote {args.out}")
        window.close()


if __name__ == "__main__":
    main()
