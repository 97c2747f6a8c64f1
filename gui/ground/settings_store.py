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


def load_int(settings, key, default, low, high, problems):
    """The whole number stored under key, clamped to [low, high]; ``default`` when missing. A value
    that is not a number (settings.ini edited by hand, another version) gives the default too and
    adds the key to ``problems`` (a list the caller reports once), instead of stopping the app."""
    value = settings.value(key, None)
    if value is None or value == "":
        return default
    try:
        number = int(float(str(value)))
    except (TypeError, ValueError, OverflowError):
        problems.append(key)
        return default
    return min(high, max(low, number))


def load_text(settings, key, default, problems, allowed=None):
    """The text stored under key (one of ``allowed`` when given); ``default`` when missing, and
    when unusable with the key added to ``problems``."""
    value = settings.value(key, None)
    if value is None:
        return default
    if not isinstance(value, str) or (allowed is not None and value not in allowed):
        problems.append(key)
        return default
    return value
