"""Fool it's page layout (gui/draw/fool_view.py holds the behaviour): the target digits across
the top, then columns for the lesson, the images and the bars, arranged for the width the page
gets beside the canvas (build_layout once, reflow on every resize of the scroll area)."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui.draw.fool_chart import AFTER_COLOUR, BEFORE_COLOUR
from gui.ground import theme

IMAGE_MIN = 70   # px: the least each of the three images gets


def build_layout(view):
    """The target digits and the buttons across the page, then three columns: the lesson, the
    bound and the status; the images, the new answer and the size of the change; the before /
    after bars. Beside the canvas every column is narrow and short (~230 x 190 px at 1280x720):
    the buttons went up to the digits' row, where there is width to spare."""
    view.button_box = QWidget()
    buttons = QHBoxLayout(view.button_box)
    buttons.setContentsMargins(8, 0, 0, 0)
    buttons.addWidget(view.fool_button)
    buttons.addWidget(view.draw_on_top_button)
    buttons.addStretch(1)
    view.target_row = target_row = QHBoxLayout()
    target_row.addWidget(QLabel("Make it say"))
    target_row.addWidget(view.target_picker)
    target_row.addWidget(view.button_box)
    target_row.addStretch(1)
    controls = QVBoxLayout()
    controls.addWidget(view.intro)
    controls.addWidget(view.norm_combo, 0, Qt.AlignLeft)
    controls.addWidget(view.status)
    controls.addStretch(1)
    images = QGridLayout()          # three images in a row, each with its caption under it
    images.setVerticalSpacing(2)
    for column, (image, caption) in enumerate(((view.original_view, "your drawing"),
                                              (view.changed_view, "changed image"),
                                              (view.change_view, "the change"))):
        label = QLabel(caption)
        label.setObjectName("hint")
        label.setWordWrap(True)
        images.addWidget(image, 0, column)
        images.addWidget(label, 1, column, Qt.AlignTop)
        images.setColumnStretch(column, 1)
    images.setRowStretch(0, 1)
    legend = QLabel(f"<span style='color:{theme.hex_rgb(BEFORE_COLOUR)}'>■</span> before &nbsp; "
                    f"<span style='color:{theme.hex_rgb(AFTER_COLOUR)}'>■</span> after &nbsp;·&nbsp; in the change, "
                    "red is ink added, blue ink removed")   # a short caption: a long one overlapped
    legend.setObjectName("hint")
    legend.setWordWrap(True)
    # (every wrapped label's minimum height follows its text: ScrollAreaPage.fit_wrapped_labels)
    view.results = results = QVBoxLayout()
    results.addLayout(images, 1)
    results.addWidget(view.answer_label)
    results.addWidget(view.size_label)
    # the before / after bars in a third column: stacked under the images, the page needed
    # ~360 px and scrolled on a laptop (it gets ~235 at 1280x720); where the page is too
    # narrow for three columns (the settings panel shown) they go under the images (reflow)
    view.chart_box = QWidget()
    chart = QVBoxLayout(view.chart_box)
    chart.setContentsMargins(0, 0, 0, 0)
    chart.addWidget(view.plot, 1)
    chart.addWidget(legend)
    view.controls, view.columns = controls, QHBoxLayout()
    view.columns.addLayout(controls, 1)
    view.columns.addSpacing(8)
    view.columns.addLayout(results, 1)
    view.columns.addSpacing(8)
    view.columns.addWidget(view.chart_box, 1)
    columns = view.columns
    layout = QVBoxLayout(view)
    layout.setContentsMargins(6, 6, 6, 6)   # thin: at 1280x720 the page has ~235 px for ~230 of content
    layout.addLayout(target_row)
    layout.addLayout(columns, 1)

def reflow(view):
    """Wide (a short page beside the canvas): the buttons in the digits' row, the bars beside
    the images. Narrow (the settings panel shown; the page is taller): the buttons under the
    bound, the bars under the images. Decided on the scroll area's width: the page itself
    never gets narrower than its minimum, which depends on the choice."""
    available = view.parentWidget().width() if view.parentWidget() is not None else view.width()
    three = (view.norm_combo.minimumSizeHint().width() + 3 * IMAGE_MIN + view.plot.minimumWidth()
             + 12 + 16 + 12)   # images' spacing, between the columns, the page's margins
    wide = available >= three
    if wide == (view.columns.indexOf(view.chart_box) >= 0):
        return
    (view.controls if wide else view.target_row).removeWidget(view.button_box)
    (view.results if wide else view.columns).removeWidget(view.chart_box)
    if wide:
        view.target_row.insertWidget(2, view.button_box)
        view.columns.addWidget(view.chart_box, 1)
    else:
        view.controls.insertWidget(2, view.button_box)
        view.results.addWidget(view.chart_box, 1)
