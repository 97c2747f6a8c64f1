"""The curve colours of the app's plots, named once for the window (gui.ground.theme takes them from
here) and for the pictures drawn without it (the run report, the film), so a curve has one colour
wherever it is drawn: train orange, validation green, test purple; mini-batch curves and the
calibration figures blue; an ideal line grey. The same in the light and the dark theme (each keeps
about 3:1 or more against both plot backgrounds, and the four stay apart for the common colour-vision
deficiencies). RGB tuples.
"""
BLUE = (31, 119, 180)
ORANGE = (230, 120, 20)
GREEN = (44, 160, 44)
GREY = (120, 120, 120)
PURPLE = (148, 103, 189)

# what each colour means on a plot (gui/views/plots.py draws the same roles)
TRAIN_COLOUR = ORANGE        # per-epoch training loss / accuracy
VAL_COLOUR = GREEN           # validation, end of each epoch
TEST_COLOUR = PURPLE         # test, per epoch (a run that records it)
BATCH_COLOUR = BLUE          # mini-batch curves; the Calibration tab's reliability and ECE
