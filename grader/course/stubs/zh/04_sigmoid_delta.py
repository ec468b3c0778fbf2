"""练习 04 —— 一个 sigmoid 神经元及其 delta 规则（种子文章 004）。

单个神经元把输入加权、求和，再把结果压缩：

    h = x·w = Σ_j x_j·w_j          (np.dot(x, w))
    ŷ = σ(h),   σ(h) = 1 / (1 + e^(−h))

sigmoid 激活函数 σ 把任意实数 h 映射到 (0, 1)：σ(0) = 1/2，h → +∞ 时 σ(h) → 1，
h → −∞ 时 σ(h) → 0。它的导数有一个有名的简洁形式，

    σ'(h) = e^(−h) / (1 + e^(−h))² = σ(h)·(1 − σ(h)),

所以一旦知道 σ(h)，σ'(h) 只需再做一次乘法。它在 h = 0 处最大（1/4）。

delta 规则
----------
用 E = ½·(y − ŷ)² 衡量一个样本的误差。链式法则从 E 出发，经过 ŷ = σ(h) 和 h = x·w
往回推，得到

    ∂E/∂w_j = −(y − ŷ) · σ'(h) · x_j.

梯度下降让权重移动 Δw = −η·∂E/∂w，也就是

    Δw_j = η · δ · x_j,   其中误差项 δ = (y − ŷ)·σ'(h).

（两个负号抵消：如果 ŷ 太小，则 y − ŷ > 0，正输入上的权重会增大。）种子文章 004 的
数字：x = [0.1, 0.3]，y = 0.2，w = [−0.8, 0.5]，η = 0.5 给出 h = 0.07，ŷ ≈ 0.517493，
Δw ≈ [−0.0039638, −0.0118914]。

要写什么
--------
sigmoid(h) 和 sigmoid_prime(h) 逐元素计算：输入浮点数得到浮点数；输入 NumPy 数组
得到形状相同的数组。delta_w(x, y, w, lr) 接收一维数组 x 和 w、浮点数 y 以及学习率，
以一维数组（形状与 x 相同）返回权重的更新量 Δw。

数值上的注意事项（可选，但是好习惯）：h 小于约 −709 时 np.exp(−h) 会溢出，NumPy 会
发出警告。稳定的 sigmoid 从不对很大的正数取指数：h ≥ 0 时用 1/(1 + e^(−h))；h < 0 时
用与之相等的形式 e^h/(1 + e^h)。

附注——sigmoid 输出常用的损失函数：对标签 y ∈ {0, 1}，分类器最小化二元交叉熵
J = −(1/m)·Σ [y·log ŷ + (1 − y)·log(1 − ŷ)]。种子文章 001 印出的公式把 y 和 f(x) = ŷ
写反了，那样会对 0/1 标签取 log 0。对数应取在预测值 ŷ 上；标签 y 只起加权的作用。
"""

import numpy as np

Num = float | np.ndarray


def sigmoid(h: Num) -> Num:
    """逐元素返回 σ(h) = 1 / (1 + e^(−h))；输入浮点数时返回浮点数。"""
    # TODO: 用 np.exp 套用公式，这样数组可以逐元素计算；h 是单个数时
    # TODO: 返回 float。
    raise NotImplementedError("sigmoid: 1 / (1 + e^(−h))")


def sigmoid_prime(h: Num) -> Num:
    """逐元素返回 σ'(h) = σ(h)·(1 − σ(h))；输入浮点数时返回浮点数。"""
    # TODO: 用你的 sigmoid 算一次 σ(h)，再按公式组合。
    raise NotImplementedError("sigmoid_prime: σ(h)·(1 − σ(h))")


def delta_w(x: np.ndarray, y: float, w: np.ndarray, lr: float) -> np.ndarray:
    """对一个样本返回权重更新量 η·(y − ŷ)·σ'(h)·x，其中 h = x·w，ŷ = σ(h)。"""
    # TODO: 依次算出 h（点积）、预测值 ŷ、误差项 δ，再去缩放 x。
    raise NotImplementedError("delta_w: η·(y − ŷ)·σ'(h)·x")
