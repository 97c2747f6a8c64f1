"""EMNIST from its IDX files (transposed images, the label mapping file), on small files in EMNIST's
format written by the test; and every broken folder's one sentence."""
import numpy as np
import pytest

from core.cli import main as cli_main
from core.data.datasets import load_dataset
from core.data.emnist import load_emnist_folder
from core.data.idx import write_idx
from core.errors import DatasetError

LETTERS = "ABC"


def letter_images(labels, rng):
    """(n, 28, 28) uint8: image k has a bright bar in row 3 + 5 * label, so the right way round it
    is a horizontal bar (a row) and transposed a vertical one (a column)."""
    images = rng.integers(0, 30, (len(labels), 28, 28)).astype(np.uint8)
    for image, label in zip(images, labels):
        image[3 + 5 * (label - 1), 4:24] = 255
    return images


def write_emnist(folder, subset="letters", n=(30, 9), mapping=None, gz=True, seed=0):
    """EMNIST's file layout: labels 1..3 ('1 65 97' ...), each image stored transposed."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    truth = {}
    for split, count in zip(("train", "test"), n):
        labels = (np.arange(count) % 3 + 1).astype(np.uint8)
        images = letter_images(labels, rng)
        truth[split] = (images, labels)
        suffix = ".gz" if gz else ""
        write_idx(folder / f"emnist-{subset}-{split}-images-idx3-ubyte{suffix}", images.transpose(0, 2, 1))
        write_idx(folder / f"emnist-{subset}-{split}-labels-idx1-ubyte{suffix}", labels)
    text = mapping if mapping is not None else "".join(f"{k + 1} {ord(c)} {ord(c.lower())}\n" for k, c in enumerate(LETTERS))
    (folder / f"emnist-{subset}-mapping.txt").write_text(text)
    return truth


def test_letters_the_right_way_round_with_the_mapping_classes(tmp_path):
    truth = write_emnist(tmp_path / "emnist")
    dataset = load_emnist_folder(tmp_path / "emnist")
    assert dataset.class_names == ["Aa", "Bb", "Cc"] and dataset.name == "emnist-letters"
    np.testing.assert_array_equal(dataset.train_images, truth["train"][0])      # transposed back
    np.testing.assert_array_equal(dataset.train_labels, truth["train"][1] - 1)  # 1..3 -> 0..2
    assert dataset.test_images.shape == (9, 28, 28) and dataset.train_labels.dtype == np.uint8
    row_means = dataset.train_images[0].mean(axis=1)
    assert row_means.argmax() == 3                                               # the bar is a row


def test_the_generic_idx_path_and_the_emnist_name_read_it(tmp_path):
    write_emnist(tmp_path / "e", gz=False)
    for name in ("idx", "emnist"):
        dataset, notice = load_dataset(name, tmp_path / "e")
        assert dataset.class_names == ["Aa", "Bb", "Cc"] and notice is None
    with pytest.raises(DatasetError, match="holds EMNIST files, not MNIST: pass --dataset emnist"):
        load_dataset("mnist", tmp_path / "e", allow_fallback=False)


def test_train_on_it_from_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path / "home"))
    write_emnist(tmp_path / "e")
    assert cli_main(["train", "--dataset", "idx", "--data", str(tmp_path / "e"), "--epochs", "3", "--batch-size", "8",
                     "--no-record", "--json"]) == 0
    assert '"class_names": ["Aa", "Bb", "Cc"]' in capsys.readouterr().out


def test_single_case_mappings_name_one_character(tmp_path):
    write_emnist(tmp_path / "b", subset="balanced", mapping="1 48\n2 65\n3 97\n")
    assert load_emnist_folder(tmp_path / "b").class_names == ["0", "A", "a"]


@pytest.mark.parametrize("damage, message", [
    ("no mapping", "missing file in .*emnist-letters-mapping.txt"),
    ("bad line", r"line 2: expected 'label code \[code\]'"),
    ("unknown label", "label 3 is not in emnist-letters-mapping.txt"),
    ("missing test labels", "missing file in .*emnist-letters-test-labels-idx1-ubyte"),
    ("two subsets", "several EMNIST subsets"),
])
def test_a_broken_emnist_folder_is_one_sentence(tmp_path, damage, message):
    folder = tmp_path / "e"
    write_emnist(folder)
    if damage == "no mapping":
        (folder / "emnist-letters-mapping.txt").unlink()
    elif damage == "bad line":
        (folder / "emnist-letters-mapping.txt").write_text("1 65 97\nB 66\n3 67\n")
    elif damage == "unknown label":
        (folder / "emnist-letters-mapping.txt").write_text("1 65 97\n2 66 98\n")
    elif damage == "missing test labels":
        (folder / "emnist-letters-test-labels-idx1-ubyte.gz").unlink()
    elif damage == "two subsets":
        write_emnist(folder, subset="digits")
        write_emnist(folder, subset="balanced")
        for path in folder.glob("emnist-letters-*"):
            path.unlink()
    with pytest.raises(DatasetError, match=message) as error:
        load_emnist_folder(folder)
    assert "\n" not in str(error.value)
