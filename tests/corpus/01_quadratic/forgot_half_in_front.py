import sympy

x, a, b, c = sympy.symbols("x a b c")


def derivative():
    """f'(x)"""
    return 2 * x + 2
