"""Goldmark's Linkify: bare URLs and e-mail addresses become links.

The patterns of goldmark/extension/linkify.go: a URL needs a scheme or `www.`; an e-mail
address needs a dot in its domain. A bare domain ("Hide.me", "lesson-1.md") is text.
"""

from __future__ import annotations

import bisect
import re

from markdown_it.rules_inline import StateInline

from translate.markdown.goldmark.attributes import ASCII_PUNCT

_URL = re.compile(
    r"(?:http|https|ftp)://[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+(?::\d+)?"
    r"(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=();,'\">^{}\[\]`]*)?"
)
_WWW = re.compile(
    r"www\.[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+"
    r"(?:[/#?][-a-zA-Z0-9@:%_+.~#!?&/=();,'\">^{}\[\]`]*)?"
)
_EMAIL_LOCAL = re.compile(r"[!#$%&'*+\-./0-9=?A-Z^_`a-z{|}~]+")
_EMAIL_DOMAIN = re.compile(
    r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
# What a link Goldmark's Linkify finds begins with.
_LINK_HEAD = r"(?:https?|ftp)://|www\.|[!#$%&'*+\-./0-9=?A-Z^_`a-z{|}~]+@"
# Where Goldmark tries Linkify: at a line head and after a space, `*`, `_`, `~` or `(`.
_LINK_START = re.compile(rf"(?:^|(?<=[ \t\n*_~(]))(?={_LINK_HEAD})")
_LINK_AFTER_NODE = re.compile(_LINK_HEAD)
# Also right after an inline node other than text (code, raw HTML, a link, `<<` read as «):
# Goldmark starts a new text segment there, and tries Linkify at its head. The tokenizer
# keeps where the last such node ended.
NODE_END = "goldmark_node_end"
# Not while a `[` that opened no link is still unclosed: Goldmark's link label state is open
# then, and Linkify finds nothing (`a [ b http://x.org` has no link). The tokenizer counts.
OPEN_BRACKETS = "goldmark_open_brackets"
_LONGEST_LINK = 4096


def link_starts(state: StateInline) -> list[int]:
    """Return every position of the source where Goldmark's Linkify would look for a link.

    Kept on the state, for its source: a cache keyed by the text would compare two equal
    texts of a megabyte on every call.
    """
    cached: tuple[str, list[int]] | None = state.__dict__.get("_link_starts")
    if cached is None or cached[0] is not state.src:
        cached = (state.src, [match.start() for match in _LINK_START.finditer(state.src)])
        state.__dict__["_link_starts"] = cached
    return cached[1]


def find_link(line: str) -> tuple[int, str] | None:
    """Return (length, destination) of a Linkify link at the start of `line`, as Goldmark."""
    match = _URL.match(line) if line.startswith(("http:", "https:", "ftp:")) else None
    www = False
    if match is None and line.startswith("www."):
        match = _WWW.match(line)
        www = True
    email = False
    if match is not None:
        end = match.end()
        last = line[end - 1]
        if last == ".":
            end -= 1
        elif last == ")":
            closing = 0
            for char in line[:end]:
                closing += {")": 1, "(": -1}.get(char, 0)
            if closing > 0:
                end -= closing
        elif last == ";":
            index = end - 2
            while index >= 0 and line[index].isascii() and line[index].isalnum():
                index -= 1
            if index != end - 2 and line[index] == "&":
                end = index
    else:
        if not line or line[0] in ASCII_PUNCT:
            return None
        local = _EMAIL_LOCAL.match(line)
        if local is None or not line.startswith("@", local.end()):
            return None
        domain = _EMAIL_DOMAIN.match(line, local.end() + 1)
        if domain is None:
            return None
        end = domain.end()
        if "." not in line[local.end() : end - 1]:
            return None
        if line[end - 1] == ".":
            end -= 1
        if end < len(line) and line[end] in "-_":
            return None
        email = True
    # Trailing punctuation belongs to the sentence, not the link.
    while end > 1 and line[end - 1] in "?!.,:*_~":
        end -= 1
    text = line[:end]
    destination = "mailto:" + text if email else "http://" + text if www else text
    return end, destination


def may_start_link(state: StateInline, pos: int) -> bool:
    """Tell whether Goldmark's Linkify looks for a link at `pos`."""
    if state.__dict__.get(OPEN_BRACKETS):
        return False
    starts = link_starts(state)
    index = bisect.bisect_left(starts, pos)
    if index < len(starts) and starts[index] == pos:
        return True
    return state.__dict__.get(NODE_END) == pos and bool(_LINK_AFTER_NODE.match(state.src, pos))


def linkify(state: StateInline, silent: bool) -> bool:
    """Recognise a bare URL or e-mail address as Goldmark's Linkify extension does."""
    pos = state.pos
    if state.linkLevel > 0 or not may_start_link(state, pos):
        return False
    # No address is longer than this; looking further on a long line would cost its square.
    limit = min(state.posMax, pos + _LONGEST_LINK)
    line_end = state.src.find("\n", pos, limit)
    line = state.src[pos : limit if line_end < 0 else line_end]
    found = find_link(line)
    if found is None:
        return False
    length, destination = found
    href = state.md.normalizeLink(destination)
    if not state.md.validateLink(href):
        return False
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(line[:length])
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += length
    return True
