"""Issue 19, "the screen does not fit": the window and its dialogs at 1280x720, 1366x768 and
1920x1080 (pretended with DIGITLAB_SCREEN: the offscreen platform has one 800x600 screen), the
key widgets measured: inside their window, not overlapping, at a usable size, text not cut."""
import numpy as np
import pytest
from PyQt5.QtCore import QPoint, QRect
from PyQt5.QtGui import QImage, QPainter
from PyQt5.QtWidgets import QApplication

from gui.ground.screen_fit import fits_on_screen, pretended_screen

pytestmark = pytest.mark.usefixtures("themed_app")

SCREENS = ("1280x720", "1366x768", "1920x1080")
SEVEN = [[(90, 80), (230, 75), (150, 260)], [(120, 170), (210, 168)]]   # canvas pixels of a 7


@pytest.fixture(params=SCREENS)
def screen(request, monkeypatch):
    monkeypatch.setenv("DIGITLAB_SCREEN", request.param)
    return request.param


@pytest.fixture
def window(qtbot, screen):
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def rect_in(widget, window):
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def shown_whole(widget, window):
    """widget is shown, inside the window, and no parent (a scroll area's viewport, a squeezed
    box) cuts any of it off."""
    if not widget.isVisible():
        return False
    child = widget
    rect = QRect(QPoint(0, 0), widget.size())
    while child is not window:
        rect = rect.translated(child.pos())
        parent = child.parentWidget()
        if not parent.rect().contains(rect):
            return False
        child = parent
    return True


def show_draw_tab(qtbot, window):
    window.tabs.setCurrentWidget(window.tabs.draw_panel)
    panel = window.tabs.draw_panel
    qtbot.waitUntil(lambda: panel.canvas.isVisible() and panel.canvas.width() > 100, timeout=2000)
    panel.draw(SEVEN)
    QApplication.processEvents()
    return panel


def fooled_page(qtbot, window):
    """The Draw tab's Fool it page after a real search (a drawn 7 made to say 3)."""
    panel = show_draw_tab(qtbot, window)
    panel.look_inside.setCurrentIndex(1)
    fool = panel.look_inside.fool
    qtbot.waitUntil(fool.isVisible, timeout=2000)
    fool.target_picker.buttons[3].click()
    with qtbot.waitSignal(fool.fooled, timeout=30000):
        fool.fool_button.click()
    return fool


def test_the_main_window_opens_within_the_screen(window, screen):
    assert fits_on_screen(window, pretended_screen())
    if screen == "1920x1080":
        assert (window.width(), window.height()) == window.PREFERRED_SIZE   # room: the preferred size
    for widget in (window.start_button, window.stop_button, window.progress.bar, window.statusBar()):
        assert shown_whole(widget, window), widget


def test_a_remembered_geometry_from_a_bigger_screen_is_corrected(qtbot, monkeypatch, isolated_settings):
    from gui.shell.main_window import MainWindow
    monkeypatch.setenv("DIGITLAB_SCREEN", "1920x1080")
    big = MainWindow(restore_settings=False)
    qtbot.addWidget(big)
    big.setGeometry(100, 60, 1800, 1000)
    big.save_settings()
    monkeypatch.setenv("DIGITLAB_SCREEN", "1366x768")
    small = MainWindow()
    qtbot.addWidget(small)
    assert fits_on_screen(small, pretended_screen())
    assert small.height() < 768


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_the_draw_tab_shows_canvas_answer_input_and_evidence_without_scrolling(qtbot, window, screen):
    panel = show_draw_tab(qtbot, window)
    look = panel.look_inside
    canvas, evidence_map = panel.canvas, look.evidence.map_view
    assert canvas.width() >= 250 and canvas.height() >= 250
    assert min(evidence_map.width(), evidence_map.height()) >= 150
    for widget in (canvas, panel.probability_view, panel.input_view, look.tabBar(), evidence_map,
                   panel.undo_button, panel.clear_button):
        assert shown_whole(widget, window), (screen, widget)
    boxes = [rect_in(w, window) for w in (panel.canvas_box, panel.probability_view, panel.input_view, look)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.intersects(b), (screen, a, b)
    page_area = look.currentWidget()
    assert not page_area.verticalScrollBar().isVisible()
    assert not page_area.horizontalScrollBar().isVisible()


@pytest.mark.parametrize("screen", SCREENS, indirect=True)
def test_fool_it_captions_sit_under_their_images(qtbot, window, screen):
    from PyQt5.QtWidgets import QLabel
    panel = show_draw_tab(qtbot, window)
    panel.look_inside.setCurrentIndex(1)
    fool = panel.look_inside.fool
    qtbot.waitUntil(fool.isVisible, timeout=2000)
    images = [rect_in(view, window) for view in (fool.original_view, fool.changed_view, fool.change_view)]
    captions = [label for label in fool.findChildren(QLabel)
                if label.text() in ("your drawing", "changed image", "the change")]
    assert len(captions) == 3
    for label, image in zip(sorted(captions, key=lambda l: rect_in(l, window).left()), images):
        box = rect_in(label, window)
        assert box.top() > image.bottom() and not any(box.intersects(other) for other in images), label.text()
        assert label.height() >= label.heightForWidth(label.width()) - 1, label.text()   # no line cut


def test_the_left_panel_steps_aside_for_the_draw_tab_on_a_small_screen(qtbot, window, screen):
    show_draw_tab(qtbot, window)
    small = screen != "1920x1080"
    assert window.left_panel.isHidden() == small
    assert window.left_toggle.button.isVisible() and shown_whole(window.left_toggle.button, window)
    window.tabs.setCurrentIndex(0)
    assert window.left_panel.isVisible() and shown_whole(window.start_button, window)
    window.left_toggle.button.click()                       # hidden by hand: stays hidden on every tab
    assert window.left_panel.isHidden()
    show_draw_tab(qtbot, window)
    window.tabs.setCurrentIndex(0)
    assert window.left_panel.isHidden() and "Show" in window.left_toggle.button.text()
    window.left_toggle.button.click()
    assert window.left_panel.isVisible() and "Hide" in window.left_toggle.button.text()


def test_an_empty_my_digits_leaves_the_height_to_the_canvas(qtbot, window):
    show_draw_tab(qtbot, window)
    tabs = window.tabs
    assert tabs.my_digits.gallery.isHidden()
    assert tabs.my_digits_scroll.height() <= tabs.my_digits.minimumSizeHint().height() + 4
    assert shown_whole(tabs.my_digits.import_button, window)


def test_my_digits_shows_no_empty_notice_box(qtbot, window):
    """An empty notice label is drawn as a blank yellow box: hidden until it has something to say."""
    show_draw_tab(qtbot, window)
    notice = window.tabs.my_digits.confirmation
    assert not notice.text() and notice.isHidden()
    window.tabs.my_digits.keep(7)
    assert notice.isVisible() and notice.text()


def test_the_draw_splitters_have_a_handle_to_grab_away_from_the_canvas(qtbot, window):
    panel = show_draw_tab(qtbot, window)
    for splitter in (window.tabs.draw_page, panel.look_inside.parentWidget()):
        handle = splitter.handle(1)
        assert splitter.handleWidth() >= 7 and handle.isVisible() and handle.height() >= 7
        assert not rect_in(handle, window).intersects(rect_in(panel.canvas, window))


def test_run_panel_values_and_titles_are_not_cut(window):
    progress = window.progress
    for key, text in zip(progress.FIELDS, progress.WIDEST):
        progress.set_text(key, text)
    QApplication.processEvents()
    labels = list(progress.values.values()) + [label for label in progress.findChildren(type(progress.state_label))
                                               if label.objectName() == "hint" and label is not progress.state_label]
    for label in labels:
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), label.text()
        assert shown_whole(label, window), label.text()


def test_the_settings_are_not_a_slit(window, screen):
    """The settings form's scroll area gets most of the left panel (it was 270 px high)."""
    scroll = window.settings_scroll.viewport()
    assert scroll.height() >= 0.55 * window.left_panel.height(), (screen, scroll.height())
    assert shown_whole(window.run_box, window)


def test_the_probability_chart_keeps_every_digit_label_at_its_narrowest(qtbot):
    from gui.draw.probability_view import ProbabilityView
    view = ProbabilityView()
    qtbot.addWidget(view)
    view.resize(view.minimumSizeHint().width(), view.minimumSizeHint().height())
    view.set_probabilities(np.full(10, 0.1))
    view.show()
    qtbot.waitExposed(view)
    axis = view.plot.getPlotItem().getAxis("bottom")
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    specs = axis.generateDrawSpecs(painter)
    painter.end()
    assert [text for _rect, _flags, text in specs[2]] == [str(d) for d in range(10)]
    assert axis.height() >= 24   # room for the labels: a squeezed axis drew none


@pytest.mark.parametrize("make", ["step_through", "compare_pick", "neuron_card", "gradient_speed", "continue"])
def test_dialogs_open_within_the_screen(qtbot, window, screen, make):
    from gui.inspect.step_through_dialog import StepThroughDialog
    from gui.runs.compare_picker import CompareRunsPicker as PickRunsDialog
    from gui.runs.run_dialogs import ContinueDialog
    from gui.training.gradient_speed import GradientSpeedDialog
    from gui.inspect.neuron_card import NeuronCardWindow
    dialog = {"step_through": lambda: StepThroughDialog(None, window),
              "compare_pick": lambda: PickRunsDialog(window),
              "neuron_card": lambda: NeuronCardWindow(lambda: None, window),
              "gradient_speed": lambda: GradientSpeedDialog(window),
              "continue": lambda: ContinueDialog("run", 3, lambda epochs: f"{epochs} more", window)}[make]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert fits_on_screen(dialog, pretended_screen()), (screen, make, dialog.geometry())


RACER = dict(hidden_sizes=(16,), epochs=1, batch_size=50, learning_rate=0.1, schedule="constant",
             val_split=300, seed=4)


@pytest.mark.parametrize("make", ["race", "compare", "fork"])
def test_more_windows_open_within_the_screen(qtbot, window, screen, make, mnist_small):
    """The race and Compare windows (1400x900 preferred), the fork dialog (a download shows in the
    Data panel: no dialog)."""
    from core.records.reader import open_run
    from core.settings.config import TrainConfig
    from gui.runs.compare_window import CompareWindow
    from gui.runs.run_dialogs import ForkDialog
    from gui.training.race_window import RaceWindow
    from tests.gui.runs.conftest import record_run
    config = TrainConfig(**RACER)
    if make == "compare":
        runs = [open_run(record_run(config, mnist_small, name)[0]) for name in ("first", "second")]
        dialog = CompareWindow(runs, mnist_small, window)
    else:
        dialog = {"race": lambda: RaceWindow(config, mnist_small, window),
                  "fork": lambda: ForkDialog("a run", [1, 2, 3], 3, "hidden layers 16 -> 32", window)}[make]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert fits_on_screen(dialog, pretended_screen()), (screen, make, dialog.geometry())
    if make == "compare":   # let its evaluation end before the window goes
        qtbot.waitUntil(lambda: dialog.evaluation is not None, timeout=30000)


def test_the_runs_header_is_one_line(qtbot, window, screen):
    """It wrapped into a 4-line column beside a stretch (issue 19)."""
    window.tabs.show_tab("Runs")
    title = window.tabs.currentWidget().title
    qtbot.waitUntil(title.isVisible, timeout=2000)
    lines = title.heightForWidth(title.width()) / title.fontMetrics().lineSpacing()
    assert lines < 1.5 and shown_whole(title, window), (screen, title.width(), lines)


def test_the_evaluation_tab_shows_the_table_the_gallery_and_the_invariance_plots(qtbot, window, screen):
    """At 1366x768 the precision/recall table showed 2 rows and the gallery one row under the
    matrix: now the table shows most classes, the gallery a whole row of examples, and the
    invariance plots stay readable, at every screen size, after a real run."""
    from gui_helpers import digits
    window.set_dataset(digits())
    window.actions.trigger("set_setting", "epochs", 1)
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.actions.trigger("start")
    window.actions.trigger("show_tab", "Evaluation")
    QApplication.processEvents()
    tabs = window.tabs
    report = tabs.report
    rows_shown = report.viewport().height() // report.verticalHeader().defaultSectionSize()
    assert report.rowCount() == 10 + 3 and rows_shown >= 6, rows_shown
    gallery = tabs.gallery.list
    assert gallery.count() > 0 and gallery.viewport().height() >= gallery.gridSize().height()
    assert tabs.invariance.height() >= 140 and shown_whole(tabs.confusion, window)
    # the plots' own area: room for 0.0 and 1.0 and a curve between (with their titles: 18 px at 1280x720)
    view_box = tabs.invariance.shift_plot.getPlotItem().getViewBox()
    assert view_box.sceneBoundingRect().height() >= 45, view_box.sceneBoundingRect()   # 1280x720: 48 px
    for widget in (report, gallery, tabs.invariance):
        assert rect_in(widget, window).bottom() <= window.statusBar().geometry().top()


def test_the_examples_per_class_legend_sits_above_the_bars(qtbot, window, screen):
    """The train/test legend overlapped the tallest bars (Data tab): its bottom edge must be
    above every bar's top, in the plot as it is drawn."""
    from PyQt5.QtCore import QPointF
    from gui_helpers import digits
    window.set_dataset(digits())
    window.actions.trigger("show_tab", "Data")
    QApplication.processEvents()
    view = window.tabs.data
    box = view.counts.getPlotItem().getViewBox()
    legend_bottom = view.legend.sceneBoundingRect().bottom()
    legend_left = view.legend.sceneBoundingRect().left()
    for bars in (view.train_bars, view.test_bars):
        for x, height in zip(bars.opts["x"], bars.opts["height"]):
            top_left = box.mapViewToScene(QPointF(x, height))
            top_right = box.mapViewToScene(QPointF(x + bars.opts["width"], height))
            if top_right.x() >= legend_left:   # a bar under the legend's columns
                assert top_left.y() > legend_bottom, (x, height)
    assert view.legend.isVisible() and box.sceneBoundingRect().contains(view.legend.sceneBoundingRect())


def test_fool_it_shows_its_whole_result_without_scrolling(qtbot, window, screen):
    """After a real search, the images, the new answer, the size of the change and the bars are
    all on the page: it needed ~360 px stacked and scrolled at 1366x768 (three columns now)."""
    from PyQt5.QtWidgets import QScrollArea
    fool = fooled_page(qtbot, window)
    QApplication.processEvents()
    area = fool.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert area.verticalScrollBar().maximum() == 0 and area.horizontalScrollBar().maximum() == 0
    for widget in (fool.original_view, fool.changed_view, fool.change_view, fool.plot, fool.answer_label,
                   fool.size_label):
        assert shown_whole(widget, window), widget
    for label in (fool.answer_label, fool.size_label):
        assert label.height() >= label.heightForWidth(label.width()) - 1   # no line cut


def test_a_long_run_name_is_shown_whole_in_the_runs_table(qtbot, window, screen):
    """Run names were cut ("64-128-10 relu, ...") at a laptop's width: the name wraps in its cell
    and the row is as tall as it needs."""
    from gui_helpers import digits
    window.set_dataset(digits())
    window.actions.trigger("set_setting", "epochs", 1)
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.actions.trigger("start")
    panel = window.run_records.panel
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10000)
    name = "my first network, 784-16-10 with ReLU and momentum, trained for one epoch on the digits"
    window.run_records.rename(panel.summaries[0].id, name)
    qtbot.waitUntil(lambda: panel.table.item(0, 0) is not None and panel.table.item(0, 0).text() == name,
                    timeout=10000)
    window.actions.trigger("show_tab", "Runs")
    QApplication.processEvents()
    table = panel.table
    width = table.columnWidth(0) - 10
    from PyQt5.QtCore import Qt
    needed = table.fontMetrics().boundingRect(0, 0, width, 10000, Qt.TextWordWrap, name).height()
    assert table.rowHeight(0) >= needed + 4
    assert table.fontMetrics().horizontalAdvance(name) > width   # the case is real: one line would cut it


def test_every_tab_title_is_on_the_tab_bar_without_scroll_arrows(qtbot, window, screen):
    """At 1366x768 the Map tab sat behind the tab bar's scroll arrows (settings panel shown)."""
    from PyQt5.QtWidgets import QToolButton
    window.actions.trigger("show_tab", "Training")
    QApplication.processEvents()
    assert window.left_panel.isVisible()
    bar = window.tabs.tabBar()
    last = bar.tabRect(bar.count() - 1)
    assert last.right() <= bar.width(), (last, bar.width())
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    assert arrows == []
    titles = [bar.tabText(i) for i in range(bar.count())]
    assert "Map" in titles and "Calibration" in titles


def test_the_weight_histograms_axis_title_is_not_cut(qtbot, window, screen):
    """The y title ("count (weights)") ran past its short axis and was cut: a vertical title must
    be no longer than its axis."""
    window.tabs.show_tab("Weights")
    QApplication.processEvents()
    axis = window.tabs.layer_stats.histogram.getPlotItem().getAxis("left")
    assert axis.label.boundingRect().width() <= axis.height(), (axis.labelText, axis.height())
