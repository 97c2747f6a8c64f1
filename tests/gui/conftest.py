"""Fixtures for the GUI tests: settings isolated in tmp, the theme applied, real data paths."""
import pytest

# mnist_dir and mnist (the real data, a loud failure when ../shared is missing) come from
# tests/conftest.py; nothing here skips a test for want of data.


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Every test gets its own settings .ini (gui.ground.settings_store reads DIGITLAB_SETTINGS)."""
    path = tmp_path / "settings.ini"
    monkeypatch.setenv("DIGITLAB_SETTINGS", str(path))
    # MNIST look-ups must not find a real user's download, and caches must not touch ~/.cache
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "no-mnist-here"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # logs (and any other user folder) go under tmp too, never the real user's home
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path / "home"))
    # The offscreen platform has one 800x600 screen, which the window now fits itself into; the
    # tests are written for a desktop (the screen-fit tests pretend their own sizes).
    monkeypatch.setenv("DIGITLAB_SCREEN", "1920x1080")
    return path


@pytest.fixture(scope="session")
def themed_app(qapp):
    from gui.ground.theme import apply_theme
    apply_theme(qapp)
    return qapp


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread(qapp):
    """Windows closed by a test are freed here, on the GUI thread, before the next test starts
    a training thread (see gui/gc_guard.py)."""
    yield
    import gc
    qapp.processEvents()
    gc.collect()


@pytest.fixture
def shown_window(qtbot):
    """A shown MainWindow with no remembered settings, closed (its runs stopped) at the end."""
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
