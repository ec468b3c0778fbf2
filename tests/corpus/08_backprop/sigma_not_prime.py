import torch


def backprop(X, y, W1, W2):
    m = X.shape[0]
    Z = X.matmul(W1)
    H = torch.sigmoid(Z)
    out = H.matmul(W2)
    loss = (out - y).pow(2).sum() / (2 * m)
    d_out = (out - y) / m
    dW2 = H.t().matmul(d_out)
    d_H = d_out.matmul(W2.t())
    d_Z = d_H * torch.sigmoid(Z)  # through the sigmoid
    dW1 = X.t().matmul(d_Z)
    return loss, dW1, dW2
