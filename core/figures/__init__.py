"""Pictures of the app's views drawn from core data with NumPy + Pillow, no window: the first-layer
weights and conv filters, the feature maps of one image, the Map (PCA), the curves; and the
training film (film.py) that strings them along a run record's checkpoints. Used by the command
line (`python main.py film`), the app's Runs > Export film... and anything else that needs a
view as an image without Qt (the run report).
"""
