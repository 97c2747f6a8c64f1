"""Where the app remembers settings and window layout between launches (QSettings).

DIGITLAB_SETTINGS, when set, names an .ini file to use instead of the platform's store, so
tests (and portable installs) never touch the user's real settings.
"""
import json
import os

from PyQt5.QtCore import QSettings

ORGANISATION = "DigitLab"
APPLICATION = "DigitLab"


def open_settings():
    """A QSettings for DigitLab: the DIGITLAB_SETTINGS .ini file if set, else the user store."""
    path = os.environ.get("DIGITLAB_SETTINGS", "").strip()
    if path:
        return QSettings(path, QSettings.IniFormat)
    return QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANISATION, APPLICATION)


def save_json(settings, key, value):
    """Store a dict/list as JSON text (QSettings' own variant encoding differs per platform)."""
    settings.setValue(key, json.dumps(value))


def load_json(settings, key, default=None):
    """The JSON value stored under key, or default if missing or unreadable (never raises)."""
    text = settings.value(key, None)
    if not text:
        return default
    try:
        return json.loads(str(text))
    except (TypeError, ValueError):
        return default
