"""The parent accepts only well-formed plain data, rebuilt by itself, from the child."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.checks.numeric import TensorTruth, mismatch
from grader.wire import (
    MAX_ELEMENTS,
    ArrayAnswer,
    MalformedAnswer,
    Opaque,
    SymbolicAnswer,
    decode_answer,
    encode_answer,
)


def roundtrip(value):
    return decode_answer(encode_answer(value))


def test_numbers_arrays_and_tensors_round_trip():
    assert roundtrip(1.5) == 1.5
    assert roundtrip([1, 2.0, "x", None]) == [1, 2.0, "x", None]
    array = roundtrip(np.arange(6.0).reshape(2, 3))
    assert isinstance(array, ArrayAnswer) and array.shape == (2, 3) and array.kind == "ndarray"
    tensor = roundtrip(torch.ones(2, 1, dtype=torch.float32))
    assert tensor.kind == "tensor" and tensor.dtype == "float32" and tensor.device == "cpu"
    scalar = roundtrip(torch.tensor(2.0, dtype=torch.float64))
    assert scalar.shape == () and float(scalar.values) == 2.0


def test_nan_and_infinity_are_kept_as_such():
    values = roundtrip([math.nan, math.inf, -math.inf])
    assert math.isnan(values[0]) and values[1] == math.inf and values[2] == -math.inf


def test_unsupported_values_become_opaque_names():
    assert roundtrip(lambda: 0) == Opaque("function")
    assert roundtrip(np.array(["a"])) == Opaque("array of <U1")


def test_lying_subclasses_are_not_transported_as_numbers():
    class Liar(float):
        def __eq__(self, other):
            return True

        def __sub__(self, other):
            return 0.0

    assert isinstance(roundtrip(Liar(3.0)), Opaque)


def test_sympy_expressions_travel_as_trees():
    import sympy

    answer = roundtrip(sympy.Symbol("x") + 2)
    assert isinstance(answer, SymbolicAnswer)


@pytest.mark.parametrize(
    "data",
    [
        {"$nd": {"dtype": "float64", "shape": [2], "data": [1.0]}},
        {"$nd": {"dtype": "float64", "shape": [1], "data": ["1"]}},
        {"$nd": {"dtype": "float64", "shape": [-1], "data": []}},
        {"$nd": {"dtype": "float64", "shape": [10**9], "data": []}},
        {"$exec": "os.system('true')"},
        {"a": 1, "b": 2},
        {"$tensor": {"dtype": 3, "shape": [], "data": 1.0}},
        {"$nd": {"dtype": "float64", "shape": [2], "data": [1.0, 10**400]}},  # not a float64
    ],
)
def test_malformed_data_is_refused(data):
    with pytest.raises(MalformedAnswer):
        decode_answer(data)


def test_too_deep_nesting_is_refused():
    data: list = []
    for _ in range(40):
        data = [data]
    with pytest.raises(MalformedAnswer):
        decode_answer(data)


def test_right_numbers_in_the_wrong_shape_do_not_match():
    answer = roundtrip(np.arange(6.0))
    problem = mismatch(answer, np.arange(6.0).reshape(2, 3), 1e-6, 1e-9)
    assert problem is not None and problem.kind == "wrong-shape"


def test_tensor_device_and_dtype_are_checked():
    truth = TensorTruth(np.ones((1, 1)), "float64", "cuda")
    on_cpu = ArrayAnswer("tensor", "float64", (1, 1), np.ones((1, 1)), device="cpu")
    on_gpu32 = ArrayAnswer("tensor", "float32", (1, 1), np.ones((1, 1)), device="cuda:0")
    on_gpu = ArrayAnswer("tensor", "float64", (1, 1), np.ones((1, 1)), device="cuda:0")
    assert mismatch(on_cpu, truth, 1e-6, 1e-9).kind == "wrong-device"
    assert mismatch(on_gpu32, truth, 1e-6, 1e-9).kind == "wrong-dtype"
    assert mismatch(on_gpu, truth, 1e-6, 1e-9) is None


def test_nan_never_matches_even_when_expected_is_nan():
    answer = roundtrip(math.nan)
    assert mismatch(answer, math.nan, 1e-6, 1e-9) is not None


FLOATS = st.floats(allow_nan=True, allow_infinity=True)
NUMBERS = st.one_of(FLOATS, st.integers(), st.integers(-(10**400), 10**400))


@settings(max_examples=300, deadline=None)
@given(answer=NUMBERS, expected=st.floats(allow_nan=False, allow_infinity=True))
def test_one_number_is_judged_as_numpy_judges_a_zero_dimensional_array(answer, expected):
    # A float truth takes a path without NumPy; a 0-d array takes NumPy's: they must agree.
    fast = mismatch(answer, expected, 1e-6, 1e-9)
    general = mismatch(answer, np.asarray(expected), 1e-6, 1e-9)
    assert (fast and (fast.kind, fast.message)) == (general and (general.kind, general.message))


@settings(max_examples=200, deadline=None)
@given(st.lists(FLOATS, max_size=40), st.lists(FLOATS, max_size=40))
def test_rows_of_floats_travel_exactly(first, second):
    sent = encode_answer([first, tuple(second)])
    assert sent == [first, second]  # the same float objects, NaN included
    array = decode_answer(encode_answer(np.array(first, dtype=np.float64)))
    np.testing.assert_array_equal(array.values, np.array(first, dtype=np.float64))


def test_a_list_of_floats_beyond_the_budget_is_too_large():
    assert encode_answer([0.5] * (MAX_ELEMENTS + 1)) == {"$opaque": "answer too large"}
    assert encode_answer([[0.5] * (MAX_ELEMENTS // 2)] * 3) == {"$opaque": "answer too large"}


def test_a_row_with_something_not_a_float_is_still_checked_item_by_item():
    row = {"$nd": {"dtype": "float64", "shape": [3], "data": [1.0, 2, 3.5]}}
    np.testing.assert_array_equal(decode_answer(row).values, [1.0, 2.0, 3.5])
    for bad in (True, "1", None, [1.0]):
        with pytest.raises(MalformedAnswer):
            decode_answer({"$nd": {"dtype": "float64", "shape": [2], "data": [1.0, bad]}})
