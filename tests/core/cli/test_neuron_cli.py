"""`python main.py neuron`: a card PNG for a hidden unit of the shipped model on the MNIST test set.

The shipped model is the canvas preset's CNN: hidden layers conv1 (8 filters), conv2 (16), dense1 (128).
The card here is a dense1 unit: a ReLU unit that is silent on some images and not on others."""
import json

import numpy as np
from PIL import Image

from core.analysis.neuron import NeuronLab
from core.cli import main as cli_main
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH


def test_neuron_card_png_and_summary(mnist_dir, mnist, tmp_path, capsys):
    out = tmp_path / "cards" / "card.png"
    code = cli_main(["neuron", "--layer", "3", "--unit", "5", "--data", str(mnist_dir), "--out", str(out)])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0
    with Image.open(out) as image:
        assert image.format == "PNG" and image.width >= 800 and image.height >= 400
        pixels = np.asarray(image.convert("RGB"))
    assert (pixels != 255).any(axis=2).mean() > 0.1          # a drawn page, not a blank one
    network, metadata = load_model(DEFAULT_MODEL_PATH)
    card = NeuronLab(network, mnist.test_images, mnist.test_labels).card(3, 5)
    assert summary["top"] == card.top.tolist() and summary["bottom"] == card.bottom.tolist()
    assert summary["changed_predictions"] == len(card.ablation.changed)
    assert summary["accuracy_silenced"] == round(card.ablation.accuracy_after, 4)
    assert summary["dead"] is False and 0 < summary["silent_share"] < 1


def test_neuron_bad_layer_or_unit_is_one_line(mnist_dir, tmp_path, capsys):
    out = tmp_path / "card.png"
    assert cli_main(["neuron", "--layer", "4", "--unit", "0", "--data", str(mnist_dir), "--out", str(out)]) == 2
    assert capsys.readouterr().err == "error: layer 4 does not exist: hidden layers are numbered 1 to 3\n"
    assert cli_main(["neuron", "--layer", "3", "--unit", "999", "--data", str(mnist_dir), "--out", str(out)]) == 2
    assert "units 0 to 255" in capsys.readouterr().err
    filters = load_model(DEFAULT_MODEL_PATH)[0].layers[0].filters   # the shipped model's first conv layer
    assert cli_main(["neuron", "--layer", "1", "--unit", str(filters), "--data", str(mnist_dir), "--out", str(out)]) == 2
    assert f"layer 1 (conv1) has units 0 to {filters - 1}" in capsys.readouterr().err
    assert not out.exists()
