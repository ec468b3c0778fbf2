import torch


def sigmoid(z):
    return 1 / (1 + torch.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def backprop(X, y, W1, W2):
    m = X.shape[0]
    Z = X @ W1
    H = sigmoid(Z)
    out = H @ W2
    loss = ((out - y) ** 2).sum() / (2 * m)

    d_out = (out - y) / m
    dW2 = H.T @ d_out
    d_H = d_out @ W2.T
    d_Z = d_H * sigmoid_prime(H)  # derivative of the activation
    dW1 = X.T @ d_Z
    return loss, dW1, dW2
