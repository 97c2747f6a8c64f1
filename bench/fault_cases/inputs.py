"""Bad arguments: nonsense layer stacks, extreme settings, unknown names, sizes that cannot fit in
memory (issue 18 item 4), and the argument cases of the issue's 'Smaller' list."""
import re

from fault_cases.builders import seven_png
from fault_cases.harness import WRONG, Skip, add_case, case

TRAIN = ("train", "--dataset", "digits", "--epochs", "1", "--hidden", "16", "--no-record")

# (name, issue, arguments, expected: 'fail' = refused with one line, 'ok' = works, 'any' = either)
TABLE = [
    # nonsense --layers stacks (the 8x8 built-in digits)
    ("layers-conv0x5", "", (*TRAIN, "--layers", "conv0x5,dense10"), "fail"),
    ("layers-pool0", "", (*TRAIN, "--layers", "pool0,dense10"), "fail"),
    ("layers-dense-without-size", "", (*TRAIN, "--layers", "dense"), "fail"),
    ("layers-empty-means-mlp", "", (*TRAIN, "--layers", ""), "ok"),
    ("layers-conv16x99", "", (*TRAIN, "--layers", "conv16x99,dense10"), "any"),   # 'same' padding: legal
    ("layers-valid-kernel-over-image", "", (*TRAIN, "--layers", "conv4x9v,dense10"), "fail"),
    ("layers-dense0", "", (*TRAIN, "--layers", "dense0,dense10"), "fail"),
    ("layers-dropout-1.5", "", (*TRAIN, "--layers", "dropout1.5,dense10"), "fail"),
    ("layers-pool-over-image", "", (*TRAIN, "--layers", "pool16,dense10"), "fail"),
    ("layers-unknown-kind", "", (*TRAIN, "--layers", "xyz3,dense10"), "fail"),
    ("layers-output-not-ten", "", (*TRAIN, "--layers", "dense16"), "fail"),
    ("layers-only-commas", "", (*TRAIN, "--layers", ",,,"), "fail"),
    ("layers-conv-after-dense", "", (*TRAIN, "--layers", "dense16,conv4x3,dense10"), "fail"),
    ("gradcheck-layers-conv0x5", "", ("gradcheck", "--layers", "conv0x5,dense10"), "fail"),
    ("gradcheck-samples-zero", "", ("gradcheck", "--samples", "0"), "fail"),
    # extreme settings
    ("lr-negative", "", (*TRAIN, "--lr", "-1"), "fail"),
    ("lr-zero", "", (*TRAIN, "--lr", "0"), "fail"),
    ("lr-nan", "", (*TRAIN, "--lr", "nan"), "fail"),
    ("lr-over-range", "", (*TRAIN, "--lr", "1e9"), "fail"),
    ("batch-size-zero", "", (*TRAIN, "--batch-size", "0"), "fail"),
    ("batch-size-negative", "", (*TRAIN, "--batch-size", "-5"), "fail"),
    ("batch-size-over-dataset", "", (*TRAIN, "--batch-size", "1000000"), "any"),
    ("epochs-negative", "", (*TRAIN, "--epochs", "-1"), "fail"),
    ("epochs-over-range", "", (*TRAIN, "--epochs", "1000001"), "fail"),
    ("epochs-not-a-number", "", (*TRAIN, "--epochs", "abc"), "fail"),
    ("hidden-negative", "", (*TRAIN, "--hidden", "-5"), "fail"),
    ("hidden-not-a-number", "", (*TRAIN, "--hidden", "abc"), "fail"),
    ("image-size-zero", "", (*TRAIN, "--image-size", "0x0"), "fail"),
    ("image-size-not-a-size", "", (*TRAIN, "--image-size", "big"), "fail"),
    ("val-split-negative", "", (*TRAIN, "--val-split", "-1"), "fail"),
    ("val-split-whole-set", "", (*TRAIN, "--val-split", "100000"), "fail"),
    ("momentum-one", "", (*TRAIN, "--optimizer", "momentum", "--momentum", "1"), "fail"),
    ("seed-negative", "", (*TRAIN, "--seed", "-1"), "fail"),
    ("positive-class-11", "", (*TRAIN, "--positive-class", "11"), "fail"),
    ("iterations-negative", "", (*TRAIN, "--iterations", "-1"), "fail"),
    ("step-gamma-zero", "", (*TRAIN, "--schedule", "step", "--step-gamma", "0"), "fail"),
    ("checkpoint-cap-negative", "", ("train", "--dataset", "digits", "--epochs", "1", "--hidden", "16",
                                     "--checkpoint-cap-mb", "-1"), "fail"),
    ("preset-unknown", "", (*TRAIN, "--preset", "nope"), "fail"),
    ("dataset-idx-without-data", "", ("train", "--dataset", "idx", "--epochs", "1"), "fail"),
    ("data-folder-missing", "", ("train", "--data", "no-such-folder", "--no-fallback", "--epochs", "1"), "fail"),
    ("numerical-gradients-wide-network", "", (*TRAIN, "--gradients", "numerical", "--hidden", "512"), "any"),
    # unknown runs, models and files
    ("runs-delete-unknown", "", ("runs", "--delete", "no-such-run"), "fail"),
    ("runs-rename-unknown", "", ("runs", "--rename", "no-such-run", "x"), "fail"),
    ("compare-unknown", "", ("compare", "no-such-run", "nor-this"), "fail"),
    ("resume-unknown", "", ("train", "--resume", "no-such-run", "--epochs", "1"), "fail"),
    ("fork-unknown", "", ("train", "--fork", "no-such-run", "--from-epoch", "1"), "fail"),
    ("evaluate-missing-model", "", ("evaluate", "--model", "no-such.npz", "--dataset", "digits"), "fail"),
    ("predict-missing-image", "", ("predict", "no-such.png"), "fail"),
    ("explain-missing-image", "", ("explain", "--out", "maps", "no-such.png"), "fail"),
    ("neuron-layer-zero", "", ("neuron", "--layer", "0", "--unit", "0", "--out", "card.png"), "fail"),
    ("neuron-unit-out-of-range", "", ("neuron", "--layer", "1", "--unit", "99999", "--out", "card.png"), "fail"),
    ("cost-missing-files", "", ("cost", "--data", "no-such.mat", "--weights", "nor-this.mat"), "fail"),
    ("step-unknown-preset", "", ("step", "--preset", "nope"), "fail"),
    # issue 18 item 4: sizes that cannot fit (every process runs under a 4 GB address-space limit)
    ("memory-train-hidden", "18.4", (*TRAIN, "--hidden", "99999999"), "fail"),
    ("memory-train-layers-dense", "18.4", (*TRAIN, "--layers", "dense99999999,dense10"), "fail"),
    ("memory-train-image-size", "18.4", (*TRAIN, "--image-size", "5000x5000"), "fail"),
    ("memory-gradcheck-layers-dense", "18.4", ("gradcheck", "--layers", "dense99999999,dense10"), "fail"),
    ("memory-train-two-wide-layers", "18.4", (*TRAIN, "--hidden", "50000,50000"), "fail"),
    ("memory-train-conv-filters", "18.4", (*TRAIN, "--layers", "conv9999999x3,dense10"), "fail"),
    # issue 18 'Smaller'
    ("resume-empty-string", "18.smaller", ("train", "--dataset", "digits", "--epochs", "1", "--resume", ""), "fail"),
    ("val-split-one", "18.smaller", (*TRAIN, "--val-split", "1.0"), "fail"),
    ("neuron-on-8x8-data", "18.smaller",
     ("neuron", "--layer", "1", "--unit", "0", "--out", "card.png", "--dataset", "digits"), "fail"),
]


def table_case(args, expect):
    def run(trial):
        trial.cli(*args, expect=expect)
        return trial.verdict()
    return run


for _name, _issue, _args, _expect in TABLE:
    add_case(_name, table_case(_args, _expect), quick=_name != "numerical-gradients-wide-network", issue=_issue,
             about=f"main.py {' '.join(a or repr(a) for a in _args)}: must {dict(fail='be refused', ok='work', any='end cleanly')[_expect]}")


@case("lr-diverges", about="train --lr 9999: the run diverges and stops with the reason, no traceback")
def lr_diverges(trial):
    result = trial.cli("train", "--dataset", "digits", "--epochs", "3", "--hidden", "16", "--lr", "9999", expect="any")
    if result.returncode == 0 and not re.search(r"(?i)diverg|nan|explod", result.stdout + result.stderr):
        trial.problem(WRONG, "a learning rate of 9999 trained on without a word about diverging")
    return trial.verdict()


@case("explain-versus-the-answer", issue="18.smaller")
def explain_versus_answer(trial):
    """explain --versus D where D is the model's answer: must say so, not switch digit silently."""
    seven_png(trial.work / "seven.png")
    predicted = trial.cli("predict", "seven.png", expect="ok")
    try:
        digit = predicted.json_lines()[-1]["digit"]
    except (IndexError, KeyError, TypeError):
        return trial.verdict()   # predict itself failed: already a problem
    result = trial.cli("explain", "--out", "maps", "seven.png", "--versus", digit, expect="any")
    if result.returncode == 0:
        versus = next((line.get("versus") for line in result.json_lines() if isinstance(line, dict)), None)
        said = result.message
        if str(versus) != str(digit) and not said:
            trial.problem(WRONG, f"asked why {digit} and not {digit}: silently explained {digit} versus {versus}")
    return trial.verdict()


@case("my-digits-weight-none-kept", issue="18.smaller")
def my_digits_weight_none_kept(trial):
    """train --my-digits-weight 0.5 with no kept digits: must say no digits are kept."""
    result = trial.cli(*TRAIN, "--my-digits-weight", "0.5", expect="any")
    said = re.search(r"(?i)[^\r\n]*(my digits|kept)[^\r\n]*", result.stderr + result.stdout)
    if said:
        trial.note(said.group(0).strip())
    elif result.returncode == 0:
        trial.problem(WRONG, "--my-digits-weight 0.5 with no kept digits trained without a word")
    return trial.verdict()


@case("enospc-during-write", issue="18.smaller", quick=True)
def enospc(trial):
    """A full disk while writing: needs a real full file system (no mounts here)."""
    raise Skip("a full disk cannot be made without mounting one; the unit tests inject OSError(ENOSPC)")

