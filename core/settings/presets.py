"""Named training set-ups from the classic tutorials.

A Preset is a TrainConfig with a name, a title and a description; every setting it changes is
a typed TrainConfig field (image_size, gradients and track_test included), honoured by
core.training.trainers.prepare_dataset / make_trainer. get_preset returns a fresh copy, so a
caller may edit the config it gets without changing the preset for everyone else.

Accuracy and time figures in the descriptions come from bench/bench_presets.py on full MNIST
(2 CPU cores).
"""
import copy
import re
from dataclasses import dataclass, field, replace

from core.settings.config import TrainConfig
from core.errors import ConfigError


@dataclass(frozen=True)
class Preset:
    name: str                  # command-line name, e.g. 'nielsen-sigmoid-mse'
    title: str                 # short human title for the app's menu
    description: str           # one paragraph: where it comes from, what to expect
    config: TrainConfig = field(default_factory=TrainConfig)


def _preset(name, title, description, **settings):
    return Preset(name, title, description, TrainConfig(**settings).validate())


PRESETS = {preset.name: preset for preset in (
    Preset("default", "Default: 784-128-10 ReLU, momentum SGD",
           "A good modern baseline: one hidden layer of 128 ReLU units, softmax + "
           "cross-entropy, SGD with momentum 0.9 and a cosine learning-rate schedule.",
           TrainConfig()),
    _preset(
        "logistic-one-digit", "Logistic regression: one digit against the rest",
        "The first exercise of most machine-learning courses: a single sigmoid unit on the raw pixels "
        "(no hidden layer), binary cross-entropy, plain mini-batch SGD (batch 256, learning rate 1). "
        "It answers 'is this the digit D?' for the positive class D (default 0; any digit works). "
        "The report is a 2x2 confusion matrix with precision, recall and F1 for 'D' and 'not D'. "
        "Expect about 99.2% test accuracy for 0 against the rest (F1 about 0.96 for '0'; digits like 8 "
        "and 9 are harder) in well under a second; always answering 'not 0' would already score 90%.",
        hidden_sizes=(), activation="sigmoid", loss="binary_cross_entropy", output="sigmoid",
        init="small", optimizer="sgd", learning_rate=1.0, schedule="constant", batch_size=256,
        epochs=5, positive_class=0),
    _preset(
        "one-digit-64-sigmoid", "One digit against the rest, 64 sigmoid hidden units",
        "The logistic-regression task again, with one hidden layer of 64 sigmoid units before the single "
        "sigmoid output: the usual next step of the tutorials after logistic regression, showing what a "
        "hidden layer adds. Binary cross-entropy, SGD batch 256, learning rate 1, positive class 0 by "
        "default. Expect about 99.3% test accuracy (F1 about 0.96 for '0') in about a second; it pulls "
        "further ahead of logistic regression on harder digits and with more epochs.",
        hidden_sizes=(64,), activation="sigmoid", loss="binary_cross_entropy", output="sigmoid",
        init="xavier", optimizer="sgd", learning_rate=1.0, schedule="constant", batch_size=256,
        epochs=5, positive_class=0),
    _preset(
        "sigmoid-128-softmax-mse", "784-128-10 sigmoid, softmax + mean squared error",
        "The from-scratch tutorials that pair a softmax output with the squared-error cost they "
        "taught first: 128 sigmoid hidden units, mean squared error, plain SGD with batch 128 and the "
        "classic 50,000 / 10,000 train / validation split of MNIST's 60,000 training images. MSE "
        "through a softmax gives small gradients, so learning is slow: expect about 96.7% test "
        "accuracy after 30 epochs, about 10 s (cross-entropy gets further in 5). A lesson included: at learning "
        "rate 3 the softmax saturates early and accuracy stalls near 11%.",
        hidden_sizes=(128,), activation="sigmoid", loss="mse", output="softmax", init="xavier",
        optimizer="sgd", learning_rate=1.0, schedule="constant", batch_size=128, epochs=30, val_split=10000),
    _preset(
        "two-layer-50-sampled", "784-50-10 sigmoid, 10,000 random batches (TwoLayerNet)",
        "The two-layer network of 'Deep Learning from Scratch' (Saito, chapters 4-5): 50 sigmoid "
        "hidden units, softmax + cross-entropy, weights drawn as 0.01 * N(0, 1), SGD with learning rate "
        "0.1 on 10,000 batches of 100 images drawn at random with replacement from the training images "
        "(the book uses all 60,000; 1,000 are held out here for the validation curve). Train and test accuracy are recorded once per epoch-equivalent "
        "(600 batches), which is the book's learning-curve figure. Expect about 94.6% test accuracy "
        "in a few seconds.",
        hidden_sizes=(50,), activation="sigmoid", loss="cross_entropy", output="softmax", init="small",
        optimizer="sgd", learning_rate=0.1, schedule="constant", batch_size=100, iterations=10000,
        sampling="replacement", val_split=1000, track_test=True),
    _preset(
        "relu-128-64-minus-one-one", "784-128-64-10 ReLU on [-1, 1] inputs, batch 64",
        "The well-known PyTorch beginner tutorial (transforms.Normalize((0.5,), (0.5,)) maps pixels "
        "to [-1, 1]; DataLoader batch size 64): 128 and 64 ReLU hidden units, softmax + cross-entropy "
        "(LogSoftmax + NLLLoss there), SGD with momentum 0.9 and learning rate 0.003, 15 epochs. "
        "Zero-centred inputs help plain SGD. Expect about 97.4% test accuracy in about 10 seconds.",
        hidden_sizes=(128, 64), activation="relu", loss="cross_entropy", output="softmax", init="he",
        optimizer="momentum", momentum=0.9, learning_rate=0.003, schedule="constant", batch_size=64,
        epochs=15, normalisation="minus_one_one"),
    _preset(
        "ng-ex4-400-25-10-cg", "Andrew Ng's ex4: 400-25-10 sigmoid, L2, conjugate gradient",
        "Exercise 4 of Andrew Ng's Machine Learning course: 20x20 images (MNIST is downscaled to "
        "20x20 here; ex4's own ex4data1.mat loads as the dataset 'MATLAB .mat file'), 25 sigmoid hidden units, "
        "10 sigmoid outputs with the summed per-unit cross-entropy, L2 regularisation lambda = 1 "
        "(biases excluded), weights uniform in [-0.12, 0.12], trained full-batch by conjugate gradient "
        "(scipy 'CG', ex4 used fmincg) for 100 iterations. No learning rate: a line search picks each "
        "step. Switch the optimizer to lbfgs for L-BFGS. Expect about 95.6% test accuracy in about "
        "half a minute; more iterations (ex4 suggests up to 400) keep improving it.",
        hidden_sizes=(25,), activation="sigmoid", loss="cross_entropy", output="sigmoid", init="uniform",
        init_epsilon=0.12, optimizer="cg", l2=1.0, iterations=100, val_split=10000,
        image_size=(20, 20)),
    _preset(
        "lenet-5", "LeNet-5 (LeCun et al. 1998), adapted to 28x28",
        "The classic convolutional network of LeCun, Bottou, Bengio and Haffner (1998): 6 filters of 5x5, "
        "2x2 pooling, 16 filters of 5x5 ('valid': 14x14 -> 10x10), 2x2 pooling, then 120, 84 and 10 units. "
        "The original read 32x32 images; here the first convolution pads the 28x28 MNIST images ('same'), "
        "which sees exactly what the original saw. Modernised as most re-implementations are: ReLU instead "
        "of the scaled tanh, max instead of average pooling (with trainable weights in the original), "
        "softmax + cross-entropy instead of RBF outputs, all 16 filters connected to all 6 maps, and Adam "
        "(learning rate 0.002, cosine schedule, batch 64, 4 epochs). Expect about 99.1% test accuracy in "
        "about 40 s (measured: 99.13%, 38 s of CPU time).",
        layers="conv6x5,pool2,conv16x5v,pool2,dense120,dense84,dense10", activation="relu", init="he",
        optimizer="adam", learning_rate=0.002, schedule="cosine", batch_size=64, epochs=4, val_split=5000),
    _preset(
        "cnn", "Recommended CNN: 8 and 16 filters of 5x5, 128 dense units",
        "Our recommended convolutional network for a laptop CPU: 8 filters of 5x5 ('same'), 2x2 max pooling, "
        "16 filters of 5x5 ('valid': 14x14 -> 10x10), 2x2 max pooling, 128 dense units, 10 outputs (ReLU; "
        "Adam, learning rate 0.002 with a cosine schedule, batch 64, 8 epochs). Why this shape: 5x5 kernels "
        "and two poolings let each unit see a stroke-sized part of the digit; the 'valid' second convolution "
        "works on 10x10 instead of 14x14 positions, which halves the network's cost (0.53 million "
        "multiply-adds per image) for no loss of accuracy, and the time saved buys epochs, which at equal "
        "time beat width (measured on full MNIST, CPU seconds: 8/16 filters 'same' with 64 dense units, "
        "6 epochs: 99.12% in 94 s; 16/32 filters, 3 epochs: 99.15% in 103 s; LeNet-5's shape, 9 epochs: "
        "99.21% in 73 s; this one, 8 epochs: 99.25% in 76 s). Expect about 99.2% test accuracy in about "
        "80 s on a quiet 2-core laptop.",
        layers="conv8x5,pool2,conv16x5v,pool2,dense128,dense10", activation="relu", init="he",
        optimizer="adam", learning_rate=0.002, schedule="cosine", batch_size=64, epochs=8, val_split=5000),
    _preset(
        "canvas", "Canvas: a wider cnn for drawn digits that can say 'not a digit'",
        "The default model of the Draw tab, the one DigitLab ships, trained on MNIST only with on-the-fly "
        "augmentation for people's handwriting in general and an eleventh class, 'not a digit'. The network: the "
        "cnn network above with 16 and 32 filters and 256 dense units. Why these values: the canvas centres a "
        "drawing by its centre of mass and scales its longest side to 20 px, as MNIST was made, so a shift of 2 px "
        "only covers how shapes sit around that centre; rotation and shear of 12 degrees cover slanted and tilted "
        "writing; scale 0.12 covers longer or shorter strokes and width 0.2 narrow or wide writing; a mild elastic "
        "distortion (alpha 12, sigma 4: about half a pixel on average) bends strokes the way different hands do; "
        "thickness 0.3 varies the stroke width around MNIST's; writing styles 0.3 gives 30% of the 1s a lead-in "
        "stroke (up to 65% of the height and 70 degrees steep), of the 7s a crossbar or a curled foot, of the 0s a "
        "slash, of the 9s a stem hooked like a g and of the 6s a larger loop, the forms MNIST has few of. Not a "
        "digit 0.1: a tenth of the training images are generated scribbles, dashes, dots, crosses, shapes and "
        "letters, so a dash is no longer read as a 7. Test-time turns 8: the model reads every image as it is "
        "and turned 8 degrees each way and averages the three answers. Measured (MNIST test, 1,620 drawn digits "
        "in 18 writing styles and 1,001 drawings that are not digits, seed 0, the drawn digits benchmark): "
        "dense128, 15 epochs, no not-a-digit class (the model shipped before): 99.34%, 97.5%, and a dash a 7; "
        "with the class: 99.20%, 97.8%, 79% of non-digits flagged; more kinds of non-digits, dense256, 18 "
        "epochs: 99.27%, 96.2%, 96.8%; a third conv layer: 99.22%; 20 and 40 filters with dropout: 99.18%; "
        "milder rotation, shear and elastic: 99.12%; a final two epochs with mild augmentation: no change; "
        "reading with test-time turns: +0.1 to 0.2 points on MNIST and +0.3 to 1.5 on the drawn digits; this "
        "preset, 24 epochs, read with turns: 99.44%, 98.3%, 96.7% of non-digits flagged, 0.5% of MNIST and 1.4% "
        "of drawn digits flagged 'not a digit' or 'not sure'. A closed-top 4 stays the weakest style: closing "
        "the top of MNIST 4s makes most of them 9s. About 6 minutes on a quiet 2-core machine.",
        layers="conv16x5,pool2,conv32x5v,pool2,dense256,dense11", activation="relu", init="he",
        optimizer="adam", learning_rate=0.002, schedule="cosine", batch_size=64, epochs=24, val_split=5000,
        augment_shift=2.0, augment_rotation=12.0, augment_scale=0.12, augment_shear=12.0,
        augment_elastic_alpha=12.0, augment_elastic_sigma=4.0, augment_thickness=0.3,
        augment_aspect=0.2, augment_styles=0.3, non_digits=0.1, test_time_turns=8.0),
    _preset(
        "numerical-gradients-tiny", "Teaching: numerical gradients on a tiny 64-16-10 network",
        "Why backpropagation matters: the gradient is computed by central differences, two forward "
        "passes per parameter (1,210 of them here), instead of one backward pass. Images are "
        "downscaled to 8x8 so the network stays tiny; 300 random batches of 32. It learns (about "
        "75% test accuracy, about 15 s) but each batch costs thousands of forward passes; Training > Why "
        "backpropagation? measures the speed-up of backpropagation (the gradspeed command on the command "
        "line). Networks over 5,000 parameters are refused.",
        hidden_sizes=(16,), activation="sigmoid", loss="cross_entropy", output="softmax", init="xavier",
        optimizer="sgd", learning_rate=0.5, schedule="constant", batch_size=32, iterations=300,
        sampling="replacement", val_split=1000, snapshot_every=10,
        image_size=(8, 8), gradients="numerical"),
)}


def promised_test_accuracy(name):
    """The test accuracy (a fraction) the named preset's description promises on MNIST ("expect
    about 99.2% test accuracy"), or None when it promises none or there is no such preset."""
    preset = PRESETS.get(name)
    found = re.search(r"about (\d+(?:\.\d+)?)% test\s+accuracy", preset.description) if preset else None
    return float(found.group(1)) / 100 if found else None


def get_preset(name):
    """A copy of the named preset (its config may be edited freely); ConfigError if unknown."""
    try:
        preset = PRESETS[name]
    except KeyError:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None
    return replace(preset, config=copy.deepcopy(preset.config))
