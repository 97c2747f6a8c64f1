"""How long after Start the first snapshot of a run reaches the window, now that every run trains
in its own process (spawned, the data through shared memory). Prints each run and the median.

    QT_QPA_PLATFORM=offscreen python bench/bench_first_snapshot.py --repeats 5
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DIGITLAB_SETTINGS"] = str(Path(tmp) / "settings.ini")
        os.environ["DIGITLAB_HOME"] = tmp
        from core.data.datasets import load_idx_folder
        from core.settings.presets import PRESETS
        from gui.shell.app import create_app
        from gui.shell.main_window import MainWindow
        app = create_app([])
        dataset = load_idx_folder(args.data, cache_dir=tmp)
        window = MainWindow(restore_settings=False)
        window.set_dataset(dataset)
        window.form.set_config(PRESETS["default"].config)
        window.show()
        seconds = []
        for repeat in range(args.repeats):
            first = []

            def note(_snapshot, first=first):
                if not first:
                    first.append(time.perf_counter())
            window.snapshot_received.connect(note)
            started = time.perf_counter()
            window.start_training()
            while not first:
                app.processEvents()
                time.sleep(0.001)
            seconds.append(first[0] - started)
            window.stop_training()
            while window.is_training:
                app.processEvents()
                time.sleep(0.005)
            window.snapshot_received.disconnect(note)
            print(f"run {repeat + 1}: first snapshot {seconds[-1] * 1000:.0f} ms after Start", flush=True)
        print(f"\nmedian of {args.repeats}: {statistics.median(seconds) * 1000:.0f} ms (target: within 1 s)")
        window.close()


if __name__ == "__main__":
    main()
