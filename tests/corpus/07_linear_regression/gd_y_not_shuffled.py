import numpy as np


def normal_equation(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)


def minibatch_gd(X, y, lr, epochs, batch_size, seed):
    m, n = X.shape
    w = np.zeros(n)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        X_shuffled = X[rng.permutation(m)]
        for i in range(0, m, batch_size):
            X_b = X_shuffled[i:i + batch_size]
            y_b = y[i:i + batch_size]
            w = w - lr * X_b.T @ (X_b @ w - y_b) / len(y_b)
    return w
