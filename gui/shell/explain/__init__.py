""""What am I looking at?": an explanation, with the window's current figures, for every named
part of the window (gui/shell/targets.py), a ? button on every view and F1 for the part under the
mouse pointer.

  figures.py       the window's current figures in plain words (percentages, counts, the network)
  left_panel.py    texts of the left panel's parts (data, settings, run, progress, banner)
  training_tab.py  texts of the Training and Weights tabs
  evaluation_tab.py texts of the Evaluation and Data tabs
  draw_tab.py      texts of the Draw tab and the Feature maps, Runs, Calibration and Map tabs
  texts.py         every target's text by name: explain(window, name) -> HTML
  popup.py         the popup, the ? buttons and what F1 does
"""
