"""Goldmark's attribute blocks: `{#id .class key=value}`, on headings and other blocks."""

from __future__ import annotations

from dataclasses import dataclass

ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(frozen=True)
class Attribute:
    """One Goldmark attribute: `#id` is ("id", "x"), `.c` is ("class", "c"), or `key=value`."""

    name: str
    value: str


def parse_attributes(text: str, start: int) -> tuple[list[Attribute], int] | None:
    """Parse a Goldmark attribute block `{#id .class key=value}` at `start`.

    Return the attributes and the position after `}`, or None if there is none.
    """
    if not text.startswith("{", start):
        return None
    position = start + 1
    attributes: list[Attribute] = []
    while True:
        while position < len(text) and text[position] in " \t":
            position += 1
        if position >= len(text):
            return None
        if text[position] == "}":
            return attributes, position + 1
        parsed = _attribute(text, position)
        if parsed is None:
            return None
        attribute, position = parsed
        existing = next((a for a in attributes if a.name == "class"), None)
        if attribute.name == "class" and existing is not None:
            merged = Attribute("class", f"{existing.value} {attribute.value}")
            attributes[attributes.index(existing)] = merged
        else:
            attributes.append(attribute)


def _attribute(text: str, position: int) -> tuple[Attribute, int] | None:
    char = text[position]
    if char in "#.":
        end = position + 1
        while end < len(text) and not text[end].isspace():
            c = text[end]
            if c in ASCII_PUNCT and c not in "_-:.":
                break
            end += 1
        if end == position + 1:
            return None
        return Attribute("id" if char == "#" else "class", text[position + 1 : end]), end
    if char.isspace() or char in "=/}":
        return None
    end = position
    while end < len(text) and not text[end].isspace() and text[end] not in "=/}":
        end += 1
    name = text[position:end]
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if not text.startswith("=", after):
        return Attribute(name, name), end
    after += 1
    while after < len(text) and text[after] in " \t":
        after += 1
    if after >= len(text):
        return None
    quote = text[after]
    if quote in "\"'":
        close = text.find(quote, after + 1)
        if close < 0:
            return None
        return Attribute(name, text[after + 1 : close]), close + 1
    value_end = after
    while value_end < len(text) and not text[value_end].isspace() and text[value_end] != "}":
        value_end += 1
    return Attribute(name, text[after:value_end]), value_end


def heading_attributes(content: str) -> tuple[int, list[Attribute]] | None:
    """Find Goldmark heading attributes at the end of a heading's last line.

    Return where the attribute block starts in `content` and the attributes, or None.
    """
    line_start = content.rfind("\n") + 1
    position = line_start
    while position < len(content):
        char = content[position]
        if char == "\\":
            position += 2 if content[position + 1 : position + 2] in ASCII_PUNCT else 1
            continue
        if char == "{":
            parsed = parse_attributes(content, position)
            if parsed is not None and not content[parsed[1] :].strip():
                return position, parsed[0]
        position += 1
    return None
