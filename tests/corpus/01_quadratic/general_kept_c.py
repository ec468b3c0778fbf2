import sympy

x, a, b, c = sympy.symbols("x a b c")


def general_derivative():
    return "2*a*x + b + c"
