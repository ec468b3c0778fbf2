import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(-h))


def sigmoid_prime(h):
    s = sigmoid(h)
    return s * (1 - s)


def delta_w(x, y, w, lr):
    y_hat = sigmoid(np.dot(x, w))
    return lr * (y - y_hat) * x
