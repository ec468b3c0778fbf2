"""Exercise 04 — one sigmoid neuron and its delta rule (seed 004).

A single neuron weights its inputs, adds them up and squashes the result:

    h = x·w = Σ_j x_j·w_j          (np.dot(x, w))
    ŷ = σ(h),   σ(h) = 1 / (1 + e^(−h))

The sigmoid σ maps any real h into (0, 1): σ(0) = 1/2, σ(h) → 1 as h → +∞ and
σ(h) → 0 as h → −∞. Its derivative has a famously tidy form,

    σ'(h) = e^(−h) / (1 + e^(−h))² = σ(h)·(1 − σ(h)),

so once σ(h) is known, σ'(h) costs one multiplication. It is largest at h = 0 (1/4).

The delta rule
--------------
Measure the error of one sample by E = ½·(y − ŷ)². The chain rule, going from E back
through ŷ = σ(h) and h = x·w, gives

    ∂E/∂w_j = −(y − ŷ) · σ'(h) · x_j.

Gradient descent moves the weights by Δw = −η·∂E/∂w, that is

    Δw_j = η · δ · x_j,   with the error term δ = (y − ŷ)·σ'(h).

(The two minus signs cancel: if ŷ is too small, y − ŷ > 0 and the weights on positive
inputs grow.) Seed 004's numbers: x = [0.1, 0.3], y = 0.2, w = [−0.8, 0.5], η = 0.5 give
h = 0.07, ŷ ≈ 0.517493 and Δw ≈ [−0.0039638, −0.0118914].

What to write
-------------
sigmoid(h) and sigmoid_prime(h) work elementwise: a float in, a float out; a NumPy array
in, an array of the same shape out. delta_w(x, y, w, lr) takes 1-D arrays x and w, a
float y and the learning rate, and returns the weight step Δw as a 1-D array shaped
like x.

Numerical care (optional, but good practice): np.exp(−h) overflows for h below about
−709 and NumPy warns. A stable sigmoid never exponentiates a large positive number: for
h ≥ 0 use 1/(1 + e^(−h)); for h < 0 use the equal form e^h/(1 + e^h).

Aside — the usual loss for a sigmoid output: for labels y ∈ {0, 1} classifiers minimise
the binary cross-entropy J = −(1/m)·Σ [y·log ŷ + (1 − y)·log(1 − ŷ)]. Seed 001 prints
it with y and f(x) = ŷ swapped, which would take log 0 of a 0/1 label. The logs belong on
the predictions ŷ; the labels y only weigh them.
"""

import numpy as np

Num = float | np.ndarray


def sigmoid(h: Num) -> Num:
    """Return σ(h) = 1 / (1 + e^(−h)), elementwise; a float for a float input."""
    # TODO: apply the formula with np.exp so arrays work elementwise; return a float when
    # TODO: h is a single number.
    raise NotImplementedError("sigmoid: 1 / (1 + e^(−h))")


def sigmoid_prime(h: Num) -> Num:
    """Return σ'(h) = σ(h)·(1 − σ(h)), elementwise; a float for a float input."""
    # TODO: compute σ(h) once with your sigmoid, then combine it as in the formula.
    raise NotImplementedError("sigmoid_prime: σ(h)·(1 − σ(h))")


def delta_w(x: np.ndarray, y: float, w: np.ndarray, lr: float) -> np.ndarray:
    """Return the weight step η·(y − ŷ)·σ'(h)·x for one sample, with h = x·w, ŷ = σ(h)."""
    # TODO: compute h (a dot product), the prediction ŷ, the error term δ, and scale x.
    raise NotImplementedError("delta_w: η·(y − ŷ)·σ'(h)·x")
