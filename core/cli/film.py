"""`python main.py film RUN --view weights|filters|feature-maps|map|curves --out FILE.gif [--frames N]`:
a recorded run's training film (core.figures.film), as an animated GIF and/or a folder of PNGs."""
import sys

from core.cli.common import add_data_arguments, load_data
from core.errors import DigitLabError
from core.figures.film import (NEEDS_DATA, VIEWS, check_frames_folder, check_gif_path, render_film, write_gif,
                               write_png_folder)
from core.records.reader import open_run


def register(subparsers):
    p = subparsers.add_parser("film", help="a recorded run's training film (animated GIF, PNG frames)",
                              description="Film one view of a recorded run across its checkpoints: one frame per "
                                          "checkpoint (curves: per recorded epoch), or N spread evenly. Colour scales "
                                          "are the same in every frame.")
    p.add_argument("run_ref", metavar="RUN", help="run id, start of one, name, or record folder (python main.py runs)")
    p.add_argument("--view", choices=VIEWS, default="weights",
                   help="weights (first layer), filters (conv layers), feature-maps (one test image through every "
                        "layer), map (PCA of 1,000 test images at a hidden layer), curves (loss and accuracy)")
    p.add_argument("--out", metavar="FILE.gif", help="the animated GIF to write")
    p.add_argument("--png-dir", metavar="DIR", help="also (or only) write each frame as a PNG into this new folder")
    p.add_argument("--frames", type=int, metavar="N", help="N frames spread evenly over the run (default: all)")
    p.add_argument("--image", type=int, default=0, metavar="I", help="feature-maps: which test image (default 0)")
    p.add_argument("--layer", type=int, metavar="L", help="map: hidden layer from 1 (default: the last hidden one)")
    p.add_argument("--seconds", type=float, default=0.6, metavar="S", help="seconds per frame of the GIF (default 0.6)")
    add_data_arguments(p)
    p.set_defaults(run=run)


def run(args):
    if not args.out and not args.png_dir:
        raise DigitLabError("name where the film goes: --out FILE.gif and/or --png-dir DIR")
    if not 0.02 <= args.seconds <= 60:
        raise DigitLabError("--seconds must be between 0.02 and 60")
    if args.out:
        check_gif_path(args.out)
    if args.png_dir:
        check_frames_folder(args.png_dir)
    record = open_run(args.run_ref)
    dataset = None
    if args.view in NEEDS_DATA:
        wanted = record.settings["dataset"].get("name")
        if args.dataset == "mnist" and not args.data and wanted not in ("mnist", "", None):
            args.dataset = wanted   # the run's own data unless the user named some
        dataset = load_data(args)

    def progress(done, total):   # on a terminal only: a log gets no carriage returns
        print(f"\rframe {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    frames = render_film(record, args.view, args.frames, dataset, args.image, args.layer,
                         progress if sys.stderr.isatty() else None)
    width, height = frames[0].image.size
    if args.out:
        path = write_gif(frames, args.out, args.seconds)
        print(f"wrote {path}: {len(frames)} frame{'s' if len(frames) != 1 else ''} of {width}x{height} (epochs {', '.join(str(f.epoch) for f in frames)})")
    if args.png_dir:
        paths = write_png_folder(frames, args.png_dir)
        print(f"wrote {len(paths)} PNG frames to {args.png_dir}")
    return 0
