"""`python main.py evaluate --model M --images DIR`: accuracy on a folder of labelled image files.

A folder with class subfolders (DIR/circle/a.png, DIR/star/b.png: torchvision's ImageFolder
layout, as `train --images` reads it) is evaluated on every image in a subfolder named after one
of the model's classes (on DIR/test/ when DIR has train/ and test/); a subfolder the model does
not know is skipped with one line. Without subfolders, every file whose name starts with its label (``7_anything.png``, ``7.png``, ``7-b.jpg``) is
read, prepared exactly as `predict` prepares it (core.cli.predict.classify_file: polarity
detected, ink cropped, longest side to the box, centre of mass centred) and classified. Files
without a label in the name, with a label the model does not know, or that cannot be read are
skipped: one line each on stderr, and counted. Prints accuracy, per-digit accuracy and the
confusion matrix; ``--json`` gives the same as one JSON object.

A My digits folder (core.data.my_digits.store) works too: its entries carry their labels in their
JSON, so each ID.prepared.png is evaluated with that label and the other files are not counted.
"""
import sys
from pathlib import Path

import numpy as np

from core.cli.common import print_json
from core.cli.predict import classify_file
from core.data.image_folder import SPLIT_FOLDERS, class_subfolders, files_under, label_from_name
from core.data.my_digits.store import MyDigits
from core.errors import DigitLabError
from core.files.model_io import load_model
from core.evaluation import metrics
from core.evaluation.metrics import format_confusion

def evaluate_folder(folder, network, metadata):
    """Classify every labelled image in ``folder``. Returns a dict: n, accuracy, per_class
    {name: {n, correct, accuracy}}, confusion (n_classes, n_classes) int64, class_names,
    files [(name, label, predicted)], skipped [(name, reason)], and flagged {"not a digit": n,
    "not sure": n}: the files the canvas's reading would not answer with a class (core.drawing.reading;
    their top class still counts in the accuracy and the confusion)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DigitLabError(f"--images {folder}: no such folder")
    class_names = list(metadata["class_names"])
    positive_class = int(metadata.get("positive_class", -1))
    n_labels = 10 if positive_class >= 0 else len(class_names)
    files, skipped, verdicts = [], [], []
    if class_subfolders(folder):
        _evaluate_subfolders(folder, network, metadata, n_labels, files, skipped, verdicts)
        return _summary(folder, files, skipped, class_names, positive_class, n_labels, verdicts)
    kept = {entry.id: entry.label for entry in MyDigits(folder).list()}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        digit_id = path.name.split(".", 1)[0]
        if digit_id in kept and not path.name.endswith(".prepared.png"):
            continue   # a My digits entry's JSON and drawing: its prepared image stands for it
        label = kept[digit_id] if digit_id in kept else label_from_name(path.name)
        if label is None:
            skipped.append((path.name, "no label at the start of the file name (expected e.g. 7_name.png)"))
            continue
        if label >= n_labels:
            skipped.append((path.name, f"label {label} is not a class of this model (0-{n_labels - 1})"))
            continue
        try:
            result, _ = classify_file(path, network, metadata)
        except DigitLabError as error:
            reason = str(error)
            skipped.append((path.name, reason.split(": ", 1)[1] if reason.startswith(str(path)) else reason))
            continue
        if result["class"] is None:   # nothing to read: a blank page, a speck
            skipped.append((path.name, result["reason"] or result["verdict"]))
            continue
        predicted = class_names.index(result["class"])
        files.append((path.name, label, predicted))
        verdicts.append(result["verdict"])
    return _summary(folder, files, skipped, class_names, positive_class, n_labels, verdicts)


def _evaluate_subfolders(folder, network, metadata, n_labels, files, skipped, verdicts):
    """Classify the images in the class subfolders of folder (of folder/test with train/ and
    test/), appending (relative path, label, predicted) to files, each one's verdict to verdicts
    and (path, reason) to skipped."""
    class_names = [str(name) for name in metadata["class_names"]]
    positive_class = int(metadata.get("positive_class", -1))
    names = {sub.name for sub in class_subfolders(folder)}
    root = folder / "test" if set(SPLIT_FOLDERS) <= names else folder
    for sub in class_subfolders(root):
        if positive_class >= 0:     # one digit against the rest: the subfolders are digits
            label = int(sub.name) if sub.name.isdigit() and int(sub.name) < n_labels else None
        else:
            label = class_names.index(sub.name) if sub.name in class_names else None
        if label is None:
            skipped.append((sub.name + "/", f"not a class of this model ({', '.join(class_names[:12])}"
                            + (", ..." if len(class_names) > 12 else "") + ")"))
            continue
        for path in files_under(sub):
            name = str(path.relative_to(folder))
            try:
                result, _ = classify_file(path, network, metadata)
            except DigitLabError as error:
                reason = str(error)
                skipped.append((name, reason.split(": ", 1)[1] if reason.startswith(str(path)) else reason))
                continue
            if result["class"] is None:   # nothing to read: a blank page, a speck
                skipped.append((name, result["reason"] or result["verdict"]))
                continue
            files.append((name, label, class_names.index(result["class"])))
            verdicts.append(result["verdict"])


def _summary(folder, files, skipped, class_names, positive_class, n_labels, verdicts=()):
    if not files:
        raise DigitLabError(f"--images {folder}: no labelled images to evaluate "
                            f"({len(skipped)} file{'s' if len(skipped) != 1 else ''} skipped)"
                            + "".join(f"\n  {name}: {why}" for name, why in skipped[:10]))
    labels = np.array([label for _, label, _ in files])
    task = (labels == positive_class).astype(np.int64) if positive_class >= 0 else labels
    predicted = np.array([p for _, _, p in files])
    confusion = metrics.confusion_matrix(task, predicted, len(class_names))
    per_class = {}
    for digit in range(n_labels):
        mask = labels == digit
        if mask.any():
            correct = int(np.count_nonzero(predicted[mask] == task[mask]))
            per_class[str(digit) if positive_class >= 0 else class_names[digit]] = {
                "n": int(mask.sum()), "correct": correct, "accuracy": correct / int(mask.sum())}
    flagged = {kind: sum(v == kind for v in verdicts) for kind in ("not a digit", "not sure")}
    return {"n": len(files), "accuracy": float(np.mean(predicted == task)), "per_class": per_class,
            "confusion": confusion, "class_names": class_names, "files": files, "skipped": skipped,
            "flagged": flagged}


def run_folder(args):
    network, metadata = load_model(args.model)
    result = evaluate_folder(args.images, network, metadata)
    for name, reason in result["skipped"]:
        print(f"skipped {name}: {reason}", file=sys.stderr)
    if args.json:
        print_json({"model": str(args.model), "images": str(args.images), "n": result["n"],
                    "accuracy": result["accuracy"], "per_class": result["per_class"],
                    "confusion": result["confusion"], "class_names": result["class_names"],
                    "n_skipped": len(result["skipped"]), "flagged": result["flagged"],
                    "skipped": [{"file": name, "reason": why} for name, why in result["skipped"]]})
        return 0
    skipped = len(result["skipped"])
    print(f"{network.describe()} on {args.images} ({result['n']} images"
          + (f", {skipped} skipped" if skipped else "") + f"): accuracy {result['accuracy']:.4f}")
    flags = result["flagged"]
    print(f"read as 'not a digit' {flags['not a digit']}, 'not sure' {flags['not sure']} (their top class "
          f"counts above)\n")
    print("per digit:" if metadata.get("positive_class", -1) >= 0 or result["class_names"][0] == "0" else "per class:")
    width = max([6] + [len(name) for name in result["per_class"]])
    for name, row in result["per_class"].items():
        print(f"  {name:>{width}}  {row['accuracy']:.4f}  ({row['correct']}/{row['n']})")
    print()
    print(format_confusion(result["confusion"], result["class_names"]))
    return 0
