import numpy as np


def normal_equation(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)


def minibatch_gd(X, y, lr, epochs, batch_size, seed):
    m, n = X.shape
    w = np.zeros((n, 1))  # weights as a column vector
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        idx = rng.permutation(m)
        for start in range(0, m, batch_size):
            b = idx[start:start + batch_size]
            w = w - lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w
