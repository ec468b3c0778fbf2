import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(-h))


def sigmoid_prime(h):
    return h * (1 - h)


def delta_w(x, y, w, lr):
    h = x @ w
    error = y - sigmoid(h)
    return lr * error * sigmoid_prime(h) * x
