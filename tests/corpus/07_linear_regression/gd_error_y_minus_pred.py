import numpy as np


def normal_equation(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)


def minibatch_gd(X, y, lr, epochs, batch_size, seed):
    m, n = X.shape
    w = np.zeros(n)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        idx = rng.permutation(m)
        Xs, ys = X[idx], y[idx]
        for k in range(0, m, batch_size):
            Xb, yb = Xs[k:k + batch_size], ys[k:k + batch_size]
            error = yb - Xb @ w
            gradient = Xb.T @ error / len(yb)
            w = w - lr * gradient
    return w
