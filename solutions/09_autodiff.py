"""Reference solution for exercise 09 — reverse accumulation in a small Value class (seed 002).

No autodiff library anywhere: plain floats and the math module.
"""

import math


class Value:
    """A number in a computation graph, with the gradient of the graph's root after backward()."""

    def __init__(self, data: float, _children: tuple["Value", ...] = ()) -> None:
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        self._backward = lambda: None

    @staticmethod
    def _lift(other: "Value | float") -> "Value":
        # A plain number becomes a leaf: its .grad is filled in but nobody reads it.
        return other if isinstance(other, Value) else Value(other)

    def __add__(self, other: "Value | float") -> "Value":
        other = self._lift(other)
        out = Value(self.data + other.data, (self, other))

        def _backward() -> None:
            # += : in x + x both lines add to the same node, and x may be used elsewhere too.
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __radd__(self, other: float) -> "Value":
        return self + other  # addition commutes

    def __mul__(self, other: "Value | float") -> "Value":
        other = self._lift(other)
        out = Value(self.data * other.data, (self, other))

        def _backward() -> None:
            # ∂(a·b)/∂a = b and ∂(a·b)/∂b = a: each factor gets the other one.
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __rmul__(self, other: float) -> "Value":
        return self * other

    def __pow__(self, k: float) -> "Value":
        out = Value(self.data**k, (self,))

        def _backward() -> None:
            self.grad += k * self.data ** (k - 1) * out.grad  # the power rule

        out._backward = _backward
        return out

    # The rest is built from the operations above, so their derivatives come for free:
    # a − b = a + (−1)·b, and a / b = a · b⁻¹, whose ∂/∂b = a·(−1)·b⁻² = −a/b².
    def __sub__(self, other: "Value | float") -> "Value":
        return self + self._lift(other) * -1.0

    def __rsub__(self, other: float) -> "Value":
        return self._lift(other) + self * -1.0  # other − self, in that order

    def __truediv__(self, other: "Value | float") -> "Value":
        return self * self._lift(other) ** -1.0

    def __rtruediv__(self, other: float) -> "Value":
        return self._lift(other) * self**-1.0  # other / self, in that order

    def exp(self) -> "Value":
        out = Value(math.exp(self.data), (self,))

        def _backward() -> None:
            self.grad += out.data * out.grad  # d e^x/dx = e^x, already computed as out.data

        out._backward = _backward
        return out

    def log(self) -> "Value":
        out = Value(math.log(self.data), (self,))

        def _backward() -> None:
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def sigmoid(self) -> "Value":
        x = self.data
        # The two equal forms never exponentiate a large positive number (no overflow).
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        out = Value(s, (self,))

        def _backward() -> None:
            self.grad += s * (1.0 - s) * out.grad  # σ′ at the input x, from the output s

        out._backward = _backward
        return out

    def backward(self) -> None:
        # Topological order by depth-first search: a node is appended only after all the
        # nodes it was computed from, so walking the list backwards, each node has received
        # every contribution before it passes its gradient on.
        order: list[Value] = []
        seen: set[int] = set()

        def visit(node: Value) -> None:
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1.0  # ∂root/∂root
        for node in reversed(order):
            node._backward()
