"""Checks: how one test draws its inputs and judges what the student's function returned."""

from grader.checks.base import Assessment, Case, Check, Mistake
from grader.checks.numeric import NumericCheck, TensorTruth
from grader.checks.symbolic import SymbolicCheck

__all__ = ["Assessment", "Case", "Check", "Mistake", "NumericCheck", "SymbolicCheck", "TensorTruth"]
