"""Goldmark's block attributes: `{.class #id}` on the line after a paragraph or a table."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token

from translate.markdown.goldmark.attributes import parse_attributes


def block_attributes(tokens: list[Token], source: str) -> None:
    """Take a paragraph's last line `{.class #id}` off its text, as Goldmark's attributes.

    After a table, markdown-it reads such a line as one more row; Goldmark as the table's
    attributes: its cells are marked as attributes, not prose.
    """
    lines = source.split("\n")
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            _table_attributes(tokens, index, lines)
        if token.type != "paragraph_open":
            continue
        inline = tokens[index + 1]
        head, _, last = inline.content.rpartition("\n")
        parsed = parse_attributes(last.strip(), 0) if last.strip().startswith("{") else None
        if parsed is None or parsed[1] != len(last.strip()):
            continue
        token.meta["attributes"] = parsed[0]
        for attribute in parsed[0]:
            token.attrSet(attribute.name, attribute.value)
        if head:
            inline.content = head
            token.meta["attribute_line"] = True
        else:
            token.meta["attribute_only"] = True


def _table_attributes(tokens: list[Token], table: int, lines: Sequence[str]) -> None:
    last_row = None
    index = table
    while tokens[index].type != "table_close":
        if tokens[index].type == "tr_open":
            last_row = index
        index += 1
    row_map = tokens[last_row].map if last_row is not None else None
    if row_map is None:
        return
    text = lines[row_map[0]].strip()
    parsed = parse_attributes(text, 0) if text.startswith("{") else None
    if parsed is None or parsed[1] != len(text):
        return
    tokens[table].meta["attributes"] = parsed[0]
    for token in tokens[last_row:index]:
        if token.type == "inline":
            token.meta["attribute_only"] = True
