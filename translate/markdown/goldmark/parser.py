"""The parser for post bodies, configured as Hugo's Goldmark reads them, and its entry points."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from translate.markdown.goldmark import spans
from translate.markdown.goldmark.options import current_options
from translate.markdown.goldmark.rules_core.footnotes import first_footnote_wins
from translate.markdown.goldmark.rules_core.hugo_blocks import hugo_blocks
from translate.markdown.goldmark.rules_inline import (
    guillemets,
    linkify,
    passthrough,
    strikethrough,
    text,
)
from translate.markdown.shortcodes import Masked, mask


@functools.cache
def markdown_parser() -> MarkdownIt:
    """Return the parser for post bodies, configured as Hugo's Goldmark renders by default.

    Every inline token carries `meta["span"]`: where it stands in its inline source.
    """
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.inline.ruler.at("strikethrough", strikethrough.tokenize)
    md.inline.ruler2.at("strikethrough", strikethrough.post_process)
    md.use(footnote_plugin, inline=False)
    md.use(deflist_plugin)
    # Digits next to `$` are prices ("5 $ und 10 $"), not math.
    md.use(dollarmath_plugin, allow_digits=False, allow_space=False)
    md.inline.ruler.at("text", text.text)
    md.inline.ruler.after("text", "goldmark_linkify", linkify.linkify)
    md.inline.ruler.before("escape", "passthrough", passthrough.passthrough)
    md.inline.ruler.before("html_inline", "guillemets", guillemets.guillemets)
    md.core.ruler.after("block", "hugo_blocks", hugo_blocks)
    md.core.ruler.before("footnote_tail", "first_footnote_wins", first_footnote_wins)
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
    return Document(text, masked, tokens, env)


def parse_inline(text: str, env: dict[str, Any] | None = None) -> list[Token]:
    """Parse inline Markdown `text` (already masked); return the inline token's children."""
    tokens = markdown_parser().parseInline(text, dict(env or {}))
    return list(tokens[0].children or []) if tokens else []


def block_tokens(tokens: Sequence[Token]) -> list[Token]:
    """Return the block-level tokens, without the inline ones."""
    return [token for token in tokens if token.type != "inline"]
