"""Code spans as Goldmark reads them: a line break and the next line's indent are one space."""

from __future__ import annotations

import re

from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.backticks import backtick

# A paragraph's continuation lines lose their leading spaces and tabs before inline parsing
# (CommonMark 4.8), so inside a code span a line ending and the next line's indent are one
# space. markdown-it keeps the indent beyond the container's (`a\n    b` -> `a     b`);
# Hugo renders `<code>a b</code>`.
_LINE_BREAK = re.compile(r"\n[ \t]*")


def code_span(state: StateInline, silent: bool) -> bool:
    """Take a code span as markdown-it does, with its content as Goldmark gives it."""
    start = state.pos
    count = len(state.tokens)
    if not backtick(state, silent):
        return False
    if silent or len(state.tokens) == count or state.tokens[-1].type != "code_inline":
        return True
    token = state.tokens[-1]
    width = len(token.markup)
    content = _LINE_BREAK.sub(" ", state.src[start + width : state.pos - width])
    if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
        content = content[1:-1]
    token.content = content
    return True
