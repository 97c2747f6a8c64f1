"""`python main.py explain --model M IMAGE... --out DIR`: evidence maps of image files as PNGs.

Each image is prepared as `predict` prepares it (core.cli.predict.classify_file) and gets one
sheet DIR/NAME.evidence.png: the prepared image, the maps towards the top digit (integrated
gradients, gradient x input, and occlusion for conv networks), the contrast "why the top
digit and not K" (K = --versus, default the runner-up), and the probabilities; each map is
named with one line on how to read it (core.analysis.evidence). One JSON line per image goes
to stdout: {"file", "digit", "versus", "out", "sum_integrated_gradients", "score_change"}.
"""
import json
import sys
from pathlib import Path

import numpy as np

from core.analysis import pictures
from core.analysis.evidence import INTEGRATED_GRADIENTS, OCCLUSION, explain
from core.cli.predict import POLARITIES, class_value, classify_file
from core.drawing.model_input import model_input
from core.errors import DigitLabError
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH

MAP_HEIGHT = 168


def register(subparsers):
    p = subparsers.add_parser(
        "explain", help="evidence maps: which pixels made the model answer what it did",
        description="Write one PNG per image with evidence maps (integrated gradients, gradient x input, "
                    "occlusion for conv networks) towards the predicted digit and against a second digit.")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="image files of digits (any size and polarity)")
    p.add_argument("--model", default=str(DEFAULT_MODEL_PATH), metavar="MODEL.npz",
                   help="model file (default: the shipped model)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the PNG sheets (created if needed)")
    p.add_argument("--versus", type=int, metavar="K", help="explain 'why the answer and not K' (default: the runner-up)")
    p.add_argument("--polarity", choices=tuple(POLARITIES), default="auto", help="as for predict")
    p.set_defaults(run=run)


def _map_panel(evidence, title, limit=None):
    image = pictures.enlarge(pictures.diverging(evidence.values, limit), MAP_HEIGHT)
    return pictures.labelled(image, title)


def evidence_sheet(image01, towards, contrast, probabilities, class_names):
    """The PIL sheet for one image: maps {key: EvidenceMap} towards the top class and against K."""
    top = next(iter(towards.values())).target
    versus = next(iter(contrast.values())).versus
    name = lambda c: class_names[c]
    first = [pictures.labelled(pictures.enlarge(pictures.gray(image01), MAP_HEIGHT), "what the network sees")]
    first += [_map_panel(m, f"{m.method.name}: towards {name(top)}") for m in towards.values()]
    second = [_map_panel(m, f"{m.method.name}: {name(top)} and not {name(versus)}") for m in contrast.values()]
    second.append(pictures.bar_chart(probabilities, class_names, (300, MAP_HEIGHT + 20), "probabilities",
                                     highlight=top))
    ig = towards[INTEGRATED_GRADIENTS.key]
    methods = [m.method for m in towards.values()]
    lines = [f"Answer {name(top)} ({probabilities[top]:.1%}); compared with {name(versus)} ({probabilities[versus]:.1%}).",
             f"Integrated gradients add up to {ig.total:+.2f} = score change from a black image {ig.score - ig.baseline_score:+.2f} "
             f"(gap {ig.gap:+.3f}). Scores are logits (log-probability up to a constant)."]
    lines += [f"{m.name}: {m.how_to_read}" for m in methods]
    return pictures.column([pictures.row(first), pictures.row(second), pictures.text_block(lines, 1100)])


def run(args):
    network, metadata = load_model(args.model)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DigitLabError(f"--out {out}: cannot create the folder ({error.strerror or error})") from None
    names = [str(n) for n in metadata["class_names"]]
    if args.versus is not None and not 0 <= args.versus < len(names):
        raise DigitLabError(f"--versus {args.versus}: this model's classes are 0 to {len(names) - 1}")
    normalisation = metadata.get("normalisation", "zero_one")
    failures = 0
    for path in args.images:
        try:
            result, image = classify_file(path, network, metadata, POLARITIES[args.polarity])
            if image is None:   # a blank page or a speck: classify_file says why
                raise DigitLabError(f"{path}: {result['reason']}: nothing to explain")
            x = model_input(image, normalisation)[0]
            towards, probabilities = explain(network, x, None, normalisation)
            top = int(np.argmax(probabilities))
            if args.versus is not None and args.versus == top:   # "why 7 and not 7" has no answer
                raise DigitLabError(f"{path}: the answer is {names[top]}, so --versus {args.versus} has nothing "
                                    f"to compare it with; give another class, or leave --versus out for the runner-up")
            versus = args.versus if args.versus is not None else int(np.argsort(probabilities)[-2])
            contrast, _ = explain(network, x, versus, normalisation, target=top)
            target = out / (Path(path).name + ".evidence.png")
            pictures.save_png(evidence_sheet(image, towards, contrast, probabilities, names), target)
        except DigitLabError as error:
            failures += 1
            print(f"error: {error}", file=sys.stderr, flush=True)
            continue
        except OSError as error:
            failures += 1
            print(f"error: {path}: could not write the evidence sheet ({error.strerror or error})", file=sys.stderr, flush=True)
            continue
        ig = towards[INTEGRATED_GRADIENTS.key]
        # the class the sheet explains: the network's top answer for this one image (read once, as
        # the evidence maps read it), whatever the threshold says of its confidence
        explained = class_value(names[top])
        print(json.dumps({"file": str(path), "digit": explained if isinstance(explained, int) else None,
                          "class": names[top], "versus": names[versus],
                          "out": str(target), "methods": [m.method.key for m in towards.values()],
                          "occlusion": OCCLUSION.key in towards,
                          "sum_integrated_gradients": round(ig.total, 4),
                          "score_change": round(ig.score - ig.baseline_score, 4)}), flush=True)
    return 1 if failures else 0
