"""argparse's own words (usage, option headings, its errors) through descent's catalogue."""

from __future__ import annotations

import argparse

from grader.i18n import N_, _, ngettext

__all__ = ["translate_argparse"]

# argparse looks these up with the stdlib's gettext under the global domain; they are
# marked here so the catalogue extracts them beside descent's own messages.
_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def translate_argparse() -> None:
    """Make argparse's help and errors follow `grader.i18n` (call after `set_language`)."""
    # argparse binds `_` and `ngettext` as module globals when imported; they are its only
    # lookups, so rebinding them is enough and touches nothing else.
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
