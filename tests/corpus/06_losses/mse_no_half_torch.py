import torch


def _t(v):
    # works for numpy arrays and tensors alike
    return torch.as_tensor(v, dtype=torch.float64)


def mae(pred, target):
    return (_t(pred) - _t(target)).abs().mean().item()


def mse(pred, target):
    diff = _t(pred) - _t(target)
    return (diff ** 2).mean().item()


def binary_cross_entropy(p, y):
    p, y = _t(p), _t(y)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean().item()
