"""os.open flags for reading an untrusted file as bytes, with what each system offers."""

from __future__ import annotations

import os

__all__ = ["READ_UNTRUSTED"]

# No following a symbolic link swapped in (ELOOP) and no blocking on a FIFO, where the
# system has them (not Windows); no newline translation or Ctrl-Z end (Windows only).
READ_UNTRUSTED = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                  | getattr(os, "O_BINARY", 0))
