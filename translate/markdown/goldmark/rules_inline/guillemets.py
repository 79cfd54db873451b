"""Goldmark's typographer: `<<` is text (a guillemet), read before any HTML."""

from __future__ import annotations

from markdown_it.rules_inline import StateInline

from translate.markdown.goldmark.rules_inline.linkify import NODE_END


def guillemets(state: StateInline, silent: bool) -> bool:
    """Read `<<` as text, as Hugo's typographer does («) before it looks for HTML.

    In `a <</kbd>` the second `<` then opens no tag: Hugo renders `a «/kbd>`.
    """
    if not state.src.startswith("<<", state.pos):
        return False
    if not silent:
        state.pending += "<<"
    state.pos += 2
    # « is a node of its own to Goldmark: Linkify looks for a link right after it.
    state.__dict__[NODE_END] = state.pos
    return True
