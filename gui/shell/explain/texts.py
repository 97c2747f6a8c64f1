"""Every named part of the window's explanation, by its target name (gui/shell/targets.py)."""
from gui.shell.explain import draw_tab, evaluation_tab, left_panel, training_tab

EXPLANATIONS = {**left_panel.TEXTS, **training_tab.TEXTS, **evaluation_tab.TEXTS, **draw_tab.TEXTS}


def explain(window, name):
    """The HTML explanation of the part called ``name``, with the window's current figures."""
    if name not in EXPLANATIONS:
        raise KeyError(f"no explanation for {name!r}; the parts are: {', '.join(EXPLANATIONS)}")
    return EXPLANATIONS[name](window)
