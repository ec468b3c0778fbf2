import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(-h))


def sigmoid_prime(h):
    # d/dh (1 + e^-h)^-1 = -(1 + e^-h)^-2 * e^-h
    return -np.exp(-h) / (1 + np.exp(-h)) ** 2
