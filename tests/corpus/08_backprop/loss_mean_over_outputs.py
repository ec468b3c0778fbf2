import torch


def backprop(X, y, W1, W2):
    Z = torch.mm(X, W1)
    H = torch.sigmoid(Z)
    out = torch.mm(H, W2)
    diff = out - y
    loss = 0.5 * (diff ** 2).mean()
    g_out = diff / diff.numel()  # gradient of the mean
    dW2 = torch.mm(H.t(), g_out)
    g_Z = torch.mm(g_out, W2.t()) * H * (1 - H)
    dW1 = torch.mm(X.t(), g_Z)
    return loss, dW1, dW2
