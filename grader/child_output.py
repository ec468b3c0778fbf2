"""The child's sys.stdout and sys.stderr: each reply keeps a bounded share of what is printed.

Python-level writes past the share are dropped and counted, never refused: a student who
prints a million lines is graded on the answers, as Python would run the file. Writes to
the descriptors themselves (os.write(1, …), C code, subprocesses) bypass this and are
bounded only by the worker's RLIMIT_FSIZE, past which they fail with EFBIG.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

__all__ = ["OUTPUT_CAP", "StudentOutput"]

# Bytes of one reply's output the grader keeps and shows. The child lets one byte more
# reach the log, so that the grader sees the overflow even when no reply comes (a timeout).
OUTPUT_CAP = 3900


class _Budget:
    """What may still reach the log during the current reply, and what was dropped."""

    def __init__(self) -> None:
        self.room = OUTPUT_CAP + 1
        self.dropped = 0


class _CappedSink(io.RawIOBase):
    """A raw stream over a descriptor that writes up to the budget and drops the rest."""

    def __init__(self, fd: int, budget: _Budget) -> None:
        super().__init__()
        self._fd = fd
        self._budget = budget

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def write(self, data: bytes | bytearray | memoryview) -> int:
        view = memoryview(data).cast("B")
        size = len(view)
        keep = min(size, self._budget.room)
        written = 0
        if keep:
            self._budget.room -= keep
            # The log may be full already (descriptor-level writes reached RLIMIT_FSIZE):
            # what does not fit is dropped like the rest, never an error in student code.
            with contextlib.suppress(OSError):
                written = os.write(self._fd, view[:keep])
        self._budget.dropped += size - written
        # Always "all of it": a short count would make the buffer above retry forever.
        return size


class _CappedText(io.TextIOWrapper):
    """A line-buffered text stream whose writes cost almost nothing once the budget is spent."""

    _budget: _Budget

    def write(self, text: str) -> int:
        if self._budget.room <= 0:
            # Counted in characters, not bytes: the count only says that output was lost.
            self._budget.dropped += len(text)
            return len(text)
        return super().write(text)


class StudentOutput:
    """The streams student code prints to, sharing one budget that each reply renews."""

    def __init__(self) -> None:
        self._budget = _Budget()
        self._streams = (self._stream(1, "strict"), self._stream(2, "backslashreplace"))

    def _stream(self, fd: int, errors: str) -> _CappedText:
        raw = _CappedSink(fd, self._budget)
        stream = _CappedText(io.BufferedWriter(raw), encoding="utf-8", errors=errors,
                             line_buffering=True)
        stream._budget = self._budget
        return stream

    def install(self) -> None:
        """Point sys.stdout and sys.stderr (and their __dunder__ originals) at these streams."""
        sys.stdout, sys.stderr = self._streams
        sys.__stdout__, sys.__stderr__ = self._streams

    def begin(self) -> None:
        """Start a reply with a fresh share (the previous reply's `end` flushed its output)."""
        self._budget.room = OUTPUT_CAP + 1
        self._budget.dropped = 0

    def end(self) -> int:
        """End a reply: flush what the student printed; how much of it was dropped."""
        self._flush()
        return self._budget.dropped

    def _flush(self) -> None:
        for stream in self._streams:
            # The student may have closed or broken the stream: their output, not our error.
            with contextlib.suppress(Exception):
                stream.flush()
