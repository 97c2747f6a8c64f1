"""DigitLab's desktop app: PyQt5 + pyqtgraph views over core/ (which knows nothing of Qt)."""
