import numpy as np


def normal_equation(X, y):
    A = X.T @ X
    b = X.T @ y
    w = np.linalg.inv(A) @ b
    return w.flatten()  # make sure w is a plain vector


def minibatch_gd(X, y, lr, epochs, batch_size, seed):
    m, n = X.shape
    w = np.zeros(n)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        idx = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = idx[start:start + batch_size]
            Xb, yb = X[batch], y[batch]
            grad = Xb.T @ (Xb @ w - yb) / len(batch)
            w = w - lr * grad
    return w

