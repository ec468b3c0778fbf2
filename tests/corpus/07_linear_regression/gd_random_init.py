import numpy as np


def normal_equation(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)


def minibatch_gd(X, y, lr, epochs, batch_size, seed):
    m, n = X.shape
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.01, n)  # small random weights to start
    for _ in range(epochs):
        idx = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = idx[start:start + batch_size]
            grad = X[batch].T @ (X[batch] @ w - y[batch]) / len(batch)
            w = w - lr * grad
    return w
