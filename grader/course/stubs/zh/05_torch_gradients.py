"""练习 05 —— 在 PyTorch 中亲手求线性回归的梯度（种子文章 000）。

种子文章 000 用一条直线 y ≈ w0 + w1·x 拟合 y = 3x − 2 加噪声的样本，并且在更新权重
之前自己计算梯度，而不是交给自动求导。你要写的就是这段梯度计算。

模型和损失函数，m 个样本存为列张量：

    y_pred = w0 + x @ w1                  x, y: 形状 (m, 1);  w0, w1: 形状 (1, 1)
    loss   = ½ · Σ_i (y_pred_i − y_i)²    0 维张量（和种子文章 000 一样是求和，不是平均）

w0 的形状是 (1, 1)，会被广播：同一个偏置加到全部 m 行上。

推导梯度
--------
记 err = y_pred − y，即 (m, 1) 的残差列。那么
* ∂loss/∂y_pred_i = err_i —— ½ 约掉了平方的 2。
* y_pred_i = w0 + x_i·w1，所以 ∂y_pred_i/∂w0 = 1，∂y_pred_i/∂w1 = x_i。
* 每个样本都依赖同一个 w0 和 w1，所以链式法则把全部 m 个样本的贡献加起来：
  ∂loss/∂w = Σ_i (∂loss/∂y_pred_i)·(∂y_pred_i/∂w)。
对样本求“输入乘以残差”的和，正是矩阵乘法做的事；想一想 x 和 err 的哪种乘积形状是 (1, 1)。

返回什么
--------
linreg_grads(x, y, w0, w1) 返回元组 (loss, dw0, dw1)：
* loss —— 0 维张量；
* dw0, dw1 —— 形状与 w0、w1 完全相同的张量，即 (1, 1)。像 .sum() 这样的归约得到的是
  0 维张量；要把它变形回 w0 的形状。
* 全部与输入在同一设备上（CPU 或 GPU），dtype 也相同（float32 或 float64）。对输入做
  张量运算会自动保持这两者；不要绕道 .item()、.numpy() 或新建 torch.tensor(...)，
  那样会丢掉它们。

规则
----
梯度要亲手写：本练习不允许使用 backward()、torch.autograd 中的任何东西以及 torch.func。
（想检查结果的话，欢迎在另一个草稿文件里用 float64 与自动求导对比。）
"""

import torch


def linreg_grads(
    x: torch.Tensor, y: torch.Tensor, w0: torch.Tensor, w1: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """对 y_pred = w0 + x @ w1 和 loss = ½·Σ(y_pred − y)² 返回 (loss, dw0, dw1)。"""
    # TODO: 算出预测值、残差 err 和损失。
    # TODO: dw0 = ∂loss/∂w0，用链式法则求，形状与 w0 相同的张量。
    # TODO: dw1 = ∂loss/∂w1，用链式法则求，形状与 w1 相同的张量。
    raise NotImplementedError("linreg_grads: 亲手算损失和梯度，不用自动求导")
