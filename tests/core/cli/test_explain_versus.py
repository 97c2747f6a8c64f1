"""`explain --versus K` when the answer is K: "why 7 and not 7" is refused for that image with a
message, instead of silently explaining another digit (issue 18); the other images still go."""
import json

from core.cli import main as cli_main
from tests.core.cli.test_explain_cli import small_mlp_file, write_mnist_png


def test_versus_the_answer_itself_is_refused_by_name(mnist, tmp_path, capsys):
    model = small_mlp_file(mnist, tmp_path / "mlp.npz")
    files = [write_mnist_png(tmp_path / f"digit{k}.png", mnist.test_images[k]) for k in range(2)]
    code = cli_main(["explain", "--model", str(model), *map(str, files), "--out", str(tmp_path / "maps")])
    answers = [json.loads(line)["digit"] for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and answers[0] != answers[1]
    code = cli_main(["explain", "--model", str(model), *map(str, files), "--versus", str(answers[0]),
                     "--out", str(tmp_path / "versus")])
    captured = capsys.readouterr()
    assert code == 1
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [line["file"] for line in lines] == [str(files[1])] and lines[0]["versus"] == str(answers[0])
    assert captured.err.count("\n") == 1
    assert f"digit0.png: the answer is {answers[0]}, so --versus {answers[0]} has nothing to compare" in captured.err
