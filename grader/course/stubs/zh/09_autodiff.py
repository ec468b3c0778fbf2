"""练习 09 —— 自己动手实现自动求导（种子文章 000 和 002）。

种子文章 000 以一个问题结尾：深度学习框架用“自动求导”替你算梯度——它是怎么做到的？种子
文章 002 给出了答案。一次计算就是由许多小运算组成的计算图；链式法则把它们的局部导数乘起来，
而从输出往回做这些乘法（反向累积）只要一遍，就得到输出对每个节点的梯度：

    ∂y/∂x = (((∂y/∂u_n · ∂u_n/∂u_(n−1)) ⋯ ) · ∂u_2/∂u_1) · ∂u_1/∂x

种子文章 002 的例子 z = (⟨x, w⟩ − y)² 就是计算图 a = ⟨x, w⟩，b = a − y，z = b²：

    ∂z/∂b = 2b,   ∂z/∂a = ∂z/∂b · ∂b/∂a = ∂z/∂b · 1,   ∂z/∂w_j = ∂z/∂a · x_j.

你要写一个类，对任何这样的计算图做到这一点，每个节点一个数。

这个类
------
Value 保存一个数 `.data`，在 backward() 之后还有 `.grad` = ∂root/∂(这个节点)。每个运算都
返回一个新的 Value，它记住自己由哪些 Value 得来（它的子节点，`_prev`），并带一个小函数
`_backward`：已知新节点的 `.grad`，把该节点应分给每个子节点的份额加到子节点的 `.grad`
上——这就是单个运算的链式法则：

    child.grad += out.grad · ∂out/∂child          （是 +=，不是 =：见下文）

你需要的局部导数（x、a、b 是 Value；k 是普通的数；out 是结果）：

    out = a + b      ∂out/∂a = 1,        ∂out/∂b = 1
    out = a − b      ∂out/∂a = 1,        ∂out/∂b = −1
    out = a · b      ∂out/∂a = b,        ∂out/∂b = a
    out = a / b      ∂out/∂a = 1/b,      ∂out/∂b = −a/b²
    out = x ** k     ∂out/∂x = k·x^(k−1)     （k 是数，绝不是 Value）
    out = exp(x)     ∂out/∂x = exp(x)  （= out 本身）
    out = log(x)     ∂out/∂x = 1/x           （自然对数，x > 0）
    out = σ(x)       ∂out/∂x = σ(x)·(1 − σ(x)),  σ(x) = 1 / (1 + e^(−x))

数可以出现在任意一侧：`v + 2`、`2 + v`、`3 - v`、`1 / v` 都必须能用。对 `v + 2`，Python
调用 `v.__add__(2)`；对 `2 + v`，调用 `v.__radd__(2)`（__rsub__、__rmul__、__rtruediv__
同理）。反射版本要小心：`3 - v` 是 `v.__rsub__(3)`，必须算 3 − v，而不是 v − 3。

backward()
----------
root.backward() 先令 root.grad = 1（∂root/∂root），然后调用每个节点的 `_backward`，
顺序要保证：一个节点只有在所有用到它的节点都加完自己的份额之后，才把梯度往下传——这就是
逆拓扑序。先建出这个顺序：做一次深度优先遍历，一个节点的所有子节点都加入列表之后才加入
该节点（已访问过的节点跳过），然后从列表末尾往前走。被用到两次的节点（共享的子表达式，
比如 x·x 或 (x + 1)·exp(x) 中的 x）会收到两份贡献；这就是 `_backward` 要用 += 相加的原因。

评分程序用你以 Value(number) 构造的 Value 搭建数百个运算深的随机计算图，对最后一个节点调用
backward()，再把每个节点的 .data 和 .grad 与 PyTorch 的自动求导逐一比较。（递归的深度优先
遍历没有问题：你的 backward() 运行时，评分程序会调高 Python 的递归深度上限。）

规则
----
这是你亲手搭建的自动求导：这里不得导入 torch、JAX 或任何其他自动求导库。math 模块为普通
浮点数提供了 exp 和 log。
"""

import math  # noqa: F401  （math.exp 和 math.log 用于 .data 中的浮点数）


class Value:
    """计算图中的一个数；backward() 之后带有计算图的根对它的梯度。"""

    def __init__(self, data: float, _children: tuple["Value", ...] = ()) -> None:
        self.data = float(data)
        self.grad = 0.0  # ∂root/∂self，由 backward() 填入
        self._prev = tuple(_children)  # 计算出这个 Value 所用的那些 Value
        self._backward = lambda: None  # 把 self.grad · ∂self/∂child 加到每个子节点的 .grad 上

    def __add__(self, other: "Value | float") -> "Value":
        # TODO: 把普通的数包装成 Value；构造 out = Value(和, (self, other))；给 out 一个
        # TODO: _backward，把 out.grad · (局部导数) 加到每个子节点的 .grad 上。
        raise NotImplementedError("Value.__add__: 一个新节点及其局部的反向一步")

    def __radd__(self, other: float) -> "Value":
        # TODO: other + self，其中 other 是普通的数。
        raise NotImplementedError("Value.__radd__")

    def __sub__(self, other: "Value | float") -> "Value":
        # TODO: self − other（∂/∂self = 1，∂/∂other = −1）。
        raise NotImplementedError("Value.__sub__")

    def __rsub__(self, other: float) -> "Value":
        # TODO: other − self，其中 other 是普通的数（不是 self − other）。
        raise NotImplementedError("Value.__rsub__")

    def __mul__(self, other: "Value | float") -> "Value":
        # TODO: self · other；每个子节点的局部导数是另一个因子。
        raise NotImplementedError("Value.__mul__")

    def __rmul__(self, other: float) -> "Value":
        # TODO: other · self，其中 other 是普通的数。
        raise NotImplementedError("Value.__rmul__")

    def __truediv__(self, other: "Value | float") -> "Value":
        # TODO: self / other（∂/∂self = 1/other，∂/∂other = −self/other²）。
        raise NotImplementedError("Value.__truediv__")

    def __rtruediv__(self, other: float) -> "Value":
        # TODO: other / self，其中 other 是普通的数（不是 self / other）。
        raise NotImplementedError("Value.__rtruediv__")

    def __pow__(self, k: float) -> "Value":
        # TODO: self ** k，k 是普通的数：幂法则 k·x^(k−1)。
        raise NotImplementedError("Value.__pow__")

    def exp(self) -> "Value":
        # TODO: e^x，它的导数就是 e^x 本身。
        raise NotImplementedError("Value.exp")

    def log(self) -> "Value":
        # TODO: 自然对数，它的导数是 1/x。
        raise NotImplementedError("Value.log")

    def sigmoid(self) -> "Value":
        # TODO: σ(x) = 1 / (1 + e^(−x))，它的导数是 σ(x)·(1 − σ(x))。
        raise NotImplementedError("Value.sigmoid")

    def backward(self) -> None:
        # TODO: 把计算图的节点排成拓扑序（子节点排在用到它们的节点之前），
        # TODO: 令 self.grad = 1，再按逆序调用每个节点的 _backward。
        raise NotImplementedError("Value.backward: 在整个计算图上做反向累积")
