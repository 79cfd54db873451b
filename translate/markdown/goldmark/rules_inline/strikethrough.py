"""Goldmark's strikethrough.

goldmark/extension/strikethrough.go: a run of one or two tildes delimits (three or more are
text, as is a tilde right after another), and an opener and a closer of different widths
still pair, over the narrower width: `~x~~` is <del>x</del>~. markdown-it's own rule wants
two tildes on both sides.
"""

from __future__ import annotations

from typing import Literal

from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token


def tokenize(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if silent or state.src[start] != "~":
        return False
    scanned = state.scanDelims(start, True)
    length = scanned.length
    token = state.push("text", "", 0)
    token.content = "~" * length
    state.pos += length
    if length > 2 or (start > 0 and state.src[start - 1] == "~"):
        return True  # text
    state.delimiters.append(
        Delimiter(
            marker=ord("~"),
            length=0,  # no "rule of 3"
            token=len(state.tokens) - 1,
            end=-1,
            open=scanned.can_open,
            close=scanned.can_close,
        )
    )
    return True


def _tilde_pairs(state: StateInline, delimiters: list[Delimiter]) -> None:
    """Turn paired tilde runs into s_open/s_close; the wider run's extra tildes stay text."""
    for opener in delimiters:
        if opener.marker != ord("~") or opener.end == -1:
            continue
        closer = delimiters[opener.end]
        open_token, close_token = state.tokens[opener.token], state.tokens[closer.token]
        width = min(len(open_token.content), len(close_token.content))
        sides: tuple[tuple[Token, Literal[1, -1]], ...] = ((open_token, 1), (close_token, -1))
        for token, nesting in sides:
            extra = len(token.content) - width
            start, end = token.meta.get("span", (0, 0))
            if extra:
                # Outside the pair: before an opener, after a closer.
                token.meta["extra"] = ("before" if nesting == 1 else "after", extra)
                start, end = (start + extra, end) if nesting == 1 else (start, end - extra)
            token.type = "s_open" if nesting == 1 else "s_close"
            token.tag = "s"
            token.nesting = nesting
            token.markup = "~" * width
            token.content = ""
            token.meta["span"] = (start, end)


def post_process(state: StateInline) -> None:
    _tilde_pairs(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _tilde_pairs(state, meta["delimiters"])
    # Extra tildes of a wider run become text tokens of their own, next to the tag.
    index = 0
    while index < len(state.tokens):
        token = state.tokens[index]
        extra = token.meta.pop("extra", None)
        if extra is not None:
            side, count = extra
            text = Token("text", "", 0)
            text.content = "~" * count
            start, end = token.meta["span"]
            if side == "before":
                text.meta["span"] = (start - count, start)
                state.tokens.insert(index, text)
                index += 1
            else:
                text.meta["span"] = (end, end + count)
                state.tokens.insert(index + 1, text)
        index += 1
