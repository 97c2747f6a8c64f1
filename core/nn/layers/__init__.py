"""The layers a Network stacks: each module holds one layer, forward and backward side by side.

Layouts (see each module's docstring):
  rows    (n, features)                 what Dense, Dropout and the activations see in an MLP
  images  (channels, rows, columns, n)  batch innermost, what Conv2D and MaxPool2D use
Flatten turns images into rows in (channel, row, column) order. Every layer reuses its output
and gradient buffers between batches of the same size (see base.BufferCache).
"""
from core.nn.layers.activation import Activation
from core.nn.layers.base import Layer
from core.nn.layers.conv2d import Conv2D
from core.nn.layers.dense import Dense
from core.nn.layers.dropout import Dropout
from core.nn.layers.flatten import Flatten
from core.nn.layers.maxpool import MaxPool2D

__all__ = ["Activation", "Conv2D", "Dense", "Dropout", "Flatten", "Layer", "MaxPool2D"]
