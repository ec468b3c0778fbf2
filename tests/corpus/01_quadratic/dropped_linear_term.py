import sympy

x, a, b, c = sympy.symbols("x a b c")


def derivative():
    # d/dx (x**2/2) = x ; the 2x part is a constant so it goes away
    return x
