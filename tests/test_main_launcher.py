"""main.py checks for Qt's xcb libraries before Qt is touched, and says which packages to install.
The library check is injected (a finder that reports what is "installed"), never a mock of Qt."""
import main

ALL_LIBRARIES = {library for library, _ in main.XCB_LIBRARIES}


def finder(installed):
    calls = []

    def loads(name):
        calls.append(name)
        return name in installed
    loads.calls = calls
    return loads


def test_missing_libraries_name_their_packages_and_the_apt_command(monkeypatch, capsys):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(main.sys, "platform", "linux")
    installed = ALL_LIBRARIES - {"libxcb-icccm.so.4", "libxcb-xinerama.so.0"}
    code = main.main([], library_loads=finder(installed))
    err = capsys.readouterr().err
    assert code == 1
    assert "libxcb-icccm4, libxcb-xinerama0" in err
    assert "sudo apt-get install libxcb-icccm4 libxcb-xinerama0\n" in err
    assert "libxcb-keysyms1" not in err and len(err.strip().splitlines()) == 4


def test_nothing_missing_means_no_complaint():
    loads = finder(ALL_LIBRARIES)
    assert main.missing_xcb_packages(loads, environ={"DISPLAY": ":0"}, platform="linux") == []
    assert sorted(loads.calls) == sorted(ALL_LIBRARIES)


def test_no_check_when_qt_will_not_use_xcb():
    loads = finder(set())
    for environ, platform in (({"QT_QPA_PLATFORM": "offscreen"}, "linux"), ({"QT_QPA_PLATFORM": "wayland"}, "linux"),
                              ({}, "darwin"), ({}, "win32")):
        assert main.missing_xcb_packages(loads, environ=environ, platform=platform) == []
    assert loads.calls == []
    assert main.missing_xcb_packages(loads, environ={"QT_QPA_PLATFORM": "xcb"}, platform="linux") != []


def test_the_real_loader_tells_present_from_absent():
    assert main.library_loads("libc.so.6")
    assert not main.library_loads("libdigitlab-no-such-library.so.0")
