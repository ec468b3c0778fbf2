"""The grading secret: inputs a student cannot predict, kept with the instructor's output."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from grader.engine import Settings
from grader.errors import UsageError
from grader.i18n import _

__all__ = ["SECRET_ENV", "SECRET_FILE", "InputSource", "for_ci", "for_grading", "identity"]

SECRET_ENV = "DESCENT_GRADING_SECRET"
# In OUT_DIR, dotted so that no submission name (none may start with a dot) can collide.
SECRET_FILE = ".descent-secret"
_MIN_LENGTH = 16
_MAX_LENGTH = 4096


@dataclass(frozen=True)
class InputSource:
    """The settings a run draws its inputs with, and how a person should judge them."""

    settings: Settings
    origin: str  # one sentence for the run's summary: where the inputs come from
    predictable: bool  # True when the student could compute the inputs themselves


def identity(secret: bytes) -> int:
    """The secret's public fingerprint: recorded in results, compared by the journal and by
    merge; it cannot be turned back into the secret."""
    digest = hashlib.sha256(b"descent grading secret:" + secret).digest()
    return int.from_bytes(digest[:6], "big")


def _with_secret(secret: bytes, origin: str) -> InputSource:
    return InputSource(Settings(seed=identity(secret), secret=secret), origin, False)


def _checked(text: str, where: str) -> bytes:
    value = text.strip()
    if not _MIN_LENGTH <= len(value) <= _MAX_LENGTH:
        raise UsageError(
            _("the grading secret in {where} is {length} characters; it must be {low} to "
              "{high}").format(where=where, length=len(value), low=_MIN_LENGTH, high=_MAX_LENGTH),
            next_step=_("use a long random value, e.g. `{command}`").format(
                command='python -c "import secrets; print(secrets.token_hex(32))"'))
    return value.encode()


def _read_file(path: Path) -> bytes:
    try:
        return _checked(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(_("cannot read the grading secret {path} ({error})").format(
            path=path, error=exc), next_step=_("fix the file, or remove it to draw a new secret "
                                               "(the inputs, and so the grades, will change)"),
        ) from None


def _kept_in(out: Path) -> InputSource:
    """OUT_DIR's secret, drawn on first use: a re-run into the same folder draws the same
    inputs; the file never leaves the instructor's machine (a release holds no OUT_DIR)."""
    if out.exists() and not out.is_dir():
        raise UsageError(_("--out {out} is a file").format(out=out),
                         next_step=_("name a folder for the results"))
    path = out / SECRET_FILE
    if not path.exists():
        out.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another run drew one first: use theirs
            return _with_secret(_read_file(path), _("secret kept in {path}").format(path=path))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        return _with_secret(_read_file(path),
                            _("new secret drawn and kept in {path}").format(path=path))
    return _with_secret(_read_file(path), _("secret kept in {path}").format(path=path))


def for_grading(out: Path, *, seed: int | None = None, secret_file: Path | None = None,
                environ: Mapping[str, str] | None = None) -> InputSource:
    """`descent grade`'s inputs: an explicit --seed, else --secret-file, else the
    environment's secret, else the one kept in OUT_DIR (drawn on first use)."""
    environ = os.environ if environ is None else environ
    if seed is not None:
        return InputSource(Settings(seed=seed), _(
            "--seed {seed}: anyone who knows it can compute the inputs; omit --seed to draw "
            "them from a secret").format(seed=seed), True)
    if secret_file is not None:
        return _with_secret(_read_file(secret_file),
                            _("secret from {where}").format(where=secret_file))
    if environ.get(SECRET_ENV):
        return _with_secret(_checked(environ[SECRET_ENV], f"${SECRET_ENV}"),
                            _("secret from {where}").format(where=f"${SECRET_ENV}"))
    return _kept_in(out)


def for_ci(environ: Mapping[str, str] | None = None) -> InputSource:
    """`descent ci`'s inputs: the organisation's secret when the workflow passes one, else
    the public default, which a student can reproduce: the grade is then preliminary."""
    environ = os.environ if environ is None else environ
    if environ.get(SECRET_ENV):
        return _with_secret(_checked(environ[SECRET_ENV], f"${SECRET_ENV}"),
                            _("secret from {where}").format(where=f"${SECRET_ENV}"))
    return InputSource(Settings(), _("no ${env} is set, so the inputs follow the grader's "
                                     "public default seed").format(env=SECRET_ENV), True)
