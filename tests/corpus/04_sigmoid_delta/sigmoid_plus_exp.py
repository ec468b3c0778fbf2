import numpy as np


def sigmoid(h):
    return 1.0 / (1.0 + np.exp(h))
