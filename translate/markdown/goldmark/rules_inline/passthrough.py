"""Goldmark's passthrough extension: text between the site's delimiters stays untouched."""

from __future__ import annotations

from markdown_it.rules_inline import StateInline

from translate.markdown.goldmark.options import current_options


def passthrough(state: StateInline, silent: bool) -> bool:
    """Take text between passthrough delimiters as one untouched token (Hugo's math)."""
    delimiters = current_options().passthrough
    if not delimiters:
        return False
    pos = state.pos
    for opening, closing in delimiters:
        if not state.src.startswith(opening, pos):
            continue
        end = state.src.find(closing, pos + len(opening), state.posMax)
        if end < 0 or end == pos + len(opening):
            continue
        if not silent:
            token = state.push("passthrough", "", 0)
            token.content = state.src[pos : end + len(closing)]
            token.markup = opening
        state.pos = end + len(closing)
        return True
    return False
