"""`python main.py evaluate`: a saved model's accuracy, confusion matrix and per-class report, on a
dataset's test set or (``--images DIR``) on a folder of labelled image files (core.cli.image_folder)."""
from core.cli.common import add_data_arguments, load_data, print_json
from core.settings.config import TrainConfig
from core.evaluation.evaluate import evaluate_network
from core.evaluation.metrics import format_confusion, format_report
from core.files.model_io import check_compatible, load_model
from core.training.trainers import prepare_dataset


def register(subparsers):
    p = subparsers.add_parser("evaluate", help="evaluate a saved model on a test set",
                              description="Evaluate a saved model on a dataset's test set.")
    p.add_argument("--model", required=True, metavar="MODEL.npz")
    p.add_argument("--images", metavar="DIR",
                   help="evaluate on the image files in DIR instead: one subfolder per class named after the "
                        "model's class (DIR/circle/*.png; DIR/test/ when DIR has train/ and test/), or files whose "
                        "names start with their label (7_anything.png); each image is prepared as `predict` prepares it")
    add_data_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object (accuracy, confusion, report)")
    p.set_defaults(run=run)


def run(args):
    if args.images:
        from core.cli.image_folder import run_folder
        return run_folder(args)
    network, metadata = load_model(args.model)
    config = TrainConfig.from_dict(metadata.get("config", {}))
    dataset = prepare_dataset(config, load_data(args))
    check_compatible(metadata, dataset.image_shape, args.model)
    class_names = metadata["class_names"]
    result = evaluate_network(network, dataset.test_images, dataset.test_labels, class_names,
                              metadata.get("normalisation", "zero_one"), int(metadata.get("positive_class", -1)),
                              metadata=metadata)
    if args.json:
        print_json({"model": str(args.model), "dataset": dataset.name, "n": result["n"],
                    "accuracy": result["accuracy"], "loss": result["loss"], "confusion": result["confusion"],
                    "class_names": class_names, "report": result["report"], "flagged": result["flagged"],
                    "test_time_turns": result["test_time_turns"], "accuracy_read_once": result["accuracy_read_once"]})
    else:
        print(f"{network.describe()} on {dataset.name} test set ({result['n']} images): "
              f"accuracy {result['accuracy']:.4f}, loss {result['loss']:.4f}")
        if result["test_time_turns"]:
            print(f"read as the model asks: each image as it is and turned {result['test_time_turns']:g} degrees "
                  f"each way, the three answers averaged (test-time augmentation); read once: accuracy "
                  f"{result['accuracy_read_once']:.4f}")
        print(flagged_line(result["flagged"], result["n"]) + "\n")
        print(format_confusion(result["confusion"], class_names) + "\n")
        print(format_report(result["report"]))
    return 0


def flagged_line(flags, n):
    """One line: how many images the canvas would answer 'not a digit' or 'not sure' for."""
    share = lambda k: f"{flags[k]} ({flags[k] / max(n, 1):.2%})"   # noqa: E731
    return (f"read as 'not a digit' {share('not a digit')}, 'not sure' (top class below "
            f"{flags['threshold']:.0%}) {share('not sure')}")
