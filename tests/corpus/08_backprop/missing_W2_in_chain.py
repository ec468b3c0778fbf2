import torch


def backprop(X, y, W1, W2):
    m = X.shape[0]
    H = torch.sigmoid(X @ W1)
    out = H @ W2
    loss = ((out - y) ** 2).sum() / (2 * m)
    d_out = (out - y) / m
    dW2 = H.T @ d_out
    d_Z = d_out * H * (1 - H)  # back through the sigmoid
    dW1 = X.T @ d_Z
    return loss, dW1, dW2
