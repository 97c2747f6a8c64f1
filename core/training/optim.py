"""Optimisers (SGD, momentum, Adam) and learning-rate schedules.

An optimiser updates a list of parameter arrays in place from a list of gradients of the
same shapes. The learning rate is passed to every ``step`` so that a schedule, or a person
moving a slider mid-run, can change it between batches without touching optimiser state.

A gradient may also be a core.nn.product_gradient.ProductGradient (a dense weight gradient
x.T @ dy not multiplied out; Network.loss_and_gradients(fold_weight_grads=True)): SGD and
Momentum fold it into their update with one GEMM (``folds_products``); Adam multiplies it out.
"""
import math

import numpy as np

from core.nn.product_gradient import ProductGradient, as_array
from core.settings.config import SCHEDULES   # the names declared with the settings; schedule_factor implements them


# Flushing decayed optimiser state to zero before it becomes subnormal. The velocity of a weight
# whose gradient is exactly 0 for a long time (first-layer weights of MNIST's border pixels: no
# ink, no gradient) shrinks by mu every step, reaches the subnormal floats after ~800 steps and
# stays there (0.9 x the smallest subnormal rounds back to it). Multiplying subnormals costs the
# CPU a microcode assist each: measured on 784-128-10 (bench config, busy machine), v *= 0.9 took
# 65 us instead of 8, and whole epochs ran at 73,000 samples/s from the third epoch on instead
# of 169,000. Values below FLUSH_BELOW are far too small to move any float32 weight (its
# rounding step is about 1e-7 of its size), so setting them to 0 changes no result that matters.
FLUSH_BELOW = 1e-30
_SMALLEST_NORMAL = float(np.finfo(np.float32).tiny)


def flush_period(decay):
    """Steps after which state decaying by ``decay`` per step may go from FLUSH_BELOW to
    subnormal float32 (None: it never does, decay 0 or 1)."""
    if not 0.0 < decay < 1.0:
        return None
    return max(1, int(math.log(_SMALLEST_NORMAL / FLUSH_BELOW) / math.log(decay)))


def flush_tiny(arrays):
    """Set every entry of magnitude below FLUSH_BELOW to 0, in place (allocates; called rarely)."""
    for a in arrays:
        np.copyto(a, 0, where=np.abs(a) < FLUSH_BELOW)


class SGD:
    name = "sgd"
    folds_products = True   # step() takes ProductGradient entries and folds them into one GEMM

    def __init__(self, params):
        self.params = params

    def step(self, grads, learning_rate):
        for p, g in zip(self.params, grads):
            if isinstance(g, ProductGradient):
                g.fold_into(p, -learning_rate, 1.0)     # p = p - lr * x.T @ dy
            else:
                p -= learning_rate * g

    def reset(self):
        """Forget accumulated state (after the weights were restored from a checkpoint)."""

    # ----- state out / state in (resuming a run exactly) -------------------------------
    def state_dict(self):
        """{'name', 'scalars': {str: number}, 'arrays': {str: copy of an array}}: all that
        continuing needs. Array names are '<slot>.<param index>', e.g. 'velocity.0'."""
        return {"name": self.name, "scalars": self._state_scalars(),
                "arrays": {f"{slot}.{i}": a.copy() for slot, arrays in self._state_slots().items()
                           for i, a in enumerate(arrays)}}

    def load_state(self, state):
        """Restore what state_dict() gave (copied into the existing arrays, so the optimiser keeps
        its references). ValueError if it belongs to another optimiser or other shapes."""
        if state.get("name") != self.name:
            raise ValueError(f"the saved optimiser state is for {state.get('name')!r}, not {self.name!r}")
        arrays = state.get("arrays", {})
        for slot, targets in self._state_slots().items():
            for i, target in enumerate(targets):
                key = f"{slot}.{i}"
                if key not in arrays:
                    raise ValueError(f"the saved optimiser state has no {key}")
                if np.shape(arrays[key]) != target.shape:
                    raise ValueError(f"the saved optimiser state {key} has shape {np.shape(arrays[key])}, "
                                     f"the network needs {target.shape}")
        for slot, targets in self._state_slots().items():
            for i, target in enumerate(targets):
                target[...] = arrays[f"{slot}.{i}"]
        self._load_scalars(state.get("scalars", {}))

    def _state_slots(self):
        return {}   # plain SGD keeps nothing between steps

    def _state_scalars(self):
        return {}

    def _load_scalars(self, scalars):
        pass


class Momentum(SGD):
    """Classical momentum: v = mu * v - lr * g; p += v."""
    name = "momentum"

    def __init__(self, params, momentum=0.9):
        super().__init__(params)
        self.momentum = momentum
        self.velocity = [np.zeros_like(p) for p in params]
        self._scratch = [np.empty_like(p) for p in params]
        self._flush_period, self._steps = flush_period(momentum), 0

    def step(self, grads, learning_rate):
        for p, g, v, s in zip(self.params, grads, self.velocity, self._scratch):
            if isinstance(g, ProductGradient):
                g.fold_into(v, -learning_rate, self.momentum)   # v = mu v - lr x.T @ dy
            else:   # the same arithmetic as v -= learning_rate * g, without a new array
                np.multiply(v, self.momentum, out=v)
                v -= np.multiply(g, learning_rate, out=s)
            p += v
        self._steps += 1
        if self._flush_period and self._steps % self._flush_period == 0:
            flush_tiny(self.velocity)   # see FLUSH_BELOW

    def reset(self):
        for v in self.velocity:
            v.fill(0)

    def _state_slots(self):
        return {"velocity": self.velocity}


class Adam(SGD):
    """Kingma & Ba 2015, with bias correction folded into the step size."""
    name = "adam"
    folds_products = False  # needs g * g: a ProductGradient is multiplied out

    def __init__(self, params, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(params)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.reset()

    def reset(self):
        self.t = 0
        self._flush_period = min(flush_period(self.beta1) or 10 ** 9, flush_period(self.beta2) or 10 ** 9)
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self._scratch = [np.empty_like(p) for p in self.params]

    def _state_slots(self):
        return {"m": self.m, "v": self.v}

    def _state_scalars(self):
        return {"t": int(self.t)}

    def _load_scalars(self, scalars):
        self.t = int(scalars.get("t", 0))

    def step(self, grads, learning_rate):
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        step_size = learning_rate * math.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        for p, g, m, v, s in zip(self.params, grads, self.m, self.v, self._scratch):
            g = as_array(g)
            m *= b1
            m += (1 - b1) * g
            v *= b2
            np.multiply(g, g, out=s)
            s *= 1 - b2
            v += s
            np.sqrt(v, out=s)
            s += self.eps
            np.divide(m, s, out=s)
            s *= step_size
            p -= s
        if self.t % self._flush_period == 0:
            flush_tiny(self.m + self.v)   # see FLUSH_BELOW


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name, params, momentum=0.9):
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    return Momentum(params, momentum) if name == "momentum" else OPTIMIZERS[name](params)


def schedule_factor(schedule, step, total_steps, steps_per_epoch, step_epochs=1, gamma=0.5):
    """Multiplier on the base learning rate at a given optimisation step (0-based).

    constant: 1.  step: gamma ** (epoch // step_epochs).  cosine: half a cosine from 1 to 0
    over the whole run (never quite 0 so the last batches still move).
    """
    if schedule == "constant":
        return 1.0
    if schedule == "step":
        epoch = step // max(1, steps_per_epoch)
        return gamma ** (epoch // max(1, step_epochs))
    if schedule == "cosine":
        progress = min(1.0, step / max(1, total_steps))
        return 0.5 * (1 + math.cos(math.pi * progress)) * 0.99 + 0.01
    raise ValueError(f"unknown schedule {schedule!r}; choose one of {', '.join(SCHEDULES)}")
