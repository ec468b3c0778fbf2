"""Reference solution for exercise 02 — partial derivatives (seeds 000, 001, 004).

All answers are written by hand; SymPy's diff/Derivative is never used.
"""

from sympy import IndexedBase, Sum, Symbol, symbols

x, y, w, b = symbols("x y w b")
m = Symbol("m", integer=True, positive=True)
i = Symbol("i", integer=True)
X, Y = IndexedBase("X"), IndexedBase("Y")

# The two functions of this exercise: f(x, y) and the loss E(w, b).
f = 2 * x**2 + 2 * y + 4 * x * y
loss = Sum((w * X[i] + b - Y[i]) ** 2, (i, 1, m)) / (2 * m)


def df_dx():
    """Return ∂f/∂x for f(x, y) = 2x² + 2y + 4xy."""
    # y is a constant here: 2x² → 4x, 2y → 0, 4xy = (4y)·x → 4y.
    return 4 * x + 4 * y


def df_dy():
    """Return ∂f/∂y for f(x, y) = 2x² + 2y + 4xy."""
    # x is a constant here: 2x² → 0, 2y → 2, 4xy = (4x)·y → 4x.
    return 4 * x + 2


def dE_dw():
    """Return ∂E/∂w for E = 1/(2m)·Σ (w·X[i] + b − Y[i])², using Sum(..., (i, 1, m))."""
    # Per sample, with u = w·X[i] + b − Y[i]: d/dw u² = 2u·∂u/∂w = 2u·X[i].
    # The 2 from the chain rule cancels the 1/2 of 1/(2m), leaving the mean, 1/m.
    residual = w * X[i] + b - Y[i]
    return Sum(residual * X[i], (i, 1, m)) / m


def dE_db():
    """Return ∂E/∂b for E = 1/(2m)·Σ (w·X[i] + b − Y[i])², using Sum(..., (i, 1, m))."""
    # Same chain rule, but ∂u/∂b = 1: the bias sees the plain mean residual.
    residual = w * X[i] + b - Y[i]
    return Sum(residual, (i, 1, m)) / m
