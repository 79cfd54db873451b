"""Read a post's body the way Hugo does: shortcodes first, then Markdown as Goldmark reads it.

Hugo hands Goldmark a text in which every shortcode is one placeholder word; `shortcodes.mask`
does the same with same-length runs of private-use characters, so markdown-it's line
numbers and offsets stay the file's. The parser is configured for what Hugo's Goldmark
renders by default: CommonMark, GFM tables and strikethrough, footnotes, definition lists,
Goldmark's Linkify (URLs with a scheme or `www.`, and e-mail addresses, not bare domains),
heading attributes (`## Title {#id .class}`) and blockquote alerts (`> [!NOTE]`), plus
`$…$` math as Hugo Academic sites write it.

The package holds one module per rule, as markdown-it-py keeps its rules: `rules_inline/`
for what Goldmark reads inside a block (Linkify, strikethrough, passthrough, `<<`),
`rules_core/` for what it reads off whole blocks (heading attributes, alerts, block
attributes, footnotes); `parser.py` assembles them.
"""

from __future__ import annotations

from translate.markdown.goldmark.attributes import (
    Attribute,
    heading_attributes,
    parse_attributes,
)
from translate.markdown.goldmark.options import MarkdownOptions, current_options, use_options
from translate.markdown.goldmark.parser import (
    Document,
    block_tokens,
    markdown_parser,
    parse_document,
    parse_inline,
)
from translate.markdown.goldmark.rules_inline.linkify import find_link

__all__ = [
    "Attribute",
    "Document",
    "MarkdownOptions",
    "block_tokens",
    "current_options",
    "find_link",
    "heading_attributes",
    "markdown_parser",
    "parse_attributes",
    "parse_document",
    "parse_inline",
    "use_options",
]
