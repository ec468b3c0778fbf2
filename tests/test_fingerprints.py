"""Numeric fingerprints name how a wrong answer relates to the truth; tracing substitutes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from grader.checks.base import Case
from grader.checks.fingerprints import Failure, fingerprint
from grader.substitutes import SubstituteMiss, input_key, substituted
from grader.tracing import called_helpers
from grader.wire import ArrayAnswer

RNG = np.random.default_rng(7)
X5 = Case("five samples", (RNG.normal(size=(5, 1)),), ("x",))
X3 = Case("three samples", (RNG.normal(size=(3, 1)),), ("x",))


def _array(values: np.ndarray) -> ArrayAnswer:
    return ArrayAnswer("ndarray", "float64", values.shape, values)


def _name(pairs: list[tuple[Case, object, object]], **kwargs) -> str | None:
    diagnosis = fingerprint([Failure(c, a, e) for c, a, e in pairs], rtol=1e-6, atol=1e-9,
                            **kwargs)
    return diagnosis.name if diagnosis else None


@pytest.mark.parametrize(("factor", "name"), [(2.0, "scaled-by-2"), (0.5, "scaled-by-1/2"),
                                              (-1.0, "sign-flipped"), (-2.0, "scaled-by-minus-2")])
def test_a_constant_factor_is_named(factor, name):
    truth = np.array([1.5, -2.0, 0.25])
    assert _name([(X5, _array(factor * truth), truth), (X3, factor * 3.0, 3.0)]) == name


def test_one_over_m_uses_each_case_own_m():
    t5, t3 = np.array([[2.0]]), np.array([[-1.0]])
    pairs = [(X5, _array(t5 / 5), t5), (X3, _array(t3 / 3), t3)]
    diagnosis = fingerprint([Failure(*p) for p in pairs], rtol=1e-6, atol=1e-9)
    assert diagnosis is not None and diagnosis.name == "scaled-by-1/m"
    assert "m = 5" in diagnosis.message  # the first failing case's own m


def test_a_factor_that_holds_on_one_case_only_names_nothing():
    truth = np.array([1.0, 2.0])
    assert _name([(X5, _array(2 * truth), truth), (X3, _array(3 * truth), truth)]) is None


def test_shapes_transposed_not_summed_summed_reshaped_and_reordered():
    truth = np.arange(6.0).reshape(2, 3) + 1
    assert _name([(X5, _array(truth.T), truth)]) == "transposed"
    per_sample = RNG.normal(size=(5, 1))
    assert _name([(X5, _array(per_sample), np.array([[per_sample.sum()]]))]) == "not-summed"
    assert _name([(X5, float(truth.sum()), truth)]) == "summed-instead-of-elementwise"
    assert _name([(X5, _array(truth.reshape(3, 2)), truth)]) == "wrong-shape"
    assert _name([(X5, _array(truth[:, ::-1].copy()), truth)]) == "wrong-order"


def test_a_trajectory_shifted_by_one_step():
    path = [3.0, 2.0, 1.2, 0.56]
    assert _name([(X5, [*path[1:], 0.05], path)]) == "off-by-one-step"  # ahead
    assert _name([(X5, [3.0, 3.0, 2.0, 1.2], path)]) == "off-by-one-step"  # behind
    assert _name([(X5, [*path, 0.05], path)]) == "off-by-one-step"  # one update too many
    assert _name([(X5, [3.0, 2.5, 1.0, 0.0], path)]) is None


def test_a_tuple_answer_names_the_output_that_is_off():
    loss, dw0, dw1 = 4.0, np.array([[1.0]]), np.array([[-3.0]])
    answer = [loss, _array(dw0), _array(2 * dw1)]
    diagnosis = fingerprint([Failure(X5, answer, (loss, dw0, dw1))], rtol=1e-6, atol=1e-9,
                            outputs=("loss", "dw0", "dw1"))
    assert diagnosis is not None and diagnosis.name == "scaled-by-2"
    assert "dw1" in diagnosis.message and "dw0" not in diagnosis.message
    swapped = [loss, _array(dw1), _array(dw0)]
    assert _name([(X5, swapped, (loss, dw0, dw1))], outputs=("loss", "dw0", "dw1")) == \
        "wrong-order"


def test_an_update_off_by_a_factor_is_named_from_the_start():
    case = Case("a step", (3.0, 5.0, 0.2), ("w", "grad", "lr"))
    assert _name([(case, 3.0 - 0.5 * 0.2 * 5.0, 3.0 - 0.2 * 5.0)]) == "change-scaled-by-1/2"


def test_called_helpers_follow_the_file_own_functions():
    source = ("def _slope(h):\n    return sigmoid_prime(h)\n"
              "def delta_w(x, y, w, lr):\n    return lr * _slope(x @ w) * sigmoid(x @ w) * x\n"
              "def sigmoid(h):\n    return h\ndef sigmoid_prime(h):\n    return h\n")
    graded = ("sigmoid", "sigmoid_prime", "delta_w")
    assert called_helpers(source, "delta_w", graded) == ("sigmoid", "sigmoid_prime")
    assert called_helpers(source, "sigmoid", graded) == ()


def test_a_substituted_helper_answers_from_its_table_and_misses_new_inputs():
    namespace = {"step": lambda w, g, lr: "student's"}
    table = {input_key((3.0, 5.0, 0.2)): 2.0}
    with substituted(namespace, {"step": table}):
        assert namespace["step"](3.0, 5.0, 0.2) == 2.0
        with pytest.raises(SubstituteMiss) as miss:
            namespace["step"](1.0, 1.0, 0.1)
    assert json.loads(str(miss.value))["helper"] == "step"
    assert namespace["step"](0, 0, 0) == "student's"  # restored after the call


def test_a_rehearsed_rerun_takes_one_call_per_case_and_keeps_its_finding(monkeypatch):
    # descend calls step once per step: answered ahead, the re-run needs no miss round trips.
    import grader.tracing as tracing
    from tests.corpus import ENTRIES, grade_entry

    entry = next(e for e in ENTRIES if e.name == "03_update_step/descend_uses_wrong_step")
    calls: list[int] = []
    rerun = tracing._rerun

    def counted(check, runs, truths, call):
        calls.append(len(runs))
        return rerun(check, runs, truths,
                     lambda case, tables: (calls.append(0), call(case, tables))[1])

    monkeypatch.setattr(tracing, "_rerun", counted)
    descend = grade_entry(entry)["descend"]
    assert descend.diagnosis is not None and descend.diagnosis.name == "fix-helper-first"
    assert "passes" in descend.diagnosis.message
    cases, round_trips = calls[0], len(calls) - 1
    assert round_trips == cases  # without the rehearsal: one more per step of every case
