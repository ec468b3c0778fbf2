"""练习 08 —— 在 PyTorch 中亲手对两层神经网络做反向传播（种子文章 001）。

种子文章 001 画了一个小神经网络：两个输入 X1、X2，一个有三个节点（11、12、13）的隐藏层，
以及一个输出节点（21）。每个节点把输入加权后求和，

    Y_11 = X_1·W_(1-1) + X_2·W_(2-1),  …,   Y = Y_21 = Y_11·W_(3-1) + Y_12·W_(3-2) + Y_13·W_(3-3),

对存成 X 各行的 m 个样本来说，这就是两次矩阵乘法。在隐藏层加上 sigmoid 激活函数
σ(z) = 1 / (1 + e^(−z))（练习 04），再用种子文章 001 的均方误差 J = 1/(2m)·Σ(y − f(x))²，
就得到：

    Z    = X @ W1          X: (m, n)   W1: (n, h)    Z, H: (m, h)
    H    = σ(Z)
    out  = H @ W2          W2: (h, k)   out, y: (m, k)   (种子文章 001: n = 2, h = 3, k = 1)
    loss = 1/(2m) · Σ (out − y)²        0 维张量；m = X 的行数

反向传播
--------
从损失出发往回、一层一层地使用链式法则。记 err = out − y。那么

    ∂loss/∂out = err / m                      ½ 约掉了平方的 2
    ∂loss/∂W2  = Hᵀ @ (∂loss/∂out)            (h, m) @ (m, k) → (h, k)，W2 的形状
    ∂loss/∂H   = (∂loss/∂out) @ W2ᵀ           (m, k) @ (k, h) → (m, h)，H 的形状
    ∂loss/∂Z   = ∂loss/∂H · σ′(Z)             逐元素；σ′(Z) = σ(Z)·(1 − σ(Z))
    ∂loss/∂W1  = ?                            (n, h)，W1 的形状——与 W2 的规律相同

注意 σ′：H 本身就是 σ(Z)，所以 σ′(Z) = H·(1 − H)。再对 H 取一次 σ 就成了 σ(σ(Z))。
拿不准一个乘积时就检查形状：每个梯度的形状都与它的权重完全相同。

返回什么
--------
backprop(X, y, W1, W2) 返回元组 (loss, dW1, dW2)：loss 是 0 维张量，dW1 和 dW2 是形状与
W1、W2 相同的张量，全部与输入在同一设备上（CPU 或 GPU），dtype 也相同。对输入做张量运算
会保持这两者；不要用 .item()、.numpy() 或新建 torch.tensor(...)。允许使用 torch.sigmoid
（它就是 σ 本身，不是梯度）。

规则
----
梯度要亲手写：本练习不允许使用 backward()、torch.autograd、torch.func 和 functorch。
（想检查结果的话，在另一个草稿文件里用 float64 与自动求导对比。）
"""

import torch


def backprop(
    X: torch.Tensor, y: torch.Tensor, W1: torch.Tensor, W2: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """对 out = σ(X @ W1) @ W2 和 loss = 1/(2m)·Σ(out − y)² 返回 (loss, dW1, dW2)。"""
    # TODO: 前向计算：Z、H = σ(Z)、out 以及损失（m = X.shape[0]）。
    # TODO: dW2 = ∂loss/∂W2，由 err = out − y 求出，形状与 W2 相同。
    # TODO: dW1 = ∂loss/∂W1：先穿过 W2 往回，再穿过 σ，形状与 W1 相同。
    raise NotImplementedError("backprop: 亲手算损失、dW1 和 dW2，不用自动求导")
