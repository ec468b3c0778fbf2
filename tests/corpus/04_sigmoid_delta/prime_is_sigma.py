import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(-h))


def sigmoid_prime(h):
    # derivative of the sigmoid is the sigmoid itself (like exp)
    return sigmoid(h)
