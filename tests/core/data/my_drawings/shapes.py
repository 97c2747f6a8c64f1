"""Shape strokes for the My drawings tests: a circle, a square, a triangle, a plus and a cross on a
280 px canvas, each at a size, slant and place of its own (seeded), as a user draws them."""
import numpy as np

SHAPES = ("circle", "square", "triangle", "plus", "cross")


def _outline(shape, n=40):
    t = np.linspace(0, 1, n)[:, None]
    if shape == "circle":
        angle = 2 * np.pi * t[:, 0]
        return [np.column_stack([np.cos(angle), np.sin(angle)])]
    if shape in ("square", "triangle"):
        corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]] if shape == "square"
                           else [[0, -1], [1, 0.9], [-1, 0.9], [0, -1]], dtype=float)
        return [np.vstack([a + t * (b - a) for a, b in zip(corners[:-1], corners[1:])])]
    if shape == "plus":
        return [np.hstack([t * 2 - 1, 0 * t]), np.hstack([0 * t, t * 2 - 1])]
    return [np.hstack([t * 2 - 1, t * 2 - 1]), np.hstack([t * 2 - 1, 1 - t * 2])]   # cross


def shape_strokes(shape, seed=0):
    """[(n, 2) canvas points] of ``shape``: radius 40-110 px, slant -0.3..0.3, centre within 40 px."""
    rng = np.random.default_rng(seed)
    radius, slant = rng.uniform(40, 110), rng.uniform(-0.3, 0.3)
    centre = 140 + rng.uniform(-40, 40, size=2)
    shear = np.array([[1.0, 0.0], [slant, 1.0]])
    return [(points @ shear) * radius * np.array([1.0, rng.uniform(0.8, 1.2)]) + centre
            + rng.normal(0, 1.0, size=points.shape) for points in _outline(shape)]
