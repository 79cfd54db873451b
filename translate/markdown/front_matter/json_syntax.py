"""JSON front matter (`{ … }`, as Hugo reads it): values located by a scan of the text."""

from __future__ import annotations

import json
from typing import Any

from translate.errors import FrontMatterError
from translate.markdown.front_matter.keys import KeyPath
from translate.markdown.front_matter.replacing import Outline, Slot, Syntax, data_outline
from translate.markdown.front_matter.yaml_syntax import MAX_DEPTH

_JSON_SPACE = " \t\n\r"
_JSON_DECODER = json.JSONDecoder()


class _JsonSyntax:
    """JSON front matter (`{ … }`, as Hugo reads it), read with the json module."""

    def load(self, content: str, first_line: int) -> Any:
        try:
            return json.loads(content)
        except json.JSONDecodeError as error:
            raise FrontMatterError(
                f"invalid JSON: {error.msg}",
                line=first_line + error.lineno - 1,
                hint="check the syntax there: keys and strings need double quotes, and items "
                "are separated by commas",
            ) from None
        except RecursionError:
            raise FrontMatterError(
                "the front matter is nested too deeply", line=first_line
            ) from None

    def slots(self, content: str, first_line: int) -> list[Slot]:
        self.load(content, first_line)  # raises on invalid JSON, with the line
        slots: list[Slot] = []
        _json_value(content, 0, (), slots, [])
        return slots

    def renderings(self, slot: Slot, value: str, content: str) -> list[str]:
        return [json.dumps(value, ensure_ascii=False)]

    def outline_or_none(self, content: str) -> Outline | None:
        try:
            return data_outline(json.loads(content))
        except (json.JSONDecodeError, RecursionError):
            return None


def _skip_space(content: str, position: int) -> int:
    while position < len(content) and content[position] in _JSON_SPACE:
        position += 1
    return position


def _json_value(
    content: str, position: int, path: KeyPath, slots: list[Slot], depth: list[int]
) -> int:
    """Read the (valid) JSON value at `position`; record string values' spans in `slots`."""
    if len(depth) > MAX_DEPTH:
        raise FrontMatterError("the front matter is nested too deeply")
    position = _skip_space(content, position)
    char = content[position]
    if char == '"':
        value, end = _JSON_DECODER.raw_decode(content, position)
        slots.append(Slot(path, str(value), position, end, '"'))
        return int(end)
    if char in "[{":
        closing = "]" if char == "[" else "}"
        position = _skip_space(content, position + 1)
        index = 0
        depth.append(1)
        while content[position] != closing:
            if char == "{":
                key, position = _JSON_DECODER.raw_decode(content, position)
                position = _skip_space(content, position) + 1  # the colon
                member: KeyPath = (*path, str(key))
            else:
                member = (*path, index)
            position = _skip_space(content, _json_value(content, position, member, slots, depth))
            if content[position] == ",":
                position = _skip_space(content, position + 1)
            index += 1
        depth.pop()
        return position + 1
    _, end = _JSON_DECODER.raw_decode(content, position)
    return int(end)


JSON_SYNTAX: Syntax = _JsonSyntax()
