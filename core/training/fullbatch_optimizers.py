"""Full-batch optimisers written as generators: conjugate gradients (scipy's CG, step for step)
and L-BFGS. Each yields after every iteration and resumes when asked, so the training loop
shows each iteration and pauses or stops between cost evaluations, all in the caller's thread:
no helper thread, queue or semaphore.

'cg'     Polak-Ribiere+ conjugate gradients with a strong-Wolfe line search (c2 = 0.4) and the
         sufficient-descent check of Gilbert & Nocedal (1992): the algorithm of
         scipy.optimize.minimize(method='CG') (_minimize_cg), rewritten as a generator so the
         ex4 preset keeps the numbers it had with scipy.
'lbfgs'  limited-memory BFGS (Nocedal & Wright, algorithm 7.4): the two-loop recursion over the
         last MEMORY (step, gradient change) pairs gives the direction, tried first at its natural
         step 1, under the same line search (c2 = 0.9, the usual quasi-Newton choice).

The line search is scipy's own pair, in scipy's order: MINPACK's dcsrch (line_search_wolfe1,
a private scipy module; if a scipy release moves it, the public pure-Python search alone is
used), then scipy.optimize.line_search when the first fails. Two failures end the minimisation
(a minimum, or as close as float64 gets).
"""
import warnings

import numpy as np
from scipy.optimize import line_search as line_search_wolfe2

try:   # scipy's private home of MINPACK's search and its warning (scipy >= 1.8)
    from scipy.optimize._linesearch import LineSearchWarning, line_search_wolfe1
except ImportError:   # pragma: no cover - only if scipy reorganises its private modules
    LineSearchWarning, line_search_wolfe1 = RuntimeWarning, None

METHODS = ("cg", "lbfgs")
GRADIENT_TOLERANCE = 1e-5   # scipy CG's gtol: max |gradient| at which the run has converged
SUFFICIENT_DESCENT = 0.01   # scipy CG's sigma_3
MEMORY = 10                 # L-BFGS pairs kept


class _LineSearchFailed(Exception):
    pass


class _Memoised:
    """f(x) and fprime(x) from one cost(x) -> (f, gradient) call per distinct x (the line
    searches ask for both at the same point)."""

    def __init__(self, cost):
        self.cost, self.x, self.value = cost, None, None

    def _at(self, x):
        if self.x is None or not np.array_equal(x, self.x):
            self.value = self.cost(np.array(x, np.float64))
            self.x = np.array(x, np.float64)
        return self.value

    def f(self, x):
        return self._at(x)[0]

    def fprime(self, x):
        return self._at(x)[1]


def _wolfe_search(objective, x, p, g, f, f_before, c2, extra_condition=None):
    """(step, new f, new gradient or None, f) along direction p, as scipy's _line_search_wolfe12."""
    result = (None,)
    if line_search_wolfe1 is not None:
        result = line_search_wolfe1(objective.f, objective.fprime, x, p, g, f, f_before, c1=1e-4, c2=c2,
                                    amin=1e-100, amax=1e100)
        if result[0] is not None and extra_condition is not None:
            if not extra_condition(result[0], x + result[0] * p, result[3], result[5]):
                result = (None,)
    if result[0] is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LineSearchWarning)
            result = line_search_wolfe2(objective.f, objective.fprime, x, p, g, f, f_before, c1=1e-4, c2=c2,
                                        amax=1e100, extra_condition=extra_condition)
    if result[0] is None:
        raise _LineSearchFailed
    step, _, _, new_f, f, new_gradient = result
    return step, new_f, new_gradient, f


def conjugate_gradient(cost, x, max_iterations):
    """Minimise cost(x) -> (f, gradient (n,)) from x (n,) float64; yields (x, f) per iteration.
    Returns (StopIteration.value) a short reason."""
    objective = _Memoised(cost)
    x = np.array(x, np.float64)
    f, g = objective.f(x), objective.fprime(x)
    f_before = f + np.linalg.norm(g) / 2   # makes the first trial step about 1 in x
    p = -g
    gnorm = np.max(np.abs(g))
    iteration = 0
    while gnorm > GRADIENT_TOLERANCE and iteration < max_iterations:
        deltak = float(g @ g)
        cached = [None]

        def polak_ribiere_step(step, new_g=None, x=x, p=p, g=g, deltak=deltak):
            new_x = x + step * p
            if new_g is None:
                new_g = objective.fprime(new_x)
            beta = max(0.0, float((new_g - g) @ new_g) / deltak)
            return step, new_x, -new_g + beta * p, new_g, np.max(np.abs(new_g))

        def sufficient_descent(step, new_x, new_f, new_g):
            cached[0] = polak_ribiere_step(step, new_g)
            _, _, new_p, new_g, new_gnorm = cached[0]
            return new_gnorm <= GRADIENT_TOLERANCE or new_p @ new_g <= -SUFFICIENT_DESCENT * (new_g @ new_g)

        try:
            step, new_f, new_g, f_before = _wolfe_search(objective, x, p, g, f, f_before, 0.4, sufficient_descent)
        except _LineSearchFailed:
            return "the line search found no lower cost (a minimum, as close as float64 gets)"
        f = new_f
        if cached[0] is not None and step == cached[0][0]:
            _, x, p, g, gnorm = cached[0]
        else:
            _, x, p, g, gnorm = polak_ribiere_step(step, new_g)
        iteration += 1
        yield x, f
    return "the gradient vanished" if gnorm <= GRADIENT_TOLERANCE else f"{max_iterations} iterations done"


def _two_loop(pairs, g):
    """-H g for the L-BFGS inverse-Hessian estimate H of the (s, y, 1 / s'y) pairs."""
    q = g.copy()
    alphas = []
    for s, y, rho in reversed(pairs):
        alpha = rho * float(s @ q)
        q -= alpha * y
        alphas.append(alpha)
    if pairs:
        s, y, _ = pairs[-1]
        q *= float(s @ y) / float(y @ y)
    for (s, y, rho), alpha in zip(pairs, reversed(alphas)):
        q += (alpha - rho * float(y @ q)) * s
    return -q


def lbfgs(cost, x, max_iterations):
    """Like conjugate_gradient, with L-BFGS directions. Yields (x, f) per iteration."""
    objective = _Memoised(cost)
    x = np.array(x, np.float64)
    f, g = objective.f(x), objective.fprime(x)
    f_before = f + np.linalg.norm(g) / 2
    pairs, iteration, failed_before = [], 0, False
    while np.max(np.abs(g)) > GRADIENT_TOLERANCE and iteration < max_iterations:
        p = _two_loop(pairs, g)
        try:
            step, new_f, new_g, f_before = _wolfe_search(objective, x, p, g, f, f_before if not pairs else None, 0.9)
        except _LineSearchFailed:
            if failed_before or not pairs:
                return "the line search found no lower cost (a minimum, as close as float64 gets)"
            pairs.clear()   # a stale curvature estimate: start again from steepest descent
            failed_before = True
            continue
        failed_before = False
        new_x = x + step * p
        if new_g is None:
            new_g = objective.fprime(new_x)
        s, y = new_x - x, new_g - g
        curvature = float(s @ y)
        if curvature > 1e-10 * float(y @ y):   # keeps H positive definite
            pairs.append((s, y, 1.0 / curvature))
            del pairs[:-MEMORY]
        x, f, g = new_x, new_f, new_g
        iteration += 1
        yield x, f
    return "the gradient vanished" if np.max(np.abs(g)) <= GRADIENT_TOLERANCE else f"{max_iterations} iterations done"


def minimise(cost, x, max_iterations, method):
    """The generator for method 'cg' or 'lbfgs'."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    return (conjugate_gradient if method == "cg" else lbfgs)(cost, x, max_iterations)
