"""The parser for post bodies, configured as Hugo's Goldmark reads them, and its entry points."""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from translate.markdown.goldmark import nesting, spans
from translate.markdown.goldmark.options import current_options
from translate.markdown.goldmark.rules_block import deflist, table
from translate.markdown.goldmark.rules_core import footnotes
from translate.markdown.goldmark.rules_core.hugo_blocks import hugo_blocks
from translate.markdown.goldmark.rules_inline import (
    code_spans,
    emoji,
    guillemets,
    linkify,
    passthrough,
    strikethrough,
    text,
)
from translate.markdown.shortcodes import Masked, has_mask, mask, region_runs


@functools.cache
def markdown_parser() -> MarkdownIt:
    """Return the parser for post bodies, configured as Hugo's Goldmark renders by default.

    Every inline token carries `meta["span"]`: where it stands in its inline source.
    """
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.options["maxNesting"] = nesting.UNLIMITED
    md.block.ruler.at("table", table.table, {"alt": ["paragraph", "reference"]})
    md.block.ruler.before("table", nesting.TOO_DEEP, nesting.too_deep_block)
    md.inline.ruler.before("text", nesting.TOO_DEEP, nesting.too_deep_inline)
    md.inline.ruler.at("strikethrough", strikethrough.tokenize)
    md.inline.ruler2.at("strikethrough", strikethrough.post_process)
    md.use(footnote_plugin, inline=False)
    md.inline.ruler.at("footnote_ref", footnotes.footnote_ref)
    md.core.ruler.at("footnote_tail", footnotes.footnote_tail)
    md.block.ruler.before("paragraph", "deflist", deflist.deflist, {"alt": ["paragraph"]})
    # Digits next to `$` are prices ("5 $ und 10 $"), not math.
    md.use(dollarmath_plugin, allow_digits=False, allow_space=False)
    md.inline.ruler.at("text", text.text)
    md.inline.ruler.at("backticks", code_spans.code_span)
    md.inline.ruler.after("text", "goldmark_linkify", linkify.linkify)
    md.inline.ruler.before("escape", "passthrough", passthrough.passthrough)
    md.inline.ruler.before("html_inline", "guillemets", guillemets.guillemets)
    md.inline.ruler.after("goldmark_linkify", "emoji", emoji.emoji)
    md.core.ruler.after("block", "hugo_blocks", hugo_blocks)
    md.core.ruler.before("footnote_tail", "first_footnote_wins", footnotes.first_footnote_wins)
    # Escapes and entities stay separate tokens so they can be protected byte for byte;
    # unused emphasis delimiters stay separate so their source spans stay exact.
    md.disable("text_join")
    md.inline.ruler2.disable("fragments_join")
    tokenize: Callable[[StateInline], None] = functools.partial(spans.tracking_tokenize, md.inline)
    md.inline.tokenize = tokenize  # type: ignore[method-assign,assignment]
    return md


@dataclass
class Document:
    """A post body as Hugo reads it: the text, its masked shortcodes and markdown-it's tokens."""

    text: str
    masked: Masked
    tokens: list[Token]
    # markdown-it's environment: reference definitions and footnotes.
    env: dict[str, Any] = field(default_factory=dict)


def parse_document(text: str) -> Document:
    """Parse a post body: lex its shortcodes, mask them, and parse the Markdown around them.

    Raise ShortcodeError (with the line in `text`) where Hugo fails on a shortcode.
    """
    masked = mask(text, current_options().markdown_shortcodes)
    env: dict[str, Any] = {}
    tokens = markdown_parser().parse(masked.text, env)
    _unmask_references(env, masked)
    return Document(text, masked, tokens, env)


def _unmask_references(env: dict[str, Any], masked: Masked) -> None:
    """Write the shortcodes in reference destinations out, as Hugo parses them.

    The environment outlives the document's masking: a block parsed on its own (to check its
    translation) resolves `[text][ref]` against it, and its own mask characters would name
    other shortcodes than the document's.
    """
    for reference in env.get("references", {}).values():
        href = str(reference.get("href", ""))
        if "%F3%B" in href or "%F4%8" in href:
            href = urllib.parse.unquote(href)
        if has_mask(href):
            reference["href"] = "".join(
                href[start:end] if region is None else masked.canonical(region)
                for start, end, region in _mask_runs(href)
            )


def _mask_runs(text: str) -> list[tuple[int, int, int | None]]:
    """Cut `text` into runs of masked regions (with their index) and of plain text (None)."""
    runs: list[tuple[int, int, int | None]] = []
    position = 0
    for start, end, region in region_runs(text):
        if position < start:
            runs.append((position, start, None))
        runs.append((start, end, region))
        position = end
    if position < len(text):
        runs.append((position, len(text), None))
    return runs


def parse_inline(text: str, env: dict[str, Any] | None = None) -> list[Token]:
    """Parse inline Markdown `text` (already masked); return the inline token's children."""
    scratch = {**(env or {}), footnotes.READ_ONLY: True}
    tokens = markdown_parser().parseInline(text, scratch)
    return list(tokens[0].children or []) if tokens else []


def block_tokens(tokens: Sequence[Token]) -> list[Token]:
    """Return the block-level tokens, without the inline ones."""
    return [token for token in tokens if token.type != "inline"]
