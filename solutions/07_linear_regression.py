"""Reference solution for exercise 07 — the normal equation and mini-batch descent (seed 002)."""

import numpy as np


def normal_equation(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return w* = (XᵀX)⁻¹Xᵀy, shaped (n,) for y (m,) and (n, 1) for y (m, 1)."""
    # Setting ∂E/∂w = Xᵀ(Xw − y)/m to zero gives XᵀX·w = Xᵀy: an (n, n) system.
    # solve() finds w without forming the inverse, which is cheaper and loses less accuracy.
    # Xᵀy keeps y's trailing shape, so a column y gives a column w automatically.
    return np.linalg.solve(X.T @ X, X.T @ y)


def minibatch_gd(X: np.ndarray, y: np.ndarray, lr: float, epochs: int, batch_size: int,
                 seed: int) -> np.ndarray:
    """Return w after `epochs` epochs of mini-batch gradient descent on E from w = 0."""
    m, n = X.shape
    w = np.zeros(n)
    # A generator of our own, made from the seed: the same seed gives the same batches, and
    # nothing else in the program can disturb (or be disturbed by) its state.
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        # One permutation indexes both arrays, so each input keeps its own target.
        # Indexing copies: the caller's X and y are never reordered.
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            X_b, y_b = X[batch], y[batch]
            # ∂/∂w of 1/(2b)·Σ(X_b·w − y_b)²: the ½ cancels the square's 2, 1/b stays.
            # len(batch), not batch_size: the last batch may be smaller.
            gradient = X_b.T @ (X_b @ w - y_b) / len(batch)
            w = w - lr * gradient
    return w
