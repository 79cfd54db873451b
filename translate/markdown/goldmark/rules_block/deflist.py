"""Goldmark's definition lists (goldmark/extension/definition_list.go).

A line `: text` at the container's own indentation (a colon, then at least one space)
opens a description. Its terms are the paragraph before it, one term per line of that
paragraph, even across a blank line; a paragraph right after a definition list followed
by `: ` adds its lines to that list. The colon interrupts a paragraph, but never a lazy
continuation line (`- item` / `: x` stays one list item). A description's content is
indented to the column after the colon's spaces. markdown-it-deflist differs on each point:
one-line terms, `~` markers, no interruption.
"""

from __future__ import annotations

from markdown_it.rules_block import StateBlock
from markdown_it.token import Token


def _content_start(state: StateBlock, line: int, indent: int | None = None) -> int | None:
    """Return where a description's text starts on `line`, or None if it opens none.

    The colon stands at `indent` (the container's, by default). A lazy line (markdown-it
    marks one in a quote with a negative indentation) opens nothing.
    """
    if state.sCount[line] != (state.blkIndent if indent is None else indent):
        return None
    start = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    if start >= end or state.src[start] != ":":
        return None
    position = start + 1
    while position < end and state.src[position] in " \t":
        position += 1
    return position if position > start + 1 else None


def deflist(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Read a definition list's descriptions; its terms are the paragraph parsed before."""
    if silent:
        # Interrupt the paragraph above: it becomes the terms. In a description, a colon at
        # the list's own indentation starts the next description.
        lists: list[int] = state.__dict__.get("definition_lists", [])
        return _content_start(state, start) is not None or (
            bool(lists) and _content_start(state, start, lists[-1]) is not None
        )
    if _content_start(state, start) is None:
        return False
    if not _take_terms(state):
        return False
    line = start
    lists = state.__dict__.setdefault("definition_lists", [])
    lists.append(state.blkIndent)
    while line < end:
        content = _content_start(state, line)
        if content is None:
            break
        line = _description(state, line, end, content)
        following = line
        while following < end and state.isEmpty(following):
            following += 1
        if following >= end or _content_start(state, following) is None:
            break
        line = following
    lists.pop()
    state.push("dl_close", "dl", -1)
    state.line = line
    return True


def _take_terms(state: StateBlock) -> bool:
    """Turn the paragraph just parsed into terms, in a new list or the list before it."""
    tokens = state.tokens
    level = state.level
    if (
        len(tokens) >= 3
        and tokens[-1].type == "paragraph_close"
        and tokens[-1].level == level
        and tokens[-3].type == "paragraph_open"
    ):
        paragraph_open, inline = tokens[-3], tokens[-2]
        del tokens[-3:]
        assert paragraph_open.map is not None
        first = paragraph_open.map[0]
        if not _reopen(state):
            _open(state, first)
        for offset, text in enumerate(inline.content.split("\n")):
            _term(state, first + offset, text.rstrip(" \t"))
        return True
    return _reopen(state)


def _reopen(state: StateBlock) -> bool:
    """Continue the definition list that closed right before, if there is one."""
    tokens = state.tokens
    if tokens and tokens[-1].type == "dl_close" and tokens[-1].level == state.level:
        tokens.pop()
        state.level += 1
        return True
    return False


def _open(state: StateBlock, line: int) -> None:
    token = state.push("dl_open", "dl", 1)
    token.map = [line, line + 1]


def _term(state: StateBlock, line: int, text: str) -> None:
    token = state.push("dt_open", "dt", 1)
    token.map = [line, line + 1]
    inline: Token = state.push("inline", "", 0)
    inline.map = [line, line + 1]
    inline.content = text
    inline.children = []
    state.push("dt_close", "dt", -1)


def _description(state: StateBlock, line: int, end: int, content: int) -> int:
    """Parse one description from `line`, its text starting at `content`; return its end."""
    token = state.push("dd_open", "dd", 1)
    token.map = lines = [line, line]
    # The description's column: its text's, counted from the line's start.
    column = state.sCount[line] + 1
    position = state.bMarks[line] + state.tShift[line] + 1
    while position < content:
        column += 4 - column % 4 if state.src[position] == "\t" else 1
        position += 1
    saved = (state.blkIndent, state.tShift[line], state.sCount[line], state.parentType)
    state.blkIndent = column
    state.tShift[line] = content - state.bMarks[line]
    state.sCount[line] = column
    state.parentType = "deflist"
    state.md.block.tokenize(state, line, end)
    state.blkIndent, state.tShift[line], state.sCount[line], state.parentType = saved
    state.push("dd_close", "dd", -1)
    lines[1] = state.line
    return state.line
