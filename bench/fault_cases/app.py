"""The window itself (issue 18 item 3): bad values in settings.ini must not stop the app from
opening. The window is opened offscreen through main.py's own main() (the launcher, which stays
put while core/ and gui/ move), shown for a moment in its event loop, then closed."""
from fault_cases.harness import REPO, WRONG, case, has_traceback, traceback_summary

APP_DRIVER = r'''
import sys
sys.path.insert(0, sys.argv[1])
try:
    import main as launcher
    from PyQt5.QtCore import QTimer
    from PyQt5.QtWidgets import QApplication
except ImportError as error:
    print(f"entry point moved: {error}", file=sys.stderr)
    sys.exit(77)
if not hasattr(launcher, "main"):
    print("entry point moved: main.py has no main()", file=sys.stderr)
    sys.exit(77)

def close_soon(run_loop):
    def run(*args):
        app = QApplication.instance()
        def close():
            shown = [w for w in app.topLevelWidgets() if w.isWindow() and w.isVisible()]
            print(f"fault-injection: {len(shown)} window(s) shown", flush=True)
            app.closeAllWindows()
            QTimer.singleShot(300, app.quit)
        QTimer.singleShot(1000, close)
        return run_loop()   # static in Qt: called on the instance, it must not get it
    return run

for name in ("exec_", "exec"):
    if hasattr(QApplication, name):
        setattr(QApplication, name, close_soon(getattr(QApplication, name)))
sys.exit(launcher.main([]))
'''

# (name, settings.ini text or bytes, quick)
SETTINGS = [
    ("app-opens-fresh-home", None, True),
    ("settings-ini-smoothing-abc", "[plots]\nsmoothing=abc\n", True),
    ("settings-ini-smoothing-float", "[plots]\nsmoothing=0.5\n", False),
    ("settings-ini-tab-abc", "[window]\ntab=abc\n", False),
    ("settings-ini-geometry-garbage", "[window]\ngeometry=abc\nsplitter=@ByteArray(xyz)\n", False),
    ("settings-ini-form-config-wrong-types",
     '[form]\nconfig="{\\"learning_rate\\": \\"fast\\", \\"epochs\\": -5, \\"hidden_sizes\\": 7}"\npreset=nope\n', False),
    ("settings-ini-data-kind-nonsense", "[data]\nkind=nonsense\nfolder=/no/such/folder\n", False),
    ("settings-ini-binary-garbage", bytes(range(256)) * 8, False),
]


def settings_case(contents):
    def run(trial):
        ini = trial.home / "config" / "settings.ini"
        if contents is not None:
            ini.parent.mkdir(parents=True)
            ini.write_bytes(contents if isinstance(contents, bytes) else contents.encode("utf-8"))
        result = trial.python(APP_DRIVER, REPO, expect="ran", label="python main.py (the window)", limit_memory=False,
                              env={"QT_QPA_PLATFORM": "offscreen", "DIGITLAB_SETTINGS": str(ini)}, timeout=90)
        opened = result.returncode == 0 and "window(s) shown" in result.stdout
        if not opened and not trial.problems:
            logged = [p.read_text(errors="replace") for p in trial.home.rglob("*.log")]
            logged = [text for text in logged if has_traceback(text)]
            where = f"; the traceback only in the log: {traceback_summary(logged[-1])}" if logged else ""
            trial.problem(WRONG, f"the app did not open (exit {result.returncode}, "
                                 f"{result.message or 'nothing printed'}){where}")
        return trial.verdict(clean_detail="opened and closed" + (f"; said: {result.message}" if result.message else ""))
    return run


for _name, _contents, _quick in SETTINGS:
    case(_name, issue="" if _contents is None else "18.3", quick=_quick,
         about="the window opens" + ("" if _contents is None else f" with settings.ini: {_contents!r:.60}"))(
        settings_case(_contents))
