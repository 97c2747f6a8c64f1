"""A new student's walkthrough at 1366x768 found Fool it's words cut: the lesson stopped at
"following the…", the bound's box at "each pixel changes by", the bars' digits ran together
("12345678", 0 and 9 dropped), and once My digits grew the captions slid over the images. Real
window at the pretended screens, a real search, every text measured."""
import pytest
from PyQt5.QtGui import QImage, QPainter
from PyQt5.QtWidgets import QApplication, QLabel, QScrollArea

from tests.gui.shell.test_screen_fit import fooled_page, rect_in, screen, shown_whole, window  # noqa: F401

pytestmark = pytest.mark.usefixtures("themed_app")


def settled(qtbot, fool):
    """The page has measured its labels (a queued pass) and the scroll area has followed."""
    qtbot.waitUntil(lambda: not fool._fit_pending, timeout=2000)
    QApplication.processEvents()


def wrapped_labels(fool):
    return [label for label in fool.findChildren(QLabel) if label.wordWrap() and label.isVisible() and label.text()]


def assert_no_line_cut(fool):
    for label in wrapped_labels(fool):
        assert label.height() >= label.heightForWidth(label.width()) - 1, label.text()


def test_fool_its_words_are_whole_at_every_screen(qtbot, window, screen):
    fool = fooled_page(qtbot, window)
    settled(qtbot, fool)
    assert fool.intro.text().endswith("digits.") and shown_whole(fool.intro, window), screen
    assert_no_line_cut(fool)
    combo = fool.norm_combo
    for i in range(combo.count()):   # every choice's words fit the box (+ its arrow)
        assert combo.fontMetrics().horizontalAdvance(combo.itemText(i)) + 24 <= combo.width(), combo.itemText(i)
    assert shown_whole(combo, window) and shown_whole(fool.fool_button, window)


def test_the_bars_label_every_digit_apart(qtbot, window, screen):
    fool = fooled_page(qtbot, window)
    settled(qtbot, fool)
    axis = fool.plot.getPlotItem().getAxis("bottom")
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    painter.end()
    assert [text for _rect, _flags, text in texts] == [str(d) for d in range(10)]
    rects = [rect for rect, _flags, _text in texts]
    digit = fool.plot.fontMetrics().horizontalAdvance("0")
    for left, right in zip(rects, rects[1:]):   # a gap of at least half a digit: not "0123456789"
        assert right.left() - left.right() >= digit / 2, (screen, left, right)
    assert axis.boundingRect().contains(rects[0]) and axis.boundingRect().contains(rects[-1])   # 0 and 9 drawn whole


@pytest.mark.parametrize("screen", ["1366x768"], indirect=True)
def test_a_grown_my_digits_scrolls_the_page_and_the_captions_stay_under_the_images(qtbot, window, screen):
    fool = fooled_page(qtbot, window)
    window.tabs.my_digits.keep(7)   # the panel below grows: the page gets ~130 px
    qtbot.waitUntil(lambda: window.tabs.my_digits.gallery.isVisible(), timeout=2000)
    # the kept drawing leaves the canvas: the result is then for an earlier drawing (its longer
    # note comes with the canvas's next prediction, later on a busy machine)
    qtbot.waitUntil(lambda: "earlier drawing" in fool.status.text(), timeout=5000)
    settled(qtbot, fool)
    area = fool.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert area.verticalScrollBar().maximum() > 0   # the case is real: the page is short
    images = [rect_in(view, fool) for view in (fool.original_view, fool.changed_view, fool.change_view)]
    captions = sorted((label for label in fool.findChildren(QLabel)
                       if label.text() in ("your drawing", "changed image", "the change")),
                      key=lambda label: rect_in(label, fool).left())
    for label, image in zip(captions, images):
        box = rect_in(label, fool)
        assert box.top() > image.bottom() and not any(box.intersects(other) for other in images), label.text()
        assert min(image.width(), image.height()) >= 70 - 1, image
    assert_no_line_cut(fool)
