"""Recorded runs for the film tests: small real-MNIST runs with a checkpoint per epoch."""
import pytest

from core.records.reader import open_run
from core.records.resume import start_recording
from core.records.writer import recorded_run
from core.settings.config import TrainConfig
from core.training.trainers import make_trainer


def record(config, dataset, name):
    trainer = make_trainer(config, dataset)
    recorder = start_recording(trainer, dataset, name=name)
    list(recorded_run(trainer, recorder))
    return open_run(recorder.run_id)


@pytest.fixture(scope="module")
def film_home(tmp_path_factory):
    return tmp_path_factory.mktemp("film-home")


@pytest.fixture(scope="module")
def cnn_run(mnist_small, film_home):
    """A conv,pool,conv,pool,dense,dense run of 4 epochs on 1,500 MNIST images (4 checkpoints)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIGITLAB_HOME", str(film_home))
        config = TrainConfig(layers="conv4x5,pool2,conv6x3,pool2,dense16,dense10", epochs=4, batch_size=50,
                             learning_rate=0.05, schedule="constant", val_split=300, seed=1)
        return record(config, mnist_small, "film cnn")


@pytest.fixture(scope="module")
def mlp_run(mnist_small, film_home):
    """A 784-24-10 run of 5 epochs (5 checkpoints)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIGITLAB_HOME", str(film_home))
        config = TrainConfig(hidden_sizes=(24,), epochs=5, batch_size=50, learning_rate=0.1, schedule="constant",
                             val_split=300, seed=2)
        return record(config, mnist_small, "film mlp")
