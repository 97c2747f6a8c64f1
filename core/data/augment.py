"""On-the-fly data augmentation of uint8 digit images, vectorised over the batch.

Three kinds, each with its own strength (all 0 = off, the default):

  affine      random shift (pixels), rotation (degrees), scale (relative) and shear (degrees)
  elastic     Simard, Steinkraus and Platt (2003): a random displacement field per image,
              uniform in [-1, 1], smoothed by a Gaussian of ``elastic_sigma`` pixels and scaled by
              ``elastic_alpha`` (their MNIST values: alpha 34, sigma 4)
  thickness   stroke thickness change by grey-scale dilation (thicker) or erosion (thinner):
              each image gets a random fraction in [-thickness, thickness] of one 3x3-cross step
  aspect      width change alone (narrow or wide writing): the columns scaled by a factor in
              [1 - aspect, 1 + aspect], part of the affine map
  styles      the share of 1s, 7s, 0s, 9s and 6s written in styles MNIST has few of (a lead-in
              stroke, a crossbar or curled foot, a slash, a hooked stem, a larger loop:
              core/data/writing_styles.py); needs digit labels

Affine and elastic are one resampling: for every output pixel the source coordinate is the
inverse affine map of its position plus the elastic displacement, and one bilinear read of the
whole (n, H, W) batch at those coordinates (NumPy gathers; ``resample_reference`` is the same
as a single ``scipy.ndimage.map_coordinates`` call, order=1, and the tests hold them equal).
Thickness likewise: NumPy max/min over the 3x3 cross, scipy grey morphology as the reference.
Everything is vectorised over the batch; the only Python loop is in the references
(core/data/augment_reference.py). The array kernels are in core/data/augment_kernels.py (which
also says why an Augmenter reuses its work arrays).

    augmenter = make_augmenter(AugmentSettings(rotation=10, shift=2), np.random.default_rng(0))
    images = augmenter(images)          # (n, H, W) uint8 -> (n, H, W) uint8; labels unchanged
    images = augmenter(images, labels)  # the same, with writing styles when the labels are digits

``draw_params`` / ``apply`` split the random draw from the (deterministic) transformation, so a
preview or a test can fix the parameters (e.g. exactly 90 degrees).
"""
from dataclasses import asdict, dataclass, fields

import numpy as np

from core.data.augment_kernels import (NO_SCRATCH, Scratch, bilinear_sample, change_thickness, elastic_fields,
                                       smooth_fields, source_coordinates)
from core.data.writing_styles import add_writing_styles
from core.errors import ConfigError

__all__ = ["AugmentSettings", "AugmentParams", "Augmenter", "affine_matrices", "apply", "draw_params",
           "make_augmenter", "smooth_fields", "source_coordinates"]

CONFIG_PREFIX = "augment_"    # TrainConfig field names are CONFIG_PREFIX + AugmentSettings field names


@dataclass(frozen=True)
class AugmentSettings:
    """Strengths of each kind of augmentation; 0 switches a kind off.

    shift: largest shift in pixels (each axis uniform in [-shift, shift]).
    rotation: largest rotation in degrees (uniform in [-rotation, rotation]).
    scale: largest relative size change (factor uniform in [1 - scale, 1 + scale]).
    shear: largest horizontal shear angle in degrees.
    elastic_alpha: elastic displacement scale in pixels; elastic_sigma: its smoothness in pixels.
    thickness: largest fraction of a one-pixel-per-side dilation (> 0) or erosion (< 0).
    aspect: largest relative width change (column factor uniform in [1 - aspect, 1 + aspect]).
    styles: share (0-1) of 1s, 7s, 0s, 9s and 6s given their style (core.data.writing_styles).
    """
    shift: float = 0.0
    rotation: float = 0.0
    scale: float = 0.0
    shear: float = 0.0
    elastic_alpha: float = 0.0
    elastic_sigma: float = 4.0
    thickness: float = 0.0
    aspect: float = 0.0
    styles: float = 0.0

    def __post_init__(self):
        limits = {"shift": 14.0, "rotation": 180.0, "scale": 0.9, "shear": 60.0, "elastic_alpha": 100.0,
                  "thickness": 1.0, "aspect": 0.9, "styles": 1.0}
        for name, high in limits.items():
            value = getattr(self, name)
            if not (0.0 <= value <= high):
                raise ConfigError(f"augmentation {name.replace('_', ' ')} must be between 0 and {high:g} (got {value})")
        if not (0.5 <= self.elastic_sigma <= 20.0):
            raise ConfigError(f"augmentation elastic sigma must be between 0.5 and 20 pixels (got {self.elastic_sigma})")

    @property
    def has_affine(self):
        return any((self.shift, self.rotation, self.scale, self.shear, self.aspect))

    @property
    def has_elastic(self):
        return self.elastic_alpha > 0

    @property
    def has_thickness(self):
        return self.thickness > 0

    @property
    def enabled(self):
        return self.has_affine or self.has_elastic or self.has_thickness or self.styles > 0

    @classmethod
    def from_mapping(cls, values):
        """From a dict with ``augment_*`` keys (TrainConfig.to_dict(), a model file's config);
        missing keys keep their defaults, so old model files read as 'no augmentation'."""
        kwargs = {}
        for f in fields(cls):
            value = values.get(CONFIG_PREFIX + f.name)
            if value is None:
                continue
            try:
                kwargs[f.name] = float(value)
            except (TypeError, ValueError):
                raise ConfigError(f"augmentation {f.name.replace('_', ' ')} must be a number (got {value!r})") from None
        return cls(**kwargs)

    def to_mapping(self):
        return {CONFIG_PREFIX + name: value for name, value in asdict(self).items()}


@dataclass
class AugmentParams:
    """The random draw for one batch of n images (all arrays have n rows).

    matrix: (n, 2, 2) forward affine map in (row, col) coordinates about the image centre;
    shift: (n, 2) forward shift (rows, cols) in pixels; displacement: (n, 2, H, W) elastic
    displacement of the source coordinates in pixels, or None; thickness: (n,) in [-1, 1], or None.
    """
    matrix: np.ndarray
    shift: np.ndarray
    displacement: np.ndarray = None
    thickness: np.ndarray = None

    @property
    def moves_pixels(self):
        """False when the resampling would be the identity (thickness change only, or nothing)."""
        identity = np.allclose(self.matrix, np.eye(2)) and not np.any(self.shift)
        return self.displacement is not None or not identity


def affine_matrices(rotation_deg, scale, shear_deg, aspect=None):
    """(n,) rotation (degrees, counter-clockwise on screen), scale factors, shear angles
    (degrees) and optional column (width) factors -> (n, 2, 2) forward maps in (row, col)
    coordinates: rotate @ shear @ scale @ widen."""
    theta, shear = np.radians(rotation_deg), np.tan(np.radians(shear_deg))
    cos, sin = np.cos(theta), np.sin(theta)
    # rows grow downwards, so a counter-clockwise turn on screen is (r, c) -> (r cos - c sin, r sin + c cos)
    rotate = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    shear_map = np.zeros_like(rotate)
    shear_map[:, 0, 0] = shear_map[:, 1, 1] = 1.0
    shear_map[:, 1, 0] = shear   # col += shear * row: a slant, like handwriting
    matrices = rotate @ shear_map * np.asarray(scale, dtype=np.float64)[:, None, None]
    if aspect is not None:
        matrices[:, :, 1] *= np.asarray(aspect, dtype=np.float64)[:, None]   # @ diag(1, aspect)
    return matrices


def draw_params(settings, n, image_shape, rng, scratch=NO_SCRATCH):
    """AugmentParams for n images of image_shape (H, W), drawn from the Generator ``rng``
    (with a Scratch, the displacement lives in its buffers: valid until the next draw)."""
    s = settings
    rotation = rng.uniform(-s.rotation, s.rotation, n) if s.rotation else np.zeros(n)
    scale = rng.uniform(1.0 - s.scale, 1.0 + s.scale, n) if s.scale else np.ones(n)
    shear = rng.uniform(-s.shear, s.shear, n) if s.shear else np.zeros(n)
    shift = rng.uniform(-s.shift, s.shift, (n, 2)) if s.shift else np.zeros((n, 2))
    displacement = None
    if s.has_elastic:
        displacement = elastic_fields(rng, n, image_shape, s.elastic_sigma, s.elastic_alpha, scratch)
    thickness = rng.uniform(-s.thickness, s.thickness, n) if s.has_thickness else None
    # drawn last, so that the draws above stay those of earlier versions when it is off
    aspect = rng.uniform(1.0 - s.aspect, 1.0 + s.aspect, n) if s.aspect else None
    return AugmentParams(affine_matrices(rotation, scale, shear, aspect), shift, displacement, thickness)


def apply(images, params, scratch=NO_SCRATCH):
    """(n, H, W) uint8 images and their AugmentParams -> (n, H, W) uint8 augmented images (always
    a new array; ``scratch`` only holds the float work arrays)."""
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"augmentation needs (n, H, W) images, got shape {images.shape}")
    if params.thickness is not None:
        out = change_thickness(images, params.thickness, scratch)
    else:
        out = scratch.empty("pixels", images.shape)
        np.copyto(out, images)
    if params.moves_pixels:
        out = bilinear_sample(out, *source_coordinates(params, images.shape[1:], scratch), scratch)
    np.rint(out, out=out)
    np.clip(out, 0, 255, out=out)
    return out.astype(np.uint8)


class Augmenter:
    """Augments batches with its own Generator: ``augmenter(images, labels)`` -> new uint8 images.
    Reuses its work arrays (augment_kernels.Scratch), so one thread at a time may call it.

    Writing styles need the digit each image shows: they are added only when ``digit_labels`` is
    true (the labels are the digits 0-9, not task labels) and ``labels`` are given."""

    def __init__(self, settings, rng, digit_labels=True):
        self.settings = settings
        self.rng = rng
        self.digit_labels = digit_labels
        self._scratch = Scratch()

    def __call__(self, images, labels=None):
        images = np.asarray(images)
        if self.settings.styles > 0 and self.digit_labels and labels is not None:
            images = add_writing_styles(images, labels, self.settings.styles, self.rng)
        params = draw_params(self.settings, len(images), images.shape[1:], self.rng, self._scratch)
        return apply(images, params, self._scratch)


def make_augmenter(settings, rng, digit_labels=True):
    """An Augmenter, or None when every strength is 0 (the caller then skips the step)."""
    return Augmenter(settings, rng, digit_labels) if settings.enabled else None
