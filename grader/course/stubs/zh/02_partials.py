"""练习 02 —— 偏导数，从一个玩具曲面到回归的损失函数。

有多个变量时，梯度就是偏导数组成的列表，每个变量一个。偏导数 ∂f/∂x 就是把其他变量
都固定住（完全当作数来对待）时，对 x 的普通导数。

第 1 部分 —— 一个曲面（种子文章 001）
-------------------------------------
    f(x, y) = 2x² + 2y + 4xy

求 ∂f/∂x 时把 y 看作常数：4xy 就是 "(4y)·x"。求 ∂f/∂y 时把 x 看作常数。

第 2 部分 —— 线性模型的损失函数（种子文章 000、004）
----------------------------------------------------
模型 l(x) = w·x + b 由 X 预测 Y。在 m 个样本 (X[i], Y[i])，i = 1..m 上，损失函数是
带 ½ 的均方误差

    E(w, b) = 1/(2m) · Σ_{i=1..m} (w·X[i] + b − Y[i])².

现在 w 和 b 是变量，数据 X[i]、Y[i] 是固定的数。三条规则就够了：
* 求和法则：和的导数等于各项导数的和，前面的常数 1/(2m) 原样留在前面。
* 链式法则：d/dw u² = 2u · ∂u/∂w，其中 u = w·X[i] + b − Y[i] 是一个样本的残差。
  求出 ∂u/∂w 和 ∂u/∂b。
* 为什么是 1/(2m)？1/m 取平均，这样损失不会只因样本变多而变大；1/2 是为了约掉链式
  法则产生的 2（种子文章 000）。

种子文章 004 的一处笔误：它写 C = Σ(wx + b − y)²，接着给出的 ∂C/∂w 前面却带着 1/N。
对这个 C，正确的偏导数是 ∂C/∂w = 2·Σ(wx + b − y)·x，根本没有 1/N；只有损失本身带了
缩放，才会出现 1/N，而那时 2 也会跟着变。对上面的 E，两个常数都要算对。

返回什么
--------
每个函数返回一个 SymPy 表达式或字符串，使用下面定义的符号：x、y、w、b，正整数 m，
下标 i，以及带下标的数据 X[i]、Y[i]。对样本的每个求和都写作 Sum(term, (i, 1, m))；
Sum 可以像平常一样乘除常数，例如 Sum(X[i]**2, (i, 1, m)) / m，写成字符串就是
"Sum(X[i]**2, (i, 1, m))/m"。任何等价的写法（常数在 Sum 里或外、一个 Sum 或几个）
都算对。模块里给出的 f 和 loss 可以用来数值验算你的答案。

规则
----
导数要亲手推导。本练习不允许使用 SymPy 的求导功能——sympy.diff、expr.diff(...)、
Derivative。
"""

from sympy import IndexedBase, Sum, Symbol, symbols

x, y, w, b = symbols("x y w b")
m = Symbol("m", integer=True, positive=True)
i = Symbol("i", integer=True)
X, Y = IndexedBase("X"), IndexedBase("Y")

# 本练习的两个函数：f(x, y) 和损失函数 E(w, b)。
f = 2 * x**2 + 2 * y + 4 * x * y
loss = Sum((w * X[i] + b - Y[i]) ** 2, (i, 1, m)) / (2 * m)


def df_dx():
    """返回 f(x, y) = 2x² + 2y + 4xy 的偏导数 ∂f/∂x。"""
    # TODO: 把 y 当作常数，对 x 逐项求导。
    raise NotImplementedError("df_dx: 固定 y，对 x 求 f 的导数")


def df_dy():
    """返回 f(x, y) = 2x² + 2y + 4xy 的偏导数 ∂f/∂y。"""
    # TODO: 把 x 当作常数，对 y 逐项求导。
    raise NotImplementedError("df_dy: 固定 x，对 y 求 f 的导数")


def dE_dw():
    """返回 E = 1/(2m)·Σ (w·X[i] + b − Y[i])² 的 ∂E/∂w，用 Sum(..., (i, 1, m)) 书写。"""
    # TODO: 对一个残差的平方用链式法则，再把结果放回 Sum 里，
    # TODO: 前面的常数保留。
    raise NotImplementedError("dE_dw: 对每个残差的平方用链式法则")


def dE_db():
    """返回 E = 1/(2m)·Σ (w·X[i] + b − Y[i])² 的 ∂E/∂b，用 Sum(..., (i, 1, m)) 书写。"""
    # TODO: 和 dE_dw 一样，只是内层导数现在是 ∂(残差)/∂b。
    raise NotImplementedError("dE_db: 对每个残差的平方用链式法则")
