"""The My drawings window's questions: the dialogs that ask for a name, a file or a folder, then
call the window's own methods (which tests and scripts call directly, without a dialog)."""
from PyQt5.QtWidgets import QFileDialog, QInputDialog, QMenu

from gui.ground.save_paths import suggested_path


def ask_new_project(window):
    name, ok = QInputDialog.getText(window, "New project", "Project name:")
    if not ok:
        return
    classes, ok = QInputDialog.getText(window, "New project", "Classes, separated by commas "
                                       "(e.g. circle, square, triangle, plus, cross):")
    if ok:
        window.new_project(name, classes)


def ask_add_class(window):
    name, ok = QInputDialog.getText(window, "Add class", "Name of the new class:")
    if ok:
        window.add_class(name)


def ask_rename(window, index):
    name, ok = QInputDialog.getText(window, "Rename class", "New name:", text=window.project.class_names[index])
    if ok:
        window.rename_class(index, name)


def export_menu(window):
    """The Export button's menu: the project as one zip, or its drawings as a folder of images."""
    menu = QMenu(window)
    menu.addAction("As one zip (classes and drawings, to import elsewhere)…", lambda: ask_export(window))
    menu.addAction("As a folder of images, a subfolder per class (for train --images)…",
                   lambda: ask_export_images(window))
    return menu


def ask_export(window):
    path, _ = QFileDialog.getSaveFileName(window, "Export project", suggested_path(f"{window.project.name}.zip"), "Zip files (*.zip)")
    if path:
        window.export_to(path)


def ask_export_images(window):
    folder = QFileDialog.getExistingDirectory(window, "An empty folder for the images (a subfolder per class)")
    if folder:
        window.export_images_to(folder)


def ask_import(window):
    path, _ = QFileDialog.getOpenFileName(window, "Import drawings", "", "Zip files (*.zip);;All files (*)")
    if path:
        window.import_from(path)
