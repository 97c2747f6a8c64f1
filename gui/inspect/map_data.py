"""The embedding map's numbers, computed in worker threads (no Qt here).

    data = compute_map(context, layer, indices)      # PCA of a fixed subset's activations
    layout = tsne_layout(data, progress, cancelled)  # on request (seconds)
    xy, how = place_drawing(data, layout, image01, normalisation, method)

compute_map takes its own copy of the network and hands it back in MapData: once the worker is
done, that copy belongs to the GUI thread, which runs one drawing through it per change (well
under a millisecond for an MLP, a few for a small conv net), so the marker follows the pen
without a thread hop.
"""
from dataclasses import dataclass

import numpy as np

from core.analysis.embedding import PcaMap, layer_features
from core.analysis.probe import hidden_layer, one_thread
from core.data.normalise import to_float
from core.drawing.model_input import model_input
from gui.inspect.tsne_process import tsne_in_process

NEIGHBOURS = 10      # a drawing on a t-SNE map sits at the mean of its nearest images


@dataclass
class MapData:
    """layer (from 1) and its name; indices (k,) of the validation images shown; digits (k,)
    their digit labels; predictions (k,) the network's class per image and confidence (k,) its
    probability; features (k, d) float32 activations; pca: core.analysis.embedding.PcaMap
    (points (k, 2)); network: the copy it was computed with (GUI thread only from now on)."""
    layer: int
    layer_name: str
    indices: np.ndarray
    digits: np.ndarray
    predictions: np.ndarray
    confidence: np.ndarray
    features: np.ndarray
    pca: PcaMap
    network: object
    source: str
    normalisation: str
    images: np.ndarray = None     # (k, H, W) uint8 the images shown (hover, click)
    class_names: tuple = tuple(str(d) for d in range(10))   # the name of each label in digits

    def label_name(self, label):
        return self.class_names[label] if label < len(self.class_names) else str(label)

    def answer_name(self, predicted):
        """The network's answer named: a class name when its outputs are the labels' classes."""
        same = self.network is not None and self.network.n_classes == len(self.class_names)
        return self.label_name(predicted) if same else str(predicted)


def compute_map(context, layer, indices):
    network = context.network.copy()
    hidden = hidden_layer(network, layer)
    x = to_float(context.images[indices], context.normalisation, network.dtype)
    with one_thread():
        features = layer_features(network, x, layer)
        probabilities = network.predict_proba(x)        # (k, n_classes), two for one sigmoid unit
    predictions = np.argmax(probabilities, axis=1)
    confidence = probabilities[np.arange(len(predictions)), predictions]
    return MapData(layer, hidden.name, np.asarray(indices), np.asarray(context.digits)[indices], predictions,
                   np.asarray(confidence, np.float64), features, PcaMap.fit(features), network, context.source,
                   context.normalisation, context.images[indices], tuple(context.class_names))


def tsne_layout(data, progress=None, cancelled=None):
    """(k, 2) t-SNE layout of data.features (core.analysis.embedding.tsne_map in a child
    process, gui.inspect.tsne_process; Cancelled)."""
    return tsne_in_process(data.features, progress=progress, cancelled=cancelled)


def drawing_features(data, image01):
    """(d,) activations of the chosen layer for one prepared drawing (H, W) in [0, 1]."""
    x = model_input(image01, data.normalisation)
    return layer_features(data.network, x, data.layer)[0]


def place_drawing(data, layout, features):
    """The drawing's (2,) position: PCA projects it; on a t-SNE layout (k, 2) (no projection
    exists) it sits at the mean position of its NEIGHBOURS nearest images in activation space."""
    if layout is None:
        return data.pca.project_point(features)
    distances = np.sum((data.features - features[None, :]) ** 2, axis=1)
    nearest = np.argpartition(distances, min(NEIGHBOURS, len(distances) - 1))[:NEIGHBOURS]
    return layout[nearest].mean(axis=0)
