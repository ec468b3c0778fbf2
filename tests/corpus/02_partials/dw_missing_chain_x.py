from sympy import IndexedBase, Sum, Symbol, symbols

x, y, w, b = symbols("x y w b")
m = Symbol("m", integer=True, positive=True)
i = Symbol("i", integer=True)
X, Y = IndexedBase("X"), IndexedBase("Y")


def dE_dw():
    return Sum(w * X[i] + b - Y[i], (i, 1, m)) / m
