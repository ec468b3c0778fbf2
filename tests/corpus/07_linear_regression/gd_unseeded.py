import numpy as np


def normal_equation(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)


def minibatch_gd(X, y, lr, epochs, batch_size, seed):
    m, n = X.shape
    w = np.zeros(n)
    for _ in range(epochs):
        idx = np.random.permutation(m)
        for start in range(0, m, batch_size):
            b = idx[start:start + batch_size]
            w -= lr * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w
