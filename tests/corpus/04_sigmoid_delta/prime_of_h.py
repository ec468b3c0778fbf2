import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(-h))


def sigmoid_prime(h):
    return h * (1 - h)
