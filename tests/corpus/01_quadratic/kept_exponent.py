import sympy

x, a, b, c = sympy.symbols("x a b c")


def derivative():
    return x**2 + 2
