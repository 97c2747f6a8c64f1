"""My digits zip import with hostile entries (issue 18 item 5): each zip holds a good entry, the
bad one, and another good entry, in that order. The good ones must be imported, the bad one
skipped and named (or, for a huge drawing, capped), nothing written outside the My digits folder.

There is no CLI for the import, so a small driver calls it in a subprocess: MyDigits.import_zip or
import_zip(store, zip), looked for in the modules where it is or may move (skipped if in none)."""
import json

from fault_cases.builders import digit_entry_json, digit_id, flat_png, good_digit_files, my_digits_zip, png_size
from fault_cases.harness import LOST, REPO, WRONG, case

IMPORT_DRIVER = r'''
import importlib, inspect, json, sys
sys.path.insert(0, sys.argv[1])

def find(names, attribute):
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, attribute):
            return getattr(module, attribute)
    return None

PLACES = ("core.data.my_digits", "core.data.my_digits.store", "core.data.my_digits.archive", "core.my_digits",
          "core.storage.my_digits", "core.records.my_digits")
store_class = find(PLACES, "MyDigits")
if store_class is None:
    print("the My digits store (MyDigits) was not found: module moved?", file=sys.stderr)
    sys.exit(77)
store = store_class()
if hasattr(store, "import_zip"):                  # a method of the store
    run = lambda: store.import_zip(sys.argv[2])
else:                                             # a function of the store and the zip
    function = find(("core.data.my_digits.archive",) + PLACES, "import_zip")
    if function is None:
        print("import_zip was not found: module moved?", file=sys.stderr)
        sys.exit(77)
    options = {}
    if "render" in inspect.signature(function).parameters:   # the app draws missing drawings
        render = find(("core.drawing.strokes", "core.drawing"), "render_drawing")
        if render is not None:
            options["render"] = render
    run = lambda: function(store, sys.argv[2], **options)
try:
    report = run()
except Exception as error:
    if type(error).__module__.split(".")[0] in ("core", "gui"):   # the app's own refusal
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    raise
print(json.dumps({"added": [str(i) for i in report.added], "skipped": [[str(n), str(w)] for n, w in report.skipped]}))
'''

FIRST, BAD, LAST = digit_id(1, "a"), digit_id(5, "b"), digit_id(9, "c")
MAX_DRAWING_SIDE = 4096


def in_zip(files, prefix="my_digits/"):
    return {prefix + name: data for name, data in files.items()}


def kept(home):
    """{id: json path} of every kept digit under the home."""
    found = {}
    for path in home.rglob("*.json"):
        try:
            record = json.loads(path.read_bytes())
        except (ValueError, OSError):
            continue
        if isinstance(record, dict) and record.get("format") == "digitlab-my-digit":
            found[record.get("id")] = path
    return found


def import_case(name, bad_members, about, bad_may_be_kept=False, issue="", drawing_may_be_kept_capped=False):
    @case(name, issue=issue, about=about)
    def run(trial):
        members = in_zip(good_digit_files(FIRST))
        members.update(bad_members(trial))
        members.update(in_zip(good_digit_files(LAST, label=8)))
        archive = my_digits_zip(trial.work / "digits.zip", members)
        trial.protect(archive)
        result = trial.python(IMPORT_DRIVER, REPO, archive, expect="ok", label="import_zip(digits.zip)")
        report = next(iter(result.json_lines()[-1:]), None)
        ids = kept(trial.home)
        missing = [entry for entry in (FIRST, LAST) if entry not in ids]
        if missing:
            trial.problem(WRONG, f"good entries not imported: {', '.join(missing)}")
        if BAD in ids and drawing_may_be_kept_capped:
            drawing = ids[BAD].with_name(f"{BAD}.drawing.png")
            size = png_size(drawing.read_bytes()[:24]) if drawing.is_file() else None
            if size is not None and max(size) > MAX_DRAWING_SIDE:
                trial.problem(WRONG, f"the entry was kept with its {size[0]}x{size[1]} drawing (not capped)")
        elif BAD in ids and not bad_may_be_kept:
            trial.problem(WRONG, "the bad entry was kept")
        elif BAD not in ids and report is not None and not any(BAD in n + w for n, w in report.get("skipped", [])):
            trial.problem(WRONG, "the bad entry was neither imported nor named among the skipped")
        escaped = [p for p in trial.root.parent.glob("escaped*")] + [p for p in trial.root.glob("escaped*")]
        if escaped:
            trial.problem(LOST, f"the import wrote outside the My digits folder: {escaped[0]}")
        return trial.verdict(clean_detail=f"imported {len(ids)}; " + (
            "; ".join(f"{n}: {w}" for n, w in report["skipped"])[:150] if report else ""))
    return run


def bomb_prepared(trial):
    files = good_digit_files(BAD)
    files[f"{BAD}.prepared.png"] = trial.session.cached("png-14000", lambda: flat_png(14000, 14000))
    return in_zip(files)


def deep_json(trial):
    nested = "[" * 100_000 + "]" * 100_000
    text = '{"format": "digitlab-my-digit", "version": 1, "id": "%s", "label": 3, "strokes": %s}' % (BAD, nested)
    files = good_digit_files(BAD)
    files[f"{BAD}.json"] = text.encode()
    return in_zip(files)


def huge_drawing(trial):
    files = good_digit_files(BAD)
    files[f"{BAD}.drawing.png"] = trial.session.cached("png-13000", lambda: flat_png(13000, 13000, 255))
    return in_zip(files)


def path_traversal(trial):
    members = in_zip(good_digit_files(BAD), prefix="../../../escaped/")
    other = digit_id(6, "d")
    members.update(in_zip(good_digit_files(other), prefix=f"{trial.root}/escaped-absolute/"))
    return members


def oversized_member(trial):
    files = good_digit_files(BAD)
    files[f"{BAD}.json"] = digit_entry_json(BAD)[:-1] + b" " * 3_000_000 + b"}"
    return in_zip(files)


def bad_label(trial):
    return in_zip({**good_digit_files(BAD), f"{BAD}.json": digit_entry_json(BAD, label=12)})


def missing_prepared(trial):
    files = good_digit_files(BAD)
    del files[f"{BAD}.prepared.png"]
    return in_zip(files)


def prepared_not_png(trial):
    return in_zip({**good_digit_files(BAD), f"{BAD}.prepared.png": b"GIF89a not really"})


import_case("mydigits-zip-bomb-prepared-png", bomb_prepared, "a 14000x14000 prepared PNG (Pillow's bomb error)",
            issue="18.5")
import_case("mydigits-zip-json-nested-deep", deep_json, "an entry JSON nested 100,000 deep (RecursionError)",
            issue="18.5")
import_case("mydigits-zip-huge-drawing", huge_drawing, "a 13000x13000 drawing: skipped or capped", issue="18.5",
            drawing_may_be_kept_capped=True)
import_case("mydigits-zip-path-traversal", path_traversal, "member names with ../ and absolute paths",
            bad_may_be_kept=True, issue="18.5")
import_case("mydigits-zip-oversized-member", oversized_member, "a 3 MB entry JSON")
import_case("mydigits-zip-bad-label", bad_label, "a label of 12")
import_case("mydigits-zip-missing-prepared", missing_prepared, "an entry without its prepared image")
import_case("mydigits-zip-prepared-not-png", prepared_not_png, "a prepared image that is not a PNG")


@case("mydigits-zip-not-a-zip", issue="", about="a text file given as the zip: refused in one line")
def not_a_zip(trial):
    (trial.work / "digits.zip").write_text("not a zip\n")
    trial.python(IMPORT_DRIVER, REPO, trial.work / "digits.zip", expect="fail", label="import_zip(a text file)")
    return trial.verdict()
