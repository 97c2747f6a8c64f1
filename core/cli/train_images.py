"""`python main.py train --images DIR [--start-from MODEL.npz [--freeze]]`: train on a folder of
images (core.data.image_folder: one subfolder per class, or label-prefixed digit files), each
prepared as the canvas prepares a drawing, and optionally start from a model's convolution
layers (core.files.transfer). Without --preset, --images trains with core.settings.drawings
(a small CNN sized to the classes). The model file records the folder's class names; `predict` and
`evaluate --images` answer with them."""
import sys
from dataclasses import replace

from core.cli.record_options import typed_settings
from core.data.image_folder import scan_image_folder
from core.drawing.image_input import load_images_for_model
from core.errors import ConfigError
from core.files.transfer import transfer_from_model
from core.settings.drawings import drawn_classes_config


def add_image_arguments(parser):
    parser.add_argument("--images", metavar="DIR",
                        help="train on the image files in DIR instead: one subfolder per class, named after it "
                             "(DIR/circle/*.png, DIR/star/*.png; DIR/train/ and DIR/test/ for a given test set), or "
                             "files whose names start with their digit (7_a.png); any size, either polarity; "
                             "without test/, 20%% of each class is held out as the test set")
    parser.add_argument("--start-from", metavar="MODEL.npz",
                        help="transfer: start from this model's convolution layers (e.g. resources/default_model.npz) "
                             "with new dense layers for the classes; the network is the model's")
    parser.add_argument("--freeze", action="store_true",
                        help="with --start-from: keep the copied convolution layers fixed (only the dense layers learn)")


def images_setup(args, config):
    """The settings of a run: with --images and no --preset, the drawn-classes set-up
    (core.settings.drawings, its output sized to the folder's classes) with the options the user
    typed applied; otherwise ``config`` (the preset's, with the typed options) as it is."""
    if not args.images or args.preset != "default":
        return config
    n_classes = len(scan_image_folder(args.images).class_names)   # looks, reads no image
    return replace(drawn_classes_config(n_classes), **typed_settings(args, config)).validate()


def load_training_data(args, config, load_data):
    """The Dataset to train on: the --images folder (prepared at config.image_size, else 28x28),
    else load_data(args). Skipped files: one line each on stderr."""
    if not args.images:
        return load_data(args)
    if args.data:
        raise ConfigError("give --images DIR or --data DIR, not both")
    skipped = []
    dataset = load_images_for_model(args.images, tuple(config.image_size) or (28, 28), seed=config.seed,
                                    skipped=skipped)
    for name, reason in skipped:
        print(f"skipped {name}: {reason}", file=sys.stderr)
    n_train, n_test = len(dataset.train_labels), len(dataset.test_labels)
    print(f"note: {n_train + n_test} images of {dataset.n_classes} classes ({', '.join(dataset.class_names)}) in "
          f"{args.images}; {n_test} held out as the test set", file=sys.stderr)
    return dataset


def start_network(args, session, config, dataset, network, replaying=False):
    """(network, config) to train: with --start-from MODEL [--freeze] the transferred network (new
    dense layers for the dataset's classes) and the settings that go with it, else ``network`` as
    given; with --images and no --batch-size typed, batches no larger than the training part of a
    small folder. ConfigError for --freeze alone, and --start-from with --resume, --fork or --from."""
    if args.images and args.batch_size is None:
        from core.data.splits import validation_count
        n_train = len(dataset.train_labels)
        n_train -= validation_count(n_train, config.val_split)
        config = replace(config, batch_size=max(1, min(config.batch_size, n_train)))
    if not args.start_from:
        if args.freeze:
            raise ConfigError("--freeze goes with --start-from MODEL.npz")
        return network, config
    if session.plan is not None or replaying:
        raise ConfigError("--start-from begins a new run; it does not go with --resume, --fork or --from")
    network, config = transfer_from_model(args.start_from, dataset.n_classes, config, freeze=args.freeze)
    if tuple(network.input_shape[:2]) != tuple(dataset.image_shape):
        shape = "x".join(str(s) for s in network.input_shape[:2])
        raise ConfigError(f"{args.start_from} takes {shape} images but the data is "
                          f"{'x'.join(str(s) for s in dataset.image_shape)}; leave out --image-size")
    return network, config
