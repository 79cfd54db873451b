"""Inline tokenizing that records where each token stands in its inline source."""

from __future__ import annotations

from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from translate.markdown.goldmark.nesting import (
    NESTING_LIMIT,
    collapse_if_too_deep,
    too_deep_inline,
)
from translate.markdown.goldmark.rules_inline.linkify import NODE_END, OPEN_BRACKETS


def record_spans(tokens: list[Token], first: int, pending_start: int, start: int, end: int) -> None:
    """Give each token a rule call just pushed its `(start, end)` in the inline source."""
    new = tokens[first:]
    raw_start = start
    if start > pending_start and new and new[0].type == "text" and "span" not in new[0].meta:
        # The rule flushed pending text first; rules may have trimmed it (newline drops
        # trailing spaces), so it spans only its content.
        flushed = new[0]
        raw_start = pending_start + len(flushed.content)
        flushed.meta["span"] = (pending_start, raw_start)
        new = new[1:]
    elif start > pending_start:
        raw_start = pending_start  # the rule consumed all pending text itself
    rest = [token for token in new if "span" not in token.meta]
    if (
        rest
        and all(t.type == "text" for t in rest)
        and (sum(len(t.content) for t in rest) == end - raw_start)
    ):
        # Emphasis and strikethrough push one text token per delimiter: tile them.
        pos = raw_start
        for token in rest:
            token.meta["span"] = (pos, pos + len(token.content))
            pos += len(token.content)
    else:
        for token in rest:
            token.meta["span"] = (raw_start, end)


# Tokens that are text to Goldmark too: Linkify is not tried right after them.
_TEXT_TOKENS = frozenset({"text", "text_special", "softbreak", "hardbreak"})


def tracking_tokenize(parser: ParserInline, state: StateInline) -> None:
    """Tokenize like `ParserInline.tokenize`, recording each token's source span in `meta`.

    Tokens know their block's lines but not where they stand inside it; these spans let
    the segmenter cut the original inline source at token boundaries instead of
    re-rendering Markdown from tokens (which would change `_` to `*`, escapes, etc.).
    """
    rules = parser.ruler.getRules("")
    end = state.posMax
    # A link's label is tokenized by a nested call on the same state.
    outermost = not state.__dict__.get("tokenizing")
    state.__dict__["tokenizing"] = True
    while state.pos < end:
        pos = state.pos
        pending_start = pos - len(state.pending)
        first = len(state.tokens)
        ok = False
        if state.level < NESTING_LIMIT:
            for rule in rules:
                ok = rule(state, False)
                if ok:
                    if state.pos <= pos:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    break
        if ok:
            record_spans(state.tokens, first, pending_start, pos, state.pos)
            if any(token.type not in _TEXT_TOKENS for token in state.tokens[first:]):
                state.__dict__[NODE_END] = state.pos
            if state.pos >= end:
                break
            continue
        if state.level >= NESTING_LIMIT:
            too_deep_inline(state, False)
        char = state.src[state.pos]
        # A bracket no rule took: a `[` that opened no link, or the `]` that closes it.
        if char == "[":
            state.__dict__[OPEN_BRACKETS] = state.__dict__.get(OPEN_BRACKETS, 0) + 1
        elif char == "]" and state.__dict__.get(OPEN_BRACKETS):
            state.__dict__[OPEN_BRACKETS] -= 1
        state.append_pending(char)
        state.pos += 1
    if state.pending:
        token = state.pushPending()
        token.meta["span"] = (end - len(token.content), end)
    if outermost:
        state.__dict__["tokenizing"] = False
        collapse_if_too_deep(state)
