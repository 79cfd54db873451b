"""How deep this reader follows nesting, and what it does with text nested deeper.

Goldmark has no nesting limit; markdown-it stops at `maxNesting` (20 in its CommonMark
preset) and silently drops the rest: a list nested ten deep lost its last item and every
paragraph after it. Python's stack is the real bound here (each level costs the parser a few
frames), so this reader follows 100 levels, as markdown-it's default preset does, and keeps
what lies deeper as one opaque `too_deep` token: copied as it is, and reported.
"""

from __future__ import annotations

from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

NESTING_LIMIT = 100
# markdown-it's own limit is set past ours, so that it never drops text unannounced.
UNLIMITED = 1 << 30

TOO_DEEP = "too_deep"


def too_deep_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Take the lines of a container nested deeper than `NESTING_LIMIT` as one token.

    The lines run to where the container would end: the end of the range (a block quote's
    range is its own) or the first line indented less than the container's content.
    """
    if state.level < NESTING_LIMIT:
        return False
    if silent:
        return True
    line = start + 1
    while line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
        line += 1
    while line - 1 > start and state.isEmpty(line - 1):
        line -= 1
    token = state.push(TOO_DEEP, "", 0)
    token.map = [start, line]
    token.content = state.getLines(start, line, state.blkIndent, True)
    token.block = True
    state.line = line
    return True


def too_deep_inline(state: StateInline, silent: bool) -> bool:
    """Mark an inline parse that went deeper than `NESTING_LIMIT` (in a link's label).

    markdown-it then skips to the end of the text; the whole inline content becomes one
    `too_deep` token when its parse ends (`collapse_if_too_deep`).
    """
    if state.level < NESTING_LIMIT:
        return False
    state.__dict__[TOO_DEEP] = True
    if silent:
        state.pos = state.posMax
    return silent


def collapse_if_too_deep(state: StateInline) -> None:
    """Replace the tokens of an inline parse that went too deep by one `too_deep` token."""
    if not state.__dict__.get(TOO_DEEP):
        return
    token = Token(TOO_DEEP, "", 0)
    token.content = state.src
    token.meta["span"] = (0, len(state.src))
    state.tokens[:] = [token]
    state.tokens_meta[:] = [None]
    state.delimiters.clear()
    state.pending = ""
    state.pos = state.posMax
