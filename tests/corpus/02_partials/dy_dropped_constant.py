from sympy import IndexedBase, Symbol, symbols

x, y, w, b = symbols("x y w b")
m = Symbol("m", integer=True, positive=True)
i = Symbol("i", integer=True)
X, Y = IndexedBase("X"), IndexedBase("Y")


def df_dy():
    return "4*x"
