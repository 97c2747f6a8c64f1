"""The augmentation settings sit in their own collapsible section, generated from the
declarations, off by default and after a classic preset."""
import pytest

from core.data.augment import AugmentSettings
from core.settings import presets
from core.settings.config import TrainConfig
from core.settings.fields import settings_of
from gui.training.settings_form import SettingsForm

pytestmark = pytest.mark.usefixtures("themed_app")


def test_augmentation_section_is_generated_closed_and_off(qtbot):
    form = SettingsForm()
    qtbot.addWidget(form)
    declared = {info.name for info in settings_of(TrainConfig) if info.group == "augmentation"}
    assert declared and set(form.augmentation.editors) == declared
    for name in declared:
        assert form.augmentation.body.isAncestorOf(form.editors[name].widget), name
    assert not form.augmentation.expanded
    assert not form.config().augmentation.enabled
    assert form.augmentation.strengths() == AugmentSettings()


def test_edits_reach_the_config_and_a_classic_preset_switches_them_off(qtbot):
    form = SettingsForm()
    qtbot.addWidget(form)
    form.augmentation.set_expanded(True)
    with qtbot.waitSignal(form.augmentation.changed):
        form.augmentation.augment_rotation_edit.setText("12")
    form.augmentation.augment_shift_edit.setText("2")
    assert form.config().augment_rotation == 12.0 and form.config().augmentation.has_affine
    assert form.augmentation.strengths() == AugmentSettings(rotation=12.0, shift=2.0)
    assert form.augmentation.toggle.text() == "Augmentation (on)"
    form.augmentation.augment_shift_edit.setText("2x")       # half-typed: the preview keeps the last good strengths
    assert form.augmentation.strengths() == AugmentSettings(rotation=12.0, shift=2.0)
    classic = next(name for name, p in presets.PRESETS.items() if not p.config.augmentation.enabled)
    form.select_preset(classic)
    assert not form.config().augmentation.enabled
    assert not form.augmentation.expanded
    assert form.augmentation.toggle.text() == "Augmentation (off)"
