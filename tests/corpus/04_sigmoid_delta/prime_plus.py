import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(-h))


def sigmoid_prime(h):
    s = sigmoid(h)
    return s * (1 + s)
