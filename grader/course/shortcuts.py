"""The shortcuts exercises may forbid, and their detection in source code before it runs."""

from __future__ import annotations

import ast

from grader.autodiff_names import AUTODIFF_LIBRARIES
from grader.course.catalog import Forbidden
from grader.i18n import N_

__all__ = ["AUTODIFF", "AUTOGRAD", "SYMPY_DIFF", "find_forbidden"]

SYMPY_DIFF = Forbidden(
    label="sympy-diff",
    names=frozenset(
        {"diff", "Derivative", "idiff", "derive_by_array", "differentiate_finite", "jacobian",
         "hessian", "fdiff", "gradient"}
    ),
    bare_names=frozenset({"diff", "Derivative", "idiff", "derive_by_array", "fdiff"}),
    message="This exercise is about differentiating by hand: SymPy's differentiation "
    "(diff, Derivative, …) may not be used. Work the derivative out on paper and type it in.",
)

AUTOGRAD = Forbidden(
    label="autograd",
    names=frozenset(
        {"backward", "autograd", "functorch", "grad", "vjp", "jvp", "jacrev", "jacfwd", "func"}
    ),
    message="This exercise is about writing gradients by hand: backward(), torch.autograd "
    "and torch.func may not be used. Derive dw0 and dw1 with the chain rule.",
)

AUTODIFF = Forbidden(
    label="autodiff",
    names=AUTODIFF_LIBRARIES,
    message=N_("This exercise is about building automatic differentiation yourself: torch, "
               "JAX and every other autodiff library may not be imported. Plain Python floats "
               "and the math module are all Value needs."),
)


def find_forbidden(tree: ast.Module, forbidden: Forbidden) -> dict[str | None, int]:
    """Where a module's source uses a forbidden shortcut: {function name or None: line}.

    Looks at attributes, imports, plain names and strings looked up by name (so
    `getattr(t, "backward")` counts). Names built at run time escape this reading; the
    child's tripwires catch those when they are called. `None` keys module-level uses.
    """
    found: dict[str | None, int] = {}
    lookups = _looked_up_strings(tree)
    owners = _owners(tree)
    for node in ast.walk(tree):
        word = _word(node, forbidden, lookups)
        if word is not None:
            owner = owners.get(id(node))
            found.setdefault(owner, getattr(node, "lineno", 0))
    return found


def _word(node: ast.AST, forbidden: Forbidden, lookups: set[int]) -> str | None:
    names = forbidden.names
    if isinstance(node, ast.Name) and node.id in forbidden.bare_names:
        return node.id
    if isinstance(node, ast.Attribute) and node.attr in names:
        return node.attr
    if isinstance(node, ast.alias) and any(part in names for part in node.name.split(".")):
        return node.name
    if isinstance(node, ast.ImportFrom) and node.module and any(
        part in names for part in node.module.split(".")
    ):
        return node.module
    if isinstance(node, ast.Constant) and id(node) in lookups and any(
        part in names for part in str(node.value).replace(".", " ").split()
    ):
        return str(node.value)
    return None


_LOOKUPS = frozenset({"getattr", "__import__", "import_module", "attrgetter", "methodcaller",
                      "find_spec", "hasattr"})


def _looked_up_strings(tree: ast.Module) -> set[int]:
    """String constants used as names: arguments of getattr-like calls and subscripts."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called in _LOOKUPS:
                found.update(id(arg) for arg in node.args if isinstance(arg, ast.Constant))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            found.add(id(node.slice))
    return found


def _owners(tree: ast.Module) -> dict[int, str | None]:
    owners: dict[int, str | None] = {}
    for top in tree.body:
        name = top.name if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef) else None
        for node in ast.walk(top):
            owners[id(node)] = name
    return owners
