"""Exercise 07 — linear regression two ways: the closed form and mini-batch descent (seed 002).

The model predicts ŷ = X·w for m samples at once. Each row of X is one sample; seed 002
folds the bias b into w by giving X a column of ones (X ← [X, 1], w ← [w; b]). Here the
ones come first, so for one input feature x the rows are [1, x_i] and w = [b, w1]. X is
already built that way when the grader calls you: do not add another column of ones.

The loss is the mean squared error of exercise 06, as seed 002 writes it:

    E(w) = 1/(2m) · ‖Xw − y‖² = 1/(2m) · Σ_i (x_i·w − y_i)²
    ∂E/∂w = 1/m · Xᵀ(Xw − y)

1. The closed form (seed 002, 3.5.1, 显式解)
---------------------------------------------
E is convex, so its minimum is where the gradient is zero: Xᵀ(Xw − y) = 0, that is
XᵀX·w = Xᵀy (the "normal equations"), so

    w* = (XᵀX)⁻¹ Xᵀ y

X is (m, n) with m ≥ n, so XᵀX is a small (n, n) matrix and Xᵀy has n entries. (⁻¹ is the
matrix inverse, np.linalg.inv; np.linalg.solve(A, b) solves A·w = b without forming it, which
is more accurate.) y comes either as a vector of shape (m,) or as a column of shape (m, 1);
w then has shape (n,) or (n, 1) to match, which the matrix products give you for free.
Seed 000's line: x = 0, 2, …, 20 and y = 3x − 2 exactly give w* = [−2, 3].

2. Mini-batch gradient descent (seed 002, 3.5.2, 小批量梯度下降)
---------------------------------------------------------------
Seed 000 trains the same line with gradient descent (梯度下降): repeat w ← w − lr·∂E/∂w.
On a big data set each step over all m samples is slow, so mini-batch descent takes each
step on a batch of b samples only, with that batch's loss

    E_batch(w) = 1/(2b) · Σ_{i in batch} (x_i·w − y_i)²,   ∂E_batch/∂w = 1/b · X_bᵀ(X_b·w − y_b)

One epoch is one pass over all m samples: split them into batches of batch_size (the last
batch may be smaller, then b is its size) and take one step per batch. Start from w = 0,
run `epochs` epochs, return the final w.

The order of the samples is up to you: the usual choice is a fresh random order every
epoch, drawn from rng = np.random.default_rng(seed), so that two calls with the same seed
give the same w. Shuffle one array of indices, idx = rng.permutation(m), and take X[idx] and
y[idx] together: a sample's input and its target must stay paired.

The grader checks three things:
* with batch_size = m there is one batch per epoch: your run must then be exactly
  full-batch gradient descent (whatever the order, the sum over all samples is the same);
* with small batches on noise-free data you must reach the least-squares w;
* the same arguments and seed must give the same w.

What to write
-------------
normal_equation(X, y): X a NumPy array (m, n) with the ones column, y (m,) or (m, 1);
return w* as a NumPy array of shape (n,) or (n, 1).
minibatch_gd(X, y, lr, epochs, batch_size, seed): X (m, n) with the ones column, y (m,);
return w (n,) after `epochs` epochs. Neither function may change X or y in place.
"""

import numpy as np


def normal_equation(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return w* = (XᵀX)⁻¹Xᵀy, shaped (n,) for y (m,) and (n, 1) for y (m, 1)."""
    # TODO: form the (n, n) matrix XᵀX and the vector Xᵀy (mind which side Xᵀ goes on).
    # TODO: solve XᵀX·w = Xᵀy (np.linalg.solve, or the matrix inverse np.linalg.inv).
    raise NotImplementedError("normal_equation: w* = (XᵀX)⁻¹Xᵀy")


def minibatch_gd(X: np.ndarray, y: np.ndarray, lr: float, epochs: int, batch_size: int,
                 seed: int) -> np.ndarray:
    """Return w after `epochs` epochs of mini-batch gradient descent on E from w = 0."""
    # TODO: start from w = np.zeros(n) and make a generator from the seed.
    # TODO: each epoch, draw an order of the m samples (X and y rows stay together).
    # TODO: for each batch of up to batch_size samples, compute 1/b·X_bᵀ(X_b·w − y_b) and
    # TODO: step w ← w − lr·gradient.
    raise NotImplementedError("minibatch_gd: w ← w − lr·X_bᵀ(X_b·w − y_b)/b per batch")
