"""Exercise 01 — the derivative of a quadratic, and where it bottoms out.

Gradient descent needs one thing from calculus: the derivative, which tells you at every
point which way is uphill and how steep it is. We warm up with the function that seed
article 000 minimises,

    f(x) = x²/2 + 2x,

and then with the general quadratic

    g(x) = a·x² + b·x + c        (a ≠ 0).

Tools you need
--------------
* Power rule:      d/dx xⁿ = n·xⁿ⁻¹, so d/dx x² = 2x and d/dx x = 1.
* Constant factor: d/dx (k·u) = k·(du/dx). A constant term disappears: d/dx c = 0.
* Sum rule:        differentiate a sum term by term.
* Stationary point: a smooth function can only be smallest where its slope is zero, so
  solve f'(x) = 0. For a parabola that opens upwards (positive x² coefficient) that
  single stationary point is the global minimum; for a < 0 it would be a maximum, which
  is why general_minimizer asks for the "stationary point".

Worked example (seed 001): for f(x) = 2x² − 12x + 20 the power rule gives
f'(x) = 4x − 12. Setting 4x − 12 = 0 gives x = 3, and the smallest value is f(3) = 2.
Do the same for the functions above.

Why it matters: seed 000 then finds the same minimum numerically, starting at x₀ = 3 and
repeating x ← x − 0.2·f'(x). That only works if f'(x) is right; you will reuse your
answer in exercise 03.

What to return
--------------
Each function returns a SymPy expression built from the symbols x, a, b, c defined
below, or a string such as "3*x - 1" or "c/(4*a)" (write products with * and powers
with **). A plain number such as 7 or -1.5 is fine where the answer is a number.
Keep fractions exact: x/2 or sympy.Rational(1, 2)*x rather than 0.333*x. Any
algebraically equivalent form of the right answer is fine.

The rule
--------
Work the derivatives out by hand. SymPy's differentiation — sympy.diff, expr.diff(...),
Derivative — is not allowed in this exercise. Solving an equation with sympy.solve is
fine, and so is using f and g below to check your answers numerically with .subs().
"""

import sympy

x, a, b, c = sympy.symbols("x a b c")

# The two functions of this exercise, for you to experiment with (not to differentiate
# with SymPy).
f = x**2 / 2 + 2 * x
g = a * x**2 + b * x + c


def derivative():
    """Return f'(x) for f(x) = x²/2 + 2x, in the symbol x."""
    # TODO: differentiate x²/2 and 2x separately with the power rule, then add the results.
    raise NotImplementedError("derivative: differentiate f(x) = x²/2 + 2x by hand")


def minimizer():
    """Return the x at which f(x) = x²/2 + 2x is smallest (a number)."""
    # TODO: set your derivative equal to zero and solve for x.
    raise NotImplementedError("minimizer: solve f'(x) = 0")


def general_derivative():
    """Return d/dx (a·x² + b·x + c), in the symbols x, a, b, c."""
    # TODO: same rules as derivative(); a, b and c are constants, not variables.
    raise NotImplementedError("general_derivative: differentiate a·x² + b·x + c by hand")


def general_minimizer():
    """Return the stationary point of a·x² + b·x + c, in the symbols a, b, c."""
    # TODO: set your general derivative equal to zero and solve for x (a ≠ 0).
    raise NotImplementedError("general_minimizer: solve d/dx (a·x² + b·x + c) = 0")
