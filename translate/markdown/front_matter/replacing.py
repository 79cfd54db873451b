"""Replacing string values in place: what every front matter language provides, and the
splicing and checking shared by all."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from translate.markdown.front_matter.keys import KeyPath


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a string value sits in the front matter content, and how it is written."""

    path: KeyPath
    value: str
    start: int  # offset in the content (the text between the delimiter lines)
    end: int
    # YAML: "" (plain), "'", '"', "|" or ">"; TOML: the delimiter, '"', "'", '"""' or "'''".
    style: str
    flow: bool = False  # YAML: inside [...] or {...}, where ",[]{}" end a plain scalar


# A parse reduced to comparable entries (path, role, type, value), in document order.
Outline = list[tuple[KeyPath, str, str, object]]


class Syntax(Protocol):
    """What the replacement machinery needs from a front matter language."""

    def load(self, content: str, first_line: int) -> Any:
        """Return the content as plain Python values; raise FrontMatterError if invalid."""
        ...

    def slots(self, content: str, first_line: int) -> list[Slot]:
        """Return every string value in the content, in document order."""
        ...

    def renderings(self, slot: Slot, value: str, content: str) -> list[str]:
        """Return sources for `value` in the slot, preferred first, always-safe last."""
        ...

    def outline_or_none(self, content: str) -> Outline | None:
        """Return the content's outline, or None when it does not parse."""
        ...


def splice(content: str, slots: Mapping[KeyPath, Slot], choice: Mapping[KeyPath, str]) -> str:
    """Return `content` with each chosen slot's source span replaced by its new source."""
    pieces: list[str] = []
    position = 0
    for path in sorted(choice, key=lambda path: slots[path].start):
        slot = slots[path]
        pieces += [content[position : slot.start], choice[path]]
        position = slot.end
    pieces.append(content[position:])
    return "".join(pieces)


def expect(outline: Outline, changed: Mapping[KeyPath, str]) -> Outline:
    """Return the outline that a correct replacement of the `changed` values parses to."""
    return [
        (path, role, kind, changed.get(path, value) if (role, kind) == ("value", "str") else value)
        for path, role, kind, value in outline
    ]


def first_faithful(
    syntax: Syntax,
    content: str,
    slot: Slot,
    value: str,
    options: list[str],
    outline: Outline,
) -> str:
    """Return the first rendering of `value` that parses back to it, changing nothing else."""
    expected = expect(outline, {slot.path: value})
    for option in options:
        if syntax.outline_or_none(content[: slot.start] + option + content[slot.end :]) == expected:
            return option
    raise ValueError(f"cannot write a new value for {'.'.join(map(str, slot.path))}")


def data_outline(data: Any, path: KeyPath = ()) -> Outline:
    """Return an outline of plain data (repr for non-strings, so NaN equals NaN)."""
    if isinstance(data, Mapping):
        outline: Outline = [(path, "value", "map", tuple(data))]
        for key, child in data.items():
            outline += data_outline(child, (*path, key))
        return outline
    if isinstance(data, list):
        outline = [(path, "value", "seq", len(data))]
        for index, child in enumerate(data):
            outline += data_outline(child, (*path, index))
        return outline
    if isinstance(data, str):
        return [(path, "value", "str", data)]
    return [(path, "value", type(data).__name__, repr(data))]
