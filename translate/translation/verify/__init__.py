"""Prove that a translation differs from its source post in prose only.

Both posts are read the way Hugo reads them (`markdown.parse_document`: shortcodes lexed
first, then Markdown) and compared as trees, independently of how the segmenter cut them
for translation: the front matter outside the translatable keys, the block structure
(types, levels, list markers, heading attributes, alerts, table alignment, footnotes), the
inline markup of each block (emphasis, strikethrough, links, images, hard breaks), what
must stay byte for byte (code, HTML, math, entities, footnote references, shortcodes, as
Hugo parses their parameters), where links and images point, reference definitions, and
the glossary's names, found by the same matcher that protects them. Text is the only thing
allowed to differ, plus the values the settings make translatable.

`translate run` refuses to write a post this check rejects; `translate check` runs the same
comparison in its reviewer-tolerant form (inline code, shortcodes and emphasis may move
within their block) and adds its own rules on top.
"""

from __future__ import annotations

from translate.translation.verify.compare import inline_differences
from translate.translation.verify.front_matter import key_line
from translate.translation.verify.items import (
    Item,
    Items,
    block_items,
    inline_items,
    translatable_params,
)
from translate.translation.verify.model import (
    CODES,
    Comparison,
    Difference,
    parse_post,
    short,
)
from translate.translation.verify.posts import compare_posts, verify_post
from translate.translation.verify.structure import align_blocks, describe

__all__ = [
    "CODES",
    "Comparison",
    "Difference",
    "Item",
    "Items",
    "align_blocks",
    "block_items",
    "compare_posts",
    "describe",
    "inline_differences",
    "inline_items",
    "key_line",
    "parse_post",
    "short",
    "translatable_params",
    "verify_post",
]
