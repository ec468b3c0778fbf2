"""Exercise 02 — partial derivatives, from a toy surface to the regression loss.

With several variables the gradient is the list of partial derivatives, one per variable.
A partial derivative ∂f/∂x is an ordinary derivative in x while every other variable is
held fixed, i.e. treated exactly like a number.

Part 1 — a surface (seed 001)
-----------------------------
    f(x, y) = 2x² + 2y + 4xy

For ∂f/∂x, read y as a constant: 4xy is then "(4y)·x". For ∂f/∂y, read x as a constant.

Part 2 — the loss of a linear model (seeds 000, 004)
----------------------------------------------------
The model l(x) = w·x + b predicts Y from X. Over m samples (X[i], Y[i]), i = 1..m, the
loss is the halved mean squared error

    E(w, b) = 1/(2m) · Σ_{i=1..m} (w·X[i] + b − Y[i])².

Now w and b are the variables and the data X[i], Y[i] are fixed numbers. Three rules do
all the work:
* Sum rule: the derivative of a sum is the sum of the derivatives of its terms, and the
  constant 1/(2m) in front just stays in front.
* Chain rule: d/dw u² = 2u · ∂u/∂w, where u = w·X[i] + b − Y[i] is the residual of one
  sample. Work out ∂u/∂w and ∂u/∂b.
* Why 1/(2m)? The 1/m averages, so the loss does not grow just because there are more
  samples; the 1/2 is there to cancel the 2 that the chain rule produces (seed 000).

A slip in seed 004: it writes C = Σ(wx + b − y)² and then gives ∂C/∂w with a 1/N in
front. For that C the correct partial is ∂C/∂w = 2·Σ(wx + b − y)·x, with no 1/N at all;
a 1/N can only appear if the loss itself is scaled, and then the 2 changes too. Keep
track of both constants for E above.

What to return
--------------
Each function returns a SymPy expression or a string, in the symbols defined below:
x, y, w, b, the positive integer m, the index i, and the indexed data X[i], Y[i].
Write every sum over the samples as Sum(term, (i, 1, m)); multiply or divide a Sum by
constants as usual, e.g. Sum(X[i]**2, (i, 1, m)) / m, which in string form reads
"Sum(X[i]**2, (i, 1, m))/m". Any equivalent arrangement (constants inside or outside
the Sum, one Sum or several) is fine. The module's f and loss are given so you can check
your answers numerically.

The rule
--------
Work the derivatives out by hand. SymPy's differentiation — sympy.diff, expr.diff(...),
Derivative — is not allowed in this exercise.
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
    # TODO: differentiate term by term in x, treating y as a constant.
    raise NotImplementedError("df_dx: differentiate f in x, holding y fixed")


def df_dy():
    """Return ∂f/∂y for f(x, y) = 2x² + 2y + 4xy."""
    # TODO: differentiate term by term in y, treating x as a constant.
    raise NotImplementedError("df_dy: differentiate f in y, holding x fixed")


def dE_dw():
    """Return ∂E/∂w for E = 1/(2m)·Σ (w·X[i] + b − Y[i])², using Sum(..., (i, 1, m))."""
    # TODO: apply the chain rule to one squared residual, then put it back under the
    # TODO: Sum and keep the constant in front.
    raise NotImplementedError("dE_dw: chain rule on each squared residual")


def dE_db():
    """Return ∂E/∂b for E = 1/(2m)·Σ (w·X[i] + b − Y[i])², using Sum(..., (i, 1, m))."""
    # TODO: as for dE_dw, but the inner derivative is now ∂(residual)/∂b.
    raise NotImplementedError("dE_db: chain rule on each squared residual")
