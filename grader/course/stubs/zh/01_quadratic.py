"""练习 01 —— 二次函数的导数，以及它的最低点在哪里。

梯度下降只需要微积分里的一样东西：导数。它告诉你在每一点往哪边是上坡、坡有多陡。
我们先用种子文章 000 求极小值的那个函数热身，

    f(x) = x²/2 + 2x,

然后是一般的二次函数

    g(x) = a·x² + b·x + c        (a ≠ 0).

需要用到的工具
--------------
* 幂法则：    d/dx xⁿ = n·xⁿ⁻¹，所以 d/dx x² = 2x，d/dx x = 1。
* 常数因子：  d/dx (k·u) = k·(du/dx)。常数项求导后消失：d/dx c = 0。
* 求和法则：  和的导数逐项求。
* 驻点：光滑函数只可能在斜率为零的地方取得最小值，所以要解 f'(x) = 0。对开口向上
  （x² 系数为正）的抛物线，这唯一的驻点就是全局最小值点；a < 0 时它会是最大值点，
  所以 general_minimizer 要求的是“驻点”。

例题（种子文章 001）：对 f(x) = 2x² − 12x + 20，幂法则给出 f'(x) = 4x − 12。
令 4x − 12 = 0 得 x = 3，最小值是 f(3) = 2。对上面的函数做同样的事。

为什么重要：种子文章 000 接着用数值方法找到同一个极小值：从 x₀ = 3 出发，反复执行
x ← x − 0.2·f'(x)。只有 f'(x) 正确，这才行得通；练习 03 还会用到你的答案。

返回什么
--------
每个函数返回一个由下面定义的符号 x、a、b、c 构成的 SymPy 表达式，或者一个字符串，
例如 "3*x - 1" 或 "c/(4*a)"（乘法写作 *，乘方写作 **）。答案是数的地方，直接返回
7 或 -1.5 这样的数也可以。分数要保持精确：写 x/2 或 sympy.Rational(1, 2)*x，而不是
0.333*x。正确答案的任何代数等价形式都算对。

规则
----
导数要亲手推导。本练习不允许使用 SymPy 的求导功能——sympy.diff、expr.diff(...)、
Derivative。可以用 sympy.solve 解方程，也可以用下面的 f 和 g 配合 .subs() 数值验算答案。
"""

import sympy

x, a, b, c = sympy.symbols("x a b c")

# 本练习的两个函数，供你试验（不要用 SymPy 对它们求导）。
f = x**2 / 2 + 2 * x
g = a * x**2 + b * x + c


def derivative():
    """返回 f(x) = x²/2 + 2x 的导数 f'(x)，用符号 x 表示。"""
    # TODO: 用幂法则分别对 x²/2 和 2x 求导，再把结果相加。
    raise NotImplementedError("derivative: 亲手求 f(x) = x²/2 + 2x 的导数")


def minimizer():
    """返回使 f(x) = x²/2 + 2x 最小的 x（一个数）。"""
    # TODO: 令你的导数等于零，解出 x。
    raise NotImplementedError("minimizer: 解 f'(x) = 0")


def general_derivative():
    """返回 d/dx (a·x² + b·x + c)，用符号 x、a、b、c 表示。"""
    # TODO: 规则和 derivative() 相同；a、b、c 是常数，不是变量。
    raise NotImplementedError("general_derivative: 亲手求 a·x² + b·x + c 的导数")


def general_minimizer():
    """返回 a·x² + b·x + c 的驻点，用符号 a、b、c 表示。"""
    # TODO: 令你的一般导数等于零，解出 x（a ≠ 0）。
    raise NotImplementedError("general_minimizer: 解 d/dx (a·x² + b·x + c) = 0")
