"""The tutor's key descriptions in the language in use, translated when a screen is built."""

from __future__ import annotations

import dataclasses

from textual.dom import DOMNode

from grader.i18n import _

__all__ = ["translate_bindings"]


def translate_bindings(node: DOMNode) -> None:
    """Show `node`'s key descriptions (footer, help) in the language in use.

    BINDINGS are built when the class is defined, before --lang is read, so they hold the
    English text (the catalogue key) and each instance translates its own copy of them.
    """
    bindings = node._bindings.key_to_bindings  # an instance's copy (DOMNode.__init__)
    for key, entries in bindings.items():
        bindings[key] = [dataclasses.replace(b, description=_(b.description))
                         if b.description else b for b in entries]
