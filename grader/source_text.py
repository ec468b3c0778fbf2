"""Student source files decoded as Python decodes them: a PEP 263 coding line or a UTF-8 BOM."""

from __future__ import annotations

import codecs
import io
import tokenize

from grader.errors import DescentError
from grader.i18n import _

__all__ = ["SourceEncodingError", "decode_source"]

_EXAMPLE = "`# -*- coding: utf-8 -*-`"


class SourceEncodingError(DescentError):
    """A source file whose bytes Python itself would refuse to read as text.

    `message` completes a sentence that starts with the file's name.
    """


def decode_source(data: bytes) -> str:
    """The text Python would compile from `data`; a BOM is dropped, so line numbers hold.

    Raises SourceEncodingError naming the encoding and what to do when it cannot be decoded.
    """
    try:
        encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        if not str(exc.msg).startswith("invalid or missing encoding declaration"):
            raise _cookie_error(str(exc.msg)) from None
        # One of the first two lines is not UTF-8, so it cannot hold a coding line: the
        # file is read as UTF-8, and decoding says where it fails.
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        # The cookie stays in the text: compile() and ast.parse() ignore it in a str.
        return data.decode(encoding)
    except LookupError:  # a codec that is not a text encoding (hex, zlib, rot13)
        raise _unknown(encoding) from None
    except UnicodeDecodeError as exc:
        raise _undecodable(data, exc.start, encoding) from None
    except ValueError as exc:  # other codec failures (idna, punycode) say where less well
        raise SourceEncodingError(
            _("does not decode as {encoding}, the encoding its coding line declares ({error})")
            .format(encoding=encoding, error=exc),
            next_step=_("save it as UTF-8 and make its coding line {example}").format(
                example=_EXAMPLE),
        ) from None


def _cookie_error(why: str) -> SourceEncodingError:
    if why.startswith("unknown encoding"):
        return _unknown(why.split(":", 1)[-1].strip())
    if "encoding problem" in why:
        return SourceEncodingError(
            _("starts with a UTF-8 byte order mark but its coding line declares another "
              "encoding"),
            next_step=_("save it as UTF-8 and make its coding line {example}, or delete that "
                        "line").format(example=_EXAMPLE),
        )
    return SourceEncodingError(
        _("has a coding line Python cannot use ({why})").format(why=why),
        next_step=_("make its coding line {example}, or delete that line").format(
            example=_EXAMPLE),
    )


def _unknown(name: str) -> SourceEncodingError:
    return SourceEncodingError(
        _("declares the encoding {name!r} in its coding line, which is not a text encoding "
          "Python knows").format(name=name),
        next_step=_("save it as UTF-8 and make its coding line {example}, or delete that "
                    "line").format(example=_EXAMPLE),
    )


def _undecodable(data: bytes, start: int, encoding: str) -> SourceEncodingError:
    line = data.count(b"\n", 0, start) + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    where = _("line {line}, column {column}").format(line=line, column=column)
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8", "utf-8-sig"):
        return SourceEncodingError(
            _("is not valid UTF-8 ({where}); Python reads a file as UTF-8 unless a coding "
              "line on its first two lines names another encoding").format(where=where),
            next_step=_("save it as UTF-8 in your editor (or, if it must stay in another "
                        "encoding such as cp1252, make its first line "
                        "`# -*- coding: cp1252 -*-`)"),
        )
    return SourceEncodingError(
        _("is not valid {encoding}, the encoding its coding line declares ({where})").format(
            encoding=encoding, where=where),
        next_step=_("save it as UTF-8 and make its coding line {example}, or change the "
                    "coding line to the encoding your editor saves in").format(
                        example=_EXAMPLE),
    )
