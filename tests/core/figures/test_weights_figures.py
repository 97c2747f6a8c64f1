"""The weights' colour limit (core.figures.weights.symmetric_limit), used by the Weights tab, the
conv filters and the pictures drawn without a window."""
import numpy as np

from core.figures.weights import symmetric_limit


def test_the_colour_limit_is_numpys_995th_percentile_of_the_magnitudes():
    rng = np.random.default_rng(3)
    for shape in [(1,), (2,), (7, 3), (128, 28, 28), (16, 1, 5, 5)]:
        values = rng.standard_normal(shape).astype(np.float32) * 0.05
        assert abs(symmetric_limit(values) - float(np.percentile(np.abs(values), 99.5))) < 1e-7
    assert symmetric_limit(np.zeros(4)) == symmetric_limit(np.array([])) == symmetric_limit([np.nan]) == 1.0
