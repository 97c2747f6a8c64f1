"""The Data tab's augmentation preview shows real training images augmented with the form's
strengths, exactly as core.data.augment.apply does with the same parameters."""
import numpy as np
import pytest

from core.data.augment import AugmentSettings, apply, draw_params
from core.data.transforms import subsample
from tests.gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture(scope="module")
def small_mnist(mnist):
    return subsample(mnist, 2000, 200)


def test_preview_follows_the_form_and_equals_apply(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist)
    preview = window.tabs.data.augment_preview
    assert preview.examples.shape == (20, 28, 28)
    # two real examples of each digit, example-major: row 0 holds one of every class
    picked_labels = [small_mnist.train_labels[np.flatnonzero((small_mnist.train_images == image).all(axis=(1, 2)))[0]]
                     for image in preview.examples]
    assert picked_labels == list(range(10)) * 2
    np.testing.assert_array_equal(preview.augmented, preview.examples)   # off by default: identical
    section = window.form.augmentation
    section.set_expanded(True)
    with qtbot.waitSignal(preview.refreshed, timeout=3000):
        section.augment_rotation_edit.setText("25")
        section.augment_elastic_alpha_edit.setText("30")
    wanted = AugmentSettings(rotation=25.0, elastic_alpha=30.0)
    assert preview.settings == wanted
    assert not np.array_equal(preview.augmented, preview.examples)
    expected = apply(preview.examples, draw_params(wanted, 20, (28, 28), np.random.default_rng(preview.draw_seed)))
    np.testing.assert_array_equal(preview.augmented, expected)
    first = preview.augmented.copy()
    with qtbot.waitSignal(preview.refreshed, timeout=1000):
        preview.new_draw_button.click()
    assert not np.array_equal(preview.augmented, first)
    again = apply(preview.examples, draw_params(wanted, 20, (28, 28), np.random.default_rng(preview.draw_seed)))
    np.testing.assert_array_equal(preview.augmented, again)
    assert not preview.plain_view.pixmap().isNull() and not preview.augmented_view.pixmap().isNull()


def test_writing_styles_in_the_preview_change_only_1s_7s_0s_9s_and_6s(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist)
    preview = window.tabs.data.augment_preview
    section = window.form.augmentation
    section.set_expanded(True)
    with qtbot.waitSignal(preview.refreshed, timeout=3000):
        section.augment_styles_edit.setText("1")
    assert preview.settings == AugmentSettings(styles=1.0)
    changed = np.any(preview.augmented != preview.examples, axis=(1, 2))
    labels = np.array(list(range(10)) * 2)
    styled = (0, 1, 7, 9, 6)          # a stroke each, and the 6s a larger loop (core.data.writing_styles)
    assert changed[np.isin(labels, styled)].all()
    assert not changed[~np.isin(labels, styled)].any()
