"""The reference solutions reproduce the seed articles' worked numbers."""

from __future__ import annotations

import runpy

import numpy as np
import pytest
import torch

from tests.conftest import SOLUTIONS


def _solution(name: str) -> dict:
    return runpy.run_path(str(SOLUTIONS / f"{name}.py"))


def test_seed_000_iterates():
    descend = _solution("03_update_step")["descend"]
    path = descend(lambda x: x + 2, 3, 0.2, 50)
    assert len(path) == 51
    assert path[1] == pytest.approx(2.0)
    assert path[2] == pytest.approx(1.2)
    assert path[10] == pytest.approx(-1.4631, abs=5e-5)
    assert f"{path[10]:.2f}" == "-1.46" and f"{path[50]:.2f}" == "-2.00"


def test_seed_003_trajectory_and_losses():
    descend = _solution("03_update_step")["descend"]
    x = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    y = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0])

    def loss(w: float) -> float:
        return float(np.sum((w * x - 1 - y) ** 2) / 6)

    def grad(w: float) -> float:
        return float(np.sum(2 * (w * x - 1 - y) * x) / 6)

    path = descend(grad, 8.0, 0.01, 50)
    # The article computed in float32: agreement to ~7 significant digits.
    assert path[1:4] == pytest.approx([7.38, 6.8240666, 6.3255796], rel=1e-6)
    assert path[50] == pytest.approx(2.0256863, rel=1e-6)
    assert [loss(w) for w in path[:3]] == pytest.approx([186.0, 149.54607, 120.236694], rel=1e-6)


def test_seed_004_delta_w():
    delta_w = _solution("04_sigmoid_delta")["delta_w"]
    step = delta_w(np.array([0.1, 0.3]), 0.2, np.array([-0.8, 0.5]), 0.5)
    assert step == pytest.approx([-0.0039638, -0.0118914], abs=5e-8)


def test_seed_000_torch_gradients_match_autograd():
    linreg_grads = _solution("05_torch_gradients")["linreg_grads"]
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(20, 1, generator=gen, dtype=torch.float64)
    y = -2 + 3 * x + 0.1 * torch.randn(20, 1, generator=gen, dtype=torch.float64)
    w0 = torch.rand(1, 1, dtype=torch.float64, requires_grad=True)
    w1 = torch.rand(1, 1, dtype=torch.float64, requires_grad=True)
    loss, dw0, dw1 = linreg_grads(x, y, w0.detach(), w1.detach())
    reference = 0.5 * ((w0 + x @ w1 - y) ** 2).sum()
    reference.backward()
    assert float(loss) == pytest.approx(float(reference.detach()))
    assert dw0.shape == (1, 1) and dw1.shape == (1, 1)
    assert torch.allclose(dw0, w0.grad) and torch.allclose(dw1, w1.grad)
