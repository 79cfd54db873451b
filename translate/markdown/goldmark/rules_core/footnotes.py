"""Footnotes as Goldmark renders them."""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.token import Token


def first_footnote_wins(state: StateCore) -> None:
    """Drop the later definitions of a footnote label: Goldmark renders the first one.

    (markdown-it's footnote plugin keeps the last.)
    """
    seen: set[str] = set()
    kept: list[Token] = []
    dropping = False
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            label = str(token.meta.get("label"))
            dropping = label in seen
            seen.add(label)
        if not dropping:
            kept.append(token)
        if token.type == "footnote_reference_close":
            dropping = False
    state.tokens = kept
