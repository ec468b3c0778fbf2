"""Category 1: values that lie about themselves never pass; only plain data is judged."""

from __future__ import annotations

import textwrap

import pytest

from grader.model import Verdict
from grader.wire import Opaque, decode_answer, encode_answer
from tests.conftest import SOLUTIONS, Build, grade_one
from tests.security.helpers import step_module, verdicts

# Every answer below is wrong (w + lr·grad, or nonsense) but dressed to compare as right.
LIARS = {
    "eq-sub-abs-bool": """
        class Liar:
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __sub__(self, other): return 0.0
            def __rsub__(self, other): return 0.0
            def __abs__(self): return 0.0
            def __bool__(self): return True
            def __float__(self): return float(w - lr * grad) if np.ndim(w) == 0 else 0.0
            def __lt__(self, other): return True
            def __le__(self, other): return True
            def __array__(self, *a, **k): return np.asarray(w - lr * grad)
        return Liar()
    """,
    "float-subclass": """
        class F(float):
            def __sub__(self, other): return 0.0
            def __rsub__(self, other): return 0.0
            def __eq__(self, other): return True
            def __abs__(self): return 0.0
            __hash__ = float.__hash__
        return F(np.sum(w + lr * grad))
    """,
    "ndarray-subclass": """
        class A(np.ndarray):
            def __eq__(self, other): return np.ones(np.shape(other), dtype=bool)
            def __sub__(self, other): return np.zeros(np.shape(other))
            def __rsub__(self, other): return np.zeros(np.shape(other))
            def __abs__(self): return np.zeros(self.shape)
        return np.asarray(w + lr * grad).view(A)
    """,
    "array-function-hijack": """
        class H:
            shape = np.shape(w)
            def __array_function__(self, func, types, args, kwargs): return True
            def __array_ufunc__(self, ufunc, method, *args, **kwargs): return np.zeros(1)
        return H()
    """,
    "nan": "return np.full(np.shape(w), np.nan) if np.ndim(w) else float('nan')",
    "inf": "return np.full(np.shape(w), np.inf) if np.ndim(w) else float('inf')",
    "minus-inf": "return -np.inf",
    "right-numbers-wrong-shape": """
        result = np.asarray(w - lr * grad)
        return result.reshape(-1, 1) if result.ndim else np.array([[result]])
    """,
    "right-numbers-as-strings": "return str(w - lr * grad)",
    "tensor-subclass": """
        import torch
        class T(torch.Tensor):
            @classmethod
            def __torch_function__(cls, func, types, args=(), kwargs=None):
                return True
        return torch.as_tensor(np.asarray(w + lr * grad)).as_subclass(T)
    """,
}


@pytest.mark.parametrize("name", sorted(LIARS))
def test_a_lying_value_never_passes(make_submission: Build, name: str):
    folder = make_submission(exercise03=step_module(LIARS[name]))
    got = verdicts(grade_one(folder, "03"))
    assert got["step"] is not Verdict.PASSED
    assert got["descend"] is Verdict.PASSED  # the rest of the submission is still graded


SYMPY_LIARS = {
    "equals-and-eq": """
        class Liar(sympy.Symbol):
            def equals(self, other, failing_expression=False): return True
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            __hash__ = sympy.Symbol.__hash__
        return Liar('x') * 3
    """,
    "assumptions": """
        class Zero(sympy.Symbol):
            is_zero = True
            def _eval_is_zero(self): return True
        return x + 2 + Zero('z')
    """,
    "expr-subclass-with-sstr": """
        class Fake(sympy.Expr):
            def __str__(self): return 'x + 2'
            def __repr__(self): return 'x + 2'
            def _sympystr(self, printer): return 'x + 2'
            def __eq__(self, other): return True
            __hash__ = sympy.Expr.__hash__
        return Fake()
    """,
    "nan": "return sympy.nan",
    "infinity": "return sympy.oo",
}


@pytest.mark.parametrize("name", sorted(SYMPY_LIARS))
def test_a_lying_sympy_value_never_passes(make_submission: Build, name: str):
    # The solution, then a later derivative() that replaces its own.
    body = textwrap.indent(textwrap.dedent(SYMPY_LIARS[name]), "    ")
    source = (SOLUTIONS / "01_quadratic.py").read_text() + f"\n\ndef derivative():\n{body}\n"
    folder = make_submission(exercise01=source)
    got = verdicts(grade_one(folder, "01"))
    assert got["derivative"] is not Verdict.PASSED
    assert got["minimizer"] is Verdict.PASSED


def test_the_encoder_carries_exact_types_only():
    class F(float):
        pass

    class L(list):
        pass

    assert isinstance(decode_answer(encode_answer(F(1.0))), Opaque)
    assert isinstance(decode_answer(encode_answer(L([1.0]))), Opaque)
    assert decode_answer(encode_answer([1.0, 2])) == [1.0, 2]
