import numpy as np


def mae(pred, target):
    errors = np.abs(np.asarray(pred, dtype=float) - np.asarray(target, dtype=float))
    m = len(errors)
    return float(np.mean(errors) / m)  # 1/m * sum


def mse(pred, target):
    errors = np.asarray(pred, dtype=float) - np.asarray(target, dtype=float)
    return float(np.mean(errors ** 2) / 2)


def binary_cross_entropy(p, y):
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
