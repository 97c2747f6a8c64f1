"""The neuron card: everything about one hidden unit (a dense unit, or a conv filter/channel)
on a validation set, and "silence this unit" (ablation).

    lab = NeuronLab(network, images, labels, normalisation)   # images (n, H, W) uint8
    card = lab.card(layer=1, unit=17)                         # NeuronCard
    card.ablation.accuracy_after, card.ablation.changed

Every hidden layer's activations over the whole validation set come from one forward pass and
are cached per weights version (a hash of the parameters, or a version the caller passes, e.g.
the epoch), with the output of the layer above each (core.analysis.layer_outputs), so clicking
from unit to unit, in any layer, only ranks, averages and takes the unit's term out of the layer
above: a card for a 128-unit MLP on 10,000 images takes a few milliseconds after the first
(bench/bench_neuron.py).

A unit's activation on an image is its output after the non-linearity (a conv channel: the
mean over its feature map, after pooling when pooling follows). Ablation sets that output to
zero (the whole map for a channel) and runs the layers above unchanged. The lab works on its
own copy of the network, so a model being trained in another thread is never disturbed.
"""
import hashlib
from dataclasses import dataclass, field

import numpy as np

from core.analysis.layer_outputs import (KEEP_ALL_BYTES, forward_keeping, kept_bytes, linear_bridge,
                                         next_parameter_index, unit_contribution)
from core.analysis.unit_weights import incoming_weights, outgoing_weights
from core.analysis.probe import (hidden_layer, hidden_layers, logits_from, one_thread,
                                 predictions_from_logits, run_layers)
from core.data.normalise import to_float
from core.errors import DigitLabError

SILENT_RELU = 1e-6      # ReLU-like units: silent when the output is (numerically) zero
SILENT_SATURATING = 0.01   # sigmoid / tanh never reach 0 exactly: silent below 1% of full output
N_EXTREMES = 9


def weights_version(network):
    """A short hash of the parameters: equal weights give equal versions (about 1 ms for 100k)."""
    digest = hashlib.blake2b(digest_size=12)
    for p in network.params:
        digest.update(np.ascontiguousarray(p).view(np.uint8))
    return digest.hexdigest()


@dataclass
class Ablation:
    """Validation accuracy with the unit as it is (before) and set to zero (after).

    accuracy_*: float in [0, 1]; per_class_*: (n_classes,) float (NaN for a class with no
    image); changed: (k,) indices of the images whose prediction changes, with their
    predictions before and after (k,) each.
    """
    accuracy_before: float
    accuracy_after: float
    per_class_before: np.ndarray
    per_class_after: np.ndarray
    changed: np.ndarray
    predicted_before: np.ndarray
    predicted_after: np.ndarray


@dataclass
class NeuronCard:
    """One unit's card.

    incoming: the unit's incoming weights: (n_in,) for a dense unit, (C_in, k, k) for a filter.
    incoming_image: the same as one 2-D picture (first-layer dense unit: (H, W) over the input
    pixels; a dense unit after a conv stack: its C maps in a near-square grid; a filter: its
    C_in kernels in such a grid (unit_weights.map_grid); other dense units: a near-square grid of the n_in weights, row-major).
    outgoing: weights from this unit to the next layer: (n_next,) dense, (C_out, k, k) conv,
    or (n_next, H, W) from each position of the channel's map through a flatten. outgoing_kind says which.
    activations: (n_val,) the unit's activation per validation image.
    top / bottom: (9,) indices of the images with the highest / lowest activation (best first).
    mean_per_class: (n_classes,) mean activation per label.
    silent_share: share of images where the unit is silent; dead: silent on every image.
    """
    layer: int
    unit: int
    layer_name: str
    is_conv: bool
    incoming: np.ndarray
    incoming_image: np.ndarray
    outgoing: np.ndarray
    outgoing_kind: str
    activations: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    mean_per_class: np.ndarray
    silent_share: float
    dead: bool
    ablation: Ablation = field(repr=False)


@dataclass
class LayerSummary:
    """Every unit of one hidden layer at a glance (what the app's unit list colours).

    mean_activation: (units,) each unit's activation averaged over the validation images (a conv
    channel: its map's mean, as on the card); silent_share: (units,) share of images on which
    the unit is silent; dead: (units,) bool, silent on every image.
    """
    layer: int
    layer_name: str
    is_conv: bool
    mean_activation: np.ndarray
    silent_share: np.ndarray
    dead: np.ndarray
    n_images: int


@dataclass
class _LayerState:
    features: np.ndarray      # (n, units) or (n, C, H, W) activations, batch first
    scores: np.ndarray        # (n, units) one number per image and unit
    silent: np.ndarray        # (n, units) bool
    following: np.ndarray     # output z of the next parameter layer in the layers' layout: (n, n_next) or (C', H', W', n)


class NeuronLab:
    """Neuron cards for one network on one validation set.

    images: (n, H, W) or (n, n_inputs) uint8; labels: (n,) class indices of the network
    (0/1 for one digit against the rest); normalisation: how the model reads pixels.
    version: anything that changes when the weights do (default: a hash of the weights).
    """

    def __init__(self, network, images, labels, normalisation="zero_one", image_shape=None, version=None):
        self.images = np.asarray(images)
        self.image_shape = tuple(image_shape or (self.images.shape[1:] if self.images.ndim == 3 else (
            tuple(network.input_shape[:2]))))
        self.labels = np.asarray(labels).astype(np.int64)
        if len(self.images) != len(self.labels) or len(self.images) == 0:
            raise DigitLabError(f"the validation set needs images and as many labels "
                                f"({len(self.images)} images, {len(self.labels)} labels)")
        self.normalisation = normalisation
        self._x = to_float(self.images, normalisation, network.dtype)
        if self._x.shape[1] != network.n_inputs:
            raise DigitLabError(f"the images have {self._x.shape[1]} pixels but the model takes "
                                f"{network.n_inputs} inputs")
        self.keep_all_bytes = KEEP_ALL_BYTES    # one pass keeps every hidden layer up to this size
        self.network, self._states = None, {}
        self.set_network(network, version)

    def set_network(self, network, version=None):
        """Adopt new weights (a copy is taken); caches are dropped only when the version changes."""
        version = version if version is not None else weights_version(network)
        if self.network is not None and version == self.version:
            return
        self.network, self.version = network.copy(), version
        # the arrays of the old weights are reused by the next pass (no one else holds them)
        self._spare = [a for state in self._states.values() for a in (state.features, state.following)]
        self._states = {}
        self._base = None

    # ----- cached per weights version ------------------------------------------------------
    @property
    def cached_layers(self):
        """Numbers of the hidden layers whose activations are cached for the current weights."""
        return sorted(self._states)

    def _baseline(self):
        """(logits (n, n_outputs), predictions (n,)) of the unmodified network."""
        if self._base is None:
            z = logits_from(self.network, self._x, 0)
            self._base = (z, predictions_from_logits(self.network, z))
        return self._base

    def _state(self, hidden):
        if hidden.number not in self._states:
            self._forward_pass(hidden)
        return self._states[hidden.number]

    def _forward_pass(self, wanted):
        """One pass over the validation images (core.analysis.layer_outputs): the baseline, and
        the activations and next-layer outputs of every hidden layer (only of ``wanted`` when
        all of them would take more than self.keep_all_bytes)."""
        network = self.network
        every = hidden_layers(network)
        chosen = every if kept_bytes(network, every, len(self._x)) <= self.keep_all_bytes else [wanted]
        with one_thread():
            kept, following, z = forward_keeping(network, self._x, {h.output_index for h in chosen},
                                                 {next_parameter_index(network, h) for h in chosen},
                                                 spare=self._spare)
        self._spare = []
        if self._base is None:
            self._base = (z, predictions_from_logits(network, z))
        threshold = SILENT_RELU if network.activation_name in ("relu", "leaky_relu") else SILENT_SATURATING
        for hidden in [h for h in chosen if h.number not in self._states]:
            features = kept[hidden.output_index]
            n = len(features)
            if hidden.is_conv:
                scores = features.reshape(n, hidden.units, -1).mean(axis=2)
                silent = np.abs(features).reshape(n, hidden.units, -1).max(axis=2) <= threshold
            else:
                scores, silent = features, np.abs(features) <= threshold
            self._states[hidden.number] = _LayerState(features, scores, silent,
                                                      following[next_parameter_index(network, hidden)])

    # ----- the card -----------------------------------------------------------------------
    def card(self, layer, unit):
        """The NeuronCard of unit ``unit`` (from 0) of hidden layer ``layer`` (from 1)."""
        hidden = hidden_layer(self.network, layer)
        unit = self._check_unit(hidden, unit)
        state = self._state(hidden)
        values = state.scores[:, unit].astype(np.float64)
        order = np.argsort(values, kind="stable")
        n_classes = self.network.n_classes
        counts = np.bincount(self.labels, minlength=n_classes)[:n_classes]
        sums = np.bincount(self.labels, weights=values, minlength=n_classes)[:n_classes]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_per_class = sums / counts
        silent_share = float(state.silent[:, unit].mean())
        incoming, incoming_image = incoming_weights(self.network, hidden, unit, self.image_shape)
        outgoing, outgoing_kind = outgoing_weights(self.network, hidden, unit)
        return NeuronCard(
            layer=hidden.number, unit=unit, layer_name=hidden.name, is_conv=hidden.is_conv,
            incoming=incoming, incoming_image=incoming_image, outgoing=outgoing, outgoing_kind=outgoing_kind,
            activations=values, top=order[::-1][:N_EXTREMES].copy(), bottom=order[:N_EXTREMES].copy(),
            mean_per_class=mean_per_class, silent_share=silent_share, dead=silent_share == 1.0,
            ablation=self.ablate(layer, unit))

    def layer_summary(self, layer):
        """The LayerSummary of hidden layer ``layer`` (from 1): the same cached activations as
        its cards, so listing a layer makes the cards of its units warm."""
        hidden = hidden_layer(self.network, layer)
        state = self._state(hidden)
        return LayerSummary(hidden.number, hidden.name, hidden.is_conv, state.scores.mean(axis=0, dtype=np.float64),
                            state.silent.mean(axis=0), state.silent.all(axis=0), len(self.labels))

    def ablate(self, layer, unit):
        """Ablation of one unit: accuracies with it as is and set to zero, and what changed.
        The unit's term is taken out of the next layer's cached output z (layer_outputs); when
        something other than a reshape lies between (none of our stacks), ablate_reference."""
        hidden = hidden_layer(self.network, layer)
        unit = self._check_unit(hidden, unit)
        if not linear_bridge(self.network, hidden):
            return self.ablate_reference(layer, unit)
        state = self._state(hidden)
        _, before = self._baseline()
        maps = state.features[:, unit]
        active = maps.reshape(len(maps), -1).any(axis=1)     # a 0 output cannot change anything
        after = before.copy()
        network, chunk = self.network, self.network.eval_chunk
        above = network.layers[next_parameter_index(network, hidden) + 1:]
        following = state.following
        with one_thread():
            # consecutive images (slices, no gathers; most conv channels are active on every image)
            for start in range(0, len(maps), chunk):
                stop = min(len(maps), start + chunk)
                if not active[start:stop].any():
                    continue
                z = following[..., start:stop] if following.ndim == 4 else following[start:stop]
                z = z - unit_contribution(network, hidden, unit, maps[start:stop])
                logits = np.asarray(run_layers(above, z), np.float64)
                after[start:stop] = predictions_from_logits(network, logits)
        return self._ablation(before, after)

    def ablate_reference(self, layer, unit):
        """The readable ablation: the unit's output set to 0, every layer above run again."""
        hidden = hidden_layer(self.network, layer)
        unit = self._check_unit(hidden, unit)
        state = self._state(hidden)
        _, before = self._baseline()
        features = state.features
        touched = np.flatnonzero(features[:, unit].reshape(len(features), -1).any(axis=1))
        after = before.copy()
        if len(touched):       # images where the unit is already 0 cannot change
            silenced = features[touched]
            silenced[:, unit] = 0
            z = logits_from(self.network, silenced, hidden.output_index + 1)
            after[touched] = predictions_from_logits(self.network, z)
        return self._ablation(before, after)

    def _ablation(self, before, after):
        changed = np.flatnonzero(after != before)
        return Ablation(self._accuracy(before), self._accuracy(after), self._per_class(before),
                        self._per_class(after), changed, before[changed], after[changed])

    def predictions(self):
        """(n,) predictions of the unmodified network on the validation images."""
        return self._baseline()[1].copy()

    def _accuracy(self, predicted):
        return float(np.mean(predicted == self.labels))

    def _per_class(self, predicted):
        n_classes = self.network.n_classes
        counts = np.bincount(self.labels, minlength=n_classes)[:n_classes]
        right = np.bincount(self.labels, weights=predicted == self.labels, minlength=n_classes)[:n_classes]
        with np.errstate(invalid="ignore", divide="ignore"):
            return right / counts

    @staticmethod
    def _check_unit(hidden, unit):
        if not 0 <= int(unit) < hidden.units:
            raise DigitLabError(f"unit {unit} does not exist: layer {hidden.number} ({hidden.name}) has units "
                                f"0 to {hidden.units - 1}")
        return int(unit)
