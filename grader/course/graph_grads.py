"""Reverse accumulation over a graph recipe in float64 with named wrong rules (09's diagnoses)."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

import numpy as np

from grader.graph_recipe import GraphRecipe, Op, forward, partials

__all__ = ["Rule", "evaluate", "fits_one_step", "fits_overwritten", "walks_without_order"]

# A wrong rule for some operations: (value, [(operand node, local derivative)]), or None
# where the operation is done right.
Rule = Callable[[Op, list[float]], tuple[float, list[tuple[int, float]]] | None]

# Walking every path of a graph repeats work exponentially; beyond this many pushes the
# student's own walk would have timed out, so no diagnosis needs it.
_MAX_PUSHES = 200_000


def _values(recipe: GraphRecipe, rule: Rule | None) -> tuple[list[float], list[list]]:
    values = list(recipe.leaves)
    local: list[list[tuple[int, float]]] = []
    for op in recipe.ops:
        wrong = rule(op, values) if rule else None
        value, parts = wrong if wrong is not None else (forward(op, values), partials(op, values))
        values.append(value)
        local.append(parts)
    return values, local


def evaluate(recipe: GraphRecipe, rule: Rule | None = None,
             unchained: Callable[[Op], bool] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(every node's value, every node's gradient) by reverse accumulation in creation order
    reversed (a topological order), with `rule` replacing some operations' mathematics; the
    operations `unchained` picks pass on their local derivative alone, without the factor
    out.grad (the chain rule's upstream gradient forgotten)."""
    values, local = _values(recipe, rule)
    grads = [0.0] * len(values)
    grads[-1] = 1.0
    first = len(recipe.leaves)
    for index in range(len(values) - 1, first - 1, -1):
        upstream = 1.0 if unchained and unchained(recipe.ops[index - first]) else grads[index]
        for node, d in local[index - first]:
            grads[node] += upstream * d
    return np.array(values), np.array(grads)


def walks_without_order(recipe: GraphRecipe) -> list[tuple[np.ndarray, np.ndarray]]:
    """What backward() gives when it walks the graph from the root in no topological order,
    each as students write it: every path recursively (pushing a node's gradient each time
    it is reached), or each node once in breadth-first or depth-first order; operands taken
    a-then-b or b-then-a. A walk too long to have finished is left out."""
    values, local = _values(recipe, None)
    first = len(recipe.leaves)
    found = []
    for reverse in (False, True):
        children = [[node for node, _ in (parts[::-1] if reverse else parts)]
                    for parts in local]
        for walk in (_every_path, _once_breadth_first, _once_depth_first):
            grads = walk(len(values), first, local, children)
            if grads is not None:
                found.append((np.array(values), np.array(grads)))
    return found


def _push(grads: list[float], index: int, first: int, local: list[list]) -> None:
    if index >= first:
        for node, d in local[index - first]:
            grads[node] += grads[index] * d


def _every_path(size: int, first: int, local: list[list], children: list[list[int]]
                ) -> list[float] | None:
    grads = [0.0] * size
    grads[-1] = 1.0
    stack = [size - 1]  # pre-order: a node pushes, then each operand is walked in turn
    pushes = 0
    while stack:
        index = stack.pop()
        _push(grads, index, first, local)
        pushes += 1
        if pushes > _MAX_PUSHES:
            return None
        if index >= first:
            stack.extend(reversed(children[index - first]))
    return grads


def _once_breadth_first(size: int, first: int, local: list[list], children: list[list[int]]
                        ) -> list[float] | None:
    return _once(size, first, local, children, breadth_first=True)


def _once_depth_first(size: int, first: int, local: list[list], children: list[list[int]]
                      ) -> list[float] | None:
    return _once(size, first, local, children, breadth_first=False)


def _once(size: int, first: int, local: list[list], children: list[list[int]], *,
          breadth_first: bool) -> list[float]:
    grads = [0.0] * size
    grads[-1] = 1.0
    waiting = deque([size - 1])
    seen = {size - 1}
    while waiting:
        index = waiting.popleft() if breadth_first else waiting.pop()
        _push(grads, index, first, local)
        for child in children[index - first] if index >= first else ():
            if child not in seen:
                seen.add(child)
                waiting.append(child)
    return grads


def fits_overwritten(recipe: GraphRecipe, grads: np.ndarray, rtol: float, atol: float) -> bool:
    """Whether `grads` is what `.grad = …` instead of `.grad += …` leaves: every node holds the
    contribution of one of its uses (whichever came last), judged against the student's own
    gradients of the nodes that use it, so the order of the student's walk does not matter."""
    values, local = _values(recipe, None)
    if len(grads) != len(values) or not math.isclose(grads[-1], 1.0, rel_tol=rtol):
        return False
    first = len(recipe.leaves)
    uses: list[list[float]] = [[] for _ in values]
    for index, parts in enumerate(local, first):
        for node, d in parts:
            uses[node].append(grads[index] * d)
    return all(
        any(abs(grads[node] - c) <= atol + rtol * abs(c) for c in (uses[node] or [0.0]))
        for node in range(len(values) - 1)
    )


def fits_one_step(recipe: GraphRecipe, grads: np.ndarray, rtol: float, atol: float) -> bool:
    """Whether only the root passed its gradient on: root 1, the root's operands their local
    derivative (or 0, where the student's class builds that operation from helper nodes),
    every other node 0. A topological order walked forwards (children first) leaves exactly
    this, whatever the order, as does a backward() that calls the root's step alone."""
    values, local = _values(recipe, None)
    if len(grads) != len(values) or not math.isclose(grads[-1], 1.0, rel_tol=rtol):
        return False
    reached = dict(local[-1]) if recipe.ops else {}
    # A root `k − x` or `k / x` is often built as k + (−x) or k·x⁻¹: then its one operand
    # is reached through a helper node and keeps 0 too.
    through_helper = bool(recipe.ops) and recipe.ops[-1].a is None
    if not through_helper and not any(abs(grads[node] - d) <= atol + rtol * abs(d) and d != 0
                                      for node, d in reached.items()):
        return False
    return all(abs(grads[node]) <= atol or (
        node in reached and abs(grads[node] - reached[node]) <= atol + rtol * abs(reached[node]))
        for node in range(len(values) - 1))
