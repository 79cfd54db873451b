"""Links that follow the language, and headings that keep their ids: pure link mapping.

A translated page is a page of another language: a link in it to a page of the source
language (`/de/kontakt/`) should lead to the same page in the target language
(`/en/kontakt/`) once that page exists. The site decides which links map where
(`translate.hugo.links` builds a `LinkMap` per post); this module applies a map to a post's
pieces, and lets the proof accept exactly the mapped links.

Fragments: a translated heading gets a new automatic id (`## Einrichtung` is
`#einrichtung`, `## Setup` would be `#setup`), and every `#einrichtung` in links from this
page, from other pages, other languages and other sites would dangle. So the translation
keeps the source's id: a heading whose source has an automatic id gets it written out
(`## Setup {#einrichtung}`). Links and fragments then need no rewriting, and reviewers may
reword headings freely.

Hugo's automatic ids (v0.168, `markup/goldmark/autoid.go`) are made from the heading's text
as rendered (markup, HTML and link destinations left out, entities decoded): `github`
(the default) keeps letters, digits and `_` lowercased, turns each space and `-` into `-`
and drops everything else; `github-ascii` also drops what is not ASCII after removing
accents; `blackfriday` joins runs of anything else into one `-`. An id already used on the
page gets `-1`, `-2`, ... appended; an empty one is `heading`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from markdown_it.common.normalize_url import normalizeLink
from markdown_it.token import Token

from translate.markdown.document import Piece, PieceKind
from translate.markdown.goldmark import Document
from translate.markdown.shortcodes import has_mask

IdStyle = str  # "github", "github-ascii" or "blackfriday" (Hugo's autoHeadingIDType)


@dataclass(frozen=True)
class LinkMap:
    """How one post's links and headings change in its translation.

    `destinations`: a link destination of the source post, as written, -> the destination
    its translation links to. `heading_ids`: the file line of a source heading -> the id
    the translated heading keeps (the source's automatic id). `pending`: destinations that
    lead to a source-language page without a translation yet; they stay as they are.
    """

    destinations: Mapping[str, str] = field(default_factory=dict)
    heading_ids: Mapping[int, str] = field(default_factory=dict)
    pending: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.destinations or self.heading_ids)

    def source_of(self, destination: str) -> str:
        """Return the source destination a translation's destination stands for: the one it
        was mapped from, or itself (a link left as it was). Destinations are compared as
        written and as markdown-it normalises them (`%C3%BC` for `ü`)."""
        return self._reverse.get(destination, destination)

    @functools.cached_property
    def _reverse(self) -> Mapping[str, str]:
        reverse = {new: old for old, new in self.destinations.items()}
        reverse.update(
            {normalizeLink(new): normalizeLink(old) for old, new in self.destinations.items()}
        )
        return reverse


NO_LINKS = LinkMap()


# --- links ----------------------------------------------------------------------------------

# The closing markup of an inline link: `](destination)` or `](destination "title")`.
_CLOSE = re.compile(r"\]\(\s*(?P<dest><[^>\n]*>|[^\s)]+)(?P<rest>[^)]*)\)$", re.DOTALL)


def link_destination(close: str) -> str | None:
    """Return the destination of an inline link's closing markup (`](/de/x/ "T")`)."""
    match = _CLOSE.fullmatch(close)
    if match is None:
        return None
    destination = match.group("dest")
    return destination[1:-1] if destination.startswith("<") else destination


def destinations(pieces: Iterable[Piece]) -> list[str]:
    """Return the destinations of a block's inline links, in order."""
    found = []
    for piece in pieces:
        if piece.kind is PieceKind.CLOSE and piece.what == "link":
            destination = link_destination(piece.raw)
            if destination is not None:
                found.append(destination)
    return found


def apply_links(pieces: Sequence[Piece], links: LinkMap) -> tuple[Piece, ...]:
    """Return `pieces` with each mapped link destination replaced in the output.

    Only the closing markup of inline links changes (`Piece.output`, as glossary terms
    replace an atom); the source pieces stay as they were.
    """
    if not links.destinations:
        return tuple(pieces)
    out: list[Piece] = []
    for piece in pieces:
        if piece.kind is PieceKind.CLOSE and piece.what == "link":
            match = _CLOSE.fullmatch(piece.raw)
            old = link_destination(piece.raw)
            new = links.destinations.get(old) if old is not None else None
            if match is not None and new is not None:
                start, end = match.span("dest")
                written = f"<{new}>" if match.group("dest").startswith("<") else new
                piece = Piece(
                    piece.kind,
                    piece.raw,
                    piece.what,
                    piece.raw[:start] + written + piece.raw[end:],
                    piece.pair,
                )
        out.append(piece)
    return tuple(out)


def keep_heading_id(pieces: Sequence[Piece], heading_id: str) -> tuple[Piece, ...]:
    """Return a heading's pieces with its id written out after the text in the output.

    The added piece has no source text (the pieces still concatenate to the source): it is
    an atom whose output is ` {#id}`, Hugo's heading attribute.
    """
    return (*pieces, Piece(PieceKind.ATOM, "", "heading-id", f" {{#{heading_id}}}"))


# --- heading ids ----------------------------------------------------------------------------


def auto_id(text: str, style: IdStyle = "github") -> str:
    """Return the id Hugo makes of a heading's rendered text, before deduplication."""
    if style == "blackfriday":
        # Runs of letters and digits, joined by one `-` wherever anything else stood.
        return "-".join(re.findall(r"[^\W_]+", text.lower()))
    ascii_only = style == "github-ascii"
    if ascii_only:
        text = "".join(
            character
            for character in unicodedata.normalize("NFD", text)
            if not unicodedata.combining(character)
        )
    out: list[str] = []
    for character in text.strip():
        if ascii_only and not character.isascii():
            continue
        if character in "- ":
            out.append("-")
        elif character == "_" or character.isalpha() or character.isdigit():
            out.append(character.lower())
    return "".join(out)


def heading_ids(headings: Sequence[tuple[str, str | None]], style: IdStyle = "github") -> list[str]:
    """Return the id of each heading of a page, as Hugo gives them, in order.

    `headings` are (rendered text, explicit id or None). An explicit id is used as it is
    (and counts as taken); an automatic one that is taken gets `-1`, `-2`, ... A heading
    without text has no id ("").
    """
    taken: set[str] = set()
    ids: list[str] = []
    for text, explicit in headings:
        if explicit is not None:
            taken.add(explicit)
            ids.append(explicit)
            continue
        base = auto_id(text, style)
        if not text.strip():
            ids.append("")
            continue
        base = base or "heading"
        candidate, number = base, 0
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        ids.append(candidate)
    return ids


@dataclass(frozen=True)
class Heading:
    """A heading of a page, as far as its id is concerned."""

    line: int  # 0-based line in the body
    text: str  # rendered text (typographer applied), "" without any
    explicit: str | None  # its `{#id}`, if it has one
    id: str  # the id Hugo gives it ("" for none)
    shortcode: bool  # whether a shortcode stands in it: its id is what the shortcode renders
    attributes: bool = False  # whether it has an attribute block (`{class="x"}`, `{#id}`)


def page_headings(document: Document, style: IdStyle = "github") -> list[Heading]:
    """Return the headings of a post body in order, each with the id Hugo gives it."""
    found: list[tuple[int, str, str | None, bool, bool]] = []
    tokens = document.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        inline = tokens[index + 1]
        explicit = next((a.value for a in token.meta.get("attributes", ()) if a.name == "id"), None)
        line = token.map[0] if token.map else 0
        text = _rendered_text(inline.children or [])
        attributes = bool(token.meta.get("attributes"))
        found.append((line, text, explicit, has_mask(inline.content), attributes))
    ids = heading_ids([(text, explicit) for _, text, explicit, _, _ in found], style)
    return [
        Heading(line, text, explicit, heading_id, shortcode, attributes)
        for (line, text, explicit, shortcode, attributes), heading_id in zip(
            found, ids, strict=True
        )
    ]


# Goldmark's typographer, as Hugo enables it: `--` and `---` are one dash each in the text.
_DASHES = re.compile(r"-{2,3}")


def _rendered_text(children: Sequence[Token]) -> str:
    """Return the text Hugo renders of a heading's inline tokens: no markup, no HTML."""
    parts: list[str] = []
    for child in children:
        if child.type == "text":
            parts.append(_DASHES.sub("\u2013", child.content))
        elif child.type == "code_inline":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_rendered_text(child.children or []))
    return "".join(parts)
