"""The parent accepts only well-formed plain data, rebuilt by itself, from the child."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from grader.checks.numeric import TensorTruth, mismatch
from grader.wire import (
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
