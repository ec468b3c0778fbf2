import numpy as np


def _arrays(a, b):
    return np.asarray(a, dtype=float), np.asarray(b, dtype=float)


def mae(pred, target):
    pred, target = _arrays(pred, target)
    return float(np.sum(np.abs(pred - target)) / len(pred))


def mse(pred, target):
    pred, target = _arrays(pred, target)
    return float(np.sum((pred - target) ** 2) / (2 * len(pred)))


def binary_cross_entropy(p, y):
    p, y = _arrays(p, y)
    terms = y * np.log(p) + (1 - y) * np.log(1 - p)
    return float(-np.sum(terms) / (2 * len(p)))
