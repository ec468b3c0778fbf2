"""Reference solution for exercise 03 — the gradient-descent update (seeds 000, 001, 003)."""

import numpy as np

Param = float | np.ndarray


def _snapshot(w: Param) -> Param:
    # Arrays are mutable and shared by reference: keep our own copy in the history so a
    # later in-place change by anyone cannot rewrite it. Floats are immutable already.
    return w.copy() if isinstance(w, np.ndarray) else w


def step(w: Param, grad: Param, lr: float) -> Param:
    """Return the next parameter value w − lr·grad, leaving w itself untouched."""
    # `w - lr * grad` allocates a fresh result. `w -= lr * grad` would instead write into
    # the caller's array (the same object, passed by reference) and change their w too.
    # The minus sign: the gradient points uphill, and we want to go down.
    return w - lr * grad


def descend(grad_fn, w0: Param, lr: float, steps: int) -> list:
    """Return the list [w0, w1, …, w_steps] of gradient-descent iterates from w0."""
    # w0 is part of the trajectory, so trajectory[k] is w_k and the list holds
    # steps + 1 values: the path starts where we stand, before any update.
    w = _snapshot(w0)
    trajectory = [w]
    for _ in range(steps):
        # Hand grad_fn a copy, so a grad_fn that scribbles on its argument cannot
        # corrupt the value already stored in the trajectory.
        w = step(w, grad_fn(_snapshot(w)), lr)
        trajectory.append(w)
    return trajectory
