import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(-h))


def sigmoid_prime(h):
    s = sigmoid(h)
    return s * (1 - s)


def delta_w(x, y, w, lr):
    h = np.dot(x, w)
    err = sigmoid(h) - y
    return lr * err * sigmoid_prime(h) * x
