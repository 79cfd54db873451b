"""Heading attributes (`## Title {#id}`) and blockquote alerts (`> [!NOTE]`)."""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore

from translate.markdown.goldmark.attributes import heading_attributes
from translate.markdown.goldmark.options import current_options
from translate.markdown.goldmark.rules_core.block_attributes import block_attributes

_ALERT = re.compile(r"\[!([a-zA-Z]+)\]([-+])?")


def hugo_blocks(state: StateCore) -> None:
    """Take heading attributes out of headings' text and mark blockquote alerts.

    Goldmark removes `{#id .class}` from a heading's text and sets them as attributes; Hugo
    renders a blockquote whose first line is `[!TYPE]` as an alert.
    """
    tokens = state.tokens
    if current_options().block_attributes:
        block_attributes(tokens, state.src)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            found = heading_attributes(inline.content)
            if found is not None:
                start, attributes = found
                kept = inline.content[:start].rstrip(" \t")
                token.meta["attributes"] = attributes
                token.meta["attribute_source"] = inline.content[len(kept) :]
                for attribute in attributes:
                    token.attrSet(attribute.name, attribute.value)
                inline.content = kept
        elif token.type == "blockquote_open" and index + 2 < len(tokens):
            paragraph, inline = tokens[index + 1], tokens[index + 2]
            if paragraph.type != "paragraph_open":
                continue
            match = _ALERT.match(inline.content)
            if match is None:
                continue
            first_line = inline.content.split("\n", 1)[0]
            title = first_line[match.end() :].strip()
            token.meta["alert"] = (match.group(1).lower(), match.group(2) or "", bool(title))
            inline.meta["alert"] = match.end()
