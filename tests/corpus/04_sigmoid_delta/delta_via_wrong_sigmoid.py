import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(h))


def sigmoid_prime(h):
    return sigmoid(h) * (1 - sigmoid(h))


def delta_w(x, y, w, lr):
    h = np.dot(x, w)
    return lr * (y - sigmoid(h)) * sigmoid_prime(h) * x
