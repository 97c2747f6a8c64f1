"""`python main.py gradspeed`: backprop vs numerical gradient timing on the command line."""
import json

from core.cli import main


def test_gradspeed_json_for_given_layers(capsys):
    assert main(["gradspeed", "--layers", "16,8,10", "--batch-size", "8", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_params"] == 16 * 8 + 8 + 8 * 10 + 10
    assert result["numerical_estimated"] is False       # 226 parameters <= the default 300 timed
    assert result["speedup"] > 1 and result["batch_size"] == 8


def test_gradspeed_for_a_preset_and_bad_layers(capsys):
    assert main(["gradspeed", "--preset", "numerical-gradients-tiny"]) == 0
    out = capsys.readouterr().out
    assert "64-16-10" in out and "times faster" in out
    assert main(["gradspeed", "--layers", "784"]) == 2
    assert "--layers" in capsys.readouterr().err
