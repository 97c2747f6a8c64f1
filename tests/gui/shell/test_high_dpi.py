"""High-DPI screens: with Qt's scaling on (gui/shell/app.create_app) a screen at 2x draws the
window, its plots and its pictures with twice the pixels (crisp, not a blown-up 1x picture).
Run in a child Python with QT_SCALE_FACTOR=2 (a QApplication's scale is fixed at its start)."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import json, sys
from gui.shell.app import create_app
app = create_app([])
from gui.shell.main_window import MainWindow
window = MainWindow(restore_settings=False)
window.resize(1000, 700)
window.show()
app.processEvents()
plot = window.tabs.training.loss_plot
shot, plot_shot = window.grab(), plot.grab()
print(json.dumps({"ratio": shot.devicePixelRatio(), "logical": [window.width(), window.height()],
                  "pixels": [shot.width(), shot.height()], "plot_ratio": plot_shot.devicePixelRatio(),
                  "plot_pixels": [plot_shot.width(), plot.width()]}))
window.close()
"""


def test_at_2x_the_window_and_its_plots_are_drawn_with_twice_the_pixels(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2", DIGITLAB_HOME=str(tmp_path),
               DIGITLAB_SETTINGS=str(tmp_path / "settings.ini"), DIGITLAB_SCREEN="1920x1080",
               PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["ratio"] == 2 and seen["plot_ratio"] == 2
    assert seen["pixels"] == [2 * seen["logical"][0], 2 * seen["logical"][1]]
    assert seen["plot_pixels"][0] == 2 * seen["plot_pixels"][1]
