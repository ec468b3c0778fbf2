import numpy as np


def step(w, grad, lr):
    return w - lr * grad


def descend(grad_fn, w0, lr, steps):
    w = np.array(w0, dtype=float)
    history = [w]
    for _ in range(steps):
        w -= lr * grad_fn(w)
        history.append(w)
    return history
