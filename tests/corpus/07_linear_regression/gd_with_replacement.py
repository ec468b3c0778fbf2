import numpy as np


def normal_equation(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)


def minibatch_gd(X, y, lr, epochs, batch_size, seed):
    m, n = X.shape
    w = np.zeros(n)
    rng = np.random.default_rng(seed)
    steps = int(np.ceil(m / batch_size))
    for _ in range(epochs):
        for _ in range(steps):
            b = rng.integers(0, m, batch_size)  # a random mini-batch
            w = w - lr * X[b].T @ (X[b] @ w - y[b]) / batch_size
    return w
