import sympy

x, a, b, c = sympy.symbols("x a b c")


def general_minimizer():
    return b / (2 * a)
