import numpy as np


def normal_equation(X, y):
    return np.linalg.solve(X.T @ X, X.T @ y)


def minibatch_gd(X, y, lr, epochs, batch_size, seed):
    m, n = X.shape
    w = np.zeros(n)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            grad = np.zeros(n)
            for i in rows:  # add up the gradient of each sample in the batch
                grad += (X[i] @ w - y[i]) * X[i]
            w = w - lr * grad
    return w
