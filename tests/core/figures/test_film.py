"""The training film: one frame per checkpoint (or N), every frame one size, GIF and PNG files."""
import numpy as np
import pytest
from PIL import Image

from core.errors import DigitLabError
from core.figures.curve_colours import TRAIN_COLOUR
from core.figures.film import VIEWS, pick_evenly, render_film, write_gif, write_png_folder


def gif_frames(path):
    """(frame count, size, [each frame as an RGB array]) of a GIF on disk."""
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        frames = []
        for k in range(gif.n_frames):
            gif.seek(k)
            frames.append(np.asarray(gif.convert("RGB")))
        return gif.n_frames, gif.size, frames


@pytest.mark.parametrize("view", ["weights", "filters", "feature-maps", "map"])
def test_a_cnn_film_has_one_frame_per_checkpoint(cnn_run, mnist_small, view, tmp_path):
    assert list(cnn_run.checkpoints) == [1, 2, 3, 4]
    frames = render_film(cnn_run, view, dataset=mnist_small)
    assert [f.epoch for f in frames] == [1, 2, 3, 4]
    assert len({f.image.size for f in frames}) == 1        # a GIF's frames share one size
    path = write_gif(frames, tmp_path / f"{view}.gif")
    count, size, pictures = gif_frames(path)
    assert count == 4 and size == frames[0].image.size
    # the network learns: the last frame differs from the first (not one picture four times)
    assert np.abs(pictures[0].astype(int) - pictures[-1].astype(int)).sum() > 0


def test_frames_n_spreads_them_over_the_run_first_and_last_kept(mlp_run, tmp_path):
    frames = render_film(mlp_run, "weights", frames=3)
    assert [f.epoch for f in frames] == [1, 3, 5]
    paths = write_png_folder(frames, tmp_path / "frames")
    assert [p.name for p in paths] == ["frame-001-epoch-0001.png", "frame-002-epoch-0003.png",
                                       "frame-003-epoch-0005.png"]
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == [p.name for p in paths]
    for path in paths:
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == frames[0].image.size
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # no partial folder left


def test_the_curves_film_grows_one_epoch_per_frame(mlp_run):
    frames = render_film(mlp_run, "curves")
    assert [f.epoch for f in frames] == [1, 2, 3, 4, 5]
    first, last = (np.asarray(f.image.convert("RGB")) for f in (frames[0], frames[-1]))
    # the train curve's orange (the Training tab's, core.figures.curve_colours): a dot in frame 1,
    # a line across the plot by frame 5
    orange = lambda a: int(np.sum(np.all(np.abs(a.astype(int) - TRAIN_COLOUR) < 30, axis=2)))
    assert orange(last) > 3 * orange(first)


def test_pick_evenly():
    assert pick_evenly([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4) == [1, 4, 7, 10]
    assert pick_evenly([1, 2, 3], None) == [1, 2, 3]
    assert pick_evenly([1, 2, 3], 1) == [1]


def test_what_cannot_be_filmed_is_one_sentence(mlp_run, cnn_run, mnist_small, digits, tmp_path):
    with pytest.raises(DigitLabError, match="no convolution layers"):
        render_film(mlp_run, "filters")
    with pytest.raises(DigitLabError, match="has 5 checkpoints; ask for 1 to 5"):
        render_film(mlp_run, "weights", frames=9)
    with pytest.raises(DigitLabError, match="needs the run's data"):
        render_film(cnn_run, "map")
    with pytest.raises(DigitLabError, match="trained on mnist, but the data given is digits"):
        render_film(cnn_run, "feature-maps", dataset=digits)
    with pytest.raises(DigitLabError, match="image 500 does not exist"):
        render_film(cnn_run, "feature-maps", dataset=mnist_small, image_index=500)
    with pytest.raises(DigitLabError, match="unknown view"):
        render_film(cnn_run, "loss")
    frames = render_film(mlp_run, "weights", frames=2)
    with pytest.raises(DigitLabError, match=r"\.gif"):
        write_gif(frames, tmp_path / "film.png")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "mine.txt").write_text("keep")
    with pytest.raises(DigitLabError, match="not an empty folder"):
        write_png_folder(frames, tmp_path / "taken")
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["mine.txt"]
    assert set(VIEWS) == {"weights", "filters", "feature-maps", "map", "curves"}
