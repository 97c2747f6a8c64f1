"""bench.drawn_digits writing styles: every style of issue 11 is drawn, reproducibly, and both
preparation paths find the digit in every drawing (small ones on a big page included)."""
import numpy as np

from bench.drawn_digits import PLACEMENTS, STYLE_TEMPLATES, make_styled_digits
from core.drawing.bitmap import detect_polarity, ink_from_gray, prepare_image
from core.drawing.strokes import prepare_strokes

ISSUE_STYLES = {"open-loop 9", "hooked 9", "closed-top 4", "continental 1", "crossed 7", "slashed 0", "narrow 8",
                "small", "large", "slanted", "rotated"}


def test_every_style_of_the_issue_is_drawn_for_its_digits():
    samples = make_styled_digits(per_style=2, seed=0)
    styles = {s.style for s in samples}
    assert ISSUE_STYLES <= styles
    for name in PLACEMENTS:
        assert sorted({s.label for s in samples if s.style == name}) == list(range(10))
    for digit, entries in STYLE_TEMPLATES.items():
        for name, _ in entries:
            assert {s.label for s in samples if s.style == name} == {digit}


def test_styled_digits_are_reproducible():
    a, b = make_styled_digits(per_style=1, seed=3), make_styled_digits(per_style=1, seed=3)
    assert all(np.array_equal(x.gray, y.gray) for x, y in zip(a, b))
    c = make_styled_digits(per_style=1, seed=4)
    assert not all(np.array_equal(x.gray, y.gray) for x, y in zip(a, c))


def test_both_paths_prepare_every_styled_drawing():
    for sample in make_styled_digits(per_style=2, seed=1):
        assert detect_polarity(sample.gray) == "dark_on_light", sample.style
        for image in (prepare_strokes(sample.strokes), prepare_image(sample.gray)):
            assert image.shape == (28, 28) and image.max() > 0.9, sample.style


def test_a_small_digit_on_a_big_page_is_found():
    """Under 0.1% of the page is ink: the polarity and ink level still come from the digit."""
    page = np.ones((600, 600), np.float32)
    page[300:330, 300:303] = 0.0
    assert detect_polarity(page) == "dark_on_light"
    assert ink_from_gray(page).max() == 1.0
    image = prepare_image(page)
    rows = np.flatnonzero(image.max(axis=1) > 0.5)
    assert rows[-1] - rows[0] >= 17   # scaled up to MNIST's box like any other drawing
