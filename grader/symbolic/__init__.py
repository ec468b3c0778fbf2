"""Symbolic answers: read them safely, rebuild them from the wire, compare them with the truth."""

from grader.symbolic.compare import (
    Comparison,
    Outcome,
    agrees_numerically,
    compare,
)
from grader.symbolic.limits import DEFAULT, Limits
from grader.symbolic.parser import parse_answer, rebuild_answer
from grader.symbolic.tree import FUNCTIONS, Tree, from_tree, to_tree

__all__ = [
    "DEFAULT",
    "FUNCTIONS",
    "Comparison",
    "Limits",
    "Outcome",
    "Tree",
    "agrees_numerically",
    "compare",
    "from_tree",
    "parse_answer",
    "rebuild_answer",
    "to_tree",
]
