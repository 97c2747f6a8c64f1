"""What the window remembers between launches (QSettings, gui.ground.settings_store): the form's
settings and preset, the data choice, the window geometry and splitter, the tab, the smoothing."""
from PyQt5.QtCore import QByteArray

from core.errors import ConfigError
from core.settings.config import TrainConfig
from gui.ground.screen_fit import keep_on_screen
from gui.ground.settings_store import load_int, load_json, load_text, open_settings, save_json


def restore(window):
    """Put back what save() stored; anything missing or from another version keeps its default.
    Returns the keys whose stored values were unusable (they were reset to their defaults)."""
    settings, problems = open_settings(), []
    config = load_json(settings, "form/config")
    if config:
        try:
            window.form.set_config(TrainConfig.from_dict(config))
        except (TypeError, ValueError, AttributeError, ConfigError):
            problems.append("form/config")   # settings from another version: keep the defaults
    preset = load_text(settings, "form/preset", "", problems)
    window.form.show_preset(preset)
    kinds = [window.dataset_panel.kind_combo.itemData(i) for i in range(window.dataset_panel.kind_combo.count())]
    window.dataset_panel.set_choice(load_text(settings, "data/kind", "mnist", problems, allowed=kinds),
                                    load_text(settings, "data/folder", "", problems))
    for key, widget in (("window/geometry", window), ("window/splitter", window.splitter)):
        value = settings.value(key)
        if isinstance(value, QByteArray):
            (widget.restoreGeometry if widget is window else widget.restoreState)(value)
    # remembered on a bigger screen (or another monitor): back within this screen
    keep_on_screen(window, *window.PREFERRED_SIZE)
    window.tabs.setCurrentIndex(load_int(settings, "window/tab", 0, 0, window.tabs.count() - 1, problems))
    slider = window.tabs.training.smoothing_slider
    slider.setValue(load_int(settings, "plots/smoothing", 90, slider.minimum(), slider.maximum(), problems))
    return problems


def save(window):
    """Remember the form (only if valid), the data choice and the window's layout."""
    settings = open_settings()
    try:
        save_json(settings, "form/config", window.form.config().to_dict())
    except ConfigError:
        pass   # never remember an invalid form
    settings.setValue("form/preset", window.form.preset_combo.currentData() or "")
    settings.setValue("data/kind", window.dataset_panel.chosen_kind)   # not 'other': My drawings' data
    settings.setValue("data/folder", window.dataset_panel.folder_edit.text())
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/splitter", window.splitter.saveState())
    settings.setValue("window/tab", window.tabs.currentIndex())
    settings.setValue("plots/smoothing", window.tabs.training.smoothing_slider.value())
    settings.sync()
