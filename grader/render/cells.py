"""Text for a spreadsheet cell that a spreadsheet will show, never run as a formula."""

from __future__ import annotations

__all__ = ["spreadsheet_text"]

# Excel, LibreOffice and Google Sheets start a formula at any of these (OWASP's CSV
# injection list); a submission or roster name is student-controlled text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """`value`, with a leading apostrophe when a spreadsheet would read it as a formula
    (numbers such as "-2" are left alone: they are data, not formulas)."""
    if not value.startswith(_FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value
