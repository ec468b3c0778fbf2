import numpy as np


def sigmoid(h):
    return 1 / (1 + np.exp(-h))


def sigmoid_prime(h):
    s = sigmoid(h)
    return s * (1 - s)


def delta_w(x, y, w, lr):
    # E = (y - y_hat)^2 so dE/dy_hat = 2 (y - y_hat)
    h = np.dot(x, w)
    return 2 * lr * (y - sigmoid(h)) * sigmoid_prime(h) * x
