"""Reference solution for exercise 04 — the sigmoid delta rule (seed 004)."""

import numpy as np

Num = float | np.ndarray


def sigmoid(h: Num) -> Num:
    """Return σ(h) = 1 / (1 + e^(−h)), elementwise; a float for a float input."""
    h = np.asarray(h, dtype=float)
    # e^(−|h|) lies in (0, 1], so it can never overflow. For h ≥ 0 this is the textbook
    # 1/(1 + e^(−h)); for h < 0 it is e^h/(1 + e^h), the same value multiplied through
    # by e^h, which avoids computing e^(−h) = e^(|h|) for very negative h.
    z = np.exp(-np.abs(h))
    s = np.where(h >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    # np.where always returns an array; hand a plain float back for a scalar input.
    return float(s) if s.ndim == 0 else s


def sigmoid_prime(h: Num) -> Num:
    """Return σ'(h) = σ(h)·(1 − σ(h)), elementwise; a float for a float input."""
    # Reusing σ(h) is the whole charm of the sigmoid: no second exponential needed.
    s = sigmoid(h)
    return s * (1.0 - s)


def delta_w(x: np.ndarray, y: float, w: np.ndarray, lr: float) -> np.ndarray:
    """Return the weight step η·(y − ŷ)·σ'(h)·x for one sample, with h = x·w, ŷ = σ(h)."""
    x = np.asarray(x, dtype=float)
    h = float(np.dot(x, w))  # the neuron's input: one number for one sample
    y_hat = sigmoid(h)
    # Error term δ = (y − ŷ)·σ'(h). Δw = −η·∂E/∂w for E = ½(y − ŷ)²; the minus sign of
    # the descent step cancels the minus that d/dŷ (y − ŷ)² produces.
    delta = (y - y_hat) * sigmoid_prime(h)
    # ∂h/∂w_j = x_j, so each weight moves in proportion to its own input.
    return lr * delta * x
