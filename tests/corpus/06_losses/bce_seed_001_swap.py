import numpy as np


def mae(pred, target):
    pred = np.asarray(pred, dtype=float)
    target = np.asarray(target, dtype=float)
    return float(np.mean(np.abs(pred - target)))


def mse(pred, target):
    pred = np.asarray(pred, dtype=float)
    target = np.asarray(target, dtype=float)
    m = len(pred)
    return float(np.sum((pred - target) ** 2) / (2 * m))


def binary_cross_entropy(p, y):
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    # J = -1/m * sum( f(x)*log(y) + (1-f(x))*log(1-y) ), copied from the article
    m = len(p)
    return float(-np.sum(p * np.log(y) + (1 - p) * np.log(1 - y)) / m)
