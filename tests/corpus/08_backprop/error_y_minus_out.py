import torch


def backprop(X, y, W1, W2):
    m = X.shape[0]
    H = torch.sigmoid(X @ W1)
    y_hat = H @ W2
    error = y - y_hat
    loss = torch.sum(error ** 2) / (2 * m)
    delta2 = error / m
    dW2 = H.T @ delta2
    delta1 = (delta2 @ W2.T) * H * (1 - H)
    dW1 = X.T @ delta1
    return loss, dW1, dW2
