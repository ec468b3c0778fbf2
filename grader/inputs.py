"""Inputs the grader hands to student code that are more than numbers: gradients and tensors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.graph_recipe import GraphRecipe

__all__ = ["Gradient", "TensorInput", "rebuild_input"]


@dataclass(frozen=True)
class Gradient:
    """A gradient function described as data, so the child can rebuild it without code.

    kinds: `affine` g(w) = scale·w + shift (seed 000's x + 2);
    `least_squares` g(W) = (2/n)·Σ (W·x + offset − y)·x, the gradient of seed 003's loss
    Σ(W·x + offset − y)²/n; `quadratic` g(w) = A·w − b for array parameters.
    """

    kind: str
    params: dict[str, Any] = field(hash=False)

    def __call__(self, w: Any) -> Any:
        p = self.params
        if self.kind == "affine":
            return p["scale"] * w + p["shift"]
        if self.kind == "least_squares":
            x, y = np.asarray(p["x"], dtype=float), np.asarray(p["y"], dtype=float)
            residual = w * x + p["offset"] - y
            return float(2.0 / len(x) * np.sum(residual * x))
        if self.kind == "quadratic":
            return np.asarray(p["A"], dtype=float) @ np.asarray(w, dtype=float) - np.asarray(
                p["b"], dtype=float
            )
        raise ValueError(f"unknown gradient kind {self.kind!r}")

    def loss(self, w: Any) -> float:
        """The loss whose gradient this is (up to a constant), for plots and diagnoses."""
        p = self.params
        if self.kind == "affine":
            return float(p["scale"] * w * w / 2 + p["shift"] * w)
        if self.kind == "least_squares":
            x, y = np.asarray(p["x"], dtype=float), np.asarray(p["y"], dtype=float)
            return float(np.sum((w * x + p["offset"] - y) ** 2) / len(x))
        a, b, v = np.asarray(p["A"], dtype=float), np.asarray(p["b"], dtype=float), np.asarray(w)
        return float(v @ a @ v / 2 - b @ v)

    def wire_spec(self) -> dict[str, Any]:
        return {"$fn": {"kind": self.kind, "params": self.params}}

    def describe(self) -> str:
        p = self.params
        if self.kind == "affine":
            return f"grad_fn(w) = {p['scale']:g}·w + {p['shift']:g}"
        if self.kind == "least_squares":
            return f"grad_fn = gradient of Σ(W·x + {p['offset']:g} − y)²/{len(p['x'])}"
        return f"grad_fn(w) = A·w − b with A = {p['A']}, b = {p['b']}"


@dataclass(frozen=True)
class TensorInput:
    """A float64 array the child must hand to the student as a torch tensor on `device`."""

    values: np.ndarray = field(hash=False)
    device: str = "cpu"

    def wire_spec(self) -> dict[str, Any]:
        data = self.values.tolist()
        return {"$tensor": {"data": data, "dtype": "float64", "device": self.device}}

    def describe(self) -> Any:
        return self.values.round(8).tolist()


def rebuild_input(spec: Any) -> Any:
    """Child side: turn the parent's tagged input data back into arrays, tensors, callables."""
    if isinstance(spec, list):
        return [rebuild_input(item) for item in spec]
    if not isinstance(spec, dict):
        return spec
    ((tag, body),) = spec.items()
    if tag == "$nd":
        return np.array(body["data"], dtype=body["dtype"])
    if tag == "$tensor":
        import torch

        return torch.tensor(body["data"], dtype=torch.float64, device=body["device"])
    if tag == "$fn":
        return Gradient(body["kind"], body["params"])
    if tag == "$graph":
        return GraphRecipe.from_wire(body)
    raise ValueError(f"unknown input tag {tag!r}")
