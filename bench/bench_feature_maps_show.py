"""How long the Feature maps tab holds the GUI thread when it is first shown, and the second time.

    QT_QPA_PLATFORM=offscreen python bench/bench_feature_maps_show.py [--repeats 5] [--busy]

Per repeat: a new MainWindow (1400 x 900, offscreen) with the Draw tab's default model (a
conv net), a 7 drawn with real mouse events on the Draw tab, the event loop run until the
window is idle (the feature maps view then has made its rows in steps, if it does so); then
the Feature maps tab is shown: the wall time and the GUI thread's own CPU time (time.thread_time,
less sensitive to other processes) until the loop is idle again. The longest single build
step taken while the tab was hidden is printed too (the rows are made one per event-loop turn).
--busy adds a thread that keeps asking for the GIL (pure Python, switch interval 2 ms as the
app sets it), as the training thread does between its NumPy calls. Medians of --repeats; on a
shared 2-core machine noisy, compare before/after in the same conditions.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from bench_gui import draw_seven  # noqa: E402
from bench_map_draw import BusyThread  # noqa: E402


def settle(app, turns=20):
    for _ in range(turns):
        app.processEvents()


def one_window(app):
    """(first show wall s, first show CPU s, second show wall s, second CPU s, longest step s)."""
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    window.resize(1400, 900)
    window.show()
    view, panel = window.tabs.feature_maps, window.tabs.draw_panel
    steps = []
    step = getattr(view, "_build_step", None)
    if step is not None:                                 # time each build step (this version has them)
        def timed_step():
            start = time.perf_counter()
            step()
            steps.append(time.perf_counter() - start)
        view._step_timer.timeout.disconnect()
        view._step_timer.timeout.connect(timed_step)
    window.tabs.setCurrentWidget(panel)
    settle(app)
    draw_seven(panel.canvas)
    panel.predict_now()
    deadline = time.perf_counter() + 10
    while getattr(view, "building", False) and time.perf_counter() < deadline:
        app.processEvents()
    settle(app)
    shows = []
    for _ in range(2):
        window.feature_maps._last_draw = -1.0           # past the 10 Hz limit: drawn at once when shown
        wall, cpu = time.perf_counter(), time.thread_time()
        window.tabs.setCurrentWidget(view)
        settle(app, 5)
        shows += [time.perf_counter() - wall, time.thread_time() - cpu]
        window.tabs.setCurrentWidget(panel)
        settle(app)
    assert window.feature_maps.draws >= 2, "the feature maps were not drawn"
    window.close()
    window.deleteLater()
    settle(app)
    return (*shows, max(steps) if steps else float("nan"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--busy", action="store_true", help="a GIL-busy thread runs meanwhile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DIGITLAB_SETTINGS"] = str(Path(tmp) / "settings.ini")
        from gui.shell.app import create_app
        app = create_app([])
        sys.setswitchinterval(0.002)
        one_window(app)                                  # warm-up: imports, first pyqtgraph items
        rows = []
        for _ in range(args.repeats):
            if args.busy:
                with BusyThread():
                    rows.append(one_window(app))
            else:
                rows.append(one_window(app))
        first, first_cpu, second, second_cpu, step = (np.median(column) * 1000 for column in zip(*rows))
        print(f"Feature maps tab shown{' with a GIL-busy thread' if args.busy else ''} (median of {args.repeats} "
              f"windows): first show {first:.1f} ms (GUI CPU {first_cpu:.1f} ms), second show {second:.1f} ms "
              f"(GUI CPU {second_cpu:.1f} ms); longest hidden build step {step:.1f} ms")


if __name__ == "__main__":
    main()
