"""My digits: the user's own drawings kept as a labelled dataset in a folder, one module per concern.

  entry.py    one kept digit's format: the JSON record, its checks, MyDigitsError, DigitEntry
  png.py      the PNG codec: prepared (28x28) and drawing images, sizes checked from the header
  store.py    MyDigits, the folder of kept digits: keep, relabel, delete, list, load, as_dataset
  archive.py  one zip of a store: export_zip, import_zip (every entry checked and capped)

The drawing picture shown in the gallery is rendered by the caller (core.drawing.strokes.
render_drawing): core.drawing sits above core.data, so nothing here draws strokes.
"""
