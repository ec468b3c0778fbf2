"""Reading answer text without eval: `parse_answer`, and `rebuild_answer` for wire trees."""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Mapping
from typing import Any

import sympy
from sympy.tensor.indexed import IndexedBase

from grader.errors import AnswerRejected
from grader.i18n import N_, _
from grader.symbolic.limits import DEFAULT, Limits
from grader.symbolic.messages import TOO_LARGE
from grader.symbolic.tree import FUNCTIONS, Tree, from_tree

__all__ = ["parse_answer", "rebuild_answer"]

# `e` and `E` both mean Euler's number (as students write it), `pi` means π, unless the
# exercise declares a symbol of that name: declared symbols always win.
_CONSTANTS: dict[str, Tree] = {"pi": ["Pi"], "E": ["E"], "e": ["E"]}
_ALIASES = {"ln": "log", "abs": "Abs"}
_UNARY = frozenset(FUNCTIONS) | frozenset(_ALIASES) | {"sqrt"}
_CALLABLE = _UNARY | {"Sum", "Rational"}
_MINUS_ONE: Tree = ["Integer", "-1"]
_TRANSLATION = str.maketrans({"−": "-", "×": "*", "·": "*", "⋅": "*"})
_IMPLICIT_PRODUCT = re.compile(r"[0-9.]\s*[A-Za-z_(]|\)\s*[A-Za-z_0-9(]")
_OPERATORS = {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<",
              ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^"}
_NODE_MESSAGES: dict[type, str] = {
    ast.Attribute: N_("attribute access (a.b) is not accepted in an answer."),
    ast.Lambda: N_("lambda is not accepted: write the expression itself."),
    ast.Compare: N_("comparisons (==, <, ...) are not accepted: write only the expression."),
    ast.BoolOp: N_("and/or are not accepted in an answer."),
    ast.IfExp: N_("if/else is not accepted in an answer."),
    ast.JoinedStr: N_("strings are not accepted in an answer."),
    ast.Starred: N_("* unpacking is not accepted in an answer."),
    ast.NamedExpr: N_(":= is not accepted in an answer."),
    ast.Tuple: N_("a tuple is only accepted as Sum limits, e.g. Sum(X[i], (i, 1, m))."),
    ast.List: N_("lists are not accepted: return a single expression."),
    ast.Set: N_("sets are not accepted: return a single expression."),
    ast.Dict: N_("dicts are not accepted: return a single expression."),
    ast.ListComp: N_("comprehensions are not accepted: use Sum(..., (i, 1, m))."),
    ast.SetComp: N_("comprehensions are not accepted: use Sum(..., (i, 1, m))."),
    ast.DictComp: N_("comprehensions are not accepted: use Sum(..., (i, 1, m))."),
    ast.GeneratorExp: N_("comprehensions are not accepted: use Sum(..., (i, 1, m))."),
    ast.Slice: N_("slices are not accepted: write X[i]."),
}


def parse_answer(
    text: str, symbols: Mapping[str, sympy.Basic], limits: Limits = DEFAULT
) -> sympy.Expr:
    """Read a student's answer text such as `"2*a*x + b"` into a SymPy expression.

    The text is parsed with `ast.parse` and walked; nothing is evaluated. `^` means power,
    `ln` is log, `e`/`E` is Euler's number and `pi` is π (unless `symbols` declares them);
    an undeclared name becomes a plain Symbol, so a wrong name gives a wrong answer.
    Raises `AnswerRejected` for anything else, with a message for the student.
    """
    if type(text) is not str:
        raise AnswerRejected(_("the answer must be a string or a SymPy expression."))
    if len(text) > limits.max_chars:
        raise AnswerRejected(_("the answer is longer than {limit} characters.").format(
            limit=limits.max_chars))
    # `^` must become `**` before parsing: as an operator it binds looser than + and *.
    source = " ".join(text.translate(_TRANSLATION).replace("^", "**").split())
    if not source:
        raise AnswerRejected(_("the answer is empty."))
    try:
        with warnings.catch_warnings():  # "invalid decimal literal" etc. are not ours to print
            warnings.simplefilter("ignore")
            body = ast.parse(source, mode="eval").body
    except (SyntaxError, ValueError, OverflowError) as exc:
        raise AnswerRejected(_unreadable(text, exc)) from None
    except (RecursionError, MemoryError):
        raise AnswerRejected(_("the answer is nested too deeply to read.")) from None
    return from_tree(_Reader(symbols, limits).read(body, 0), symbols, limits)


def rebuild_answer(
    wire: object, symbols: Mapping[str, sympy.Basic], limits: Limits = DEFAULT
) -> sympy.Expr:
    """Turn what `to_tree` sent from the child into an expression: parse text, rebuild trees."""
    if type(wire) is list and len(wire) == 2 and wire[0] == "Text" and type(wire[1]) is str:
        return parse_answer(wire[1], symbols, limits)
    return from_tree(wire, symbols, limits)


def _unreadable(text: str, exc: Exception) -> str:
    shown = text if len(text) <= 60 else text[:57] + "..."
    if _IMPLICIT_PRODUCT.search(text):
        hint = _("write products with *, e.g. 2*x")
    elif isinstance(exc, SyntaxError) and exc.msg and len(exc.msg) < 80:
        hint = exc.msg
    else:
        hint = _("check the brackets and operators")
    return _("could not read {answer!r}: {hint}.").format(answer=shown, hint=hint)


class _Reader:
    """Walks the Python AST of an answer into the tree format of `tree.py`."""

    def __init__(self, symbols: Mapping[str, sympy.Basic], limits: Limits) -> None:
        self.symbols = symbols
        self.limits = limits
        self.count = 0

    def read(self, node: ast.AST, depth: int) -> Tree:
        self.count += 1
        if depth > self.limits.max_depth:
            raise AnswerRejected(TOO_LARGE["depth"].format(limit=self.limits.max_depth))
        if self.count > self.limits.max_nodes:
            raise AnswerRejected(TOO_LARGE["nodes"].format(limit=self.limits.max_nodes))
        if isinstance(node, ast.Constant):
            return self._constant(node.value)
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.BinOp):
            return self._binop(node, depth)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, depth)
        message = _NODE_MESSAGES.get(type(node))
        raise AnswerRejected(_(message) if message else _("{name!r} is not accepted in an answer.")
                             .format(name=type(node).__name__))

    def _constant(self, value: object) -> Tree:
        if type(value) is int:
            too_long = value.bit_length() > self.limits.max_int_digits * 4
            if too_long or len(str(abs(value))) > self.limits.max_int_digits:
                raise AnswerRejected(TOO_LARGE["integer"].format(limit=self.limits.max_int_digits))
            return ["Integer", str(value)]
        if type(value) is float:
            if value != value or value in (float("inf"), float("-inf")):
                raise AnswerRejected(_("a number in the answer is too large."))
            return ["Float", repr(value)]
        if type(value) is complex:
            raise AnswerRejected(_("complex numbers (like 1j) are not accepted."))
        if type(value) is bool:
            raise AnswerRejected(_("True/False is not accepted: write an expression."))
        if type(value) in (str, bytes):
            raise AnswerRejected(_("text in quotes is not accepted inside an answer."))
        raise AnswerRejected(_("{name!r} is not accepted in an answer.").format(name=value))

    def _name(self, name: str) -> Tree:
        if name.startswith("_"):
            raise AnswerRejected(_("names starting with _ (like {name}) are not accepted.").format(
                name=name[:30]))
        declared = self.symbols.get(name)
        if isinstance(declared, IndexedBase):
            raise AnswerRejected(_("{name} needs an index: write {name}[i].").format(name=name))
        if declared is None:
            if name in _CONSTANTS:
                return list(_CONSTANTS[name])
            if name in _CALLABLE:
                raise AnswerRejected(_("{name} is a function: call it, e.g. {name}(x).").format(
                    name=name))
        return ["Symbol", name]

    def _binop(self, node: ast.BinOp, depth: int) -> Tree:
        if isinstance(node.op, (ast.Add, ast.Sub)):
            return ["Add", self._chain(node, depth, (ast.Add, ast.Sub), self._negate)]
        if isinstance(node.op, (ast.Mult, ast.Div)):
            return ["Mul", self._chain(node, depth, (ast.Mult, ast.Div), self._reciprocal)]
        if isinstance(node.op, ast.Pow):
            return ["Pow", self.read(node.left, depth + 1), self.read(node.right, depth + 1)]
        symbol = _OPERATORS.get(type(node.op), type(node.op).__name__)
        raise AnswerRejected(_("the operator {symbol} is not accepted: use + - * / and **.").format(
            symbol=symbol))

    def _chain(self, node: ast.BinOp, depth: int, ops: tuple[type, ...], invert: Any) -> list[Tree]:
        # a+b+c+... is a left-leaning chain as deep as it is long: walk it in a loop so long
        # sums stay flat (one n-ary node) instead of hitting the depth limit or recursion.
        tail: list[tuple[ast.operator, ast.expr]] = []
        current: ast.expr = node
        while isinstance(current, ast.BinOp) and isinstance(current.op, ops):
            tail.append((current.op, current.right))
            current = current.left
            self.count += 1
        items = [self.read(current, depth + 1)]
        for op, right in reversed(tail):
            item = self.read(right, depth + 1)
            items.append(invert(item) if isinstance(op, (ast.Sub, ast.Div)) else item)
        return items

    @staticmethod
    def _negate(item: Tree) -> Tree:
        return ["Mul", [list(_MINUS_ONE), item]]

    @staticmethod
    def _reciprocal(item: Tree) -> Tree:
        return ["Pow", item, list(_MINUS_ONE)]

    def _unary(self, node: ast.UnaryOp, depth: int) -> Tree:
        if isinstance(node.op, ast.UAdd):
            return self.read(node.operand, depth + 1)
        if isinstance(node.op, ast.USub):
            return self._negate(self.read(node.operand, depth + 1))
        raise AnswerRejected(_("the operators not and ~ are not accepted in an answer."))

    def _call(self, node: ast.Call, depth: int) -> Tree:
        if isinstance(node.func, ast.Attribute):
            raise AnswerRejected(_(_NODE_MESSAGES[ast.Attribute]))
        if not isinstance(node.func, ast.Name):  # (x + 1)(x - 1): a product without *
            raise AnswerRejected(_("write products with *, e.g. (x + 1)*(x - 1)."))
        name = node.func.id
        if node.keywords:
            raise AnswerRejected(_("keyword arguments are not accepted (in {name}(...)).").format(
                name=name))
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            raise AnswerRejected(_(_NODE_MESSAGES[ast.Starred]))
        if name in self.symbols or name not in _CALLABLE:
            if name in self.symbols:
                raise AnswerRejected(_("{name} is a symbol, not a function: write {name}*(...) "
                                       "for a product.").format(name=name))
            raise AnswerRejected(
                _("the function {name}() is not accepted: use exp, log (or ln), sqrt, "
                  "sin, cos, tan, Abs, Sum and Rational.").format(name=name[:30])
            )
        if name == "Sum":
            return self._sum(node.args, depth)
        if name == "Rational":
            return self._rational(node.args)
        args = [self.read(arg, depth + 1) for arg in node.args]
        if name == "log" and len(args) == 2:  # log(x, b) = log(x)/log(b)
            return ["Mul", [["log", args[0]], ["Pow", ["log", args[1]], list(_MINUS_ONE)]]]
        if len(args) != 1:
            raise AnswerRejected(_("{name}() takes exactly one argument.").format(name=name))
        if name == "sqrt":
            return ["Pow", args[0], ["Rational", "1", "2"]]
        return [_ALIASES.get(name, name), args[0]]

    def _sum(self, args: list[ast.expr], depth: int) -> Tree:
        usage = _("write sums as Sum(body, (i, 1, m)).")
        if not 2 <= len(args) <= 1 + self.limits.max_sum_limits:
            raise AnswerRejected(usage)
        node: Tree = ["Sum", self.read(args[0], depth + 1)]
        for limit in args[1:]:
            if not isinstance(limit, ast.Tuple) or len(limit.elts) != 3:
                raise AnswerRejected(usage)
            var, lo, hi = limit.elts
            if not isinstance(var, ast.Name) or var.id.startswith("_"):
                raise AnswerRejected(_("a Sum must run over a plain name, e.g. (i, 1, m)."))
            node.append(["Limits", ["Symbol", var.id], self.read(lo, depth + 1),
                         self.read(hi, depth + 1)])
        return node

    def _rational(self, args: list[ast.expr]) -> Tree:
        values = [_signed_int(arg) for arg in args]
        if len(values) != 2 or None in values:
            raise AnswerRejected(_("Rational takes two whole numbers, e.g. Rational(1, 2)."))
        return ["Rational", *(self._constant(value)[1] for value in values)]

    def _subscript(self, node: ast.Subscript, depth: int) -> Tree:
        base = node.value
        if not isinstance(base, ast.Name) or not isinstance(self.symbols.get(base.id), IndexedBase):
            declared = sorted(k for k, v in self.symbols.items() if isinstance(v, IndexedBase))
            which = ", ".join(declared) if declared else _("none in this exercise")
            raise AnswerRejected(_("only the exercise's indexed quantities take an index "
                                   "({names}).").format(names=which))
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if not 1 <= len(parts) <= self.limits.max_indices:
            raise AnswerRejected(_("{name}[...] takes one index, e.g. {name}[i].").format(
                name=base.id))
        return ["Indexed", ["IndexedBase", base.id], *(self.read(p, depth + 1) for p in parts)]


def _signed_int(node: ast.expr) -> int | None:
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sign * node.value
    return None
