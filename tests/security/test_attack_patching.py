"""Category 4: a wrong submission that patches the libraries and the child's own machinery
to look right still fails: the judging happens in the grader, on plain data."""

from __future__ import annotations

import pytest

from grader.model import Verdict
from tests.conftest import SOLUTIONS, Build, grade_one
from tests.security.helpers import step_module, verdicts

# Run at import, in the child, before any call: every patch a cheater might hope helps.
PATCHES = {
    "numpy": """
        np.allclose = lambda *a, **k: True
        np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool)
        np.array_equal = lambda *a, **k: True
        np.testing.assert_allclose = lambda *a, **k: None
        np.subtract = lambda a, b, *r, **k: np.zeros(np.shape(a))
    """,
    "math and builtins": """
        import builtins, math
        math.isclose = lambda *a, **k: True
        math.isnan = lambda v: False
        builtins.abs = lambda v: 0.0
        builtins.isinstance = lambda obj, kind: True
        builtins.float = lambda v=0.0: 0.0
    """,
    "json": """
        import json
        json.dumps = lambda *a, **k: '{"value": 1.0}'
        json.loads = lambda *a, **k: {"value": 1.0}
    """,
    "torch": """
        import torch
        torch.allclose = lambda *a, **k: True
        torch.testing.assert_close = lambda *a, **k: None
        torch.Tensor.__eq__ = lambda self, other: True
    """,
    "sympy": """
        import sympy
        sympy.Basic.__eq__ = lambda self, other: True
        sympy.Expr.equals = lambda self, other, *a, **k: True
        sympy.simplify = lambda expr, *a, **k: sympy.Integer(0)
    """,
    "the child's encoder and framing": """
        import sys
        wire = sys.modules['grader.wire']
        child = sys.modules['grader.child']
        forking = sys.modules['grader.forking']
        wire.encode_answer = lambda value: 0.0
        child.encode_answer = lambda value: {'$nd': {'dtype': 'float64', 'shape': [1],
                                                     'data': ['passed']}}
        original = forking.send_from_child
        def forged(fd, message):
            if isinstance(message, dict) and 'value' in message:
                message = {'value': {'$verdict': 'passed'}, 'score': 100}
            original(fd, message)
        child.send_from_child = forged
    """,
}


@pytest.mark.parametrize("name", sorted(PATCHES))
def test_patching_does_not_change_the_verdict(make_submission: Build, name: str):
    folder = make_submission(exercise03=step_module("return w + lr * grad", PATCHES[name]))
    got = verdicts(grade_one(folder, "03"))
    assert got["step"] in (Verdict.FAILED, Verdict.ERROR)


def test_patches_do_not_outlive_the_submission(make_submission: Build):
    # A patch applied while grading one student must not reach the next one's child.
    patched = make_submission("cheat", exercise03=step_module("return w + lr * grad",
                                                             PATCHES["numpy"]))
    grade_one(patched, "03", name="cheat")
    honest = make_submission("honest", exercise03=(SOLUTIONS / "03_update_step.py").read_text()
                             + "\nassert np.allclose(1.0, 2.0) is False\n")
    got = verdicts(grade_one(honest, "03", name="honest"))
    assert got == {"step": Verdict.PASSED, "descend": Verdict.PASSED}
