import torch


def backprop(X, y, W1, W2):
    m = X.shape[0]
    # forward: every layer goes through the activation
    H = torch.sigmoid(X @ W1)
    out = torch.sigmoid(H @ W2)
    loss = ((out - y) ** 2).sum() / (2 * m)

    # backward
    d_out = (out - y) / m * out * (1 - out)
    dW2 = H.T @ d_out
    d_Z = (d_out @ W2.T) * H * (1 - H)
    dW1 = X.T @ d_Z
    return loss, dW1, dW2
