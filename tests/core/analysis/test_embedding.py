"""The embedding map: PCA by SVD, the drawing's marker, and staged t-SNE with progress and cancel."""
import numpy as np
import pytest

from core.analysis.embedding import Cancelled, PcaMap, layer_features, subset, tsne_map
from core.data.normalise import to_float
from core.errors import DigitLabError


def knn_accuracy(points, labels, k=5):
    """Leave-one-out k-nearest-neighbour accuracy in the 2-D map (how well digits separate)."""
    d = ((points[:, None] - points[None]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    near = np.argsort(d, axis=1)[:, :k]
    votes = np.array([np.bincount(labels[row], minlength=10).argmax() for row in near])
    return np.mean(votes == labels)


def test_pca_map_and_the_drawing_marker(small_mlp, validation):
    images, labels = validation
    x = to_float(images)
    features = layer_features(small_mlp, x, 1)
    assert features.shape == (2000, 32)
    pca = PcaMap.fit(features, fit_rows=5000)
    centred = features - features.mean(axis=0)
    variance = (centred @ pca.components.T).var(axis=0)
    top = np.linalg.eigvalsh(np.cov(centred.T))[::-1][:2] * (len(x) - 1) / len(x)
    assert np.allclose(variance, top, rtol=1e-4)                 # the two directions of largest variance
    assert np.allclose(pca.components @ pca.components.T, np.eye(2), atol=1e-6)
    assert pca.explained[0] >= pca.explained[1] > 0
    marker = pca.project_point(layer_features(small_mlp, x[5:6], 1)[0])
    assert np.allclose(marker, pca.points[5])
    assert knn_accuracy(pca.points[:500], labels[:500]) > 0.4     # chance is 0.1


def test_conv_layer_features_and_sampled_fit(small_cnn, validation):
    x = to_float(validation[0][:300])
    features = layer_features(small_cnn, x, 2)
    assert features.shape == (300, 6 * 7 * 7)
    pca = PcaMap.fit(features, fit_rows=100)
    assert pca.points.shape == (300, 2)
    assert np.allclose(pca.project(features), pca.points)


def test_tsne_in_stages_with_progress_and_cancel(small_mlp, validation):
    images, labels = validation
    chosen = subset(labels, 300)
    assert len(chosen) == 300 and np.all(np.diff(chosen) > 0)
    features = layer_features(small_mlp, to_float(images[chosen]), 1)
    reported = []
    layout = tsne_map(features, stages=2, progress=reported.append)
    assert reported == [0.5, 1.0]
    assert layout.shape == (300, 2) and np.all(np.isfinite(layout))
    assert knn_accuracy(layout, labels[chosen]) > 0.6
    with pytest.raises(Cancelled):
        tsne_map(features, stages=3, progress=reported.append, cancelled=lambda: len(reported) >= 3)
    assert reported == [0.5, 1.0, 1 / 3]        # stopped after its first stage
    with pytest.raises(DigitLabError):
        tsne_map(features[:3])
