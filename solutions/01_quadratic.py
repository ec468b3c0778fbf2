"""Reference solution for exercise 01 — the derivative of a quadratic (seeds 000, 001).

Every answer is built by hand as a SymPy expression; SymPy's diff/Derivative is never
used, exactly as the exercise demands of students.
"""

import sympy

x, a, b, c = sympy.symbols("x a b c")

# The two functions of this exercise, for experimenting (not for differentiating).
f = x**2 / 2 + 2 * x
g = a * x**2 + b * x + c


def derivative():
    """Return f'(x) for f(x) = x²/2 + 2x, in the symbol x."""
    # d/dx x²/2 = (1/2)·2x = x: the 1/2 cancels the 2 that the power rule brings down,
    # which is why losses are so often written with a factor 1/2. d/dx 2x = 2.
    return x + 2


def minimizer():
    """Return the x at which f(x) = x²/2 + 2x is smallest (a number)."""
    # f'(x) = x + 2 = 0 at x = −2; f opens upwards (x² has coefficient 1/2 > 0), so this
    # stationary point is the minimum, with f(−2) = −2 (seed 000).
    return sympy.Integer(-2)


def general_derivative():
    """Return d/dx (a·x² + b·x + c), in the symbols x, a, b, c."""
    # Term by term: a·2x + b·1 + 0 — the constant c has slope zero.
    return 2 * a * x + b


def general_minimizer():
    """Return the stationary point of a·x² + b·x + c, in the symbols a, b, c."""
    # 2a·x + b = 0  ⇒  x = −b/(2a), the vertex of the parabola. With a = 1/2, b = 2 this
    # gives −2 again, matching minimizer().
    return -b / (2 * a)
