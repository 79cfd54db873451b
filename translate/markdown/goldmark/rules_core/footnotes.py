"""Footnotes as Goldmark renders them."""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import index as footnote


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


# Set in the environment of a block parsed on its own against its document's definitions
# (`parse_inline`): the document's footnotes are read, never counted or added to again.
READ_ONLY = "goldmark_read_only"


def footnote_tail(state: StateCore) -> None:
    """Move the footnotes to the end of a document; a text parsed inline has none.

    The plugin's tail rebuilds every footnote of the environment: on each inline parse of
    a block against its document's environment, that was a cost of footnotes × blocks.
    """
    if not state.inlineMode:
        footnote.footnote_tail(state)


def footnote_ref(state: StateInline, silent: bool) -> bool:
    """Read `[^label]` as the plugin does; in a read-only parse, without counting it."""
    if not state.env.get(READ_ONLY):
        return footnote.footnote_ref(state, silent)
    refs = state.env.get("footnotes", {}).get("refs", {})
    start, maximum = state.pos, state.posMax
    if not refs or not state.src.startswith("[^", start):
        return False
    end = start + 2
    while end < maximum and state.src[end] not in " \n]":
        end += 1
    if end == start + 2 or end >= maximum or state.src[end] != "]":
        return False
    label = state.src[start + 2 : end]
    if ":" + label not in refs:
        return False
    if not silent:
        token = state.push("footnote_ref", "", 0)
        token.meta = {"id": refs[":" + label], "subId": 0, "label": label}
    state.pos = end + 1
    return True
