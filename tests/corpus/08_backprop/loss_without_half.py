import torch


def backprop(X, y, W1, W2):
    m = X.shape[0]
    H = torch.sigmoid(X @ W1)
    out = H @ W2
    err = out - y
    loss = (err ** 2).mean(dim=0).sum()  # mean squared error
    d_out = err / m
    dW2 = H.T @ d_out
    dW1 = X.T @ (d_out @ W2.T * H * (1 - H))
    return loss, dW1, dW2
