"""Exercise 05 — gradients of linear regression, by hand, in PyTorch (seed 000).

Seed 000 fits a line y ≈ w0 + w1·x to noisy samples of y = 3x − 2 and, before updating
the weights, computes their gradients itself instead of asking autograd. You will write
that gradient computation.

The model and the loss, for m samples stored as column tensors:

    y_pred = w0 + x @ w1                  x, y: shape (m, 1);  w0, w1: shape (1, 1)
    loss   = ½ · Σ_i (y_pred_i − y_i)²    a 0-dim tensor (a sum, not a mean, as in seed 000)

w0 has shape (1, 1) and is broadcast: the same bias is added to all m rows.

Deriving the gradients
----------------------
Call err = y_pred − y, the (m, 1) column of residuals. Then
* ∂loss/∂y_pred_i = err_i — the ½ cancels the 2 of the square.
* y_pred_i = w0 + x_i·w1, so ∂y_pred_i/∂w0 = 1 and ∂y_pred_i/∂w1 = x_i.
* Every sample depends on the same w0 and w1, so the chain rule adds up the
  contributions of all m samples: ∂loss/∂w = Σ_i (∂loss/∂y_pred_i)·(∂y_pred_i/∂w).
A sum over samples of "input times residual" is exactly what a matrix product does;
decide which product of x and err has shape (1, 1).

What to return
--------------
linreg_grads(x, y, w0, w1) returns the tuple (loss, dw0, dw1):
* loss — a 0-dim tensor;
* dw0, dw1 — tensors with exactly the shapes of w0 and w1, i.e. (1, 1). A reduction like
  .sum() gives a 0-dim tensor; reshape it back to w0's shape.
* everything on the inputs' device (CPU or GPU) and in their dtype (float32 or float64).
  Tensor operations on the inputs keep both automatically; avoid detours through
  .item(), .numpy() or new torch.tensor(...) values, which lose them.

The rule
--------
The gradients are written by hand: backward(), anything from torch.autograd, and
torch.func are not allowed in this exercise. (To check your work, you are welcome to
compare with autograd in a separate scratch file, in float64.)
"""

import torch


def linreg_grads(
    x: torch.Tensor, y: torch.Tensor, w0: torch.Tensor, w1: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (loss, dw0, dw1) for y_pred = w0 + x @ w1 and loss = ½·Σ(y_pred − y)²."""
    # TODO: compute the predictions, the residuals err and the loss.
    # TODO: dw0 = ∂loss/∂w0 by the chain rule, as a tensor shaped like w0.
    # TODO: dw1 = ∂loss/∂w1 by the chain rule, as a tensor shaped like w1.
    raise NotImplementedError("linreg_grads: loss and gradients by hand, no autograd")
