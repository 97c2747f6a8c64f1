"""Carl Rasmussen's fmincg (the optimiser of Andrew Ng's ex4), written as a generator.

A generator yields after every iteration (one successful line search) and resumes when asked,
so the training loop shows each iteration, pauses and stops between cost evaluations, all in
the caller's thread: no helper thread, queue or semaphore.

Two search directions share fmincg's line search (quadratic / cubic interpolation and
extrapolation under the Wolfe-Powell conditions, at most MAX_EVALUATIONS evaluations per
search):
  'cg'     Polak-Ribiere conjugate gradients, exactly as fmincg.m (ex4 used it);
  'lbfgs'  limited-memory BFGS: the two-loop recursion over the last MEMORY steps gives the
           direction, tried first at its natural step length 1 (Nocedal & Wright, alg. 7.4).
When a line search fails the direction restarts from steepest descent; two failures in a row
end the minimisation (fmincg's rule).

Reference: fmincg.m (C. E. Rasmussen, 1999-2002, with changes by Ng's course), the line
numbers of which the names below follow (f1/df1 the point, s the direction, z1 the step).
"""
import math

import numpy as np

RHO = 0.01          # Wolfe-Powell: sufficient decrease
SIG = 0.5           # Wolfe-Powell: curvature
INT = 0.1           # do not re-evaluate within 0.1 of the current bracket's ends
EXT = 3.0           # extrapolate at most 3 times the current step
MAX_EVALUATIONS = 20
RATIO = 100.0       # largest growth of the initial step from one search to the next
MEMORY = 10         # L-BFGS: (step, gradient change) pairs kept
METHODS = ("cg", "lbfgs")
_TINY = np.finfo(np.float64).tiny


class _Lbfgs:
    """The last MEMORY pairs (s_k = x_{k+1} - x_k, y_k = g_{k+1} - g_k) and the direction they give."""

    def __init__(self):
        self.pairs = []

    def add(self, step, gradient_change):
        curvature = float(step @ gradient_change)
        if curvature > 1e-10 * float(gradient_change @ gradient_change):   # keeps H positive definite
            self.pairs.append((step, gradient_change, 1.0 / curvature))
            del self.pairs[:-MEMORY]

    def direction(self, gradient):
        """-H g by the two-loop recursion; H0 = (s'y / y'y) I from the newest pair."""
        q = gradient.copy()
        alphas = []
        for s, y, rho in reversed(self.pairs):
            alpha = rho * float(s @ q)
            q -= alpha * y
            alphas.append(alpha)
        if self.pairs:
            s, y, _ = self.pairs[-1]
            q *= float(s @ y) / float(y @ y)
        for (s, y, rho), alpha in zip(self.pairs, reversed(alphas)):
            q += (alpha - rho * float(y @ q)) * s
        return -q


def _cubic_extrapolation(f2, f3, d2, d3, z3):
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)
        B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
        return -d2 * z3 * z3 / (B + np.sqrt(B * B - A * d2 * z3 * z3))


def _interpolation(f1, f2, f3, d2, d3, z3):
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if f2 > f1:   # quadratic fit
            return z3 - (0.5 * d3 * z3 * z3) / (d3 * z3 + f2 - f3)
        A = 6 * (f2 - f3) / z3 + 3 * (d2 + d3)   # cubic fit
        B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
        return (np.sqrt(B * B - A * d2 * z3 * z3) - B) / A


def fmincg(cost, x, max_iterations, method="cg"):
    """Minimise ``cost`` from ``x``; yields (x, f) after every successful line search.

    cost(x) -> (f, gradient) with x and gradient (n,) float64. Stops after max_iterations line
    searches or when the search fails twice in a row; the generator's return value (StopIteration
    .value) is a short reason. Pause and stop belong in ``cost`` (it may raise to abandon the run).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    x = np.array(x, np.float64)
    f1, df1 = cost(x)
    memory = _Lbfgs() if method == "lbfgs" else None
    s = -df1
    d1 = float(-s @ s)
    z1 = 1.0 / (1.0 - d1)   # red = 1: the first step is about one unit of the gradient
    iteration, ls_failed = 0, False
    while iteration < max_iterations:
        iteration += 1
        x0, f0, df0 = x.copy(), f1, df1
        x = x + z1 * s
        f2, df2 = cost(x)
        d2 = float(df2 @ s)
        f3, d3, z3 = f1, d1, -z1
        budget, success, limit = MAX_EVALUATIONS, False, -1.0
        while True:
            while (f2 > f1 + z1 * RHO * d1 or d2 > -SIG * d1) and budget > 0:
                limit = z1   # tighten the bracket
                z2 = _interpolation(f1, f2, f3, d2, d3, z3)
                if not math.isfinite(z2):
                    z2 = z3 / 2
                z2 = max(min(z2, INT * z3), (1 - INT) * z3)
                z1 += z2
                x = x + z2 * s
                f2, df2 = cost(x)
                budget -= 1
                d2 = float(df2 @ s)
                z3 -= z2
            if f2 > f1 + z1 * RHO * d1 or d2 > -SIG * d1:
                break                        # failure
            if d2 > SIG * d1:
                success = True
                break
            if budget == 0:
                break                        # failure
            z2 = _cubic_extrapolation(f2, f3, d2, d3, z3)
            if not math.isfinite(z2) or z2 < 0:
                z2 = z1 * (EXT - 1) if limit < -0.5 else (limit - z1) / 2
            elif limit > -0.5 and z2 + z1 > limit:
                z2 = (limit - z1) / 2
            elif limit < -0.5 and z2 + z1 > z1 * EXT:
                z2 = z1 * (EXT - 1.0)
            elif z2 < -z3 * INT:
                z2 = -z3 * INT
            elif limit > -0.5 and z2 < (limit - z1) * (1.0 - INT):
                z2 = (limit - z1) * (1.0 - INT)
            f3, d3, z3 = f2, d2, -z2
            z1 += z2
            x = x + z2 * s
            f2, df2 = cost(x)
            budget -= 1
            d2 = float(df2 @ s)
        if success:
            f1 = f2
            if memory is not None:
                memory.add(x - x0, df2 - df1)
                s = memory.direction(df2)
            else:   # Polak-Ribiere
                s = (float(df2 @ df2) - float(df1 @ df2)) / float(df1 @ df1) * s - df2
            df1 = df2
            d2 = float(df1 @ s)
            if d2 > 0:   # not a descent direction: steepest descent
                s = -df1
                d2 = float(-s @ s)
            z1 = 1.0 if memory is not None else z1 * min(RATIO, d1 / (d2 - _TINY))
            d1 = d2
            ls_failed = False
            yield x, f1
        else:
            x, f1, df1 = x0, f0, df0   # back to the last point that was accepted
            if ls_failed or iteration > max_iterations:
                return "the line search failed twice in a row (a minimum, or as close as float64 gets)"
            if memory is not None:
                memory.pairs.clear()
            s = -df1
            d1 = float(-s @ s)
            z1 = 1.0 / (1.0 - d1)
            ls_failed = True
    return f"{max_iterations} iterations done"
