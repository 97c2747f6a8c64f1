"""`python main.py explain`: evidence sheets as PNGs for a small saved MLP and a small saved CNN,
whose integrated gradients add up to the score change; bad files are reported, the rest written."""
import json

from PIL import Image

from core.cli import main as cli_main
from core.data.normalise import to_float
from core.files.model_io import model_metadata, save_model
from core.nn.network import Network
from core.training.optim import make_optimizer


def write_mnist_png(path, image):
    """An MNIST digit as a dark-on-light file four times larger, like a scanned drawing."""
    Image.fromarray(255 - image).resize((112, 112), Image.BILINEAR).save(path)
    return path


def small_cnn_file(mnist, path):
    network = Network.from_layers("conv4x5,pool2,dense10", (28, 28), seed=3)
    x, y = to_float(mnist.train_images[:3000]), network.targets(mnist.train_labels[:3000])
    optimizer = make_optimizer("momentum", network.params)
    for i in range(0, 3000, 64):
        optimizer.step(network.loss_and_gradients(x[i:i + 64], y[i:i + 64])[1], 0.02)
    save_model(path, network, model_metadata(network, (28, 28), [str(d) for d in range(10)]))
    return path


def small_mlp_file(mnist, path):
    """784-64-10 ReLU after one epoch on 12,000 images (the shipped default model is a CNN now)."""
    network = Network((784, 64, 10), seed=3)
    x, y = to_float(mnist.train_images[:12000].reshape(12000, -1)), network.targets(mnist.train_labels[:12000])
    optimizer = make_optimizer("momentum", network.params)
    for i in range(0, 12000, 64):
        optimizer.step(network.loss_and_gradients(x[i:i + 64], y[i:i + 64])[1], 0.05)
    save_model(path, network, model_metadata(network, (28, 28), [str(d) for d in range(10)]))
    return path


def run(args, capsys):
    code = cli_main(["explain", *map(str, args)])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_explain_writes_sheets_for_mlp_and_cnn(mnist, tmp_path, capsys):
    files = [write_mnist_png(tmp_path / f"digit{k}.png", mnist.test_images[k]) for k in range(3)]
    mlp = small_mlp_file(mnist, tmp_path / "mlp.npz")
    code, lines, err = run(["--model", mlp, *files, "--out", tmp_path / "mlp"], capsys)
    assert code == 0 and err == ""
    assert [line["digit"] for line in lines] == mnist.test_labels[:3].tolist()
    for line in lines:
        assert line["occlusion"] is False
        assert abs(line["sum_integrated_gradients"] - line["score_change"]) < 0.02 * abs(line["score_change"])
        with Image.open(line["out"]) as image:
            assert image.format == "PNG" and image.width > 600
    cnn = small_cnn_file(mnist, tmp_path / "cnn.npz")
    code, lines, err = run(["--model", cnn, files[0], "--versus", "1", "--out", tmp_path / "cnn"], capsys)
    assert code == 0 and lines[0]["occlusion"] is True and (lines[0]["versus"] == "1" or lines[0]["class"] == "1")
    assert (tmp_path / "cnn" / "digit0.png.evidence.png").is_file()


def test_explain_reports_bad_files_and_keeps_going(mnist, tmp_path, capsys):
    good = write_mnist_png(tmp_path / "good.png", mnist.test_images[0])
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    code, lines, err = run([text, good, "--out", tmp_path / "out"], capsys)
    assert code == 1 and len(lines) == 1 and lines[0]["file"] == str(good)
    assert err.startswith("error: ") and "notes.png" in err and err.count("\n") == 1
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["good.png.evidence.png"]
    code, _, err = run([good, "--versus", "12", "--out", tmp_path / "out"], capsys)
    assert code == 2 and "--versus 12" in err
