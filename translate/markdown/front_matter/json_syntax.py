"""JSON front matter (`{ … }`, as Hugo reads it): values located by a scan of the text."""

from __future__ import annotations

import json
from typing import Any

from translate.errors import FrontMatterError
from translate.files.data import load_data
from translate.files.json_spans import scan_json, walk_spans
from translate.markdown.front_matter.replacing import Outline, Slot, Syntax, data_outline


class _JsonSyntax:
    """JSON front matter (`{ … }`, as Hugo reads it), read with the json module."""

    def load(self, content: str, first_line: int) -> Any:
        return load_data(content, "json", error=FrontMatterError, first_line=first_line)

    def slots(self, content: str, first_line: int) -> list[Slot]:
        self.load(content, first_line)  # raises on invalid JSON, with the line
        return [
            Slot(path, span.value, span.start, span.end, '"')
            for path, span in walk_spans(scan_json(content))
            if span.value is not None
        ]

    def renderings(self, slot: Slot, value: str, content: str) -> list[str]:
        return [json.dumps(value, ensure_ascii=False)]

    def outline_or_none(self, content: str) -> Outline | None:
        try:
            return data_outline(self.load(content, 1))
        except FrontMatterError:
            return None


JSON_SYNTAX: Syntax = _JsonSyntax()
