"""Fixtures for the language tests: each test leaves the language in use as it found it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from grader import i18n


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    saved = list(i18n._current)
    yield
    i18n._current[:] = saved
