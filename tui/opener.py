"""Opening an exercise file for editing: $VISUAL/$EDITOR, a terminal editor, or the system's."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["editor_command", "open_with_system"]


def editor_command() -> list[str] | None:
    """The terminal editor to run in the tutor's terminal: $VISUAL, $EDITOR, or nano, vim or
    vi where installed; None when there is none (then `open_with_system`)."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if chosen:
        return shlex.split(chosen, posix=os.name != "nt")
    found = next((name for name in ("nano", "vim", "vi") if shutil.which(name)), None)
    return [found] if found else None


def open_with_system(path: Path) -> None:
    """Open `path` in the system's editor for it, without waiting (watch mode sees the save).

    Windows: the file's "edit" action (IDLE or Notepad; "open" would run a .py file), else
    Notepad; macOS: the default text editor (`open -t`); elsewhere `xdg-open`. Raises
    OSError when nothing can open it.
    """
    if sys.platform == "win32":
        try:
            os.startfile(path, "edit")  # type: ignore[attr-defined]
        except OSError:
            subprocess.Popen(["notepad.exe", str(path)])
        return
    command = ["open", "-t"] if sys.platform == "darwin" else ["xdg-open"]
    if shutil.which(command[0]) is None:
        raise OSError(f"{command[0]} is not installed")
    subprocess.Popen([*command, str(path)], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
