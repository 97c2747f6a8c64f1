"""Where `--out` writes (issue 18 item 8): through a symlink to its target, never over a FIFO or
a device; a failed run leaves an existing target as it was; odd --out folders are refused.

The device is a null-device node made with mknod inside the case's own folder, so a wrong
os.replace can only ever replace that node, never the system's /dev/null. Without the right to
mknod, the real /dev/null is used only by a non-root user (who cannot replace it); as root the
case is skipped. /dev/null is checked to be a character device before and after every case."""
import os
import stat

from fault_cases.builders import seven_png
from fault_cases.harness import SHARED_MNIST, WRONG, Skip, case

TRAIN_OUT = ("train", "--dataset", "digits", "--epochs", "1", "--hidden", "16", "--no-record", "--out")


@case("out-through-symlink", issue="18.8")
def out_symlink(trial):
    """--out onto a symlink: the model is written to the link's target, the link stays."""
    target = trial.work / "models" / "target.npz"
    target.parent.mkdir()
    target.write_bytes(trial.session.digits_model().read_bytes())
    before = target.read_bytes()
    link = trial.work / "link.npz"
    link.symlink_to(os.path.relpath(target, link.parent))
    trial.cli(*TRAIN_OUT, link.name, "--seed", "7", expect="ok")
    if not link.is_symlink():
        trial.problem(WRONG, "the symlink was replaced by a regular file; its target was not written")
    elif target.read_bytes() == before:
        trial.problem(WRONG, "the symlink's target was not written")
    else:
        trial.cli("evaluate", "--model", "models/target.npz", "--dataset", "digits", expect="ok")
        trial.note("written through the link to models/target.npz, a valid model")
    return trial.verdict()


@case("out-through-dangling-symlink", issue="18.8")
def out_dangling_symlink(trial):
    """--out onto a symlink whose target does not exist yet: written there, or refused; the link stays."""
    (trial.work / "models").mkdir()
    link = trial.work / "link.npz"
    link.symlink_to("models/new.npz")
    result = trial.cli(*TRAIN_OUT, link.name, expect="any")
    if not link.is_symlink():
        trial.problem(WRONG, "the symlink was replaced by a regular file")
    elif result.returncode == 0 and not (trial.work / "models" / "new.npz").is_file():
        trial.problem(WRONG, "exit 0 but nothing written at the symlink's target")
    return trial.verdict()


@case("out-onto-fifo", issue="18.8")
def out_fifo(trial):
    """--out onto a FIFO: refused (not hung, not replaced)."""
    fifo = trial.work / "pipe.npz"
    os.mkfifo(fifo)
    trial.protect(fifo)
    trial.cli(*TRAIN_OUT, fifo.name, expect="fail", timeout=60)
    return trial.verdict()


@case("out-onto-device", issue="18.8")
def out_device(trial):
    """--out onto a character device (a null-device node): refused, the node left as it was."""
    node = trial.work / "null-device.npz"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        if os.geteuid() == 0:
            raise Skip("cannot mknod a device here, and as root /dev/null itself could be replaced") from None
        node = "/dev/null"   # a non-root user cannot replace it
    trial.protect(node)
    trial.cli(*TRAIN_OUT, node, expect="fail", timeout=60)
    return trial.verdict()


@case("out-is-a-directory", about="--out names an existing folder: refused, the folder untouched")
def out_directory(trial):
    folder = trial.work / "models.npz"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep me\n")
    trial.protect(folder)
    trial.cli(*TRAIN_OUT, folder.name, expect="fail")
    return trial.verdict()


@case("out-failed-run-keeps-target", about="a run refused at the start, or that diverges, leaves an existing --out file alone")
def out_failed_keeps_target(trial):
    target = trial.copy_fixture(trial.session.digits_model(), "model.npz")
    trial.protect(target)
    trial.cli(*TRAIN_OUT, target.name, "--layers", "conv0x5,dense10", expect="fail")
    trial.cli(*TRAIN_OUT, target.name, "--epochs", "3", "--lr", "9999", expect="fail")
    return trial.verdict()


@case("out-in-missing-folder", about="--out into a folder that does not exist: created, or refused in one line")
def out_missing_folder(trial):
    result = trial.cli(*TRAIN_OUT, "new/sub/model.npz", expect="any")
    if result.returncode == 0 and not (trial.work / "new" / "sub" / "model.npz").is_file():
        trial.problem(WRONG, "exit 0 but no model written")
    return trial.verdict()


@case("out-parent-is-a-file", about="--out under a path whose parent is a regular file")
def out_parent_is_file(trial):
    (trial.work / "plain").write_text("a file\n")
    trial.protect(trial.work / "plain")
    trial.cli(*TRAIN_OUT, "plain/model.npz", expect="fail")
    return trial.verdict()


@case("explain-out-is-a-file", about="explain --out DIR where DIR is a regular file")
def explain_out_file(trial):
    seven_png(trial.work / "seven.png")
    (trial.work / "maps").write_text("a file\n")
    trial.protect(trial.work / "maps")
    trial.cli("explain", "--out", "maps", "seven.png", expect="fail")
    return trial.verdict()


@case("neuron-out-through-symlink", issue="18.8", about="neuron --out onto a symlink: the card goes to the target")
def neuron_out_symlink(trial):
    if not SHARED_MNIST.is_dir():
        raise Skip(f"no MNIST at {SHARED_MNIST}")
    (trial.work / "cards").mkdir()
    (trial.work / "cards" / "card.png").write_bytes(b"old")
    link = trial.work / "card.png"
    link.symlink_to("cards/card.png")
    trial.cli("neuron", "--layer", "1", "--unit", "0", "--out", "card.png", "--data", SHARED_MNIST, expect="ok")
    if not link.is_symlink():
        trial.problem(WRONG, "the symlink was replaced by a regular file")
    elif (trial.work / "cards" / "card.png").read_bytes() == b"old":
        trial.problem(WRONG, "the symlink's target was not written")
    return trial.verdict()


def dev_null_is_intact():
    """True while /dev/null is still the system's character device (checked around every case)."""
    try:
        return stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    except OSError:
        return False

