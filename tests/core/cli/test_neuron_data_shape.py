"""`neuron` and `evaluate` agree on data that does not fit the model: the built-in 8x8 digits
for the shipped 28x28 model are refused by both with the same one-line message (issue 18;
`neuron` used to upscale them silently)."""
from core.cli import main as cli_main
from core.storage.resources import DEFAULT_MODEL_PATH


def test_8x8_digits_for_a_28x28_model_are_refused_alike(tmp_path, capsys):
    assert cli_main(["evaluate", "--model", str(DEFAULT_MODEL_PATH), "--dataset", "digits"]) == 2
    evaluate_error = capsys.readouterr().err
    out = tmp_path / "card.png"
    assert cli_main(["neuron", "--model", str(DEFAULT_MODEL_PATH), "--layer", "1", "--unit", "0",
                     "--dataset", "digits", "--out", str(out)]) == 2
    neuron_error = capsys.readouterr().err
    assert neuron_error == evaluate_error
    assert "was trained on 28x28 images, but this data is 8x8" in neuron_error and neuron_error.count("\n") == 1
    assert not out.exists()
