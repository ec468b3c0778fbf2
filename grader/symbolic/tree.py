"""The wire format of symbolic answers: `to_tree` (untrusted child) and `from_tree` (parent)."""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

import sympy
from mpmath.libmp import finf, fnan, fninf, repr_dps, to_str
from sympy.core import numbers as sn
from sympy.tensor.indexed import Idx, Indexed, IndexedBase

from grader.errors import AnswerRejected
from grader.symbolic.limits import DEFAULT, Limits
from grader.symbolic.messages import GENERIC, MALFORMED, REFUSED, TOO_LARGE, refusal, type_name

__all__ = ["FUNCTIONS", "Tree", "from_tree", "to_tree"]

# Nodes: ["Integer", "3"], ["Rational", "1", "2"], ["Float", "0.5", 53] (exact decimal,
# binary precision optional), ["Symbol", "x"], ["Pi"], ["E"], ["Add", [a, b, ...]],
# ["Mul", [a, b, ...]], ["Pow", base, exp] (sqrt is a Pow), ["exp", a] and the other
# FUNCTIONS, ["IndexedBase", "X"], ["Indexed", base, i, ...], ["Sum", body, ["Limits", var,
# lo, hi], ...]; from the child also ["Text", s], ["Unsupported", category, name] and
# ["TooLarge", what, limit], which the parent turns into a parse or a refusal.
Tree = list[Any]

# The one list of functions an answer may apply; the parser and the evaluator follow it.
FUNCTIONS: dict[str, type[sympy.Function]] = {
    "exp": sympy.exp, "log": sympy.log, "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "Abs": sympy.Abs,
}
_FUNCTION_TYPES: dict[type, str] = {cls: name for name, cls in FUNCTIONS.items()}
_INTEGER_TYPES = (sympy.Integer, sn.Zero, sn.One, sn.NegativeOne)
_RATIONAL_TYPES = (sympy.Rational, sn.Half)

_INT_RE = re.compile(r"-?[0-9]+")
_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_DETAIL_RE = re.compile(r"[^A-Za-z0-9_.]")


class _TooLarge(Exception):
    def __init__(self, what: str, limit: int) -> None:
        super().__init__(what)
        self.what = what
        self.limit = limit


# ---------------------------------------------------------------- child side: encode


def to_tree(expr: object, limits: Limits = DEFAULT) -> Tree:
    """Encode a student's return value as nested JSON-able lists; never raises.

    Runs beside student code, so every object is treated as possibly hostile: only exact
    allowlisted types are walked, anything else becomes `["Unsupported", category, name]`
    for the parent to reject, and the output is capped at `limits.max_nodes` nodes.
    """
    encoder = _Encoder(limits)
    try:
        return encoder.encode(expr, 0)
    except _TooLarge as exc:
        return ["TooLarge", exc.what, exc.limit]
    except Exception as exc:  # a hostile object may raise anything from any attribute
        return ["Unsupported", "Broken", type_name(exc)]


class _Encoder:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.count = 0

    def encode(self, obj: object, depth: int) -> Tree:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise _TooLarge("nodes", self.limits.max_nodes)
        if depth > self.limits.max_depth:
            raise _TooLarge("depth", self.limits.max_depth)
        try:
            return self._encode(obj, depth + 1)
        except _TooLarge:
            raise
        except Exception as exc:  # keep the rest of the tree; the parent rejects this node
            return ["Unsupported", "Broken", type_name(exc)]

    def _encode(self, obj: Any, depth: int) -> Tree:
        kind = type(obj)  # exact types only: a subclass may override anything
        if kind in _INTEGER_TYPES:
            return self._integer(int(obj.p))
        if kind in _RATIONAL_TYPES:
            return ["Rational", self._integer(int(obj.p))[1], self._integer(int(obj.q))[1]]
        if kind is sympy.Float:
            return self._float(obj)
        if kind is sympy.Symbol:
            return ["Symbol", self._name(obj.name)]
        if kind is Idx and type(obj.args[0]) is sympy.Symbol:  # an Idx counts as its label
            return ["Symbol", self._name(obj.args[0].name)]
        if kind is sn.Pi or kind is sn.Exp1:
            return ["Pi" if kind is sn.Pi else "E"]
        if kind is sympy.Add or kind is sympy.Mul:
            return [kind.__name__, [self.encode(arg, depth) for arg in obj.args]]
        if kind is sympy.Pow:
            return ["Pow", *(self.encode(arg, depth) for arg in obj.args)]
        if kind in _FUNCTION_TYPES:
            return self._function(_FUNCTION_TYPES[kind], obj.args, depth)
        if kind is sympy.Sum:
            return self._sum(obj, depth)
        if kind is Indexed:
            return ["Indexed", *(self.encode(arg, depth) for arg in obj.args)]
        if kind is IndexedBase and type(obj.args[0]) is sympy.Symbol:
            return ["IndexedBase", self._name(obj.args[0].name)]
        if kind is str:
            return ["Text", obj[: self.limits.max_chars + 1]]
        if kind is int or (isinstance(obj, numbers.Integral) and not isinstance(obj, bool)
                           and not isinstance(obj, sympy.Basic)):  # numpy integers too
            return self._integer(int(obj))
        if isinstance(obj, float):  # numpy float64 too, read through the base methods
            value = float.__float__(obj)
            if not math.isfinite(value):
                return ["Unsupported", "Infinity", "float"]
            return ["Float", float.__repr__(value)]
        return refusal(obj)

    def _integer(self, value: int) -> Tree:
        # A bit-length check first: str() of a huge int is itself slow.
        if value.bit_length() > self.limits.max_int_digits * 4:
            raise _TooLarge("integer", self.limits.max_int_digits)
        text = str(value)
        if len(text.lstrip("-")) > self.limits.max_int_digits:
            raise _TooLarge("integer", self.limits.max_int_digits)
        return ["Integer", text]

    def _float(self, obj: sympy.Float) -> Tree:
        mpf, prec = obj._mpf_, int(obj._prec)
        if mpf in (finf, fninf, fnan):
            return ["Unsupported", "Infinity", "Float"]
        if prec > self.limits.max_float_bits:
            raise _TooLarge("float", self.limits.max_float_bits)
        # repr_dps digits make the decimal string round-trip to the same binary value.
        return ["Float", to_str(mpf, repr_dps(prec)), prec]

    def _name(self, name: object) -> str:
        if type(name) is not str:
            raise TypeError("symbol name is not a string")
        if len(name) > self.limits.max_name_length:
            raise _TooLarge("name", self.limits.max_name_length)
        return name

    def _function(self, name: str, args: tuple[Any, ...], depth: int) -> Tree:
        if name == "log" and len(args) == 2:  # only with evaluate=False: log(x, b)
            value, base = args
            return ["Mul", [["log", self.encode(value, depth)],
                            ["Pow", ["log", self.encode(base, depth)], ["Integer", "-1"]]]]
        return [name, *(self.encode(arg, depth) for arg in args)]

    def _sum(self, obj: sympy.Sum, depth: int) -> Tree:
        body, *bounds = obj.args
        node: Tree = ["Sum", self.encode(body, depth)]
        for bound in bounds:
            if type(bound) is not sympy.Tuple or len(bound.args) != 3:
                return ["Unsupported", "SumBounds", "Sum"]
            node.append(["Limits", *(self.encode(part, depth) for part in bound.args)])
        return node


# --------------------------------------------------------------- parent side: rebuild


def from_tree(
    tree: object, symbols: Mapping[str, sympy.Basic], limits: Limits = DEFAULT
) -> sympy.Expr:
    """Rebuild a SymPy expression from `to_tree` output, validating every node.

    Symbols and IndexedBases are matched by name against `symbols` (so they carry the
    exercise's assumptions); other names become plain `Symbol(name)`. Anything outside the
    allowlist or the limits raises `AnswerRejected` with a message meant for the student.
    """
    builder = _Builder(symbols, limits)
    expr, _ = builder.build(tree, 0)
    if isinstance(expr, IndexedBase):
        raise AnswerRejected(f"{expr} needs an index: write {expr}[i].")
    if not isinstance(expr, sympy.Expr):
        raise AnswerRejected(MALFORMED)
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise AnswerRejected("the answer is infinite or undefined (a division by zero?).")
    return expr


class _Builder:
    def __init__(self, symbols: Mapping[str, sympy.Basic], limits: Limits) -> None:
        self.symbols = symbols
        self.limits = limits
        self.count = 0

    def build(self, node: object, depth: int) -> tuple[Any, int]:
        """Return the built object and a bound on the bits of any number inside it."""
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise AnswerRejected(TOO_LARGE["nodes"].format(limit=self.limits.max_nodes))
        if depth > self.limits.max_depth:
            raise AnswerRejected(TOO_LARGE["depth"].format(limit=self.limits.max_depth))
        if type(node) is not list or not node or type(node[0]) is not str:
            raise AnswerRejected(MALFORMED)
        handler = _HANDLERS.get(node[0])
        if handler is None:
            raise AnswerRejected(MALFORMED)
        return handler(self, node[1:], depth + 1)

    def _integer(self, args: list[Any], depth: int) -> tuple[Any, int]:
        value = self._int_text(args)
        return sympy.Integer(value), value.bit_length()

    def _int_text(self, args: list[Any]) -> int:
        if len(args) != 1 or type(args[0]) is not str or not _INT_RE.fullmatch(args[0]):
            raise AnswerRejected(MALFORMED)
        if len(args[0].lstrip("-")) > self.limits.max_int_digits:
            raise AnswerRejected(TOO_LARGE["integer"].format(limit=self.limits.max_int_digits))
        return int(args[0])

    def _rational(self, args: list[Any], depth: int) -> tuple[Any, int]:
        if len(args) != 2:
            raise AnswerRejected(MALFORMED)
        p, q = self._int_text(args[:1]), self._int_text(args[1:])
        if q == 0:
            raise AnswerRejected("the answer divides by zero (a Rational with denominator 0).")
        return sympy.Rational(p, q), p.bit_length() + q.bit_length()

    def _float(self, args: list[Any], depth: int) -> tuple[Any, int]:
        prec = args[1] if len(args) == 2 else 53
        if (not 1 <= len(args) <= 2 or type(args[0]) is not str or len(args[0]) > 120
                or not _FLOAT_RE.fullmatch(args[0]) or type(prec) is not int):
            raise AnswerRejected(MALFORMED)
        if not 1 <= prec <= self.limits.max_float_bits:
            raise AnswerRejected(TOO_LARGE["float"].format(limit=self.limits.max_float_bits))
        # SymPy keeps any exponent; one like 1e9999 makes later printing and evaluation
        # produce numbers of thousands of digits, which nothing a student means needs.
        if not math.isfinite(float(args[0])):
            raise AnswerRejected(TOO_LARGE["magnitude"].format(limit=308))
        return _make(sympy.Float, args[0], precision=prec), 0

    def _symbol(self, args: list[Any], depth: int) -> tuple[Any, int]:
        name = self._valid_name(args)
        known = self.symbols.get(name)
        # Assumptions a student gave are dropped on purpose: names carry the exercise's.
        return (known if isinstance(known, sympy.Symbol) else sympy.Symbol(name)), 0

    def _indexed_base(self, args: list[Any], depth: int) -> tuple[Any, int]:
        name = self._valid_name(args)
        known = self.symbols.get(name)
        return (known if isinstance(known, IndexedBase) else IndexedBase(name)), 0

    def _valid_name(self, args: list[Any]) -> str:
        if len(args) != 1 or type(args[0]) is not str:
            raise AnswerRejected(MALFORMED)
        name = args[0]
        if len(name) > self.limits.max_name_length:
            raise AnswerRejected(TOO_LARGE["name"].format(limit=self.limits.max_name_length))
        if not name.isidentifier() or name.startswith("_"):
            shown = _DETAIL_RE.sub("?", name[:40])
            raise AnswerRejected(
                f"'{shown}' is not accepted as a symbol name: use letters, digits and _, "
                "not starting with _."
            )
        return name

    def _nary(self, args: list[Any], depth: int, op: type) -> tuple[Any, int]:
        if len(args) != 1 or type(args[0]) is not list or not args[0]:
            raise AnswerRejected(MALFORMED)
        parts = [self._expr(child, depth) for child in args[0]]
        bits = sum(b for _, b in parts) + len(parts).bit_length()  # sums carry a few bits
        self._check_bits(bits)
        return _make(op, *(e for e, _ in parts)), bits

    def _pow(self, args: list[Any], depth: int) -> tuple[Any, int]:
        if len(args) != 2:
            raise AnswerRejected(MALFORMED)
        (base, base_bits), (power, power_bits) = (self._expr(a, depth) for a in args)
        bits = base_bits + power_bits
        if power.is_Number:
            self._check_exponent(power)
            if base.is_number or isinstance(base, sympy.Mul):
                # SymPy computes powers of numbers (and of a product's numeric coefficient)
                # on construction: bound their size before it does.
                bits = base_bits * max(1, math.ceil(abs(float(power)))) + power_bits
        self._check_bits(bits)
        result = _make(sympy.Pow, base, power)
        if isinstance(result, sympy.Pow) and result.exp.is_Number:
            self._check_exponent(result.exp)  # (x**64)**64 became x**4096
        return result, bits

    def _check_exponent(self, power: sympy.Number) -> None:
        limit = self.limits.max_exponent
        if power.is_Rational:
            too_big = abs(power.p) > limit or power.q > limit
        else:
            too_big = not math.isfinite(float(power)) or abs(float(power)) > limit
        if too_big:
            raise AnswerRejected(
                f"an exponent in the answer is too large (at most {limit} is accepted)."
            )

    def _function(self, args: list[Any], depth: int, name: str) -> tuple[Any, int]:
        if len(args) != 1:
            raise AnswerRejected(MALFORMED)
        arg, bits = self._expr(args[0], depth)
        return _make(FUNCTIONS[name], arg), bits

    def _indexed(self, args: list[Any], depth: int) -> tuple[Any, int]:
        if not 2 <= len(args) <= 1 + self.limits.max_indices:
            raise AnswerRejected(MALFORMED)
        if type(args[0]) is not list or not args[0] or args[0][0] != "IndexedBase":
            raise AnswerRejected(MALFORMED)
        base, _ = self.build(args[0], depth)
        indices = [self._expr(index, depth) for index in args[1:]]
        return _make(Indexed, base, *(e for e, _ in indices)), sum(b for _, b in indices)

    def _sum(self, args: list[Any], depth: int) -> tuple[Any, int]:
        if len(args) < 2:
            raise AnswerRejected(MALFORMED)
        if len(args) > 1 + self.limits.max_sum_limits:  # SymPy folds nested sums into one
            raise AnswerRejected(
                TOO_LARGE["sum_limits"].format(limit=self.limits.max_sum_limits))
        body, bits = self._expr(args[0], depth)
        bounds = []
        for limit in args[1:]:
            if type(limit) is not list or len(limit) != 4 or limit[0] != "Limits":
                raise AnswerRejected(MALFORMED)
            if type(limit[1]) is not list or not limit[1] or limit[1][0] != "Symbol":
                raise AnswerRejected("a Sum must run over a plain symbol, e.g. (i, 1, m).")
            var, _ = self.build(limit[1], depth)
            (lo, lo_bits), (hi, hi_bits) = (self._expr(part, depth) for part in limit[2:])
            bits += lo_bits + hi_bits
            bounds.append((var, lo, hi))
        return _make(sympy.Sum, body, *bounds), bits

    def _unsupported(self, args: list[Any], depth: int) -> tuple[Any, int]:
        category = args[0] if args and type(args[0]) is str else "Other"
        detail = args[1] if len(args) > 1 and type(args[1]) is str else "unknown"
        detail = _DETAIL_RE.sub("", detail)[:40] or "unknown"
        raise AnswerRejected(REFUSED.get(category, GENERIC).format(detail=detail))

    def _too_large(self, args: list[Any], depth: int) -> tuple[Any, int]:
        what = args[0] if args and type(args[0]) is str else ""
        limit = args[1] if len(args) > 1 and type(args[1]) is int else "the allowed"
        raise AnswerRejected(TOO_LARGE.get(what, TOO_LARGE["nodes"]).format(limit=limit))

    def _text(self, args: list[Any], depth: int) -> tuple[Any, int]:
        raise AnswerRejected("a text answer must be parsed, not rebuilt from a tree.")

    def _expr(self, node: object, depth: int) -> tuple[Any, int]:
        built, bits = self.build(node, depth)
        if isinstance(built, IndexedBase):
            raise AnswerRejected(f"{built} needs an index: write {built}[i].")
        return built, bits

    def _check_bits(self, bits: int) -> None:
        if bits > self.limits.max_number_bits:
            raise AnswerRejected(
                "the numbers in the answer would grow too large: simplify them by hand first."
            )


def _make(factory: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return factory(*args, **kwargs)
    except AnswerRejected:
        raise
    except Exception as exc:  # SymPy refusing a combination is the student's answer failing
        raise AnswerRejected(
            f"the answer could not be built ({type(exc).__name__}): check its operands."
        ) from exc


_Handler = Callable[[_Builder, list[Any], int], tuple[Any, int]]


def _function_handler(name: str) -> _Handler:
    return lambda builder, args, depth: builder._function(args, depth, name)


def _constant_handler(value: sympy.Expr) -> _Handler:
    def handler(builder: _Builder, args: list[Any], depth: int) -> tuple[Any, int]:
        if args:
            raise AnswerRejected(MALFORMED)
        return value, 0

    return handler


_HANDLERS: dict[str, _Handler] = {
    "Integer": _Builder._integer,
    "Rational": _Builder._rational,
    "Float": _Builder._float,
    "Symbol": _Builder._symbol,
    "IndexedBase": _Builder._indexed_base,
    "Indexed": _Builder._indexed,
    "Pi": _constant_handler(sympy.pi),
    "E": _constant_handler(sympy.E),
    "Add": lambda builder, args, depth: builder._nary(args, depth, sympy.Add),
    "Mul": lambda builder, args, depth: builder._nary(args, depth, sympy.Mul),
    "Pow": _Builder._pow,
    "Sum": _Builder._sum,
    "Unsupported": _Builder._unsupported,
    "TooLarge": _Builder._too_large,
    "Text": _Builder._text,
    **{name: _function_handler(name) for name in FUNCTIONS},
}
