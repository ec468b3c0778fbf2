import sympy

x, a, b, c = sympy.symbols("x a b c")


def general_minimizer():
    # 2ax + b = 0  ->  x = -b/a
    return -b / a
