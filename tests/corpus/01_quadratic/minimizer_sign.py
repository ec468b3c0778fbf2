import sympy

x, a, b, c = sympy.symbols("x a b c")


def minimizer():
    # x + 2 = 0 so x = 2
    return 2
