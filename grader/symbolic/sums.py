"""Sums over 1..m: the fixed m to sample (`instantiate`), and a canonical form that holds for
every m (`canonical`), where each distinct sum becomes one symbol."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy
from sympy.tensor.indexed import Indexed

from grader.symbolic.budget import OverBudget, expand_terms
from grader.symbolic.limits import Limits
from grader.symbolic.sampling import Case

__all__ = ["canonical", "instantiate"]


# ------------------------------------------------------------------ sampled for fixed m


def instantiate(
    answer: sympy.Expr, truth: sympy.Expr, bound: sympy.Symbol | None, limits: Limits
) -> list[Case]:
    """The (answer, truth, {m: k}) cases to sample: with sums over 1..m, one per k in
    `limits.sum_instances` (`bound` is found in `truth` when not given); else the pair with
    nothing fixed."""
    whole: list[Case] = [(answer, truth, {})]
    if not (answer.has(sympy.Sum) or truth.has(sympy.Sum)):
        return whole
    bound = bound if bound is not None else _detect_bound(truth)
    if bound is None:
        return whole
    return [(answer, truth, {bound.name: k}) for k in limits.sum_instances]


def _detect_bound(truth: sympy.Expr) -> sympy.Symbol | None:
    uppers = {hi for s in truth.atoms(sympy.Sum) for _, _, hi in s.limits if hi.is_Symbol}
    return uppers.pop() if len(uppers) == 1 else None


# ------------------------------------------------------------------ for every m


class _NoProof(Exception):
    pass


# The one index every canonical sum runs over; no answer can name it (a leading _ is refused).
_INDEX = sympy.Symbol("_k", integer=True)


def canonical(exprs: Sequence[sympy.Expr], limits: Limits) -> list[sympy.Expr] | None:
    """`exprs` with every Sum rewritten over canonical sums, each one a symbol; None where
    a sum has no such form (nested sums that depend on each other, odd bounds, too big).

    A sum is shifted to run from 1, its body expanded and split into terms, factors free
    of the index pulled out (a sum of c over 1..n is n·c), and what remains becomes the
    symbol of Sum(rest, (_k, 1, n)), shared by all `exprs`. The rewriting is algebra that
    holds for every n, so results that agree as rational functions of those symbols agree
    for every n; treating the symbols as independent only ever misses equalities.
    """
    rewriter = _Canonical(limits)
    try:
        return [rewriter.walk(expr) for expr in exprs]
    except (_NoProof, OverBudget, RecursionError):
        return None


class _Canonical:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.symbols: dict[tuple[sympy.Basic, sympy.Basic], sympy.Dummy] = {}
        self.depends: dict[sympy.Basic, frozenset[sympy.Basic]] = {}  # sum symbol → names

    def walk(self, expr: sympy.Basic) -> sympy.Basic:
        if not expr.has(sympy.Sum):
            return expr
        if isinstance(expr, sympy.Sum):
            body = self.walk(expr.function)
            for var, lo, hi in expr.limits:  # the first limit is the innermost sum
                body = self._sum(body, var, self.walk(lo), self.walk(hi))
            return body
        return expr.func(*(self.walk(arg) for arg in expr.args))

    def _sum(self, body: sympy.Basic, var: sympy.Basic, lo: sympy.Basic, hi: sympy.Basic
             ) -> sympy.Basic:
        names = body.free_symbols | lo.free_symbols | hi.free_symbols
        if var in lo.free_symbols | hi.free_symbols or any(
                var in self.depends.get(name, ()) for name in names):
            raise _NoProof  # a sum inside depends on this one's index
        shift = _index_shift(body, var)  # so that X[i + 1] over 0..m-1 is X[k] over 1..m
        term = body.xreplace({var: _INDEX - shift})
        first, last = sympy.expand(lo + shift), sympy.expand(hi + shift)
        offset, rest = last.as_coeff_Add()
        longest = self.limits.longest_sum
        if (not first.is_Integer or abs(first) > longest or not offset.is_Integer
                or abs(offset) > longest or (rest != 0 and rest.is_integer is not True)):
            raise _NoProof

        def at(k: sympy.Expr) -> sympy.Basic:
            return term.xreplace({_INDEX: k})

        start, stop = int(first), int(offset)
        if rest == 0:  # a fixed number of terms: written out
            if not start - 1 <= stop < start + longest:
                raise _NoProof
            return sympy.Add(*(at(sympy.Integer(k)) for k in range(start, stop + 1)))
        # first..rest+offset = 1..rest, plus (minus) the terms past (before) rest, minus
        # the terms 1..first-1 (Karr's convention keeps this exact when first < 1).
        return (self._linear(term, rest) + _stretch(at, rest, stop)
                - _stretch(at, sympy.Integer(0), start - 1))

    def _linear(self, term: sympy.Basic, length: sympy.Basic) -> sympy.Basic:
        expand_terms(term, self.limits.max_expand_terms)
        parts = []
        for piece in sympy.Add.make_args(sympy.expand(term)):
            free, bound = [], []
            for factor in sympy.Mul.make_args(piece):
                (bound if _INDEX in factor.free_symbols else free).append(factor)
            rest = self._symbol(sympy.Mul(*bound), length) if bound else length
            parts.append(sympy.Mul(*free) * rest)
        return sympy.Add(*parts)

    def _symbol(self, term: sympy.Basic, length: sympy.Basic) -> sympy.Dummy:
        key = (term, length)
        symbol = self.symbols.get(key)
        if symbol is None:
            symbol = self.symbols[key] = sympy.Dummy(f"S{len(self.symbols) + 1}")
            names: set[sympy.Basic] = set()
            for name in (term.free_symbols | length.free_symbols) - {_INDEX}:
                names |= self.depends.get(name, {name})
            self.depends[symbol] = frozenset(names)
        return symbol


def _index_shift(body: sympy.Basic, var: sympy.Basic) -> int:
    """The smallest c in the body's X[var + c] (0 if none): the shift that makes it X[k]."""
    offsets = [int(offset) for indexed in body.atoms(Indexed) for index in indexed.indices
               if var in index.free_symbols and (offset := sympy.expand(index - var)).is_Integer]
    return min(offsets, default=0)


def _stretch(at: Callable[[sympy.Expr], sympy.Basic], base: sympy.Expr, count: int
             ) -> sympy.Basic:
    """The sum of at(k) for k in base+1..base+count; for count < 0, minus base+count+1..base."""
    if count >= 0:
        return sympy.Add(*(at(base + k) for k in range(1, count + 1)))
    return -sympy.Add(*(at(base + k) for k in range(count + 1, 1)))
