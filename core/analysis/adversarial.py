"""Fool it: a small change to a drawing that makes the network answer a chosen digit.

Targeted iterative gradient steps on the input (Kurakin et al. 2016, "basic iterative method";
projected gradient descent of Madry et al. 2018 with an L-inf or L2 bound). Each step moves
the pixels to raise log p(target) (the negative cross-entropy towards the target):
  L-inf: x <- x + step * sign(gradient)           then clip to the box |x - x0| <= bound
  L2:    x <- x + step * gradient / ||gradient||  then project onto the ball ||x - x0|| <= bound
and every pixel stays a valid pixel (between black and full ink). It stops as soon as the
network answers the target, so the change found is about as small as the step allows, or
after ``max_steps``.

A model read with test-time turns (core.drawing.test_time: the image as it is and turned t
degrees each way, the answers averaged) is fooled as it is read: the probabilities are the
three views' average, and each step follows the three views' gradients, each turned back to the
image's frame (the expectation over transformations of Athalye et al. 2018). Otherwise the
change would fool the network on one view and not the app's answer.

Sizes are reported in pixel units ([0, 1] per pixel, whatever the model's normalisation):
L2 norm, L-inf norm (the largest change of one pixel) and the number of pixels changed by at
least one grey level (1/255). Shapes: x is one input row (n_inputs,) or (H, W) as the network
receives it; image / change come back as (H, W) in pixel units.
"""
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from core.analysis.probe import image_shape, pixel_range, score_gradient
from core.drawing.test_time import views
from core.errors import DigitLabError

NORMS = ("linf", "l2")
DEFAULT_BOUND = {"linf": 0.3, "l2": 4.0}     # pixel units; MNIST's usual attack budgets
DEFAULT_STEP = {"linf": 0.01, "l2": 0.2}


@dataclass
class FoolResult:
    """success: the network answers ``target`` for ``image``. image / change: (H, W) pixel
    units [0, 1] (change = image - original); model_input: (n_inputs,) the changed input as
    the network receives it. l2 / linf in pixel units; pixels_changed: count with |change| >=
    1/255. probabilities_before / _after: (n_classes,). steps: gradient steps taken."""
    target: int
    success: bool
    image: np.ndarray
    change: np.ndarray
    model_input: np.ndarray
    l2: float
    linf: float
    pixels_changed: int
    steps: int
    answer_before: int
    answer_after: int
    probabilities_before: np.ndarray
    probabilities_after: np.ndarray


def _probabilities(network, row):
    return network.predict_proba(row.reshape(1, -1).astype(network.dtype))[0].astype(np.float64)


def _turned_views(row, turns, shape, low):
    """(3, n_inputs): the row as it is and turned -turns, +turns degrees around its background."""
    return (views((row - low).reshape((1,) + shape), turns)[:, 0] + low).reshape(3, -1)


def _read(network, row, turns, shape, low):
    """(n_classes,) the probabilities the model's reading gives (averaged over the test-time views)."""
    if not turns:
        return _probabilities(network, row)
    return network.predict_proba(_turned_views(row, turns, shape, low).astype(network.dtype)).mean(axis=0)


def _target_gradient(network, row, target, turns, shape, low):
    """(n_inputs,) the gradient of log p_target (one view, or the three test-time views' mean with
    each view's gradient turned back: a turn's adjoint is about the opposite turn)."""
    rows = row[None, :] if not turns else _turned_views(row, turns, shape, low)
    p = network.predict_proba(rows.astype(network.dtype)).astype(np.float64)
    # the gradient of log p_target is sum_c (onehot_c - p_c) * gradient of z_c (p at the row)
    weights = -p
    weights[:, target] += 1.0
    g = score_gradient(network, rows, weights)[1]
    if not turns:
        return g[0]
    back = [g[0].reshape(shape)] + [ndimage.rotate(gv.reshape(shape), angle, reshape=False, order=1)
                                    for gv, angle in ((g[1], turns), (g[2], -turns))]
    return np.mean(back, axis=0).reshape(-1)


def fool(network, x, target, normalisation="zero_one", norm="linf", bound=None, step=None, max_steps=200,
         turns=0.0):
    """Search a change of x (bounded by ``bound`` in pixel units, ``norm`` 'linf' or 'l2')
    that makes ``network`` answer ``target``; returns a FoolResult (success False when the
    budget ran out; the best attempt is returned anyway). turns: the model's test-time turns in
    degrees (core.drawing.test_time.turns_of; 0 = read once): the answer fooled is the reading's."""
    if norm not in NORMS:
        raise DigitLabError(f"norm must be one of {', '.join(NORMS)} (got {norm!r})")
    if not 0 <= int(target) < network.n_classes:
        raise DigitLabError(f"target {target} is not a class of this model (0 to {network.n_classes - 1})")
    target = int(target)
    low, high, scale = pixel_range(normalisation)
    x0 = np.asarray(x, np.float64).reshape(-1)
    if x0.size != network.n_inputs:
        raise DigitLabError(f"the input has {x0.size} values but the model takes {network.n_inputs}")
    bound = (DEFAULT_BOUND[norm] if bound is None else float(bound)) * scale     # model units from here
    step = (DEFAULT_STEP[norm] if step is None else float(step)) * scale
    shape = tuple(image_shape(network))
    before = _read(network, x0, turns, shape, low)
    xk, steps, p = x0.copy(), 0, before
    while int(np.argmax(p)) != target and steps < max_steps:
        g = _target_gradient(network, xk, target, turns, shape, low)
        if norm == "linf":
            xk = np.clip(xk + step * np.sign(g), x0 - bound, x0 + bound)
        else:
            length = np.linalg.norm(g)
            if length == 0:
                break
            xk = xk + step * g / length
            delta = xk - x0
            size = np.linalg.norm(delta)
            if size > bound:
                xk = x0 + delta * (bound / size)
        np.clip(xk, low, high, out=xk)
        steps += 1
        p = _read(network, xk, turns, shape, low)
    after = p
    image = ((xk - low) / scale).reshape(shape)
    change = ((xk - x0) / scale).reshape(shape)
    return FoolResult(target, int(np.argmax(after)) == target, image, change, xk, float(np.linalg.norm(change)),
                      float(np.abs(change).max()), int(np.count_nonzero(np.abs(change) >= 1 / 255 - 1e-9)),
                      steps, int(np.argmax(before)), int(np.argmax(after)), before, after)
