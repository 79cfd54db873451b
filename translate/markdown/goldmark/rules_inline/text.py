"""Plain text up to the next character an inline rule may start at, or a Linkify position."""

from __future__ import annotations

import bisect

from markdown_it.rules_inline import StateInline

from translate.markdown.goldmark.rules_inline.linkify import link_starts, may_start_link


def text(state: StateInline, silent: bool) -> bool:
    """Take plain text up to the next character a rule may start at, or a Linkify position."""
    pos = state.pos
    stop = state.posMax
    if may_start_link(state, pos):
        return False  # a link may start here: Linkify's turn (the next rule)
    starts = link_starts(state)
    index = bisect.bisect_left(starts, pos)
    if index < len(starts) and starts[index] < stop:
        stop = starts[index]
    # Search only up to there: a search to the end of a long line on every call would make
    # a paragraph's cost grow with its square.
    terminator = state.md.inline.terminator_re.search(state.src, pos, stop)
    if terminator is not None:
        stop = terminator.start()
    if stop == pos:
        return False
    if not silent:
        state.append_pending(state.src[pos:stop])
    state.pos = stop
    return True
