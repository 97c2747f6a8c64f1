"""My drawings: the user's own classes (letters, +, -, x, shapes, anything), drawn on a canvas and
kept per class. The digits' store (core.data.my_digits) is the digits' case of it: a project is
that store with the user's class names, so keeping, relabelling, deleting, reading and the zip
are the same code.

  classes.py  class and project names: checked once (valid file names, unique, at most MAX_CLASSES)
  project.py  MyDrawings (one project's folder: project.json + the kept drawings), the projects
              folder, and the project as a Dataset (a held-out share of each class as the test set)
  archive.py  one zip of a project: its drawings and project.json; a My digits zip imports as
              classes "0".."9"
"""
