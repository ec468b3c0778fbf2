"""The list of exercises: status, id, title and points of each, in course order."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.state import ExerciseState, Tutor

__all__ = ["ExerciseList", "entry_prompt", "fit"]


def _points(entry: ExerciseState) -> str:
    possible = entry.max_score
    return f"{entry.score:g}/{'–' if possible is None else f'{possible:g}'}"


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal cells, with "…" where it was cut; measured in
    cells, not characters, because a CJK character takes two."""
    if cell_len(text) <= width:
        return text
    # set_cell_size pads with a space where a wide character would straddle the edge.
    return set_cell_size(text, width - 1).rstrip() + "…"


def entry_prompt(entry: ExerciseState, width: int = 40) -> Text:
    """Two lines: symbol, id, status and points; then the title."""
    status = entry.status
    points = _points(entry)
    head = Text.assemble((f"{status.symbol} ", status.style), (entry.info.id, "bold"))
    tail = Text.assemble((status.label, status.style), "  ", (points, "bold"))
    gap = max(1, width - head.cell_len - tail.cell_len)
    head.append(" " * gap)
    head.append_text(tail)
    head.append(f"\n  {fit(entry.info.title, width - 2)}", style="dim")
    return head


class ExerciseList(OptionList, inherit_bindings=False):
    """Every exercise with its live status; the highlighted one is shown in the detail pane."""

    # OptionList's own keys only: the scrolling keys it inherits would take ← and →, which
    # the screen uses to move between the tests of an exercise.
    BINDINGS: ClassVar[list[BindingType]] = list(OptionList.BINDINGS)

    def __init__(self, tutor: Tutor, *, id: str | None = None) -> None:
        self._tutor = tutor
        super().__init__(*(Option(entry_prompt(e), id=e.info.id) for e in tutor.exercises), id=id)

    # The list stops at its ends, like j and k, instead of wrapping around as OptionList does.
    def action_cursor_down(self) -> None:
        self.move(1)

    def action_cursor_up(self) -> None:
        self.move(-1)

    def move(self, step: int) -> None:
        current = self.highlighted or 0
        self.highlighted = max(0, min(self.option_count - 1, current + step))

    def refresh_entry(self, exercise_id: str) -> None:
        self.replace_option_prompt(exercise_id, entry_prompt(self._tutor[exercise_id]))

    def refresh_all(self) -> None:
        for entry in self._tutor.exercises:
            self.refresh_entry(entry.info.id)

    @property
    def selected_id(self) -> str:
        option = self.highlighted_option
        return option.id if option is not None and option.id else self._tutor.exercises[0].info.id
