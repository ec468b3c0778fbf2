import numpy as np


def mae(pred, target):
    pred, target = np.asarray(pred, dtype=float), np.asarray(target, dtype=float)
    return float(np.sum(np.abs(pred - target)) / len(pred))


def mse(pred, target):
    pred, target = np.asarray(pred, dtype=float), np.asarray(target, dtype=float)
    m = len(pred)
    return float(np.sum((pred - target) ** 2) / 2 * m)


def binary_cross_entropy(p, y):
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    m = len(p)
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / m)
