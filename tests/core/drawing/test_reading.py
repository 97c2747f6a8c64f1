"""core.drawing.reading: a class, "not a digit", "not sure", and the vectorised count of them."""
import numpy as np

from core.drawing.non_digits import NOT_A_DIGIT
from core.drawing.reading import (NOT_SURE_BELOW, drawing_too_small, flagged, ink_too_small, read_probabilities,
                                  reject_index)

DIGITS = [str(d) for d in range(10)]
WITH_REJECT = DIGITS + [NOT_A_DIGIT]


def probabilities(top, p, n=10):
    row = np.full(n, (1 - p) / (n - 1))
    row[top] = p
    return row


def test_a_confident_class_a_hesitation_and_the_not_a_digit_class():
    sure = read_probabilities(probabilities(7, 0.9), DIGITS)
    assert sure.answered and sure.name == "7" and sure.top == 7 and sure.reason == ""
    unsure = read_probabilities(probabilities(7, 0.5), DIGITS)
    assert unsure.verdict == "not sure" and unsure.name == "7" and "below the 60% threshold" in unsure.reason
    assert read_probabilities(probabilities(7, 0.5), DIGITS, threshold=0.4).answered
    rejected = read_probabilities(probabilities(10, 0.95, 11), WITH_REJECT)
    assert rejected.verdict == "not a digit" and not rejected.answered and "95%" in rejected.reason
    # one threshold for every answer: a hesitant "not a digit" is "not sure", as the dashed line says
    hesitant = read_probabilities(probabilities(10, 0.3, 11), WITH_REJECT)
    assert hesitant.verdict == "not sure" and "'not a digit' at 30%" in hesitant.reason


def test_flagged_is_read_probabilities_row_by_row():
    rng = np.random.default_rng(0)
    for names in (DIGITS, WITH_REJECT):
        p = rng.dirichlet(np.full(len(names), 0.3), size=500)
        expected = [not read_probabilities(row, names).answered for row in p]
        np.testing.assert_array_equal(flagged(p, names), expected)
        assert 0 < np.mean(expected) < 1
    assert reject_index(DIGITS) is None and reject_index(WITH_REJECT) == 10
    assert NOT_SURE_BELOW == 0.6


def test_a_dot_or_a_tick_is_too_small_a_digit_is_not():
    canvas = (280, 280)
    assert drawing_too_small([np.array([[100.0, 100.0]])], canvas)                     # a click
    assert drawing_too_small([np.array([[100.0, 100.0], [108.0, 104.0]])], canvas)     # a tick
    assert not drawing_too_small([np.array([[100.0, 60.0], [100.0, 200.0]])], canvas)  # a 1
    assert not drawing_too_small([np.array([[10.0, 10.0], [10.0, 40.0]])], canvas)     # a small 1 in a corner
    assert not drawing_too_small([], canvas)                                            # blank is another verdict
    page = np.zeros((400, 400))
    page[200:208, 200:208] = 1
    assert ink_too_small(page)
    page[100:300, 200:204] = 1
    assert not ink_too_small(page)
