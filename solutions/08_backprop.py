"""Reference solution for exercise 08 — backpropagation through a two-layer network (seed 001).

No autograd anywhere: backward(), torch.autograd, torch.func and functorch are not used.
"""

import torch


def backprop(
    X: torch.Tensor, y: torch.Tensor, W1: torch.Tensor, W2: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (loss, dW1, dW2) for out = σ(X @ W1) @ W2 and loss = 1/(2m)·Σ(out − y)²."""
    m = X.shape[0]
    # Forward pass, keeping H: the backward pass needs it twice (for dW2 and for σ′).
    H = torch.sigmoid(X @ W1)  # (m, h)
    out = H @ W2  # (m, k)
    err = out - y
    loss = (err**2).sum() / (2 * m)  # 0-dim tensor

    d_out = err / m  # ∂loss/∂out: the ½ cancels the 2 of the square; 1/m stays
    # out = H @ W2: the sum over samples of "input times upstream gradient" is Hᵀ @ d_out.
    dW2 = H.T @ d_out  # (h, m) @ (m, k) → (h, k)
    d_H = d_out @ W2.T  # (m, k) @ (k, h) → (m, h): each hidden node's share of the error
    # σ′(Z) = σ(Z)·(1 − σ(Z)) and σ(Z) is H, already computed: no second sigmoid.
    d_Z = d_H * H * (1 - H)
    dW1 = X.T @ d_Z  # (n, m) @ (m, h) → (n, h), W1's shape (not d_Zᵀ @ X, its transpose)

    return loss, dW1, dW2
