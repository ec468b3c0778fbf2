"""Top-level names of automatic-differentiation libraries, ruled out by exercise 09."""

from __future__ import annotations

__all__ = ["AUTODIFF_LIBRARIES"]

# Shared by the static reading of a submission (grader.course.shortcuts) and the child's
# import tripwire (grader.child), so both refuse the same libraries.
AUTODIFF_LIBRARIES = frozenset({
    "torch", "functorch", "jax", "jaxlib", "flax", "autograd", "tensorflow", "keras",
    "mxnet", "tinygrad", "micrograd", "paddle", "mindspore", "theano", "aesara", "pytensor",
    "chainer", "autograd_minimize", "casadi",
})
