"""Image files -> what a model expects, prepared as the canvas prepares a drawing (crop to the
ink, longer side to the box, stroke width, centre of mass centred: core.drawing.bitmap), so a
model trained on a folder of images answers drawings on the canvas, and `predict` agrees with
`evaluate --images`.

    dataset = load_images_for_model("shapes/", (28, 28), skipped=skipped)   # a Dataset
"""
from core.data.image_folder import load_image_folder
from core.drawing.bitmap import prepare_image
from core.drawing.geometry import EmptyDrawing, geometry_for


def canvas_preparation(input_shape=(28, 28), polarity="auto"):
    """A function grey (H, W) uint8 image of any size and polarity -> (h, w) float32 in [0, 1]
    for a model of ``input_shape`` (h, w); it raises EmptyDrawing for a blank image."""
    geometry = geometry_for(input_shape)

    def prepare(gray):
        try:
            return prepare_image(gray, geometry=geometry, polarity=polarity)
        except EmptyDrawing:
            raise EmptyDrawing("blank image (no ink found)") from None
    return prepare


def load_images_for_model(folder, input_shape=(28, 28), **options):
    """core.data.image_folder.load_image_folder with the canvas's preparation for ``input_shape``;
    options: test_fraction, seed, skipped, name."""
    return load_image_folder(folder, canvas_preparation(input_shape), **options)
