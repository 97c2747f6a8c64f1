"""`python main.py cost`: ex4's regularised cost, checked against an explicit hand computation."""
import json
import math

import numpy as np
import scipy.io

from core.cli import main


def small_problem():
    """m = 6 examples of 2x2 'images', 3 hidden units, 10 outputs; weights from a fixed formula."""
    m, n, hidden, k = 6, 4, 3, 10
    X = np.array([[math.sin(i * n + j + 1) * 0.6 + 0.4 for j in range(n)] for i in range(m)])
    y = np.array([[10], [1], [2], [10], [5], [9]], np.float64)
    theta1 = np.array([[math.cos(0.7 * r + 0.3 * c) * 0.5 for c in range(n + 1)] for r in range(hidden)])
    theta2 = np.array([[math.sin(0.4 * r - 0.9 * c) * 0.8 for c in range(hidden + 1)] for r in range(k)])
    return X, y, theta1, theta2


def hand_cost(X, y, theta1, theta2, lam):
    """ex4's nnCostFunction written out with loops (MATLAB indices shifted by one)."""
    def g(z):
        return 1.0 / (1.0 + math.exp(-z))

    m = len(X)
    total = 0.0
    correct = 0
    for i in range(m):
        a1 = [1.0] + list(X[i])
        a2 = [1.0] + [g(sum(theta1[j][c] * a1[c] for c in range(len(a1)))) for j in range(len(theta1))]
        h = [g(sum(theta2[u][c] * a2[c] for c in range(len(a2)))) for u in range(len(theta2))]
        for u in range(len(theta2)):        # unit u + 1 means the label u + 1
            target = 1.0 if y[i][0] == u + 1 else 0.0
            total += -target * math.log(h[u]) - (1 - target) * math.log(1 - h[u])
        correct += (max(range(len(h)), key=lambda u: h[u]) + 1) == y[i][0]
    regulariser = sum(theta1[j][c] ** 2 for j in range(len(theta1)) for c in range(1, len(theta1[0])))
    regulariser += sum(theta2[u][c] ** 2 for u in range(len(theta2)) for c in range(1, len(theta2[0])))
    return total / m + lam / (2 * m) * regulariser, correct / m


def write_files(tmp_path):
    X, y, theta1, theta2 = small_problem()
    scipy.io.savemat(str(tmp_path / "data.mat"), {"X": X, "y": y})
    scipy.io.savemat(str(tmp_path / "weights.mat"), {"Theta1": theta1, "Theta2": theta2})
    return X, y, theta1, theta2


def run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_regularised_cost_matches_the_hand_computation(tmp_path, capsys):
    X, y, theta1, theta2 = write_files(tmp_path)
    for lam in (0.0, 1.0, 3.0):
        expected, accuracy = hand_cost(X, y, theta1, theta2, lam)
        result = run_json(capsys, "cost", "--data", str(tmp_path / "data.mat"), "--weights",
                          str(tmp_path / "weights.mat"), "--l2", str(lam), "--json")
        assert abs(result["cost"] - expected) < 1e-9, (lam, result["cost"], expected)
        assert result["accuracy"] == accuracy
        assert result["n_examples"] == 6
    unregularised, _ = hand_cost(X, y, theta1, theta2, 0.0)
    assert abs(result["data_cost"] - unregularised) < 1e-9
    assert result["cost"] > result["data_cost"]   # lambda = 3 adds a positive term


def test_plain_output_and_errors(tmp_path, capsys):
    write_files(tmp_path)
    assert main(["cost", "--data", str(tmp_path / "data.mat"), "--weights", str(tmp_path / "weights.mat")]) == 0
    assert capsys.readouterr().out.startswith("cost ")
    assert main(["cost", "--data", str(tmp_path / "missing.mat"), "--weights", str(tmp_path / "weights.mat")]) == 2
    assert "not found" in capsys.readouterr().err
    scipy.io.savemat(str(tmp_path / "wide.mat"), {"Theta1": np.zeros((3, 10)), "Theta2": np.zeros((10, 4))})
    assert main(["cost", "--data", str(tmp_path / "data.mat"), "--weights", str(tmp_path / "wide.mat")]) == 2
    assert "inputs" in capsys.readouterr().err
