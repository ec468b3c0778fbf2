"""Category 8: forbidden shortcuts reached indirectly are still caught, and answers
hard-coded for the seed articles' inputs fail on the grader's own inputs."""

from __future__ import annotations

import pytest

from grader.model import Verdict
from tests.conftest import SOLUTIONS, Build, grade_one
from tests.security.helpers import verdicts

_HEAD = "import importlib, sys, types\nimport torch\n\n"
_LOSS = ("    w0 = w0.clone().requires_grad_(True)\n"
         "    w1 = w1.clone().requires_grad_(True)\n"
         "    loss = 0.5 * ((w0 + x @ w1 - y) ** 2).sum()\n")

# Each computes dw0, dw1 by autograd without naming it where the static check looks.
AUTOGRAD = {
    "importlib and built strings": (
        "    ag = importlib.import_module('torch.' + 'auto' + 'grad')\n"
        "    dw0, dw1 = getattr(ag, 'gr' + 'ad')(loss, (w0, w1))\n"
    ),
    "__import__ and getattr chain": (
        "    mod = __import__('torch', fromlist=['x'])\n"
        "    fn = getattr(getattr(mod, ''.join(['au', 'to', 'grad'])), 'gr' + 'ad')\n"
        "    dw0, dw1 = fn(loss, (w0, w1))\n"
    ),
    "the tripwire's original": (
        "    fn = getattr(getattr(torch, 'auto' + 'grad'), 'gr' + 'ad')\n"
        "    fn = getattr(fn, '__wrap' + 'ped__', fn)\n"
        "    dw0, dw1 = fn(loss, (w0, w1))\n"
    ),
    "eval of a string": (
        "    code = 'torch.' + 'auto' + 'grad.' + 'gr' + 'ad(loss, (w0, w1))'\n"
        "    dw0, dw1 = eval(code, {'torch': torch, 'loss': loss, 'w0': w0, 'w1': w1})\n"
    ),
    "exec under a library's file name": (
        "    space = {'torch': torch, 'loss': loss, 'w0': w0, 'w1': w1}\n"
        "    src = 'out = torch.' + 'auto' + 'grad.' + 'gr' + 'ad(loss, (w0, w1))'\n"
        "    exec(compile(src, '<frozen importlib._bootstrap>', 'exec'), space)\n"
        "    dw0, dw1 = space['out']\n"
    ),
}


@pytest.mark.parametrize("name", sorted(AUTOGRAD))
def test_autograd_reached_indirectly_is_caught(make_submission: Build, name: str):
    source = (_HEAD + "def linreg_grads(x, y, w0, w1):\n" + _LOSS + AUTOGRAD[name]
              + "    return loss.detach(), dw0.to(x.device), dw1.to(x.device)\n")
    result = grade_one(make_submission(exercise05=source), "05").tests[0]
    assert result.verdict is Verdict.FAILED, result.rationale
    assert result.diagnosis is not None and result.diagnosis.name == "forbidden-shortcut"


@pytest.mark.parametrize("how", [
    "getattr(importlib.import_module('sym' + 'py'), 'di' + 'ff')(x**2/2 + 2*x, x)",
    "getattr(x**2/2 + 2*x, 'di' + 'ff')(x)",
    "getattr(importlib.import_module('sympy'), 'Deri' + 'vative')(x**2/2 + 2*x, x).doit()",
    "eval('(x**2/2 + 2*x).' + 'di' + 'ff(x)', {'x': x})",
])
def test_sympy_differentiation_reached_indirectly_is_caught(make_submission: Build, how: str):
    source = ("import importlib\nimport sympy\nx = sympy.Symbol('x')\n\n"
              f"def derivative():\n    return {how}\n")
    result = next(t for t in grade_one(make_submission(exercise01=source), "01").tests
                  if t.function == "derivative")
    assert result.verdict is Verdict.FAILED, result.rationale
    assert result.diagnosis is not None and result.diagnosis.name == "forbidden-shortcut"


def test_answers_hard_coded_for_the_seed_inputs_fail(make_submission: Build):
    # Right on seed 000's step (3, 5, 0.2) and its trajectory, wrong on anything else.
    seed_path = [3.0]
    for _ in range(10):
        seed_path.append(seed_path[-1] - 0.2 * (seed_path[-1] + 2))
    source = (
        "import numpy as np\n\n"
        "def step(w, grad, lr):\n"
        "    if np.ndim(w) == 0 and (w, grad, lr) == (3.0, 5.0, 0.2):\n"
        "        return 2.0\n"
        "    return w\n\n"
        "def descend(grad_fn, w0, lr, steps):\n"
        f"    return {seed_path!r}\n"
    )
    got = verdicts(grade_one(make_submission(exercise03=source), "03"))
    assert got == {"step": Verdict.FAILED, "descend": Verdict.FAILED}


def test_the_solutions_still_pass_beside_the_tripwires(make_submission: Build):
    folder = make_submission()
    assert all(t.passed for t in grade_one(folder, "05").tests)
    assert (SOLUTIONS / "05_torch_gradients.py").exists()
