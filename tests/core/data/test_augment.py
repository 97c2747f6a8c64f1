"""core.data.augment: random affine, elastic and thickness augmentation of uint8 batches."""
import numpy as np
import pytest
from scipy import ndimage

from core.data.augment import (AugmentParams, AugmentSettings, Augmenter, affine_matrices, apply, draw_params,
                               make_augmenter, smooth_fields)
from core.data.augment_reference import apply_reference
from core.errors import ConfigError
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH

ALL_KINDS = AugmentSettings(shift=2.0, rotation=12.0, scale=0.1, shear=10.0, elastic_alpha=34.0, thickness=0.5)
# moderate strengths, as one would train with (an MLP is not shift-invariant: shift 2 alone costs it 9 points)
MODERATE = AugmentSettings(shift=1.0, rotation=12.0, scale=0.1, shear=10.0, elastic_alpha=20.0, thickness=0.5)
EACH_KIND = {"shift": AugmentSettings(shift=2.0), "rotation": AugmentSettings(rotation=15.0),
             "scale": AugmentSettings(scale=0.15), "shear": AugmentSettings(shear=15.0),
             "elastic": AugmentSettings(elastic_alpha=34.0), "thickness": AugmentSettings(thickness=0.8)}


def fixed_params(n, rotation=0.0, scale=1.0, shear=0.0, shift=(0.0, 0.0)):
    return AugmentParams(affine_matrices(np.full(n, rotation), np.full(n, scale), np.full(n, shear)),
                         np.tile(np.asarray(shift, dtype=np.float64), (n, 1)))


def bar(horizontal=True):
    image = np.zeros((1, 28, 28), np.uint8)
    if horizontal:
        image[0, 13:15, 4:24] = 255
    else:
        image[0, 4:24, 13:15] = 255
    return image


@pytest.fixture(scope="module")
def batch(mnist):
    return mnist.test_images[:256], mnist.test_labels[:256]


def test_every_kind_keeps_dtype_shape_range_and_changes_the_images(batch):
    images, _ = batch
    for name, settings in {**EACH_KIND, "all": ALL_KINDS}.items():
        out = Augmenter(settings, np.random.default_rng(1))(images)
        assert out.dtype == np.uint8 and out.shape == images.shape, name
        changed = np.mean(np.any(out != images, axis=(1, 2)))
        assert changed > 0.9, f"{name}: only {changed:.0%} of the images changed"
        # the ink stays in the picture: the mass changes by a modest amount only
        ratio = out.astype(np.float64).sum() / images.astype(np.float64).sum()
        assert 0.6 < ratio < 1.6, f"{name}: ink mass ratio {ratio:.2f}"
        assert out.max() > 200, name


def test_augmented_digits_keep_their_labels_for_a_trained_model(batch):
    """Label-preserving: the shipped MNIST model still reads the augmented digits as their labels."""
    images, labels = batch
    network, _ = load_model(DEFAULT_MODEL_PATH)
    plain = np.mean(network.predict(images.reshape(len(images), -1) / 255.0) == labels)
    out = Augmenter(MODERATE, np.random.default_rng(3))(images)
    augmented = np.mean(network.predict(out.reshape(len(out), -1) / 255.0) == labels)
    assert plain > 0.95
    assert augmented > 0.85, f"accuracy on augmented digits {augmented:.3f}: the augmentation changes what digit it is"
    assert augmented < plain   # and it did make them harder


def test_same_seed_same_output_and_different_seed_different_output(batch):
    images, _ = batch
    first = Augmenter(ALL_KINDS, np.random.default_rng(7))(images)
    again = Augmenter(ALL_KINDS, np.random.default_rng(7))(images)
    other = Augmenter(ALL_KINDS, np.random.default_rng(8))(images)
    np.testing.assert_array_equal(first, again)
    assert np.mean(np.any(first != other, axis=(1, 2))) > 0.9


def test_zero_strength_is_off_and_the_identity(batch):
    images, _ = batch
    assert make_augmenter(AugmentSettings(), np.random.default_rng(0)) is None
    assert make_augmenter(AugmentSettings(rotation=5), np.random.default_rng(0)) is not None
    out = Augmenter(AugmentSettings(), np.random.default_rng(0))(images)
    np.testing.assert_array_equal(out, images)


def test_a_shift_moves_the_centre_of_mass_by_that_amount():
    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 9:19, 10:16] = np.arange(60, dtype=np.uint8).reshape(10, 6) * 4   # uneven ink, well inside
    out = apply(image, fixed_params(1, shift=(2.0, -3.0)))
    before, after = ndimage.center_of_mass(image[0].astype(float)), ndimage.center_of_mass(out[0].astype(float))
    np.testing.assert_allclose(np.subtract(after, before), [2.0, -3.0], atol=0.05)
    # the random shifts are drawn within the strength
    params = draw_params(AugmentSettings(shift=2.0), 500, (28, 28), np.random.default_rng(0))
    assert np.abs(params.shift).max() <= 2.0 and np.abs(params.shift).max() > 1.9


def test_rotation_by_90_degrees_turns_a_horizontal_bar_vertical():
    out = apply(bar(horizontal=True), fixed_params(1, rotation=90.0))
    np.testing.assert_array_equal(out > 127, bar(horizontal=False) > 127)


def test_rotation_is_counter_clockwise_on_screen():
    image = np.zeros((1, 28, 28), np.uint8)
    image[0, 13:15, 18:24] = 255    # ink right of the centre
    out = apply(image, fixed_params(1, rotation=90.0))
    rows, cols = ndimage.center_of_mass(out[0].astype(float))
    assert rows < 10 and abs(cols - 13.5) < 1   # now above the centre


def test_vectorised_path_matches_the_per_image_reference(batch):
    images, _ = batch
    params = draw_params(AugmentSettings(shift=2, rotation=20, scale=0.2, shear=15, thickness=0.7), 32, (28, 28),
                         np.random.default_rng(5))
    fast, slow = apply(images[:32], params), apply_reference(images[:32], params)
    assert np.abs(fast.astype(int) - slow.astype(int)).max() <= 1   # float32 vs float64 rounding only


def test_elastic_fields_are_smoothed_like_gaussian_filter():
    fields = np.random.default_rng(0).uniform(-1, 1, (4, 2, 28, 28)).astype(np.float32)
    expected = ndimage.gaussian_filter(fields, sigma=(0, 0, 4, 4), mode="constant")
    np.testing.assert_allclose(smooth_fields(fields, 4.0), expected, atol=1e-5)


def test_elastic_distortion_grows_with_alpha_and_keeps_digits_in_place(batch):
    images, _ = batch
    def mean_change(alpha):
        out = Augmenter(AugmentSettings(elastic_alpha=alpha), np.random.default_rng(2))(images)
        return np.abs(out.astype(float) - images).mean()
    weak, strong = mean_change(8.0), mean_change(34.0)
    assert 0 < weak < strong
    # smooth local warps, not a big translation: sigma 4 correlates the field over the digit,
    # so the centre of mass moves about a pixel (a shift setting of 5 would move it 2.5 on average)
    out = Augmenter(AugmentSettings(elastic_alpha=34.0), np.random.default_rng(2))(images)
    moved = [np.hypot(*np.subtract(ndimage.center_of_mass(a.astype(float)), ndimage.center_of_mass(b.astype(float))))
             for a, b in zip(out, images)]
    assert 0.2 < np.median(moved) < 2.0


def test_thickness_changes_ink_mass_in_the_expected_direction(batch):
    images, _ = batch
    n = len(images)
    mass = images.reshape(n, -1).sum(axis=1).astype(float)
    thicker = apply(images, AugmentParams(fixed_params(n).matrix, np.zeros((n, 2)), thickness=np.full(n, 1.0)))
    thinner = apply(images, AugmentParams(fixed_params(n).matrix, np.zeros((n, 2)), thickness=np.full(n, -1.0)))
    assert np.all(thicker.reshape(n, -1).sum(axis=1) > mass)
    assert np.all(thinner.reshape(n, -1).sum(axis=1) < mass)


def test_scale_changes_the_ink_size():
    image = bar()
    bigger = apply(image, fixed_params(1, scale=1.2))
    width = np.flatnonzero((bigger[0] > 127).any(axis=0))
    assert len(width) == 24   # 20 pixels * 1.2


def test_strengths_out_of_range_are_config_errors():
    with pytest.raises(ConfigError, match="rotation"):
        AugmentSettings(rotation=-1)
    with pytest.raises(ConfigError, match="sigma"):
        AugmentSettings(elastic_sigma=0)


def test_settings_round_trip_through_a_config_mapping():
    settings = AugmentSettings(shift=1.5, elastic_alpha=20.0)
    assert AugmentSettings.from_mapping(settings.to_mapping()) == settings
    assert AugmentSettings.from_mapping({}) == AugmentSettings()   # an old model file: no augmentation


def test_images_that_are_not_a_batch_get_a_clear_error():
    with pytest.raises(ValueError, match=r"\(n, H, W\)"):
        apply(np.zeros((28, 28), np.uint8), fixed_params(1))


def test_elastic_displacement_is_simards_smoothed_uniform_field_times_alpha():
    params = draw_params(AugmentSettings(elastic_alpha=10.0, elastic_sigma=3.0), 4, (28, 28), np.random.default_rng(0))
    # the same draw, in the (H, n * 2, W) layout elastic_fields uses
    uniform = np.random.default_rng(0).random((28, 4 * 2 * 28), dtype=np.float32) * 2.0 - 1.0
    uniform = uniform.reshape(28, 4, 2, 28).transpose(1, 2, 0, 3)
    expected = 10.0 * ndimage.gaussian_filter(uniform.astype(np.float64), sigma=(0, 0, 3, 3), mode="constant")
    np.testing.assert_allclose(params.displacement, expected, atol=1e-4)


def test_aspect_changes_the_width_alone():
    image = bar(horizontal=True)
    params = draw_params(AugmentSettings(aspect=0.3), 200, (28, 28), np.random.default_rng(0))
    widths = [len(np.flatnonzero((apply(image, AugmentParams(params.matrix[i:i + 1], params.shift[i:i + 1]))[0]
                                  > 127).any(axis=0))) for i in range(0, 200, 20)]
    assert min(widths) < 17 and max(widths) > 23            # 20 px * [0.7, 1.3]
    upright = apply(bar(horizontal=False), AugmentParams(params.matrix[:1], params.shift[:1]))[0]
    assert len(np.flatnonzero((upright > 127).any(axis=1))) == 20   # the height is unchanged


def test_switching_aspect_off_keeps_the_draws_of_earlier_versions():
    before = draw_params(ALL_KINDS, 8, (28, 28), np.random.default_rng(4))
    after = draw_params(AugmentSettings(**{**ALL_KINDS.__dict__, "aspect": 0.0}), 8, (28, 28), np.random.default_rng(4))
    np.testing.assert_array_equal(before.matrix, after.matrix)
    np.testing.assert_array_equal(before.thickness, after.thickness)


def test_reused_work_arrays_give_exactly_what_new_arrays_give(batch):
    """The Augmenter keeps its float work arrays between batches (augment_kernels.Scratch); batches of
    changing size (the last batch of an epoch is smaller) must come out exactly as with fresh arrays."""
    images, _ = batch
    augmenter = Augmenter(ALL_KINDS, np.random.default_rng(11))
    plain_rng = np.random.default_rng(11)
    start, outputs = 0, []
    for size in (64, 17, 128, 1, 40):   # 250 of the 256 images
        chunk = images[start:start + size]
        start += size
        reused = augmenter(chunk)
        fresh = apply(chunk, draw_params(ALL_KINDS, size, (28, 28), plain_rng))
        np.testing.assert_array_equal(reused, fresh)
        outputs.append(reused)
    # each call returns its own array: a batch kept by the caller (the prefetch queue) is not overwritten
    np.testing.assert_array_equal(outputs[0], apply(images[:64], draw_params(ALL_KINDS, 64, (28, 28),
                                                                             np.random.default_rng(11))))


def test_the_last_images_of_a_huge_batch_are_read_from_their_own_pixels(mnist):
    """Flat indices past 2**24 (batches over ~17,000 images) stay exact: the last images of a
    20,000-image batch come out as when augmented alone with the same parameters."""
    images = mnist.train_images[:20000]
    params = draw_params(AugmentSettings(shift=2, rotation=12, elastic_alpha=12), len(images), (28, 28),
                         np.random.default_rng(4))
    tail = slice(-3, None)
    alone = AugmentParams(params.matrix[tail], params.shift[tail], params.displacement[tail])
    np.testing.assert_array_equal(apply(images, params)[tail], apply(images[tail], alone))
