import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(-h))


def sigmoid_prime(h):
    s = sigmoid(h)
    return s * (1 + s)


def delta_w(x, y, w, lr):
    h = np.dot(x, w)
    y_hat = sigmoid(h)
    return lr * (y - y_hat) * sigmoid_prime(h) * x
