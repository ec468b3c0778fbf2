"""Size limits for symbolic answers: `Limits` and the `DEFAULT` set the grader uses."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT", "Limits"]


@dataclass(frozen=True)
class Limits:
    """Bounds that keep reading, building and comparing an answer cheap and finite.

    Every bound is checked *before* the work it protects is done, so an answer such as
    `9**9**9` is refused instead of computed.
    """

    max_chars: int = 2000  # answer text, checked before parsing
    max_nodes: int = 500  # nodes of the expression tree (leaves included)
    max_depth: int = 40  # nesting of the expression tree
    max_name_length: int = 64  # characters of a symbol name
    max_int_digits: int = 30  # digits of one integer literal
    max_exponent: int = 64  # |n| of a numeric exponent; also the numerator/denominator cap
    max_number_bits: int = 1024  # bound on any number SymPy may compute while building
    max_float_bits: int = 256  # binary precision of one Float
    max_sum_limits: int = 3  # (var, lo, hi) triples of one Sum
    max_indices: int = 3  # indices of one X[i, j, ...]
    max_sum_span: int = 5  # terms a Sum may be unrolled into; also the m = 1..span instances
    max_unrolled_nodes: int = 5000  # size of an expression after its Sums are unrolled
    max_expand_terms: int = 500  # estimated terms of expand() allowed in-process


DEFAULT = Limits()
