import torch


def backprop(X, y, W1, W2):
    m = X.shape[0]
    H = torch.sigmoid(X @ W1)
    out = H @ W2
    err = out - y
    loss = (err ** 2).sum() / (2 * m)
    # the 1/2 cancels the 2 from the square
    dW2 = H.T @ err
    dW1 = X.T @ ((err @ W2.T) * H * (1 - H))
    return loss, dW1, dW2
