"""Where each value of a JSON text stands: spans for editing JSON in place.

The json module gives values, not places. Front matter replaces a string where it stands,
and i18n tables add entries before an object's closing brace; both need the spans, found by
one scan of a text the json module has already accepted. The scan keeps its own stack, so
no nesting depth can overflow Python's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


@dataclass(frozen=True, slots=True)
class JsonSpan:
    """A JSON value and where it stands: `text[start:end]` is its source."""

    kind: Literal["object", "array", "string", "other"]
    start: int
    end: int
    value: str | None = None  # a string's value
    # An object's members by key, an array's items by index, in document order.
    members: tuple[tuple[str | int, JsonSpan], ...] = ()


@dataclass
class _Open:
    kind: Literal["object", "array"]
    start: int
    members: list[tuple[str | int, JsonSpan]] = field(default_factory=list)
    key: str = ""


def scan_json(text: str, start: int = 0) -> JsonSpan:
    """Return the spans of the JSON value at `start` (spaces before it are skipped).

    `text` must hold valid JSON there (check it with json.loads first): a text that is not
    may raise any ValueError or IndexError.
    """
    stack: list[_Open] = []
    position = _skip(text, start)
    while True:
        char = text[position]
        span: JsonSpan
        if char in "[{":
            opened = _Open("object" if char == "{" else "array", position)
            stack.append(opened)
            position = _skip(text, position + 1)
            if opened.kind == "object" and text[position] == '"':
                position = _read_key(text, position, opened)
            continue
        if char in "]}":
            closed = stack.pop()
            span = JsonSpan(closed.kind, closed.start, position + 1, members=tuple(closed.members))
            position += 1
        elif char == '"':
            value, end = _DECODER.raw_decode(text, position)
            span = JsonSpan("string", position, end, value=str(value))
            position = end
        else:
            _, end = _DECODER.raw_decode(text, position)
            span = JsonSpan("other", position, end)
            position = end
        if not stack:
            return span
        parent = stack[-1]
        name: str | int = parent.key if parent.kind == "object" else len(parent.members)
        parent.members.append((name, span))
        position = _skip(text, position)
        if text[position] == ",":
            position = _skip(text, position + 1)
            if parent.kind == "object":
                position = _read_key(text, position, parent)


def walk_spans(root: JsonSpan) -> Iterator[tuple[tuple[str | int, ...], JsonSpan]]:
    """Yield (path, span) for every value below and including `root`, in document order."""
    stack: list[tuple[tuple[str | int, ...], JsonSpan]] = [((), root)]
    while stack:
        path, span = stack.pop()
        yield path, span
        stack.extend(((*path, name), member) for name, member in reversed(span.members))


def _read_key(text: str, position: int, parent: _Open) -> int:
    """Read an object member's key and its colon; return where its value starts."""
    key, position = _DECODER.raw_decode(text, position)
    parent.key = str(key)
    return _skip(text, _skip(text, position) + 1)


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in _SPACE:
        position += 1
    return position
