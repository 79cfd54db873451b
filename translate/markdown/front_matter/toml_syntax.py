"""TOML front matter: read with tomlkit, whose byte-exact round trip locates each value."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.items import String, StringType

from translate.errors import FrontMatterError
from translate.files.data import check_nesting, check_values, syntax_error
from translate.markdown.front_matter.keys import KeyPath
from translate.markdown.front_matter.replacing import Outline, Slot, Syntax, data_outline


def _toml_strings(node: Any, path: KeyPath) -> Iterator[tuple[KeyPath, Any, str | int, String]]:
    """Yield (path, container, key, item) for every string in a tomlkit document."""
    children: Iterator[tuple[str | int, Any]]
    if isinstance(node, Mapping):
        children = iter(node.items())
    elif isinstance(node, list):
        children = enumerate(node)
    else:
        return
    for key, child in children:
        if isinstance(child, String):
            yield (*path, key), node, key, child
        else:
            yield from _toml_strings(child, (*path, key))


class _TomlSyntax:
    """TOML front matter, read with tomlkit; its byte-exact round trip locates each value."""

    def parse(self, content: str, first_line: int) -> tomlkit.TOMLDocument:
        """Return the tomlkit document; raise FrontMatterError if the content is invalid."""
        check_nesting(content, "toml", error=FrontMatterError, first_line=first_line)
        try:
            document = tomlkit.parse(content)
        except tomlkit.exceptions.TOMLKitError as error:
            raise syntax_error(
                error, content, "toml", error=FrontMatterError, first_line=first_line
            ) from None
        check_values(document.unwrap(), content, error=FrontMatterError, first_line=first_line)
        return document

    def load(self, content: str, first_line: int) -> Any:
        return self.parse(content, first_line).unwrap()

    def slots(self, content: str, first_line: int) -> list[Slot]:
        document = self.parse(content, first_line)
        found = list(_toml_strings(document, ()))
        # Put a unique marker in place of every string and dump: tomlkit writes everything
        # else back byte for byte, so the markers' offsets, less the growth of the markers
        # before them, are where the strings stand in the content.
        mark = next(c for c in ("\U0010fffd", "\U0010fffc", "\U0010fffb") if c not in content)
        markers = [tomlkit.string(f"{mark}{index}{mark}") for index in range(len(found))]
        for (_, container, key, _), marker in zip(found, markers, strict=True):
            container[key] = marker
        dumped = tomlkit.dumps(document)
        located = sorted(
            (dumped.index(marker.as_string()), index) for index, marker in enumerate(markers)
        )
        slots: list[Slot] = []
        growth = 0
        for offset, index in located:
            path, _, _, item = found[index]
            source = item.as_string()
            start = offset - growth
            if content[start : start + len(source)] != source:
                raise ValueError(f"cannot locate {'.'.join(map(str, path))} in the TOML source")
            slots.append(Slot(path, str(item), start, start + len(source), item.type.value))
            growth += len(markers[index].as_string()) - len(source)
        return slots

    def renderings(self, slot: Slot, value: str, content: str) -> list[str]:
        kind = StringType(slot.style)
        source = content[slot.start : slot.end]
        options: list[str] = []
        # A literal string cannot hold every text (a ' or a control character, say): then
        # the basic string of the same line count.
        for literal in (True, False) if kind.is_literal() else (False,):
            try:
                rendered = tomlkit.string(value, literal=literal, multiline=kind.is_multiline())
            except tomlkit.exceptions.InvalidStringError:
                continue
            text = rendered.as_string()
            # Keep a line break right after the opening quotes: TOML drops it from the value,
            # and authors write it to start the text on a line of its own.
            opening_break = source[3:5] if source[3:5] == "\r\n" else source[3:4]
            if (
                kind.is_multiline()
                and opening_break in ("\n", "\r\n")
                and text[3:4] not in ("\n", "\r")
            ):
                text = text[:3] + opening_break + text[3:]
            options.append(text)
        options.append(tomlkit.string(value).as_string())
        return options

    def outline_or_none(self, content: str) -> Outline | None:
        try:
            return data_outline(self.load(content, 1))
        except FrontMatterError:
            return None


TOML_SYNTAX: Syntax = _TomlSyntax()
