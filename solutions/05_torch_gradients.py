"""Reference solution for exercise 05 — manual PyTorch gradients (seed 000).

No autograd anywhere: backward(), torch.autograd and torch.func are not used.
"""

import torch


def linreg_grads(
    x: torch.Tensor, y: torch.Tensor, w0: torch.Tensor, w1: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (loss, dw0, dw1) for y_pred = w0 + x @ w1 and loss = ½·Σ(y_pred − y)²."""
    # (m, 1) @ (1, 1) → (m, 1); the (1, 1) bias broadcasts over the m rows.
    y_pred = w0 + x @ w1
    err = y_pred - y  # ∂loss/∂y_pred: the ½ cancels the 2 from the square
    loss = 0.5 * (err**2).sum()  # 0-dim tensor

    # ∂y_pred_i/∂w0 = 1 for every sample, so the chain rule just adds the residuals up.
    # .sum() returns a 0-dim tensor; reshape it so dw0 has w0's (1, 1) shape.
    dw0 = err.sum().reshape(w0.shape)
    # ∂y_pred_i/∂w1 = x_i, so dw1 = Σ_i x_i·err_i. That sum over samples is the inner
    # product of the two columns: x.T @ err, (1, m) @ (m, 1) → (1, 1), w1's shape.
    dw1 = x.T @ err

    # Only tensor operations on the inputs were used, so device and dtype carry through.
    return loss, dw0, dw1
