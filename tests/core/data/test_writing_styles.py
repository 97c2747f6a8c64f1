"""core.data.writing_styles: the lead-in 1, the crossed or curled 7, the slashed 0 and the hooked 9
added to MNIST digits."""
import numpy as np
import pytest

from core.data.augment import AugmentSettings, Augmenter
from core.data.writing_styles import (STYLE_STROKES, enlarge_loop, add_writing_styles, centres_of_mass, crossbar_strokes,
                                      curled_foot_strokes, hooked_stem_strokes, ink_boxes, stem_foot, stem_slants,
                                      stroke_image)


@pytest.fixture(scope="module")
def digits(mnist):
    """The first 40 training 1s, 7s, 0s, 9s, 6s and 4s: (images (240, 28, 28) uint8, labels (240,))."""
    images = mnist.train_images.reshape(-1, 28, 28)
    rows = np.concatenate([np.flatnonzero(mnist.train_labels == d)[:40] for d in (1, 7, 0, 9, 6, 4)])
    return images[rows], mnist.train_labels[rows]


def test_a_stroke_is_full_ink_on_the_segment_and_none_far_from_it():
    image = stroke_image(np.array([[14.0, 4.0]]), np.array([[14.0, 24.0]]), np.array([2.0]), (28, 28))[0]
    assert image[14, 4:25].min() == 255.0          # on the segment
    assert image[14, 0:2].max() == 0.0             # beyond its end
    assert image[:11].max() == 0.0 and image[18:].max() == 0.0
    assert 0 < image[15, 10] <= 255 and image[16, 10] < image[15, 10]   # the anti-aliased edge


def test_only_the_chosen_share_of_1s_7s_0s_and_9s_changes(digits):
    images, labels = digits
    styled = add_writing_styles(images, labels, 1.0, np.random.default_rng(0))
    changed = np.any(styled != images, axis=(1, 2))
    assert changed[labels != 4].all()               # every 1, 7, 0, 9 and 6 got its style
    assert not changed[labels == 4].any()           # other digits never change
    unchanged = add_writing_styles(images, labels, 0.0, np.random.default_rng(0))
    np.testing.assert_array_equal(unchanged, images)
    some = add_writing_styles(images, labels, 0.3, np.random.default_rng(0))
    share = np.any(some != images, axis=(1, 2))[labels != 4].mean()
    assert 0.15 < share < 0.45


def test_0s_only_gain_ink_and_a_7s_bar_crosses_the_middle(digits):
    images, labels = digits
    styled = add_writing_styles(images, labels, 1.0, np.random.default_rng(1))
    mask = labels == 0
    assert np.all(styled[mask].astype(int) >= images[mask].astype(int))
    sevens = images[labels == 7]
    top, bottom, _, _ = ink_boxes(sevens)
    (starts, ends), = crossbar_strokes(sevens, np.random.default_rng(1))
    relative = ((starts[:, 0] + ends[:, 0]) / 2 - top) / (bottom - top)
    assert np.all((relative > 0.35) & (relative < 0.75))


def test_a_1_gets_its_lead_in_to_the_left_of_its_top_and_keeps_its_centre_of_mass(digits):
    images, labels = digits
    ones = images[labels == 1]
    ones = ones[np.abs(stem_slants(ones)) < 0.15]    # upright: on a slanted 1 the stroke follows the slant
    assert len(ones) >= 10
    styled = add_writing_styles(ones, np.ones(len(ones), int), 1.0, np.random.default_rng(2))
    before, after = centres_of_mass(ones), centres_of_mass(styled)
    assert np.abs(after - before).max() <= 0.75     # moved back by whole pixels
    # the upper half of the ink reaches further left of the centre of mass (shift-invariant)
    def reach_left(batch):
        top, bottom, _, _ = ink_boxes(batch)
        centre = centres_of_mass(batch)[:, 1]
        return np.array([np.flatnonzero((image[t:(t + b) // 2 + 1] > 128).any(axis=0)).min() - c
                         for image, t, b, c in zip(batch, top, bottom, centre)])
    gained = reach_left(ones) - reach_left(styled)
    assert np.mean(gained > 1.0) >= 0.8 and np.median(gained) > 2.0   # (a 1 with a serif already reaches left)


def test_the_stem_slant_is_measured_from_the_ink():
    image = np.zeros((1, 28, 28), np.uint8)
    for r in range(4, 24):
        image[0, r, 10 + (r - 4) // 2] = 255         # leans right by half a pixel per row
    assert stem_slants(image)[0] == pytest.approx(0.5, abs=0.05)


def test_styles_are_reproducible_and_need_digit_labels(digits):
    images, labels = digits
    settings = AugmentSettings(styles=0.5, rotation=10.0)
    a = Augmenter(settings, np.random.default_rng(5))(images, labels)
    b = Augmenter(settings, np.random.default_rng(5))(images, labels)
    np.testing.assert_array_equal(a, b)
    # task labels (one digit against the rest) or no labels: no writing-style strokes at all
    without = AugmentSettings(rotation=10.0)
    plain = Augmenter(without, np.random.default_rng(5))(images)
    np.testing.assert_array_equal(Augmenter(settings, np.random.default_rng(5), digit_labels=False)(images, labels), plain)
    np.testing.assert_array_equal(Augmenter(settings, np.random.default_rng(5))(images), plain)


def test_a_9_gets_a_hook_to_the_left_below_its_stem_and_keeps_its_centre(digits):
    images, labels = digits
    nines = images[labels == 9]
    foot, height = stem_foot(nines)
    for starts, ends in hooked_stem_strokes(nines, np.random.default_rng(3)):
        for point in (starts, ends):
            assert np.all(point[:, 0] >= foot[:, 0] - 0.25 * height)   # at the bottom of the digit
    last = hooked_stem_strokes(nines, np.random.default_rng(3))[-1][1]
    assert np.all(last[:, 1] < foot[:, 1] - 0.1 * height)              # and it ends to the left
    styled = add_writing_styles(nines, np.full(len(nines), 9), 1.0, np.random.default_rng(3))
    assert np.abs(centres_of_mass(styled) - centres_of_mass(nines)).max() <= 0.75   # put back where it was
    assert np.all(styled.sum(axis=(1, 2), dtype=np.int64) > nines.sum(axis=(1, 2), dtype=np.int64))


def test_a_7s_curled_foot_is_small_either_way_and_7s_get_bars_or_curls(digits):
    images, labels = digits
    sevens = images[labels == 7]
    foot, height = stem_foot(sevens)
    segments = curled_foot_strokes(sevens, np.random.default_rng(4))
    reach = np.stack([end[:, 1] for _, end in segments]) - foot[:, 1]           # (segments, k) columns from the foot
    furthest = np.abs(reach).max(axis=0)
    assert np.all(furthest <= 0.18 * height + 1e-9)      # small: a wide foot to the right is a 2's base
    side = np.sign(reach[-1])
    assert (side < 0).any() and (side > 0).any()
    assert STYLE_STROKES[7] == (crossbar_strokes, curled_foot_strokes)


def test_a_6s_loop_grows_and_its_box_stays(digits):
    images, labels = digits
    sixes = images[labels == 6]
    grown = enlarge_loop(sixes, np.random.default_rng(6))
    before, after = ink_boxes(sixes), ink_boxes(grown)
    assert np.abs(np.array(after) - np.array(before)).max() <= 1          # the same box
    def hole_heights(batch):   # rows spanned by the enclosed paper (the loop's inside), 0 without a loop
        from scipy import ndimage
        heights = []
        for image in batch:
            ink = image > 96
            hole = ndimage.binary_fill_holes(ink) & ~ink
            rows = np.flatnonzero(hole.any(axis=1))
            heights.append(rows.max() - rows.min() + 1 if rows.size else 0)
        return np.array(heights)
    was, now = hole_heights(sixes), hole_heights(grown)
    looped = was > 0
    assert looped.sum() >= 20
    assert np.median(now[looped] - was[looped]) >= 1 and np.mean(now[looped] >= was[looped]) >= 0.8
