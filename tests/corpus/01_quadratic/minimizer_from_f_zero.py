import sympy

x, a, b, c = sympy.symbols("x a b c")


def minimizer():
    # f(x) = x(x/2 + 2) = 0 -> x = -4
    return -4
