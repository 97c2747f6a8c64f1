"""The run report's page: one HTML file with its style and every picture inside it (PNG data
URIs), so it can be mailed, handed in or put on a course page as it is.

Sections, in reading order: what was trained and how well (headline figures), the command that
repeats it, the curves, the confusion matrix, precision / recall / F1 per class, the most
confident mistakes, calibration, every setting. Each has a sentence saying how to read it (the
reader may be a student who was not there). All text from the record is escaped.
"""
import datetime
import html
import math

from core.reports.report_figures import (confusion_image, ece_curve_image, mistakes_image, png_data_uri,
                                         reliability_image)
from core.reports.reproduce import reproduce_command, reproduce_notes
from core.settings.config import TrainConfig
from core.settings.fields import settings_of
from core.figures.curves import curves_image

STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1e1e1e; margin: 2em auto;
       max-width: 960px; padding: 0 1em; line-height: 1.45; }
h1 { margin-bottom: 0.1em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.sub { color: #666; margin-top: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 1em; margin: 1em 0; }
.figure { border: 1px solid #ddd; border-radius: 6px; padding: 0.5em 1em; min-width: 9em; }
.figure .value { font-size: 1.6em; font-weight: 600; } .figure .what { color: #666; font-size: 0.9em; }
pre { background: #f4f4f4; padding: 0.8em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { padding: 0.25em 0.8em; text-align: right; }
th { border-bottom: 1px solid #999; } td.name, th.name { text-align: left; }
tr.weak td { background: #fde8e8; } tr.sum td { border-top: 1px solid #ccc; font-style: italic; }
img { max-width: 100%; height: auto; } .how { color: #444; }
footer { margin-top: 3em; color: #888; font-size: 0.85em; }
"""


def esc(value):
    return html.escape(str(value), quote=True)


def percent(value, digits=2):
    return f"{100 * value:.{digits}f}%" if isinstance(value, (int, float)) and math.isfinite(value) else "–"


def image_tag(image, alt):
    # in a block of its own: a viewer that lays images inline (Qt's) keeps it off the text's line
    return f'<div class="picture"><img src="{png_data_uri(image)}" alt="{esc(alt)}"></div>' if image is not None else ""


def _figure(value, what):
    return f'<div class="figure"><div class="value">{esc(value)}</div><div class="what">{esc(what)}</div></div>'


def _best_validation(rows):
    scored = [r for r in rows if isinstance(r.get("val_accuracy"), (int, float))]
    if not scored:
        return None
    best = max(scored, key=lambda r: r["val_accuracy"])
    return best["val_accuracy"], best["epoch"]


def headline(record, measured):
    settings = record.settings
    figures = [_figure(percent(measured.accuracy), f"test accuracy ({measured.n:,} test images, epoch "
                                                   f"{measured.epoch})"),
               _figure(f"{measured.loss:.4f}", "test loss (cross-entropy)")]
    best = _best_validation(record.rows)
    if best:
        figures.append(_figure(percent(best[0]), f"best validation accuracy (epoch {best[1]})"))
    if math.isfinite(measured.bins.ece):
        figures.append(_figure(percent(measured.bins.ece), "calibration error (ECE, test set)"))
    elapsed = record.rows[-1].get("elapsed") if record.rows else None
    if isinstance(elapsed, (int, float)):
        figures.append(_figure(f"{elapsed:.2f} s" if elapsed < 10 else f"{elapsed:.0f} s",
                               f"training time, {len(record.rows)} epoch{'s' if len(record.rows) != 1 else ''}"))
    return (f"<h1>{esc(record.name)}</h1>\n<p class=\"sub\">{esc(settings['network']['description'])} on "
            f"{esc(settings['dataset']['name'])} · run {esc(record.run_id)} · started {esc(settings.get('created', '?'))}"
            f" · {esc(record.status)}</p>\n<div class=\"figures\">{''.join(figures)}</div>")


def reproduce_section(record):
    notes = "".join(f"<p class=\"how\">{esc(note)}</p>" for note in reproduce_notes(record.settings))
    return ("<h2>Repeat this run</h2>\n<p class=\"how\">The same settings, seed and data give the same weights to the "
            "last bit. In DigitLab's folder:</p>\n"
            f"<pre>{esc(reproduce_command(record.settings))}</pre>{notes}"
            "<p class=\"how\">To hand someone the set-up with its initial weights and the data's checksum in one file, "
            "add <code>--save-experiment FILE</code> to the command (or use File &gt; Save experiment… in the app); "
            "<code>python main.py train --from FILE</code> then repeats the run and says if their data differs.</p>")


def curves_section(record):
    history = record.history()
    if not history.get("epoch"):
        return "<h2>Curves</h2><p>No epoch finished, so there are no curves.</p>"
    picture = curves_image(history, size=(900, 320))
    return ("<h2>Curves</h2>\n<p class=\"how\">Loss and accuracy after every epoch, on the training examples and on "
            "the validation examples the network never trained on. A widening gap between them is overfitting.</p>\n"
            + image_tag(picture, "loss and accuracy per epoch"))


def _top_confusions(measured, count=3):
    confusion = measured.confusion.copy()
    for k in range(len(confusion)):
        confusion[k, k] = 0
    order = sorted(((int(confusion[i, j]), i, j) for i in range(len(confusion)) for j in range(len(confusion))
                    if confusion[i, j]), reverse=True)[:count]
    names = measured.class_names
    return [f"{names[i]} taken for {names[j]}: {n:,} times" for n, i, j in order]


def confusion_section(measured):
    top = _top_confusions(measured)
    said = (" The most frequent mistakes: " + "; ".join(top) + ".") if top else " It made no mistake."
    return ("<h2>Confusion matrix</h2>\n<p class=\"how\">Each row is the true class of the test images, each column "
            "the network's answer; the count in a cell is how many images of that row got that answer. The "
            f"diagonal is right; red cells off it are the mistakes (the darker, the larger their share of the row).{esc(said)}"
            "</p>\n" + image_tag(confusion_image(measured.confusion, measured.class_names), "confusion matrix"))


def per_class_section(measured):
    report = measured.report
    weakest = min(report["classes"], key=lambda row: row["f1"])["name"] if report["classes"] else None
    rows = []
    for row in report["classes"]:
        weak = ' class="weak"' if row["name"] == weakest else ""
        rows.append(f"<tr{weak}><td class=\"name\">{esc(row['name'])}</td><td>{row['precision']:.4f}</td>"
                    f"<td>{row['recall']:.4f}</td><td>{row['f1']:.4f}</td><td>{row['support']:,}</td></tr>")
    support = sum(row["support"] for row in report["classes"])
    for key, label in (("macro_avg", "mean of the classes"), ("weighted_avg", "weighted by support")):
        avg = report[key]
        rows.append(f"<tr class=\"sum\"><td class=\"name\">{label}</td><td>{avg['precision']:.4f}</td>"
                    f"<td>{avg['recall']:.4f}</td><td>{avg['f1']:.4f}</td><td>{support:,}</td></tr>")
    return ("<h2>Precision, recall and F1 per class</h2>\n<p class=\"how\">Precision: of the images the network "
            "called this class, the share that were. Recall: of the images of this class, the share it found. "
            f"F1 combines the two. The weakest class ({esc(weakest)}) is shaded.</p>\n"
            "<table><tr><th class=\"name\">class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n"
            + "\n".join(rows) + "</table>")


def mistakes_section(measured):
    index = measured.mistakes
    if not len(index):
        return "<h2>Most confident mistakes</h2><p>The network got every test image right.</p>"
    names = measured.class_names
    picture = mistakes_image(measured.images[index], [names[k] for k in measured.labels[index]],
                             [names[k] for k in measured.predictions[index]],
                             measured.probabilities[index, measured.predictions[index]])
    wrong = int((measured.predictions != measured.labels).sum())
    return (f"<h2>Most confident mistakes</h2>\n<p class=\"how\">The {len(index)} test images (of {wrong:,} it got wrong) "
            "where the network was surest of a wrong answer, surest first: 'true class read as answer'. Some are hard to read "
            "for a person too; some show what the network has not learnt.</p>\n"
            + image_tag(picture, "the most confident mistakes"))


def calibration_section(record, measured):
    ece_curve = ece_curve_image(record.history())
    return ("<h2>Calibration</h2>\n<p class=\"how\">Is the network as sure as it is right? The test images are put in "
            "ten bins by how sure the network was; each point is a bin's mean confidence against the share it got right. "
            "On the grey diagonal, 80% sure means right 80% of the time; points below it mean overconfident. The "
            "expected calibration error (ECE) is the average distance, weighted by how many images each bin holds.</p>\n"
            f"<div class=\"figures\">{image_tag(reliability_image(measured.bins), 'reliability diagram')}"
            f"{image_tag(ece_curve, 'calibration error per epoch')}</div>")


def settings_section(record):
    config = TrainConfig.from_dict(record.settings["config"])
    rows = []
    for info in settings_of(TrainConfig):
        value = getattr(config, info.name)
        shown = info.names.get(value, info.to_text(value)) if info.names else info.to_text(value)
        rows.append(f"<tr><td class=\"name\">{esc(info.label)}</td><td class=\"name\">{esc(shown)}"
                    f"{(' ' + esc(info.unit)) if info.unit and shown else ''}</td>"
                    f"<td class=\"name\"><code>{esc(info.cli_flag() or '')}</code></td></tr>")
    dataset = record.settings["dataset"]
    return ("<h2>Every setting</h2>\n"
            f"<p class=\"how\">Data: {esc(dataset['name'])} ({esc(dataset.get('source') or '')}), "
            f"{esc('x'.join(map(str, dataset['image_shape'])))} images, classes {esc(', '.join(dataset['class_names']))}.</p>\n"
            "<table><tr><th class=\"name\">setting</th><th class=\"name\">value</th><th class=\"name\">option</th></tr>\n"
            + "\n".join(rows) + "</table>")


def render_report(record, measured):
    """The whole page as text (record: RunRecord; measured: core.reports.run_report.Measured)."""
    made = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join([headline(record, measured), reproduce_section(record), curves_section(record),
                      confusion_section(measured), per_class_section(measured), mistakes_section(measured),
                      calibration_section(record, measured), settings_section(record)])
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>DigitLab report: {esc(record.name)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n"
            f"<footer>Made by DigitLab on {made} from run {esc(record.run_id)}'s checkpoint of epoch {measured.epoch}, "
            f"measured on the {measured.n:,} test images of {esc(record.settings['dataset']['name'])}.</footer>\n"
            "</body>\n</html>\n")
