"""Reference solution for exercise 06 — three loss functions (seeds 001 and 002)."""

from typing import TYPE_CHECKING, TypeAlias

import numpy as np

if TYPE_CHECKING:
    import torch

# A 1-D NumPy array or torch tensor of floats.
Vector: TypeAlias = "np.ndarray | torch.Tensor"


def _floats(values: Vector) -> np.ndarray:
    # np.asarray reads NumPy arrays, lists and CPU tensors alike, so one formula serves all.
    return np.asarray(values, dtype=float)


def mae(pred: Vector, target: Vector) -> float:
    """Return the mean absolute error 1/m·Σ|pred − target| as a float."""
    # abs first: otherwise an error of +1 and one of −1 would cancel to a "perfect" 0.
    return float(np.mean(np.abs(_floats(pred) - _floats(target))))


def mse(pred: Vector, target: Vector) -> float:
    """Return the mean squared error 1/(2m)·Σ(pred − target)² as a float."""
    errors = _floats(pred) - _floats(target)
    # The ½ of seeds 001/002: d/de ½e² = e, so the gradient of this loss is the mean error.
    return float(np.sum(errors**2) / (2 * len(errors)))


def binary_cross_entropy(p: Vector, y: Vector) -> float:
    """Return −1/m·Σ[y·log p + (1 − y)·log(1 − p)] as a float (logs of p, not of y)."""
    p, y = _floats(p), _floats(y)
    # The logs are of the predictions, which lie strictly inside (0, 1); the labels y only
    # pick (hard 0/1 labels) or weigh (soft labels) the two terms. Seed 001 swaps them.
    terms = y * np.log(p) + (1 - y) * np.log(1 - p)
    # log of a probability is ≤ 0, so the minus makes the loss ≥ 0: 0 only for perfect p.
    return float(-np.mean(terms))
