"""What a site's configuration changes in how Hugo reads Markdown."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass

from translate.markdown.shortcodes import MARKDOWN_SHORTCODES


@dataclass(frozen=True)
class MarkdownOptions:
    """What a site's configuration changes in how Hugo reads Markdown.

    Hugo's defaults, unless the site says otherwise: no block attributes, no passthrough,
    and of the `{{< >}}` pairs only `details` holds Markdown.
    """

    # `markup.goldmark.parser.attribute.block`: `{.class}` on the line after a block.
    block_attributes: bool = False
    # `markup.goldmark.extensions.passthrough.delimiters`: (open, close) pairs whose
    # content Goldmark passes through untouched (math, usually).
    passthrough: tuple[tuple[str, str], ...] = ()
    # `{{< >}}` pairs whose template renders their content as Markdown.
    markdown_shortcodes: frozenset[str] = MARKDOWN_SHORTCODES
    # `enableEmoji`: `:rocket:` is an emoji.
    emoji: bool = False
    # Translate the text of raw HTML blocks (the `translate_html` setting).
    html_text: bool = True


# The options are frozen: one default instance is safe to share.
_OPTIONS: contextvars.ContextVar[MarkdownOptions] = contextvars.ContextVar(
    "markdown_options",
    default=MarkdownOptions(),  # noqa: B039
)


def current_options() -> MarkdownOptions:
    """Return the options posts are read with now."""
    return _OPTIONS.get()


@contextlib.contextmanager
def use_options(options: MarkdownOptions) -> Iterator[None]:
    """Read posts with `options` inside the block (a site's configuration, for a command)."""
    token = _OPTIONS.set(options)
    try:
        yield
    finally:
        _OPTIONS.reset(token)
