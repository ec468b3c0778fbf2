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
    max_sum_span: int = 5  # sums over 1..m are sampled for m = 1..span ...
    extra_sum_instances: tuple[int, ...] = (8, 13)  # ... and these m (no vanishing on 1..5)
    max_sum_nesting: int = 3  # Sums (limits) inside one another
    max_sum_work: int = 20_000  # node evaluations per sample point, loops counted in full
    max_expand_terms: int = 500  # estimated terms of expand() allowed

    @property
    def sum_instances(self) -> tuple[int, ...]:
        """The values of m for which sums over 1..m are sampled."""
        return (*range(1, self.max_sum_span + 1), *self.extra_sum_instances)

    @property
    def longest_sum(self) -> int:
        """The most terms one Sum may run over when it is sampled."""
        return max(self.sum_instances)


DEFAULT = Limits()
