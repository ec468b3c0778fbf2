"""Expression graphs as data: drawn by the parent, built with a student's Value in a child."""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

__all__ = ["OPS", "GraphRecipe", "Op", "apply_op", "draw_recipe", "forward", "partials"]

# The operations a recipe may use. Binary ones take two nodes (a, b), a node and a number on
# its right (a, k) or a number on its left (k, b); `**` takes a node and a number exponent.
OPS = ("+", "-", "*", "/", "**", "exp", "log", "sigmoid")
_UNARY = frozenset({"exp", "log", "sigmoid"})
_REFLECTED_DIVISION = "k/"  # a tour stop: a number divided by the latest node
# A student's recursive topological sort recurses once per node of the longest path; their
# own helper nodes (constants wrapped in Value, `a - b` as `a + (-b)`) can triple that path.
# The child raises Python's limit to this while `backward()` runs, so a sensible recursive
# solution works on the deepest graph drawn (Python 3.11 keeps Python-to-Python recursion off
# the C stack, so the raise is safe).
RECURSION_LIMIT = 20_000
_EXPONENTS = (2.0, 3.0, -1.0, 0.5, -0.5, 1.5)
_LARGEST = 20.0  # every node's value stays within ±_LARGEST and away from 0 by _SMALLEST
_SMALLEST = 1e-3


class Op(NamedTuple):
    """One node of a recipe: `op` applied to node `a` and/or node `b` or the number `k`."""

    op: str
    a: int | None = None
    b: int | None = None
    k: float | None = None


@dataclass(frozen=True)
class GraphRecipe:
    """Leaves (input numbers) and operations; node i < len(leaves) is a leaf, then one per op.

    The last node is the root on which `backward()` is called.
    """

    leaves: tuple[float, ...]
    ops: tuple[Op, ...]

    def wire_spec(self) -> dict[str, Any]:
        # JSON writes each Op (a tuple) as an array: no list of lists to build for a deep graph.
        return {"$graph": {"leaves": list(self.leaves), "ops": list(self.ops)}}

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> GraphRecipe:
        return cls(tuple(float(x) for x in body["leaves"]),
                   tuple(Op(str(o[0]), o[1], o[2], o[3]) for o in body["ops"]))

    @property
    def size(self) -> int:
        return len(self.leaves) + len(self.ops)

    def describe(self) -> str:
        """The recipe as the program that builds it (the first lines of it, if long)."""
        lines = [f"v{i} = Value({x:g})" for i, x in enumerate(self.leaves)]
        lines += [f"v{i} = {_source(op)}" for i, op in enumerate(self.ops, len(self.leaves))]
        shown = lines if len(lines) <= 14 else [*lines[:10], f"… {len(lines) - 12} more …",
                                                *lines[-2:]]
        return "; ".join([*shown, f"v{self.size - 1}.backward()"])

    # -- child side ------------------------------------------------------------------------

    def drive(self, value_class: Any) -> list[list[float]]:
        """Build the graph with the student's class, call backward() on the root, and return
        [every node's .data, every node's .grad] as floats, in node order."""
        nodes = [value_class(x) for x in self.leaves]
        for op in self.ops:
            nodes.append(apply_op(op, nodes))
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
        try:
            nodes[-1].backward()
        finally:
            sys.setrecursionlimit(limit)
        return [[_number(node, "data", i) for i, node in enumerate(nodes)],
                [_number(node, "grad", i) for i, node in enumerate(nodes)]]


def apply_op(op: Op, nodes: list[Any]) -> Any:
    """`op` done with Python's operators and methods on `nodes` (student Values, tensors)."""
    if op.op in _UNARY:
        return getattr(nodes[op.a], op.op)()
    left = nodes[op.a] if op.a is not None else op.k
    right = nodes[op.b] if op.b is not None else op.k
    if op.op == "+":
        return left + right
    if op.op == "-":
        return left - right
    if op.op == "*":
        return left * right
    if op.op == "/":
        return left / right
    return left**right


def _number(node: Any, attribute: str, index: int) -> float:
    value = getattr(node, attribute)
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"node v{index}: .{attribute} is {type(value).__name__}, not a "
                        "number") from exc


def _source(op: Op) -> str:
    if op.op in _UNARY:
        return f"v{op.a}.{op.op}()"
    left = f"v{op.a}" if op.a is not None else f"{op.k:g}"
    right = f"v{op.b}" if op.b is not None else f"{op.k:g}"
    return f"{left} {op.op} {right}"


# -- the mathematics of each operation (parent side) ------------------------------------------


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def forward(op: Op, values: list[float]) -> float:
    """The value of `op` given the values of the nodes before it."""
    a = values[op.a] if op.a is not None else op.k
    if op.op == "exp":
        return math.exp(a)
    if op.op == "log":
        return math.log(a)
    if op.op == "sigmoid":
        return _sigmoid(a)
    b = values[op.b] if op.b is not None else op.k
    assert a is not None and b is not None
    if op.op == "+":
        return a + b
    if op.op == "-":
        return a - b
    if op.op == "*":
        return a * b
    if op.op == "/":
        return a / b
    return a**b


def partials(op: Op, values: list[float]) -> list[tuple[int, float]]:
    """(operand node, ∂op/∂operand) for each node operand, in order a then b."""
    a = values[op.a] if op.a is not None else op.k
    b = values[op.b] if op.b is not None else op.k
    assert a is not None
    name = op.op
    if name == "exp":
        return [(op.a, math.exp(a))]
    if name == "log":
        return [(op.a, 1.0 / a)]
    if name == "sigmoid":
        s = _sigmoid(a)
        return [(op.a, s * (1.0 - s))]
    assert b is not None
    if name == "**":
        return [(op.a, b * a ** (b - 1.0))]
    if name == "+":
        da, db = 1.0, 1.0
    elif name == "-":
        da, db = 1.0, -1.0
    elif name == "*":
        da, db = b, a
    else:
        da, db = 1.0 / b, -a / (b * b)
    # Only node operands have a partial: a number on either side has none.
    if op.a is None:
        return [(op.b, db)]
    return [(op.a, da)] if op.b is None else [(op.a, da), (op.b, db)]


# -- drawing ----------------------------------------------------------------------------------


def draw_recipe(
    rng: np.random.Generator, *, inputs: int, ops: int, share: float = 0.25,
    tour: bool = True,
) -> GraphRecipe:
    """A random graph whose last node hangs on a chain through all `ops` operations.

    Each operation uses the latest node (so the graph is `ops` deep) and, with probability
    `share`, an earlier non-leaf node (a shared sub-expression); otherwise a leaf or a number,
    on either side. Values stay within ±20 and away from 0, log sees only positive numbers,
    and the chain's derivative stays within e^±7, so every gradient is a moderate number.
    `tour` makes the first operations visit every kind once, and a number divided by a node,
    so small graphs use them all.
    """
    # Python's own generator, seeded from the grader's: the same unpredictable draw at a
    # tenth of the cost of NumPy's per-number calls (a deep graph makes a thousand picks).
    pick = random.Random(int(rng.integers(1 << 63)))
    values = [pick.choice((-1.0, 1.0)) * pick.uniform(0.5, 2.0) for _ in range(inputs)]
    recipe: list[Op] = []
    gain = 0.0  # log |∂latest/∂first op's operand| along the chain
    pending = [*OPS, _REFLECTED_DIVISION] if tour else []
    while len(recipe) < ops:
        # A kind the latest value cannot take yet (log of a negative) waits for a later turn.
        for attempt in range(200):
            wanted = pending[0] if pending and attempt < 40 else None
            op = _propose(pick, wanted, len(values), inputs, share)
            step = _accept(op, values, gain)
            if step is not None:
                break
        else:  # always fits: adds a bounded leaf, and the chain's derivative is 1
            op = Op("+", len(values) - 1, pick.randrange(inputs))
            step = (forward(op, values), gain)
        if pending and _is_kind(op, pending[0]):
            pending.pop(0)
        values.append(step[0])
        gain = step[1]
        recipe.append(op)
    return GraphRecipe(tuple(values[:inputs]), tuple(recipe))


def _is_kind(op: Op, wanted: str) -> bool:
    if wanted == _REFLECTED_DIVISION:
        return op.op == "/" and op.a is None
    return op.op == wanted


def _propose(
    pick: random.Random, wanted: str | None, count: int, inputs: int, share: float
) -> Op:
    name = wanted or pick.choice(OPS)
    latest = count - 1
    if name in _UNARY:
        return Op(name, latest)
    if name == "**":
        return Op(name, latest, None, pick.choice(_EXPONENTS))
    if name == _REFLECTED_DIVISION:
        return Op("/", None, latest, _operand(pick))
    if pick.random() < 0.3:
        number = _operand(pick)
        return Op(name, latest, None, number) if pick.random() < 0.5 else Op(name, None, latest,
                                                                             number)
    shared = pick.random() < share and count > inputs
    other = pick.randrange(inputs, count) if shared else pick.randrange(inputs)
    return Op(name, latest, other) if pick.random() < 0.5 else Op(name, other, latest)


def _operand(pick: random.Random) -> float:
    """A number operand: ±0.5 to 2.5, to two decimals (readable in a recipe's listing)."""
    return round(pick.choice((-1.0, 1.0)) * pick.uniform(0.5, 2.5), 2)


def _accept(op: Op, values: list[float], gain: float) -> tuple[float, float] | None:
    """The new value and chain gain when `op` keeps every number moderate; else None."""
    latest = len(values) - 1
    x = values[latest]
    if op.op == "log" and x <= 0.05:
        return None
    if op.op == "**" and (op.k % 1 != 0 or op.k < 0) and abs(x) < 0.2:
        return None
    if op.op == "**" and op.k % 1 != 0 and x <= 0:
        return None
    if op.op == "/" and op.b is not None and abs(values[op.b]) < 0.3:
        return None
    try:
        value = forward(op, values)
        derivative = _along_chain(op, values, latest)
    except (ArithmeticError, ValueError):
        return None
    if not _SMALLEST <= abs(value) <= _LARGEST or derivative is None or derivative == 0:
        return None
    new_gain = gain + math.log(abs(derivative))
    return (value, new_gain) if abs(new_gain) <= 7.0 else None


def _along_chain(op: Op, values: list[float], latest: int) -> float | None:
    """∂op/∂(latest node), summed where op uses it twice; None when a part is not finite or
    50 or more in size (as `partials` gives them)."""
    total = 0.0
    for node, d in partials(op, values):
        if node != latest:
            continue
        if not (math.isfinite(d) and abs(d) < 50):
            return None
        total += d
    return total
