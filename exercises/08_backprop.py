"""Exercise 08 — backpropagation through a two-layer network, by hand, in PyTorch (seed 001).

Seed 001 draws a small neural network: two inputs X1, X2, a hidden layer of three nodes
(11, 12, 13) and one output node (21). Each node weighs its inputs and adds them up,

    Y_11 = X_1·W_(1-1) + X_2·W_(2-1),  …,   Y = Y_21 = Y_11·W_(3-1) + Y_12·W_(3-2) + Y_13·W_(3-3),

which, for m samples stored as the rows of X, is two matrix products. Add the sigmoid
activation (激活函数) σ(z) = 1 / (1 + e^(−z)) on the hidden layer (exercise 04) and the
mean squared error (均方误差) of seed 001, J = 1/(2m)·Σ(y − f(x))², and you have:

    Z    = X @ W1          X: (m, n)   W1: (n, h)    Z, H: (m, h)
    H    = σ(Z)
    out  = H @ W2          W2: (h, k)   out, y: (m, k)   (seed 001: n = 2, h = 3, k = 1)
    loss = 1/(2m) · Σ (out − y)²        a 0-dim tensor; m = the number of rows of X

Backpropagation (反向传播)
-------------------------
The chain rule (链式法则) taken from the loss backwards, one layer at a time. Name
err = out − y. Then

    ∂loss/∂out = err / m                      the ½ cancels the 2 of the square
    ∂loss/∂W2  = Hᵀ @ (∂loss/∂out)            (h, m) @ (m, k) → (h, k), W2's shape
    ∂loss/∂H   = (∂loss/∂out) @ W2ᵀ           (m, k) @ (k, h) → (m, h), H's shape
    ∂loss/∂Z   = ∂loss/∂H · σ′(Z)             elementwise; σ′(Z) = σ(Z)·(1 − σ(Z))
    ∂loss/∂W1  = ?                            (n, h), W1's shape — the same pattern as W2

Mind σ′: H already IS σ(Z), so σ′(Z) = H·(1 − H). Taking σ of H again would be σ(σ(Z)).
When unsure of a product, check shapes: each gradient has exactly its weight's shape.

What to return
--------------
backprop(X, y, W1, W2) returns the tuple (loss, dW1, dW2): loss a 0-dim tensor, dW1 and
dW2 tensors shaped like W1 and W2, all on the inputs' device (CPU or GPU) and in their
dtype. Tensor operations on the inputs keep both; avoid .item(), .numpy() and new
torch.tensor(...) values. torch.sigmoid is allowed (it is σ itself, not a gradient).

The rule
--------
The gradients are written by hand: backward(), torch.autograd, torch.func and functorch
are not allowed in this exercise. (To check your work, compare with autograd in a separate
scratch file, in float64.)
"""

import torch


def backprop(
    X: torch.Tensor, y: torch.Tensor, W1: torch.Tensor, W2: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (loss, dW1, dW2) for out = σ(X @ W1) @ W2 and loss = 1/(2m)·Σ(out − y)²."""
    # TODO: the forward pass: Z, H = σ(Z), out, and the loss (with m = X.shape[0]).
    # TODO: dW2 = ∂loss/∂W2, from err = out − y, shaped like W2.
    # TODO: dW1 = ∂loss/∂W1: back through W2 and then through σ, shaped like W1.
    raise NotImplementedError("backprop: loss, dW1 and dW2 by hand, no autograd")
