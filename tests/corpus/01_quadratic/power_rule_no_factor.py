import sympy

x, a, b, c = sympy.symbols("x a b c")


def derivative():
    # power rule: x^2 -> x, then /2 stays, and 2x -> 2
    return x / 2 + 2
