import torch


def backprop(X, y, W1, W2):
    m = X.shape[0]
    H = torch.sigmoid(X @ W1)
    out = H @ W2
    loss = ((out - y) ** 2).sum() / (2 * m)
    delta = (out - y) / m
    dW2 = delta.T @ H  # (k, m) @ (m, h)
    dW1 = X.T @ ((delta @ W2.T) * H * (1 - H))
    return loss, dW1, dW2
