"""View > Theme: light, dark, or follow the system; applied at once and remembered.

The choice is stored on its own key the moment it is made (not with the window's layout at
close), so a crash after a switch still keeps it. app.create_app applies the stored choice
before the first window exists, so pyqtgraph's options are right for every plot made after.
"""
from PyQt5.QtWidgets import QApplication

from gui.ground import theme
from gui.ground.settings_store import load_text, open_settings

KEY = "view/theme"
DEFAULT = "system"
_chosen = None   # the choice applied through this module ("light", "dark" or "system")


def stored_choice():
    """The remembered choice; DEFAULT when none or unreadable."""
    return load_text(open_settings(), KEY, DEFAULT, [], allowed=theme.CHOICES)


def current():
    """The choice in force (what the View > Theme entries show checked)."""
    return _chosen or stored_choice()


def apply_stored(app):
    """At start: the remembered theme."""
    global _chosen
    _chosen = stored_choice()
    return theme.apply_theme(app, _chosen)


def choose(window, choice):
    """Switch to ``choice`` now (the open window and its plots restyle) and remember it."""
    global _chosen
    if choice not in theme.CHOICES:
        raise ValueError(f"no theme {choice!r}; the themes are: {', '.join(theme.CHOICES)}")
    _chosen = choice
    colours = theme.apply_theme(QApplication.instance(), choice)
    settings = open_settings()
    settings.setValue(KEY, choice)
    settings.sync()
    said = "following the system" if choice == "system" else "chosen"
    window.statusBar().showMessage(f"{colours.name.capitalize()} theme ({said}).")
    return colours
