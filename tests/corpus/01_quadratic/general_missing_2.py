import sympy

x, a, b, c = sympy.symbols("x a b c")


def general_derivative():
    return a * x + b
