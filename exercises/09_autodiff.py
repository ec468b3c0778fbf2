"""Exercise 09 — your own automatic differentiation (seeds 000 and 002).

Seed 000 ends on a question: deep-learning frameworks compute gradients for you with
"automatic differentiation" — how would that work? Seed 002 answers it. A computation is a
graph of small operations; the chain rule multiplies their local derivatives, and doing
the multiplications from the output backwards (reverse accumulation, 反向累积) gives the
gradient of the output with respect to every node in one sweep:

    ∂y/∂x = (((∂y/∂u_n · ∂u_n/∂u_(n−1)) ⋯ ) · ∂u_2/∂u_1) · ∂u_1/∂x

Seed 002's example, z = (⟨x, w⟩ − y)², is the graph a = ⟨x, w⟩, b = a − y, z = b²:

    ∂z/∂b = 2b,   ∂z/∂a = ∂z/∂b · ∂b/∂a = ∂z/∂b · 1,   ∂z/∂w_j = ∂z/∂a · x_j.

You will build the class that does this for any such graph, one number per node.

The class
---------
A Value holds a number `.data` and, after backward(), `.grad` = ∂root/∂(this node).
Every operation returns a NEW Value that remembers the Values it was made from (its
children, `_prev`) and a small function `_backward` that, given the new node's `.grad`,
adds the node's share to each child's `.grad` — the chain rule for one operation:

    child.grad += out.grad · ∂out/∂child          (+=, not =: see below)

The local derivatives you need (x, a, b are Values; k a plain number; out the result):

    out = a + b      ∂out/∂a = 1,        ∂out/∂b = 1
    out = a − b      ∂out/∂a = 1,        ∂out/∂b = −1
    out = a · b      ∂out/∂a = b,        ∂out/∂b = a
    out = a / b      ∂out/∂a = 1/b,      ∂out/∂b = −a/b²
    out = x ** k     ∂out/∂x = k·x^(k−1)     (k is a number, never a Value)
    out = exp(x)     ∂out/∂x = exp(x)  (= out itself)
    out = log(x)     ∂out/∂x = 1/x           (natural log, x > 0)
    out = σ(x)       ∂out/∂x = σ(x)·(1 − σ(x)),  σ(x) = 1 / (1 + e^(−x))

Numbers may stand on either side: `v + 2`, `2 + v`, `3 - v`, `1 / v` must all work.
Python calls `v.__add__(2)` for `v + 2`, and `v.__radd__(2)` for `2 + v` (likewise
__rsub__, __rmul__, __rtruediv__). Careful with the reflected ones: `3 - v` is
`v.__rsub__(3)` and must compute 3 − v, not v − 3.

backward()
----------
root.backward() sets root.grad = 1 (∂root/∂root) and then calls every node's `_backward`
so that each node passes its gradient on only AFTER every node that uses it has added its
share — a reverse topological order. Build that order first: a depth-first walk that
appends a node after all its children (skipping nodes already seen), then go through the
list backwards. A node used twice (a shared sub-expression, like x in x·x or in
(x + 1)·exp(x)) receives two contributions; that is why `_backward` adds with +=.

The grader builds random graphs hundreds of operations deep from Values you construct with
Value(number), calls backward() on the last node, and compares every node's .data and
.grad with PyTorch's autograd. (A recursive depth-first walk is fine: the grader raises
Python's recursion limit while your backward() runs.)

The rule
--------
This is automatic differentiation built by you: torch, JAX or any other autodiff library
may not be imported here. The math module has exp and log for plain floats.
"""

import math  # noqa: F401  (math.exp and math.log work on the floats in .data)


class Value:
    """A number in a computation graph, with the gradient of the graph's root after backward()."""

    def __init__(self, data: float, _children: tuple["Value", ...] = ()) -> None:
        self.data = float(data)
        self.grad = 0.0  # ∂root/∂self, filled in by backward()
        self._prev = tuple(_children)  # the Values this one was computed from
        self._backward = lambda: None  # adds self.grad · ∂self/∂child to each child's .grad

    def __add__(self, other: "Value | float") -> "Value":
        # TODO: wrap a plain number in a Value; make out = Value(sum, (self, other)); give out
        # TODO: a _backward that adds out.grad · (local derivative) to each child's .grad.
        raise NotImplementedError("Value.__add__: a new node and its local backward step")

    def __radd__(self, other: float) -> "Value":
        # TODO: other + self, where other is a plain number.
        raise NotImplementedError("Value.__radd__")

    def __sub__(self, other: "Value | float") -> "Value":
        # TODO: self − other (∂/∂self = 1, ∂/∂other = −1).
        raise NotImplementedError("Value.__sub__")

    def __rsub__(self, other: float) -> "Value":
        # TODO: other − self, where other is a plain number (not self − other).
        raise NotImplementedError("Value.__rsub__")

    def __mul__(self, other: "Value | float") -> "Value":
        # TODO: self · other; each child's local derivative is the other factor.
        raise NotImplementedError("Value.__mul__")

    def __rmul__(self, other: float) -> "Value":
        # TODO: other · self, where other is a plain number.
        raise NotImplementedError("Value.__rmul__")

    def __truediv__(self, other: "Value | float") -> "Value":
        # TODO: self / other (∂/∂self = 1/other, ∂/∂other = −self/other²).
        raise NotImplementedError("Value.__truediv__")

    def __rtruediv__(self, other: float) -> "Value":
        # TODO: other / self, where other is a plain number (not self / other).
        raise NotImplementedError("Value.__rtruediv__")

    def __pow__(self, k: float) -> "Value":
        # TODO: self ** k for a plain number k: the power rule k·x^(k−1).
        raise NotImplementedError("Value.__pow__")

    def exp(self) -> "Value":
        # TODO: e^x, whose derivative is e^x itself.
        raise NotImplementedError("Value.exp")

    def log(self) -> "Value":
        # TODO: the natural log, whose derivative is 1/x.
        raise NotImplementedError("Value.log")

    def sigmoid(self) -> "Value":
        # TODO: σ(x) = 1 / (1 + e^(−x)), whose derivative is σ(x)·(1 − σ(x)).
        raise NotImplementedError("Value.sigmoid")

    def backward(self) -> None:
        # TODO: order the graph's nodes topologically (children before the nodes using them),
        # TODO: set self.grad = 1, then call each node's _backward in reverse order.
        raise NotImplementedError("Value.backward: reverse accumulation over the whole graph")
