"""Simulated Windows for descent's own code: no fork, setsid, at-fork hooks, /proc or prctl.

Put this folder first on PYTHONPATH. What Windows lacks is removed from `os`, `signal` and
`ctypes`; /proc is refused to descent's own modules (grader/, tui/; the libraries may still
use it, as psutil uses the Windows API there); and every `python -I` child the grader
starts (`-I` ignores PYTHONPATH) runs this file first too.
"""

from __future__ import annotations

import builtins
import ctypes
import os
import signal
import subprocess
import sys
import types

_HERE = os.path.abspath(__file__)
_DESCENT = tuple(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(_HERE))), name)
                 + os.sep for name in ("grader", "tui"))
_PRELUDE = (f"exec(compile(open({_HERE!r}, encoding='utf-8').read(), {_HERE!r}, 'exec'), "
            f"{{'__file__': {_HERE!r}, '__name__': 'sitecustomize'}})\n")

# torch's Linux build registers an at-fork hook on import; its Windows build does not.
_atfork = types.ModuleType("torch.multiprocessing._atfork")
_atfork.register_after_fork = lambda func: None  # type: ignore[attr-defined]
sys.modules[_atfork.__name__] = _atfork

for _name in ("fork", "forkpty", "register_at_fork", "setsid", "killpg", "pread"):
    if hasattr(os, _name):
        delattr(os, _name)
for _name in ("setitimer", "SIGALRM"):
    if hasattr(signal, _name):
        delattr(signal, _name)


def _from_descent() -> bool:
    frame = sys._getframe(2)
    return frame.f_code.co_filename.startswith(_DESCENT)


def _refuse_proc(function):  # type: ignore[no-untyped-def]
    def guarded(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else ""
        if name.startswith("/proc") and _from_descent():
            raise FileNotFoundError(2, "No such file or directory (simulated Windows)", name)
        return function(path, *args, **kwargs)

    return guarded


builtins.open = _refuse_proc(builtins.open)
os.open = _refuse_proc(os.open)
os.listdir = _refuse_proc(os.listdir)
os.scandir = _refuse_proc(os.scandir)


class _NoPrctl(ctypes.CDLL):
    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        if name == "prctl":
            raise AttributeError("prctl (simulated Windows)")
        return super().__getattr__(name)

    def __getitem__(self, name: str):  # type: ignore[no-untyped-def]
        if name == "prctl":
            raise AttributeError("prctl (simulated Windows)")
        return super().__getitem__(name)


ctypes.CDLL = _NoPrctl  # type: ignore[misc]
ctypes.cdll = ctypes.LibraryLoader(_NoPrctl)


_popen_init = subprocess.Popen.__init__


def _popen(self, args, *rest, **kwargs):  # type: ignore[no-untyped-def]
    # `python -I -c CODE`: the same simulation, before CODE runs.
    if isinstance(args, list) and args[:3] == [sys.executable, "-I", "-c"]:
        args = [*args[:3], _PRELUDE + args[3], *args[4:]]
    _popen_init(self, args, *rest, **kwargs)


subprocess.Popen.__init__ = _popen  # type: ignore[method-assign]

