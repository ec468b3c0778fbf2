"""Exercise 03 — the gradient-descent update, one step and many.

The gradient points uphill, so to go down we step against it. With learning rate η
(lr in code) the update that seeds 000, 001 and 003 all use is

    w_{k+1} = w_k − η · ∇E(w_k).

w can be a single number or an array of parameters (then ∇E(w) is an array of the same
shape and the update happens entry by entry). The learning rate sets the stride: too
small and progress crawls, too large and the iterates overshoot the minimum and can
blow up.

Two worked runs to test yourself against
----------------------------------------
Seed 000: f(x) = x²/2 + 2x, the function of exercise 01 (use your derivative from there
as grad_fn). From w0 = 3 with lr = 0.2:

    w1 = 2,  w2 = 1.2,  w10 ≈ −1.4631,  w50 ≈ −1.99993 (≈ −2.00)

The distance to the minimum at −2 shrinks by the same factor 0.8 at every step here.

Seed 003: fit y ≈ W·x − 1 (the bias is held at −1) to x = [−1, 0, 1, 2, 3, 4],
y = [−3, −1, 1, 3, 5, 7] by minimising L(W) = Σ(W·x − 1 − y)² / 6. Derive dL/dW with the
chain rule as in exercise 02 (mind the constants: here the sum is divided by 6, not
halved). From W = 8 with lr = 0.01 the weights go

    8, 7.38, 6.8240666, 6.3255796, …, 2.0256863 after 50 steps,

while the loss falls 186.0, 149.54607, 120.236694, … towards 0 (the best W is 2). The
seed computed in float32; in float64 you get the same values to about 7 digits
(6.8240667, 120.236699).

What to write
-------------
step(w, grad, lr) returns the next value w − lr·grad. It must work for a float and for
NumPy arrays of any shape, and it must NOT modify w. Python passes arrays by reference:
inside step, w is the caller's very array, so an in-place update such as `w -= lr * grad`
would silently overwrite the caller's data (for example, the w0 they still want to keep).
Build and return a new value instead.

descend(grad_fn, w0, lr, steps) applies the update `steps` times, starting from w0, and
returns the whole trajectory as a Python list [w0, w1, …, w_steps] — steps + 1 values,
so that trajectory[k] is w_k. The start belongs in the list: it is where the path begins
(seed 003 records W = 8 first and plots the path from there). When w0 is an array, store
copies of the iterates, so that nobody changing an array later (you, grad_fn or the
caller) can rewrite the recorded history. grad_fn(w) returns the gradient at w, with the
same shape as w.
"""

import numpy as np

Param = float | np.ndarray


def step(w: Param, grad: Param, lr: float) -> Param:
    """Return the next parameter value w − lr·grad, leaving w itself untouched."""
    # TODO: compute the update as a new value (no in-place operators on w) and return it.
    raise NotImplementedError("step: return w − lr·grad without modifying w")


def descend(grad_fn, w0: Param, lr: float, steps: int) -> list:
    """Return the list [w0, w1, …, w_steps] of gradient-descent iterates from w0."""
    # TODO: start the list with (a copy of) w0.
    # TODO: repeat `steps` times: take a step from the latest value using grad_fn at that
    # TODO: value, and append the result.
    raise NotImplementedError("descend: collect w0 and every iterate after it")
