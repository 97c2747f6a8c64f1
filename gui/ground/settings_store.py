"""Where the app remembers settings and window layout between launches (QSettings).

An .ini file in the user's config folder (core.storage.user_dirs.user_config_dir(), from
platformdirs; DIGITLAB_HOME moves it with every other user folder). DIGITLAB_SETTINGS, when set,
names another .ini file, so tests never touch the user's real settings.
"""
import json
import os

from PyQt5.QtCore import QSettings

from core.storage.user_dirs import user_config_dir

ORGANISATION = "DigitLab"
APPLICATION = "DigitLab"


SETTINGS_NAME = "settings.ini"


def settings_path():
    """The .ini file: $DIGITLAB_SETTINGS if set, else settings.ini in the user's config folder."""
    path = os.environ.get("DIGITLAB_SETTINGS", "").strip()
    return path or str(user_config_dir() / SETTINGS_NAME)


def open_settings():
    """A QSettings on settings_path() (QSettings creates the folder when it first writes)."""
    return QSettings(settings_path(), QSettings.IniFormat)


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
