"""What a number, date or time of the source asks of its translation: the sets of canonical
forms (`"3.8"`, `"7"` for July, `"14:30"`) of which the target must show one.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import Literal

Kind = Literal["number", "percent", "date", "time", "word"]


@dataclass(frozen=True)
class Expected:
    """A number, date or time of the source text and the forms its translation must show.

    `alternatives` are sets of canonical forms; the number is present in a target text when
    every form of one set is among the target's forms. `examples` is how the target locale
    writes it (Babel), for messages.
    """

    raw: str
    kind: Kind
    start: int
    line_offset: int
    alternatives: tuple[frozenset[str], ...]
    examples: tuple[str, ...]

    def found_in(self, forms: Set[str]) -> bool:
        """Return whether a target text showing `forms` shows this number."""
        return any(alternative <= forms for alternative in self.alternatives)

    def describe(self, source_line: int | None = None) -> str:
        """Say what was expected, e.g. `"3,8" of the source (line 4) — expected "3.8"`."""
        where = f" of the source (line {source_line})" if source_line is not None else ""
        shown = " or ".join(f'"{example}"' for example in self.examples)
        several = self.kind in ("date", "time")
        return f'"{self.raw}"{where} — expected {"e.g. " if several else ""}{shown}'


@dataclass(frozen=True)
class Found:
    """A number found in a source text, before its line is known."""

    start: int
    end: int
    kind: Kind
    alternatives: tuple[frozenset[str], ...]
    examples: tuple[str, ...]
