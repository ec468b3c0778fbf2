"""练习 07 —— 线性回归的两种解法：显式解与小批量梯度下降（种子文章 002）。

模型一次对 m 个样本做预测：ŷ = X·w。X 的每一行是一个样本；种子文章 002 给 X 添一列 1，
把偏置 b 并入 w（X ← [X, 1]，w ← [w; b]）。这里 1 放在最前面，所以只有一个输入特征 x 时，
各行是 [1, x_i]，w = [b, w1]。评分程序调用你的函数时 X 已经这样构造好了：不要再添一列 1。

损失函数是练习 06 的均方误差，按种子文章 002 的写法：

    E(w) = 1/(2m) · ‖Xw − y‖² = 1/(2m) · Σ_i (x_i·w − y_i)²
    ∂E/∂w = 1/m · Xᵀ(Xw − y)

1. 显式解（种子文章 002，3.5.1）
--------------------------------
E 是凸函数，所以它的最小值在梯度为零处：Xᵀ(Xw − y) = 0，即 XᵀX·w = Xᵀy（“正规方程”），
因此

    w* = (XᵀX)⁻¹ Xᵀ y

X 的形状是 (m, n)，m ≥ n，所以 XᵀX 是一个小的 (n, n) 矩阵，Xᵀy 有 n 个元素。（⁻¹ 是矩阵的
逆，np.linalg.inv；np.linalg.solve(A, b) 不求逆就能解 A·w = b，更精确。）y 可能是形状为
(m,) 的向量，也可能是形状为 (m, 1) 的列；w 相应地形状为 (n,) 或 (n, 1)，矩阵乘积会自动
给出这一点。种子文章 000 的直线：x = 0, 2, …, 20，y 恰好等于 3x − 2 时给出 w* = [−2, 3]。

2. 小批量梯度下降（种子文章 002，3.5.2）
---------------------------------------
种子文章 000 用梯度下降训练同一条直线：反复执行 w ← w − lr·∂E/∂w。数据集很大时，每一步都
遍历全部 m 个样本太慢，所以小批量梯度下降每一步只用一批 b 个样本，损失取这一批的

    E_batch(w) = 1/(2b) · Σ_{i in batch} (x_i·w − y_i)²,   ∂E_batch/∂w = 1/b · X_bᵀ(X_b·w − y_b)

一轮（epoch）就是把全部 m 个样本过一遍：把它们分成大小为 batch_size 的批（最后一批可以更小，
那时 b 就是它的大小），每一批走一步。从 w = 0 出发，运行 `epochs` 轮，返回最后的 w。

样本的顺序由你决定：通常的做法是每一轮重新随机排一次顺序，随机数取自
rng = np.random.default_rng(seed)，这样两次用同一个 seed 调用会得到同一个 w。打乱一个
下标数组 idx = rng.permutation(m)，再一起取 X[idx] 和 y[idx]：一个样本的输入和它的目标值
必须保持配对。

评分程序检查三件事：
* batch_size = m 时每一轮只有一批：这时你的运行必须恰好是全批量梯度下降（无论顺序
  如何，对全部样本的求和都一样）；
* 在没有噪声的数据上用小批量，必须到达最小二乘的 w；
* 同样的参数和 seed 必须给出同样的 w。

要写什么
--------
normal_equation(X, y)：X 是带那一列 1 的 NumPy 数组 (m, n)，y 的形状为 (m,) 或 (m, 1)；
以形状为 (n,) 或 (n, 1) 的 NumPy 数组返回 w*。
minibatch_gd(X, y, lr, epochs, batch_size, seed)：X 是带那一列 1 的 (m, n)，y 是 (m,)；
返回 `epochs` 轮之后的 w (n,)。两个函数都不能原地修改 X 或 y。
"""

import numpy as np


def normal_equation(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """返回 w* = (XᵀX)⁻¹Xᵀy；y 为 (m,) 时形状为 (n,)，y 为 (m, 1) 时形状为 (n, 1)。"""
    # TODO: 构造 (n, n) 矩阵 XᵀX 和向量 Xᵀy（注意 Xᵀ 放在哪一边）。
    # TODO: 解 XᵀX·w = Xᵀy（用 np.linalg.solve，或矩阵的逆 np.linalg.inv）。
    raise NotImplementedError("normal_equation: w* = (XᵀX)⁻¹Xᵀy")


def minibatch_gd(X: np.ndarray, y: np.ndarray, lr: float, epochs: int, batch_size: int,
                 seed: int) -> np.ndarray:
    """从 w = 0 出发，在 E 上做 `epochs` 轮小批量梯度下降后返回 w。"""
    # TODO: 从 w = np.zeros(n) 出发，并用 seed 创建一个随机数生成器。
    # TODO: 每一轮为 m 个样本抽一个顺序（X 和 y 的行保持在一起）。
    # TODO: 对每批至多 batch_size 个样本，算出 1/b·X_bᵀ(X_b·w − y_b)，
    # TODO: 再走一步 w ← w − lr·梯度。
    raise NotImplementedError("minibatch_gd: 每批执行 w ← w − lr·X_bᵀ(X_b·w − y_b)/b")
