import numpy as np


def mae(pred, target):
    pred, target = np.asarray(pred, dtype=float), np.asarray(target, dtype=float)
    total = 0.0
    for i in range(len(pred)):
        total += abs(pred[i] - target[i])
    return total / len(pred)


def mse(pred, target):
    pred, target = np.asarray(pred, dtype=float), np.asarray(target, dtype=float)
    total = 0.0
    for i in range(len(pred)):
        total += (pred[i] - target[i]) ** 2
    return total / (2 * len(pred))


def binary_cross_entropy(p, y):
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    total = 0.0
    for i in range(len(p)):
        total += y[i] * np.log10(p[i]) + (1 - y[i]) * np.log10(1 - p[i])
    return float(-total / len(p))
