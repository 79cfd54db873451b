"""Addresses written as text: URLs, e-mail addresses and fediverse handles, never prose.

Goldmark's Linkify turns only some of them into links (a URL needs a dot in its host, ASCII
letters, a space or a line head before it); the rest are still addresses a reader copies,
and a translation must leave them as they are: `http://localhost:8080`,
`https://shop.stiärbiär.ch/`, `@timmer@mastodon.example.de`, an e-mail address after a
no-break space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from translate.markdown.goldmark import find_link

_ADDRESS = re.compile(
    r"(?<![\w@/.:+-])"  # not inside a word or another address
    r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"'`]+"  # a URL with a scheme
    r"|www\.[^\s<>\"'`]+\.[^\s<>\"'`]+"  # www.example.org
    r"|@?[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"  # an e-mail address, a fediverse handle
)
# Punctuation after an address belongs to the sentence (a closing parenthesis, unless the
# address opened one).
_TRAILING = ".,;:!?»«\"'“”’*_~"


def address_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) of each address in `text`, in order."""
    for match in _ADDRESS.finditer(text):
        start, end = match.span()
        while end > start + 1:
            last = text[end - 1]
            if last in _TRAILING or (
                last == ")" and text.count("(", start, end) < text.count(")", start, end)
            ):
                end -= 1
            else:
                break
        if not text[start:end].endswith(("://", "@")):  # a scheme alone is no address
            yield start, end


def is_address(text: str, href: str = "") -> bool:
    """Tell whether `text` (a link's text, say) is an address and nothing else.

    A link's text that is its destination without the scheme (`[go.dev/wiki](https://go.dev/wiki)`)
    is one too.
    """
    stripped = text.strip()
    if not stripped:
        return False
    if href and _bare(stripped) == _bare(href):
        return True
    found = find_link(stripped)
    if found is not None and found[0] == len(stripped):
        return True
    return any(span == (0, len(stripped)) for span in address_spans(stripped))


def _bare(url: str) -> str:
    """Return a URL without its scheme and final slash, as a link's text often shows it."""
    return re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*:(?://)?", "", url).rstrip("/")
