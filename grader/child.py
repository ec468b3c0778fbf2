"""What runs inside the sandboxed child: load student modules, call functions, send plain data."""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
import types
from collections.abc import Callable
from typing import Any

from grader.autodiff_names import AUTODIFF_LIBRARIES
from grader.child_output import StudentOutput
from grader.forking import read_in_child, send_from_child
from grader.graph_recipe import GraphRecipe
from grader.inputs import rebuild_input
from grader.substitutes import substituted
from grader.wire import encode_answer

__all__ = ["install_tripwires", "serve"]

# Tripwires record forbidden shortcuts called *from student code*; library internals that
# differentiate on their own behalf (simplify, solve) must not count against the student.
_TRIPWIRES: dict[str, list[tuple[Any, str]]] = {}
_tripped: set[str] = set()
_student_files: set[str] = set()
_GRADER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_THIS_FILE = os.path.abspath(__file__)


def serve(read_fd: int, write_fd: int, hello: dict[str, Any] | None = None) -> None:
    """The child's request loop: one reply per request until the parent closes the pipe.

    `hello` (e.g. the isolation layers applied) goes with the first message, `ready`.
    """
    modules: dict[str, types.ModuleType] = {}
    install_tripwires()
    output = StudentOutput()
    output.install()
    send_from_child(write_fd, {**(hello or {}), "ready": True, "pid": os.getpid()})
    while True:
        request = read_in_child(read_fd)
        if request is None:
            return
        calls = [request]
        if request.get("op") == "load":
            output.begin()
            loaded = _with_output(_load(request, modules), output)
            send_from_child(write_fd, loaded)
            # The module's calls come with it, one request a file: each request the child
            # waits for costs both processes a wake-up, more than most calls do.
            calls = [{**call, "exercise": request["exercise"]}
                     for call in request.get("calls", [])] if "loaded" in loaded else []
        for call in calls:
            # One reply per case, sent as soon as it is ready; the first case that does not
            # return a value ends the call, as the parent stops reading there too.
            for case in call["cases"]:
                output.begin()
                reply = _with_output(_call(call, case, modules), output)
                send_from_child(write_fd, reply)
                if "value" not in reply:
                    break


def _with_output(reply: dict[str, Any], output: StudentOutput) -> dict[str, Any]:
    """The reply, once what the student printed for it is in the log: where in the log its
    output ends (the grader may read it only after later replies printed theirs), and how
    much was dropped."""
    dropped = output.end()
    with contextlib.suppress(OSError):  # descriptor 1 is the log, unless the student closed it
        reply = {**reply, "log_end": os.fstat(1).st_size}
    return {**reply, "output_dropped": dropped} if dropped else reply


def _load(request: dict[str, Any], modules: dict[str, types.ModuleType]) -> dict[str, Any]:
    filename = request["filename"]
    module = types.ModuleType(request["module_name"])
    module.__file__ = filename
    _student_files.add(filename)
    _tripped.clear()
    try:
        code = compile(request["source"], filename, "exec", dont_inherit=True)
        sys.modules[module.__name__] = module
        exec(code, module.__dict__)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt are student errors too
        return {"raised": _describe_exception(exc, filename), "tripped": sorted(_tripped)}
    modules[request["exercise"]] = module
    names = [name for name, value in vars(module).items() if callable(value)]
    return {"loaded": names, "tripped": sorted(_tripped)}


def _call(
    request: dict[str, Any], case: dict[str, Any], modules: dict[str, types.ModuleType]
) -> dict[str, Any]:
    module = modules.get(request["exercise"])
    function = getattr(module, request["function"], None) if module else None
    if not callable(function):
        return {"missing": True}
    args = [rebuild_input(spec) for spec in case["args"]]
    _tripped.clear()
    started = time.perf_counter()
    try:
        # A graph recipe drives the student's class (09) instead of being passed to it.
        drive = len(args) == 1 and isinstance(args[0], GraphRecipe)
        with substituted(vars(module), request.get("substitute")):  # tracing's re-runs
            value = args[0].drive(function) if drive else function(*args)
    except BaseException as exc:
        return {"raised": _describe_exception(exc, module.__file__), "tripped": sorted(_tripped)}
    elapsed = time.perf_counter() - started
    return {
        "value": encode_answer(value),
        "args_after": [encode_answer(args[index]) for index in case.get("watch", [])],
        "tripped": sorted(_tripped),
        "seconds": elapsed,
    }


def _describe_exception(exc: BaseException, filename: str | None) -> dict[str, Any]:
    line = None
    function = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line, function = frame.lineno, frame.name
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    try:
        message = str(exc)[:500]
    except Exception:
        message = "(message could not be read)"
    return {"type": type(exc).__name__, "message": message, "line": line, "function": function}


def install_tripwires() -> None:
    """Wrap the forbidden shortcuts once per process; a zygote does it before it forks, as
    patching SymPy's base classes resets the type caches of all their subclasses (~1.5 ms)."""
    if _TRIPWIRES:
        return
    targets = {
        "autograd": [
            ("torch", "Tensor", "backward"),
            ("torch.autograd", None, "backward"),
            ("torch.autograd", None, "grad"),
            ("torch.autograd.functional", None, "jacobian"),
            ("torch.autograd.functional", None, "vjp"),
            ("torch.func", None, "grad"),
            ("torch.func", None, "vjp"),
            ("torch.func", None, "jacrev"),
            ("torch.func", None, "jacfwd"),
        ],
        "sympy-diff": [
            ("sympy", None, "diff"),
            ("sympy", "Expr", "diff"),
            ("sympy", "Basic", "diff"),
            ("sympy", "Derivative", "__new__"),
            ("sympy", None, "idiff"),
        ],
        # Importing an autodiff library, by statement or by a name built at run time (09).
        "autodiff": [("builtins", None, "__import__"), ("importlib", None, "import_module")],
    }
    for label, places in targets.items():
        for module_name, owner_name, attribute in places:
            module = sys.modules.get(module_name)
            owner = getattr(module, owner_name) if module and owner_name else module
            original = getattr(owner, attribute, None) if owner is not None else None
            if original is None:
                continue
            wrapped = _tripwire(label, original, is_new=attribute == "__new__")
            try:
                setattr(owner, attribute, wrapped)
            except (AttributeError, TypeError):
                continue
            _TRIPWIRES.setdefault(label, []).append((owner, attribute))


def _tripwire(label: str, original: Callable[..., Any], *, is_new: bool) -> Callable[..., Any]:
    if is_new:
        original = original.__func__ if hasattr(original, "__func__") else original

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # The name first: every import statement anywhere passes here, few name autodiff.
        if (label != "autodiff" or _names_autodiff(args, kwargs)) and _called_by_student(
                sys._getframe(1)):
            _tripped.add(label)
        return original(*args, **kwargs)

    # No __wrapped__: it would hand student code the original, past the tripwire.
    wrapper.__name__ = getattr(original, "__name__", "wrapped")
    wrapper.__doc__ = getattr(original, "__doc__", None)
    return staticmethod(wrapper) if is_new else wrapper


def _names_autodiff(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    name = args[0] if args else kwargs.get("name")
    return isinstance(name, str) and name.partition(".")[0] in AUTODIFF_LIBRARIES


def _called_by_student(frame: types.FrameType | None) -> bool:
    """Whether student code made this call: directly, or through code compiled from a string
    (eval, exec) or a grader function it called (a course truth); not a library's internals."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename in _student_files:
            return True
        mediated = filename.startswith("<") or (
            filename.startswith(_GRADER_DIR) and filename != _THIS_FILE
        )
        if not mediated:
            return False
        frame = frame.f_back
    return False
