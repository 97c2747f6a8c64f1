"""`python main.py download`: fetch MNIST into the data folder, verified and written atomically."""
import sys

from core.data.datasets import resolve_data_dir
from core.data import download
from core.data.download import download_mnist


def register(subparsers):
    p = subparsers.add_parser("download", help="download MNIST (about 11 MB)",
                              description="Download the four MNIST files from public mirrors, verifying "
                                          "each file's MD5. Files already present and correct are kept.")
    p.add_argument("--data", metavar="DIR", help="where to put the files (default: $DIGITLAB_DATA, else "
                                                 "the user data folder)")
    p.set_defaults(run=run)


def run(args):
    from tqdm import tqdm
    target = resolve_data_dir(args.data)
    bars = {}

    def progress(file_name, done, total):
        bar = bars.get(file_name)
        if bar is None:
            bar = bars[file_name] = tqdm(total=total, desc=file_name, unit="B", unit_scale=True, file=sys.stderr)
        bar.update(done - bar.n)

    try:
        folder = download_mnist(target, mirrors=download.MNIST_MIRRORS, progress=progress)
    finally:
        for bar in bars.values():
            bar.close()
    print(f"MNIST is ready in {folder}")
    return 0
