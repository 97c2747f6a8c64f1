"""The embedding map: validation images placed in 2-D by what a hidden layer makes of them.

    features = layer_features(network, x, layer)        # (n, d) activations of hidden layer `layer`
    pca = PcaMap.fit(features)                          # NumPy SVD, fast enough for every epoch
    xy = pca.points                                     # (n, 2)
    marker = pca.project_point(layer_features(network, drawing_row[None], layer)[0])   # (2,)
    xy = tsne_map(features, n_points=2000, progress=..., cancelled=...)                # on request

PCA is fitted on at most ``fit_rows`` rows (a seeded sample; eigenvectors of their d x d scatter
matrix, the right singular vectors of the centred rows) and
applied to all of them, so a wide conv layer (d in the thousands) stays well under a second.
t-SNE comes from scikit-learn (sklearn.manifold.TSNE), run in stages of 250 iterations so a
progress hook can report between stages and a cancel hook can stop it: the first stage uses
t-SNE's early exaggeration, the later ones continue from the previous layout without it
(sklearn's optimiser restarts its momentum at each stage; the layout is continuous).
"""
from dataclasses import dataclass

import numpy as np

from core.analysis.probe import activations_at, hidden_layer, one_thread
from core.errors import DigitLabError

TSNE_STAGE_ITERATIONS = 250      # sklearn's minimum max_iter
TSNE_STAGES = 4                  # 1,000 iterations in all, sklearn's default


class Cancelled(DigitLabError):
    """The caller's cancel hook asked to stop."""


def layer_features(network, x, layer):
    """Activations of hidden layer ``layer`` (from 1) for rows x (n, n_inputs), flattened to
    (n, d) float32 (a conv layer: its C*H*W map values)."""
    hidden = hidden_layer(network, layer)
    a = activations_at(network, np.asarray(x), hidden.output_index)
    return a.reshape(len(a), -1).astype(np.float32, copy=False)


@dataclass
class PcaMap:
    """mean (d,), components (2, d) (unit rows, largest variance first), explained (2,) share
    of variance of each axis, points (n, 2) of the features it was made from."""
    mean: np.ndarray
    components: np.ndarray
    explained: np.ndarray
    points: np.ndarray

    @classmethod
    def fit(cls, features, fit_rows=2000, seed=0):
        features = np.asarray(features, np.float64)
        if features.ndim != 2 or len(features) < 2:
            raise DigitLabError("the map needs at least two images")
        rows = features
        if len(features) > fit_rows:
            rows = features[np.sort(np.random.default_rng(seed).choice(len(features), fit_rows, replace=False))]
        mean = rows.mean(axis=0)
        centred = rows - mean
        with one_thread():
            # the eigenvectors of the d x d scatter matrix are the right singular vectors of the
            # centred rows (what np.linalg.svd would give), at a fraction of the cost for d << n
            variance, vectors = np.linalg.eigh(centred.T @ centred)
        order = np.argsort(variance)[::-1]
        variance = np.clip(variance[order], 0, None)
        components = vectors[:, order[:2]].T
        # the sign of a singular vector is arbitrary: fix it so the map does not flip each epoch
        signs = np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])
        components = components * signs[:, None]
        if len(components) < 2:            # one feature: a flat second axis
            components = np.vstack([components, np.zeros_like(components)])
        explained = variance[:2] / variance.sum() if variance.sum() > 0 else np.zeros(2)
        explained = np.pad(explained, (0, 2 - len(explained)))
        return cls(mean, components, explained, (features - mean) @ components.T)

    def project(self, features):
        """(n, d) -> (n, 2) on this map."""
        return (np.asarray(features, np.float64) - self.mean) @ self.components.T

    def project_point(self, activation):
        """One image's activations (d,) -> its (2,) position on the map (the drawing's marker)."""
        return self.project(np.asarray(activation).reshape(1, -1))[0]


def subset(labels, n_points, seed=0):
    """(k,) sorted indices of a seeded random subset of at most n_points images."""
    n = len(labels)
    if n <= n_points:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, n_points, replace=False))


def tsne_map(features, perplexity=30.0, seed=0, stages=TSNE_STAGES, progress=None, cancelled=None):
    """t-SNE layout (n, 2) of features (n, d) (pass a subset: about 2,000 rows take seconds).

    progress(done_fraction) is called after every stage; cancelled() is checked before every
    stage and raises Cancelled when it returns True. The start is the PCA layout (scaled as
    sklearn does), so runs are reproducible for a seed.
    """
    from sklearn.manifold import TSNE

    features = np.asarray(features, np.float32)
    if len(features) < 5:
        raise DigitLabError("t-SNE needs at least 5 images")
    perplexity = min(perplexity, (len(features) - 1) / 3)
    start = PcaMap.fit(features, fit_rows=len(features)).points
    layout = (start / (np.std(start[:, 0]) or 1.0) * 1e-4).astype(np.float32)
    for stage in range(stages):
        if cancelled is not None and cancelled():
            raise Cancelled("t-SNE was cancelled")
        tsne = TSNE(n_components=2, perplexity=perplexity, init=layout, random_state=seed,
                    max_iter=TSNE_STAGE_ITERATIONS, early_exaggeration=12.0 if stage == 0 else 1.0,
                    learning_rate="auto")
        with one_thread():      # 1.7 s instead of 10 s for 300 points on a busy 2-core machine
            layout = tsne.fit_transform(features).astype(np.float32)
        if progress is not None:
            progress((stage + 1) / stages)
    return layout.astype(np.float64)
