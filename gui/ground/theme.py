"""The look: light or dark. Qt palette + templated style sheet for widgets, matching pyqtgraph
settings for plots, and a live switch that restyles what is already open.

The colours of each theme are roles in gui/ground/theme_colours.py (one place). Plot curve
colours below are the same in both themes; they were picked to stay distinguishable for the
common colour-vision deficiencies (blue/orange/green/grey) and keep about 3:1 on both backgrounds.
A view that colours something itself asks ``colours()`` when it draws, and one that must redraw
on a switch connects ``on_change``; colour-mapped images register with ``use_colour_map``.
"""
import os
import string
import weakref

import pyqtgraph as pg
from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtGui import QBrush, QColor, QFont, QPalette

from core.figures.curve_colours import BLUE, GREEN, GREY, ORANGE, PURPLE  # noqa: F401 (theme.BLUE, ...)
from core.storage.resources import STYLE_SHEET_PATH
from gui.ground.theme_colours import BY_NAME, LIGHT, Colours, contrast_ratio, readable_on  # noqa: F401

STYLE_SHEET = STYLE_SHEET_PATH
CHOICES = ("light", "dark", "system")   # what the user picks; "system" resolves to light or dark

# Plot colours (RGB) BLUE, ORANGE, GREEN, GREY, PURPLE: raw curves use the same hue, faint. The same
# in both themes, named once in core.figures.curve_colours (the run report and the film use them too).
TEXT = LIGHT.rgb("text")      # the light theme's text; code that draws should ask text_rgb()

DIVERGING_MAP = LIGHT.diverging_map    # light theme's; use_colour_map(item, "diverging") follows the theme
SEQUENTIAL_MAP = LIGHT.sequential_map

_current = LIGHT
_system_dark = None            # what the platform's palette said before the first apply_theme
_mapped = weakref.WeakKeyDictionary()   # image / colour bar item -> "diverging" or "sequential"


class _Notifier(QObject):
    changed = pyqtSignal(object)   # the new Colours, after palette, style sheet and plots are restyled


_notifier = None


def notifier():
    global _notifier
    if _notifier is None:
        _notifier = _Notifier()
    return _notifier


def on_change(slot):
    """Call slot(colours) after every theme switch. Give a bound method of a QObject: Qt drops the
    connection when the object goes, so no view is kept alive by the theme."""
    notifier().changed.connect(slot)


def colours():
    """The current theme's Colours."""
    return _current


def text_rgb():
    return _current.rgb("text")


def qcolor(role):
    """QColor of a role of the current theme."""
    return QColor(getattr(_current, role))


def mark_cell(item, role):
    """Give a table cell a role's background and the theme's text on it: the two together, so a
    cell filled before a theme switch stays readable until its table refills."""
    item.setBackground(QBrush(qcolor(role)))
    item.setForeground(QBrush(qcolor("text")))


def span(text, role, style=""):
    """Rich text in one role's colour of the current theme (labels redraw it on their next update)."""
    return f"<span style='color:{getattr(_current, role)}; {style}'>{text}</span>"


def error_style(extra=""):
    """A widget style sheet for an error: the theme's error colour."""
    return f"color: {_current.error}; {extra}"


def hex_rgb(rgb):
    """'#rrggbb' of an (r, g, b) curve colour, for rich text naming a curve."""
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def legend_brush(alpha=225):
    """A legend's background: the plot's own colour, nearly opaque, so grid and lines pass behind its text."""
    return (*_current.rgb("plot_bg"), alpha)


def pen(color, width=1.5, alpha=255):
    return pg.mkPen(color=(*color, alpha), width=width)


def brush(color, alpha=255):
    return pg.mkBrush(*color, alpha)


def colour_map(kind):
    """The current theme's pyqtgraph ColorMap for 'diverging' or 'sequential' values."""
    return pg.colormap.get(getattr(_current, f"{kind}_map"))


def use_colour_map(item, kind):
    """Give an ImageItem (or ColorBarItem) the theme's colour map and keep it on a switch: a
    white zero disappears into a dark plot, so each theme has its own maps (theme_colours)."""
    item.setColorMap(colour_map(kind))
    _mapped[item] = kind
    return item


def configure_pyqtgraph():
    """Plots in the theme's colours, antialiased lines; row-major images like NumPy."""
    pg.setConfigOptions(background=_current.plot_bg, foreground=_current.text, antialias=True,
                        imageAxisOrder="row-major")


def plain_numbers(plot_item):
    """Ticks in the data's own units: pyqtgraph would otherwise rescale small or large values
    and put the factor in the label ("loss (x0.001)" over ticks up to 800 for a loss of 0.8)."""
    for name in ("left", "bottom", "right", "top"):
        plot_item.getAxis(name).enableAutoSIPrefix(False)


def style_plot(plot_item, title=None, x_label=None, y_label=None):
    """Shared axis styling for a PlotItem: grid, readable tick font, labels, plain numbers."""
    font = QFont()
    font.setPointSize(9)
    for name in ("left", "bottom"):
        axis = plot_item.getAxis(name)
        axis.setTickFont(font)
        axis.setPen(pg.mkPen(_current.text))
        axis.setTextPen(pg.mkPen(_current.text))
    plain_numbers(plot_item)
    plot_item.showGrid(x=True, y=True, alpha=0.15)   # drawn in the text colour: faint on either background
    if title:
        plot_item.setTitle(title, color=_current.text, size="11pt")
    if x_label:
        plot_item.setLabel("bottom", x_label)
    if y_label:
        plot_item.setLabel("left", y_label)


def system_prefers_dark():
    """Whether the desktop asked for dark. Qt 5 has no colour-scheme query (QStyleHints.colorScheme
    is Qt 6.5), so: the platform palette's window colour before DigitLab set its own, or a GTK
    theme named ...:dark. False when nothing tells (the offscreen platform)."""
    if os.environ.get("GTK_THEME", "").lower().endswith(":dark"):
        return True
    return bool(_system_dark)


def resolve(choice):
    """'light', 'dark' or 'system' -> the Colours to use."""
    if choice == "system":
        return BY_NAME["dark" if system_prefers_dark() else "light"]
    return BY_NAME.get(choice, LIGHT)


def style_sheet(theme_colours):
    """resources/style.qss with its $role names filled in from one theme."""
    if not STYLE_SHEET.is_file():
        return ""
    names = dict(theme_colours.as_dict(), resources=STYLE_SHEET.parent.as_posix())   # $resources: its icons
    return string.Template(STYLE_SHEET.read_text(encoding="utf-8")).substitute(names)


def build_palette(c: Colours):
    palette = QPalette()
    for role, name in ((QPalette.Window, "window"), (QPalette.Base, "base"), (QPalette.AlternateBase, "alt_base"),
                       (QPalette.Text, "text"), (QPalette.WindowText, "text"), (QPalette.ButtonText, "text"),
                       (QPalette.Button, "button"), (QPalette.Highlight, "accent"), (QPalette.ToolTipBase, "tooltip"),
                       (QPalette.ToolTipText, "text"), (QPalette.PlaceholderText, "faint"),
                       (QPalette.Link, "focus"), (QPalette.BrightText, "error")):
        palette.setColor(role, QColor(getattr(c, name)))
    palette.setColor(QPalette.HighlightedText, QColor(255, 255, 255))
    for role, name in ((QPalette.Light, "hover"), (QPalette.Midlight, "border"), (QPalette.Mid, "control_border"),
                       (QPalette.Dark, "control_border"), (QPalette.Shadow, "outline")):
        palette.setColor(role, QColor(getattr(c, name)))
    # setColor(role, ...) set every colour group: give disabled fields their own grey, or a
    # field the settings do not use (learning rate for cg, epochs under iterations) looks editable
    for role, name in ((QPalette.Text, "disabled_text"), (QPalette.WindowText, "disabled_text"),
                       (QPalette.ButtonText, "disabled_text"), (QPalette.Base, "disabled_base")):
        palette.setColor(QPalette.Disabled, role, QColor(getattr(c, name)))
    return palette


def apply_theme(app, choice="light"):
    """Fusion style, the theme's palette, the app font and the filled-in style sheet. Called again
    with another choice, it restyles every open window, plots included (gui/ground/plot_restyle.py),
    then tells on_change listeners. Returns the Colours applied."""
    global _current, _system_dark
    if _system_dark is None:   # the platform's own palette, read once before ours replaces it
        _system_dark = app.palette().color(QPalette.Window).lightness() < 128
    old, _current = _current, resolve(choice)
    configure_pyqtgraph()
    app.setStyle("Fusion")
    app.setPalette(build_palette(_current))
    font = app.font()
    font.setPointSize(10)
    app.setFont(font)
    app.setStyleSheet(style_sheet(_current))
    if old is not _current:
        from gui.ground.plot_restyle import restyle_graphics   # only needed on a switch
        restyle_graphics(old, _current)
        for item, kind in list(_mapped.items()):
            try:
                item.setColorMap(colour_map(kind))
            except RuntimeError:   # its C++ object is gone with a closed view
                _mapped.pop(item, None)
        notifier().changed.emit(_current)
    return _current
