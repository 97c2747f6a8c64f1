"""The left panel (data, settings, Run box) steps aside for the Draw tab on a small screen.

    toggle = LeftPanelToggle(window.left_panel, window.tabs, window.tabs.draw_page, wide_enough)

At 1280x720 the left panel's ~440 px left the Draw tab ~800 px: the Evidence page scrolled and
the tab scrolled sideways. Drawing needs no settings, so on a window narrower than wide_enough()
says, showing the Draw tab hides the left panel and leaving it brings the panel back. A button in
the tab bar's corner ("Show settings" / "Hide settings") says the panel is there and toggles it
by hand on any tab; a panel hidden by hand stays hidden until shown by hand. Run, pause and stop
stay in the Training menu and on their shortcuts (Ctrl+Return, Space, Esc) while it is hidden.
"""
from PyQt5.QtCore import QObject, Qt
from PyQt5.QtWidgets import QToolButton

SHOW_TEXT, HIDE_TEXT = "▶ Show settings", "◀ Hide settings"


class LeftPanelToggle(QObject):
    def __init__(self, panel, tabs, draw_page, wide_enough):
        super().__init__(tabs)
        self.panel, self.tabs, self.draw_page, self.wide_enough = panel, tabs, draw_page, wide_enough
        self.hidden_by_hand = False
        self.hidden_for_draw = False
        self.button = QToolButton()
        self.button.setObjectName("leftPanelToggle")
        self.button.setToolTip("The Data and Network-and-training panel and the Run box (Start, Stop)")
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self._clicked)
        tabs.setCornerWidget(self.button, Qt.TopLeftCorner)
        tabs.currentChanged.connect(self.follow_tab)
        self._update_button()

    def follow_tab(self, _index=None):
        """Hide the panel for the Draw tab on a narrow window; bring it back on the other tabs."""
        on_draw = self.tabs.currentWidget() is self.draw_page
        if on_draw and not self.wide_enough() and self.panel.isVisible():
            self.hidden_for_draw = True
            self.panel.hide()
        elif not on_draw and self.hidden_for_draw and not self.hidden_by_hand:
            self.hidden_for_draw = False
            self.panel.show()
        self._update_button()

    def _clicked(self):
        self.set_shown(self.panel.isHidden())

    def set_shown(self, show):
        """Show or hide the panel as the corner button does (a lesson pointing at a setting shows it)."""
        self.panel.setVisible(show)
        self.hidden_by_hand = not show
        self.hidden_for_draw = False
        self._update_button()

    def _update_button(self):
        self.button.setText(SHOW_TEXT if self.panel.isHidden() else HIDE_TEXT)
