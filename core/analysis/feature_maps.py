"""What one image becomes in every layer of a network: the stages a feature-maps view shows.

    stages = feature_stages(network, x)      # x: (1, n_inputs) scaled like the training data
    for stage in stages: stage.name, stage.title, stage.kind ('maps' or 'units'), stage.values

Network.trace gives every layer's output, including the activation layers the stack builder
inserted and the flatten. A reader thinks in the textbook order conv -> activation -> pool, so a
stage is shown after its activation:

- a conv layer followed by its activation: the activation's output ("conv1 + relu");
- a conv layer followed by pooling (the builder moved the activation past the pool, since
  max pooling and a rising function commute): the activation applied here to a copy, the
  values the textbook network would have;
- a pooling layer: its output after the activation that follows it, if any (equal to pooling
  the activated maps);
- a hidden dense layer: after its activation; the output layer: the probabilities.
Flatten, dropout (inference: identity) and the activation layers themselves are not stages.
maps values are (C, H, W) (one image per channel), units values are (n_units,).
"""
from dataclasses import dataclass

import numpy as np

from core.nn.activations import get_activation


@dataclass
class Stage:
    name: str          # the layer's name in the network: conv1, pool1, dense1, output
    title: str         # what a caption says: 'conv1 + relu: 8 maps of 28x28'
    kind: str          # 'maps' or 'units'
    values: np.ndarray


def feature_stages(network, x):
    """[Stage] for one input row x (1, n_inputs) through network (see the module docstring)."""
    x = np.asarray(x, np.float32).reshape(1, -1)
    steps = network.trace(x)
    layers = list(network.layers)
    activation = network.activation_name
    stages = []
    for index, (layer, (name, values)) in enumerate(zip(layers, steps)):
        following = layers[index + 1] if index + 1 < len(layers) else None
        after_activation = following is not None and following.kind == "activation"
        if after_activation:
            values = steps[index + 1][1]
        last = index == len(layers) - 1
        if layer.kind == "conv":
            if not after_activation:     # pooling follows; the builder applies the activation after it
                values = get_activation(activation).forward(values.copy())
            stages.append(_maps(name, f"{name} + {activation}", values))
        elif layer.kind == "pool":
            stages.append(_maps(name, name + (f" (after {activation})" if after_activation else ""), values))
        elif layer.kind == "dense":
            title = "output (probabilities)" if last else f"{name} + {activation}"
            stages.append(Stage(name, f"{title}: {values.shape[1]} units", "units", values[0].copy()))
    return stages


def _maps(name, title, values):
    """(1, H, W, C) activations -> a maps Stage with values (C, H, W)."""
    maps = np.ascontiguousarray(values[0].transpose(2, 0, 1))
    channels, height, width = maps.shape
    return Stage(name, f"{title}: {channels} map{'s' * (channels > 1)} of {height}x{width}", "maps", maps)
