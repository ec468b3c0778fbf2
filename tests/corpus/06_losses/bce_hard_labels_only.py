import numpy as np


def mae(pred, target):
    pred = np.asarray(pred, dtype=float)
    target = np.asarray(target, dtype=float)
    return float(np.abs(pred - target).mean())


def mse(pred, target):
    pred = np.asarray(pred, dtype=float)
    target = np.asarray(target, dtype=float)
    return float(((pred - target) ** 2).mean() / 2)


def binary_cross_entropy(p, y):
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    # y is 1 or 0, so only one of the two logs counts for each sample
    losses = np.where(y == 1, -np.log(p), -np.log(1 - p))
    return float(losses.mean())
