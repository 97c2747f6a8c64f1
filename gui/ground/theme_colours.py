"""The colours of each theme, named by role: the one place a colour of the window is chosen.

resources/style.qss names these roles ($text, $accent, ...), the Qt palette and the plots read
them, and views that colour a label or a table cell ask ``theme.colours()`` for a role, so a
theme is one instance of ``Colours``. The curve colours (theme.BLUE, ORANGE, ...) are the same
in both themes: each keeps about 3:1 or more against both plot backgrounds (orange on white: 2.97), so a curve drawn before
a switch stays right after it. Pictures of digits (canvas, galleries, feature maps) stay ink on
paper in both themes: that is what the network's input looks like.
"""
import functools
from dataclasses import asdict, dataclass

THEMES = ("light", "dark")


@dataclass(frozen=True)
class Colours:
    name: str
    window: str            # window and left panel background
    base: str              # fields, lists, tables, tab pages
    alt_base: str          # alternate rows, header cells, inset boxes
    panel: str             # group boxes
    text: str
    title: str             # group box titles
    tab_text: str
    tab_selected: str
    muted: str             # hints and secondary text (>= 4.5:1 on window and base)
    faint: str             # placeholder text ("draw a digit" hints); large text only
    disabled_text: str
    disabled_base: str
    border: str            # frames of groups, panes, headers
    control_border: str    # buttons, fields
    button: str
    hover: str
    hover_border: str
    accent: str            # the Start button, progress, checked buttons (white text on it)
    accent_hover: str
    accent_border: str
    accent_disabled: str
    accent_disabled_text: str
    focus: str             # the keyboard focus ring
    focus_on_accent: str
    error: str             # error text and borders
    warning: str           # "not sure", "cannot compare"
    notice_text: str
    notice_bg: str
    notice_border: str
    banner_bg: str
    banner_border: str
    banner_text: str
    info_bg: str           # the rewind bar: "you are looking at the past"
    info_border: str
    problem_row: str       # a table row that went wrong (runs, per-class report, layer stack)
    differs_row: str       # a compared value that differs from the first run's
    gridline: str
    splitter: str
    splitter_hover: str
    tooltip: str
    plot_bg: str
    outline: str           # markers and frames drawn over plots and images
    evidence_red: str      # legend texts naming the evidence map's colours
    evidence_blue: str
    status_ok: str         # runs table: finished / running / failed / stopped early
    status_running: str
    status_failed: str
    status_stopped: str
    dead_unit: str         # unit list: a unit that never fires
    dead_unit_text: str
    diverging_map: str     # signed values, zero at the centre (weights, evidence)
    sequential_map: str    # counts from zero (confusion matrix, unit activity)

    def rgb(self, role):
        """(r, g, b) of a role, for QColor(*...) and pyqtgraph."""
        return hex_to_rgb(getattr(self, role))

    def as_dict(self):
        return asdict(self)


LIGHT = Colours(
    name="light", window="#f6f7f9", base="#ffffff", alt_base="#f3f5f8", panel="#ffffff", text="#22262e",
    title="#3a4150", tab_text="#4a5160", tab_selected="#1f2430", muted="#5b6270", faint="#8a909c",
    disabled_text="#969ba5", disabled_base="#f0f1f4", border="#dde1e7", control_border="#c9ced6",
    button="#ffffff", hover="#eef3fa", hover_border="#9fb6d6", accent="#1f77b4", accent_hover="#2a85c6",
    accent_border="#1a6496", accent_disabled="#b9cde0", accent_disabled_text="#eef3f8", focus="#1f77b4",
    focus_on_accent="#0b3a5e", error="#b3261e", warning="#a35400", notice_text="#7a4d00",
    notice_bg="#fff4d6", notice_border="#e0b84a", banner_bg="#fdecea", banner_border="#f1aeb5",
    banner_text="#6b1a14", info_bg="#eef3fb", info_border="#b9c9e4", problem_row="#fdecea",
    differs_row="#ffecb3", gridline="#e6e9ee", splitter="#d3d8e0", splitter_hover="#9fb8d3",
    tooltip="#ffffe1", plot_bg="#ffffff", outline="#141414", evidence_red="#b2182b", evidence_blue="#2166ac",
    status_ok="#1e6e28", status_running="#1f5ab4", status_failed="#b3261e", status_stopped="#8c5a00",
    dead_unit="#c8c8c8", dead_unit_text="#5a5a5a", diverging_map="CET-D1", sequential_map="CET-L12",
)

DARK = Colours(
    name="dark", window="#1e2126", base="#16181c", alt_base="#23272e", panel="#23272e", text="#e3e6eb",
    title="#c9ced6", tab_text="#b4bac4", tab_selected="#f0f2f5", muted="#a8afba", faint="#8a919c",
    disabled_text="#6c727c", disabled_base="#23262b", border="#3a3f47", control_border="#50565f",
    button="#2b3038", hover="#323a46", hover_border="#5b7fa8", accent="#1f77b4", accent_hover="#185f91",
    accent_border="#5b9bd5", accent_disabled="#2c3e50", accent_disabled_text="#7f8fa0", focus="#6cb4ee",
    focus_on_accent="#d8ecfb", error="#ff8a80", warning="#ffb74d", notice_text="#f3d9a0",
    notice_bg="#3b3120", notice_border="#7a6228", banner_bg="#3d2224", banner_border="#7a3a40",
    banner_text="#f6c9c5", info_bg="#1f2a3a", info_border="#3b5478", problem_row="#4a2326",
    differs_row="#4a3d1a", gridline="#2f343b", splitter="#363b43", splitter_hover="#4f6f94",
    tooltip="#2b3038", plot_bg="#16181c", outline="#ebebeb", evidence_red="#ff7b7b", evidence_blue="#7fb2ff",
    status_ok="#7fd08a", status_running="#7fb2ff", status_failed="#ff8a80", status_stopped="#ffb74d",
    dead_unit="#464646", dead_unit_text="#b4b4b4", diverging_map="CET-D4", sequential_map="CET-L6",
)

BY_NAME = {"light": LIGHT, "dark": DARK}


def hex_to_rgb(text):
    text = text.lstrip("#")
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


def relative_luminance(rgb):
    """WCAG 2 relative luminance of an (r, g, b) 0-255 colour."""
    def channel(value):
        value /= 255.0
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first, second):
    """WCAG contrast ratio (1 to 21) of two (r, g, b) colours; 4.5 is the floor for body text."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(rgb):
    """White or near-black, whichever reads better on the colour rgb (text over a colour map)."""
    return _readable_on(tuple(int(v) for v in rgb[:3]))


@functools.lru_cache(maxsize=4096)
def _readable_on(rgb):
    # cached: a confusion matrix asks for 100-400 cells at every epoch end, from a colour map of
    # at most 256 shades (the WCAG arithmetic was 13 ms of a 30 ms run-end redraw)
    dark, white = (34, 38, 46), (255, 255, 255)
    return white if contrast_ratio(white, rgb) >= contrast_ratio(dark, rgb) else dark
