"""Exercise 06 — three loss functions (seeds 001 and 002).

A loss function measures how far the predictions are from the truth: one number, small when
the predictions are good. Training is then "make that number smaller" (exercise 03).
For m samples with predictions pred[i] (seed 001 writes f(x_i)) and targets target[i]:

Mean absolute error (seed 001's 绝对值损失函数)
    MAE = 1/m · Σ_i |pred[i] − target[i]|

Mean squared error, as seeds 001 and 002 define it (均方误差)
    MSE = 1/(2m) · Σ_i (pred[i] − target[i])²
The ½ is a convention: the derivative of ½·e² is e, so the gradient of this MSE is a plain
mean of the errors. (torch's mse_loss has no ½: it is twice this number.)

Binary cross-entropy (交叉熵), for classification: labels y[i] ∈ {0, 1} (or "soft" labels
anywhere in [0, 1]) and predicted probabilities p[i] ∈ (0, 1), e.g. the output of a sigmoid
    BCE = −1/m · Σ_i [ y[i]·log p[i] + (1 − y[i])·log(1 − p[i]) ]
Read it one sample at a time: for a sample labelled 1 only −log p counts, which is 0 when
p = 1 and grows without bound as p → 0; for a sample labelled 0 only −log(1 − p) counts.
The logs are always taken of the predictions p; the labels y only choose and weigh them.
Careful: seed 001 prints this formula with y and f(x) swapped, −1/m·Σ[f(x)·log y + …].
That version takes log 0 of every hard 0/1 label; it is a slip in the article, not a
different loss. Its remark still holds for the correct formula: when the prediction
equals the label the loss is 0, and a confident wrong prediction (p → 0 for y = 1) makes
it grow without bound.

Small numbers to check your work by hand:
    pred = [1, 2, 3], target = [2, 2, 5]:   MAE = (1 + 0 + 2)/3 = 1,   MSE = (1 + 0 + 4)/6 = 5/6
    p = [0.9, 0.2], y = [1, 0]:   BCE = −(log 0.9 + log 0.8)/2 ≈ 0.164252

What to write
-------------
Each function takes two 1-D sequences of the same length m ≥ 1: NumPy arrays or torch
tensors (the grader tries both, and lengths from 1 up). Each returns one number: a Python
float is best (a 0-d NumPy array or 0-d tensor is accepted too; a length-1 array is not).
Don't modify the inputs.

Tip: np.asarray(pred, dtype=float) turns either kind of input into a NumPy array, after
which np.abs, np.log, np.mean and np.sum all work. (np.mean on a tensor itself fails.)
"""

from typing import TYPE_CHECKING, TypeAlias

import numpy as np

if TYPE_CHECKING:
    import torch

# A 1-D NumPy array or torch tensor of floats.
Vector: TypeAlias = "np.ndarray | torch.Tensor"


def mae(pred: Vector, target: Vector) -> float:
    """Return the mean absolute error 1/m·Σ|pred − target| as a float."""
    # TODO: convert both inputs to float arrays, so tensors work too.
    # TODO: average the absolute differences and return the result as a float.
    raise NotImplementedError("mae: 1/m·Σ|pred − target|")


def mse(pred: Vector, target: Vector) -> float:
    """Return the mean squared error 1/(2m)·Σ(pred − target)² as a float."""
    # TODO: convert both inputs to float arrays, so tensors work too.
    # TODO: add up the squared differences and divide by 2m (mind the ½).
    raise NotImplementedError("mse: 1/(2m)·Σ(pred − target)²")


def binary_cross_entropy(p: Vector, y: Vector) -> float:
    """Return −1/m·Σ[y·log p + (1 − y)·log(1 − p)] as a float (logs of p, not of y)."""
    # TODO: convert both inputs to float arrays, so tensors work too.
    # TODO: build the per-sample terms y·log p + (1 − y)·log(1 − p) with np.log.
    # TODO: average them over the m samples and put the minus sign in front.
    raise NotImplementedError("binary_cross_entropy: −1/m·Σ[y·log p + (1 − y)·log(1 − p)]")
