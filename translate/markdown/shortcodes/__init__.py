"""Hugo shortcodes, read the way Hugo's page parser reads them: before any Markdown.

Hugo lexes a page's content for `{{< >}}` and `{{% %}}` actions first (`parser/pageparser`,
`pagelexer_shortcode.go`) and hands Goldmark a text in which each shortcode is one opaque
placeholder. Markdown therefore never sees a shortcode's parameters, its line breaks or the
raw inner content of a `{{< >}}` pair. This module does the same: `lex` finds every tag with
Hugo's own rules (and fails where Hugo fails), `shortcode_tree` pairs opening and closing tags,
and `mask` replaces each shortcode by a run of private-use characters of the same length, so
that markdown-it sees one word where Hugo sees one placeholder while every offset and line
number still points into the original text.

`lexer` reads the tags, `tree` pairs them, `masking` hides them from Markdown.
"""

from __future__ import annotations

from translate.markdown.shortcodes.lexer import Param, ShortcodeError, Tag, lex
from translate.markdown.shortcodes.masking import (
    MARKDOWN_SHORTCODES,
    MASK_CHARACTER,
    MAX_REGIONS,
    Masked,
    Raw,
    TranslatableParams,
    canonical_tag,
    has_mask,
    is_masked,
    mask,
    mask_char,
    masked_regions,
    region_of,
    region_runs,
)
from translate.markdown.shortcodes.tree import Shortcode, shortcode_tree, walk

__all__ = [
    "MARKDOWN_SHORTCODES",
    "MASK_CHARACTER",
    "MAX_REGIONS",
    "Masked",
    "Param",
    "Raw",
    "Shortcode",
    "ShortcodeError",
    "Tag",
    "TranslatableParams",
    "canonical_tag",
    "has_mask",
    "is_masked",
    "lex",
    "mask",
    "mask_char",
    "masked_regions",
    "region_of",
    "region_runs",
    "shortcode_tree",
    "walk",
]
