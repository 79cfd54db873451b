"""Goldmark's Linkify: bare URLs and e-mail addresses become links.

The patterns of goldmark/extension/linkify.go: a URL needs a scheme or `www.`; an e-mail
address needs a dot in its domain. A bare domain ("Hide.me", "lesson-1.md") is text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

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
# What a URL Goldmark's Linkify finds begins with; an e-mail address begins with a run of
# the characters of its local part, then `@`.
_URL_HEAD = re.compile(r"(?:https?|ftp)://|www\.")
_EMAIL_LOCAL_CHARS = frozenset(
    "!#$%&'*+-./0123456789=?ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz{|}~"
)
# Where Goldmark tries Linkify: at a line head and after a space, `*`, `_`, `~` or `(`.
_TRIGGERS = frozenset(" \t\n*_~(")
_URL_START = re.compile(r"(?:^|(?<=[ \t\n*_~(]))(?=(?:https?|ftp)://|www\.)")
# Also right after an inline node other than text (code, raw HTML, a link, `<<` read as «):
# Goldmark starts a new text segment there, and tries Linkify at its head. The tokenizer
# keeps where the last such node ended.
NODE_END = "goldmark_node_end"
# Not while a `[` that opened no link is still unclosed: Goldmark's link label state is open
# then, and Linkify finds nothing (`a [ b http://x.org` has no link). The tokenizer counts.
OPEN_BRACKETS = "goldmark_open_brackets"
_LONGEST_LINK = 4096


@dataclass(frozen=True)
class _Starts:
    """Where links may start in one inline source."""

    src: str
    positions: list[int]  # where Linkify looks: a trigger before, a URL or address after
    emails: list[tuple[int, int]]  # runs of local-part characters, each ending at an `@`


def _starts(state: StateInline) -> _Starts:
    """Return where links may start in the state's source, found once per source.

    Kept on the state, for its source: a cache keyed by the text would compare two equal
    texts of a megabyte on every call. Linear: a pattern looking ahead for `@` from every
    position of `a_a_a_…` would scan the rest of the run each time.
    """
    cached: _Starts | None = state.__dict__.get("_link_starts")
    if cached is not None and cached.src is state.src:
        return cached
    src = state.src
    emails: list[tuple[int, int]] = []
    floor = 0
    at = src.find("@")
    while at >= 0:
        start = at
        while start > floor and src[start - 1] in _EMAIL_LOCAL_CHARS:
            start -= 1
        if start < at:
            emails.append((start, at))
        floor = at + 1
        at = src.find("@", floor)
    positions = {match.start() for match in _URL_START.finditer(src)}
    for start, end in emails:
        positions.update(p for p in range(start, end) if p == 0 or src[p - 1] in _TRIGGERS)
    cached = _Starts(src, sorted(positions), emails)
    state.__dict__["_link_starts"] = cached
    return cached


def link_starts(state: StateInline) -> list[int]:
    """Return every position of the source where Goldmark's Linkify would look for a link."""
    return _starts(state).positions


def _in_email(starts: _Starts, pos: int) -> bool:
    index = bisect.bisect_right(starts.emails, (pos, len(starts.src))) - 1
    return index >= 0 and starts.emails[index][0] <= pos < starts.emails[index][1]


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
    if state.__dict__.get(NODE_END) != pos:
        return False
    return bool(_URL_HEAD.match(state.src, pos)) or _in_email(_starts(state), pos)


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
    if not silent:
        # The destination as written: the proof compares it with its translation's, read
        # the same way. (markdown-it's URL normalising took half of a long paragraph's time.)
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": destination}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = line[:length]
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += length
    return True
