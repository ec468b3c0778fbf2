"""练习 06 —— 三个损失函数（种子文章 001 和 002）。

损失函数衡量预测值离真实值有多远：它是一个数，预测得好时就小。于是训练就是“让这个数
变小”（练习 03）。对 m 个样本，预测值为 pred[i]（种子文章 001 写作 f(x_i)），目标值为
target[i]：

平均绝对误差（种子文章 001 的“绝对值损失函数”）
    MAE = 1/m · Σ_i |pred[i] − target[i]|

均方误差，按种子文章 001 和 002 的定义
    MSE = 1/(2m) · Σ_i (pred[i] − target[i])²
½ 是一种约定：½·e² 的导数是 e，所以这个均方误差的梯度就是误差的普通平均值。（torch 的
mse_loss 没有 ½：它的值是这里的两倍。）

二元交叉熵，用于分类：标签 y[i] ∈ {0, 1}（或取值在 [0, 1] 中任意位置的“软”标签），
预测概率 p[i] ∈ (0, 1)，例如 sigmoid 的输出
    BCE = −1/m · Σ_i [ y[i]·log p[i] + (1 − y[i])·log(1 − p[i]) ]
一个样本一个样本地读它：标签为 1 的样本只有 −log p 起作用，p = 1 时它为 0，p → 0 时它
无限增大；标签为 0 的样本只有 −log(1 − p) 起作用。对数总是取在预测值 p 上；标签 y 只
负责挑选它们并加权。
注意：种子文章 001 印出的这个公式把 y 和 f(x) 写反了，−1/m·Σ[f(x)·log y + …]。那种写法
会对每个 0/1 硬标签取 log 0；它是文章里的笔误，不是另一种损失函数。文章的说法对正确的
公式依然成立：预测值等于标签时损失为 0，而一个很有把握的错误预测（y = 1 时 p → 0）会让
它无限增大。

可以手算验证的小数字：
    pred = [1, 2, 3]，target = [2, 2, 5]：  MAE = (1 + 0 + 2)/3 = 1，  MSE = (1 + 0 + 4)/6 = 5/6
    p = [0.9, 0.2]，y = [1, 0]：  BCE = −(log 0.9 + log 0.8)/2 ≈ 0.164252

要写什么
--------
每个函数接收两个长度同为 m ≥ 1 的一维序列：NumPy 数组或 torch 张量（评分程序两种都会
试，长度从 1 起）。每个函数返回一个数：最好是 Python 的 float（0 维 NumPy 数组或 0 维
张量也接受；长度为 1 的数组不行）。不要修改输入。

提示：np.asarray(pred, dtype=float) 能把两种输入都变成 NumPy 数组，之后 np.abs、
np.log、np.mean 和 np.sum 都能用。（直接对张量用 np.mean 会出错。）
"""

from typing import TYPE_CHECKING, TypeAlias

import numpy as np

if TYPE_CHECKING:
    import torch

# 浮点数的一维 NumPy 数组或 torch 张量。
Vector: TypeAlias = "np.ndarray | torch.Tensor"


def mae(pred: Vector, target: Vector) -> float:
    """以 float 返回平均绝对误差 1/m·Σ|pred − target|。"""
    # TODO: 把两个输入都转成浮点数组，这样张量也能用。
    # TODO: 对差值的绝对值求平均，以 float 返回结果。
    raise NotImplementedError("mae: 1/m·Σ|pred − target|")


def mse(pred: Vector, target: Vector) -> float:
    """以 float 返回均方误差 1/(2m)·Σ(pred − target)²。"""
    # TODO: 把两个输入都转成浮点数组，这样张量也能用。
    # TODO: 把差值的平方加起来，再除以 2m（别忘了 ½）。
    raise NotImplementedError("mse: 1/(2m)·Σ(pred − target)²")


def binary_cross_entropy(p: Vector, y: Vector) -> float:
    """以 float 返回 −1/m·Σ[y·log p + (1 − y)·log(1 − p)]（对 p 取对数，不是对 y）。"""
    # TODO: 把两个输入都转成浮点数组，这样张量也能用。
    # TODO: 用 np.log 构造每个样本的项 y·log p + (1 − y)·log(1 − p)。
    # TODO: 对 m 个样本求平均，并在前面加上负号。
    raise NotImplementedError("binary_cross_entropy: −1/m·Σ[y·log p + (1 − y)·log(1 − p)]")
