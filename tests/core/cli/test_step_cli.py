"""`python main.py step`: the same numbers as JSON (update = W - lr * grad, checks <= 1e-6), a readable
summary without --json, and one-line errors."""
import json

import numpy as np

from core.cli import main as cli_main


def test_step_json_prints_every_stage(mnist_dir, capsys):
    code = cli_main(["step", "--preset", "numerical-gradients-tiny", "--batch-size", "3", "--steps", "2",
                     "--json", "--data", str(mnist_dir)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0 and len(out) == 2
    records = [json.loads(line) for line in out]
    assert [r["step"] for r in records] == [1, 2]
    for record in records:
        assert len(record["batch"]["labels"]) == 3 and np.array(record["batch"]["inputs"]).shape == (3, 64)
        assert [f["name"] for f in record["forward"]] == ["dense1", "sigmoid1", "output"]
        assert np.array(record["forward"][1]["output"]).shape == (3, 16)
        assert record["loss"]["value"] > 0
        assert max(e["difference"] for e in record["gradient_check"]["entries"]) <= 1e-6
        update = record["update"]
        for p in update["parameters"]:        # JSON floats round-trip exactly: the rule holds bit for bit
            assert np.array_equal(np.array(p["after"]),
                                  np.array(p["before"]) - update["learning_rate"] * np.array(p["gradient"]))
    assert records[1]["update"]["parameters"][0]["before"] == records[0]["update"]["parameters"][0]["after"]


def test_step_summary_and_errors(mnist_dir, capsys):
    assert cli_main(["step", "--batch-size", "1", "--data", str(mnist_dir)]) == 0
    text = capsys.readouterr().out
    assert "largest difference" in text and "W <- W - learning_rate * dC/dW" in text
    assert cli_main(["step", "--batch-size", "0", "--data", str(mnist_dir)]) == 2
    assert capsys.readouterr().err.strip() == "error: --batch-size must be at least 1"
    assert cli_main(["step", "--preset", "default", "--data", str(mnist_dir)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "step-through is for small networks" in err
