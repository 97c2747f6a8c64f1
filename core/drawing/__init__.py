"""A drawing (vector strokes or a bitmap) -> the image a network trained on MNIST expects.

MNIST digits were size-normalised to fit a 20x20 box keeping their aspect ratio, anti-aliased,
and placed in a 28x28 field so that their centre of mass sits at the field's centre (index
coordinates (14, 14), measured on the test set). A drawing from a 280x280 canvas resized as a
whole looks nothing like that (wrong size, wrong place, strokes too thin or too thick), which
is why "I drew a 7 and it said 3" happens. The stages here, each of which can be switched off
(``Stages``) for the ablation benchmark:

  crop        crop to the ink and scale the longer side to the box (aspect kept)
  thickness   strokes re-rendered with a pen width fixed relative to the box (vector input),
              or thinned/thickened toward it through a signed distance field (bitmap input)
  antialias   render at ``SUPERSAMPLE`` times the resolution and area-downsample; off: binary
  centre      centre of mass at the field's centre (off: centre of the bounding box)

Images are (H, W) float32 in [0, 1], ink light on dark like MNIST; ``model_input`` turns one
into the (1, n_inputs) row a Network takes, with the model's normalisation.
Pure NumPy / SciPy / Pillow; no Qt.

The code lives in one module per concern (geometry, strokes, bitmap, thickness, holes,
placement, model_input); import each name from the module of its concern.
"""
