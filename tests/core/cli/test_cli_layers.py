"""`train --layers` and `gradcheck --layers` on the command line."""
import json


from core.files.model_io import load_model
from cli_helpers import run_cli


def test_train_a_conv_stack_on_digits_and_evaluate_it(capsys, tmp_path):
    model = tmp_path / "cnn.npz"
    code, out, err = run_cli(capsys, "train", "--dataset", "digits", "--layers", "conv8x3,pool2,dense10",
                             "--optimizer", "adam", "--lr", "0.01", "--epochs", "8", "--batch-size", "32",
                             "--json", "--out", str(model))
    assert code == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["network"].startswith("conv8x3,pool2,dense10 relu")
    assert summary["test_accuracy"] > 0.9
    network, meta = load_model(model)
    assert network.layers_text == "conv8x3,pool2,dense10" and meta["config"]["layers"] == "conv8x3,pool2,dense10"
    assert network.conv_filters()[0][1].shape == (8, 1, 3, 3)
    code, out, err = run_cli(capsys, "evaluate", "--model", str(model), "--dataset", "digits", "--json")
    assert code == 0, err
    assert abs(json.loads(out.strip().splitlines()[-1])["accuracy"] - summary["test_accuracy"]) < 1e-9


def test_train_help_documents_layers(capsys):
    code, out, _ = run_cli(capsys, "train", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert "--layers" in text and "conv16x5,pool2,conv32x5,pool2,dense128,dense10" in text
    assert "dropout0.25" in text


def test_bad_layer_lists_get_one_line_each(capsys):
    for layers, message in (("conv8x3,pool2", "dense output layer"), ("conv8x3,pool9,dense10", "cannot pool"),
                            ("conv8x3,dense9", "end the layers with dense10"), ("convx,dense10", "not understood")):
        code, out, err = run_cli(capsys, "train", "--dataset", "digits", "--layers", layers, "--epochs", "1")
        assert code != 0 and message in err, (layers, err)
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_gradcheck_any_stack(capsys):
    code, out, err = run_cli(capsys, "gradcheck", "--layers", "conv3x3,pool2,conv4x3v,dropout0.3,dense8,dense10",
                             "--activation", "relu", "--json")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["passed"] and result["results"][0]["max_relative_error"] < 1e-6
    assert set(result["results"][0]["params"]) == {"W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"}
    code, out, err = run_cli(capsys, "gradcheck", "--layers", "conv3x3,pool2,pool2,pool2,pool2,dense10")
    assert code != 0 and "cannot pool a 1x1 map" in err
