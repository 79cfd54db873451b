"""Raw HTML read as DeepL's tag handling reads it: text nodes are prose, the rest is kept.

Tags, comments and attributes stay as written, except `alt` and `title`, whose values are
prose. What the verbatim elements (`code`, `pre`, `samp`, `script`, `style`, `textarea`,
`math`) hold is kept whole. Block-level tags (`<p>`, `<td>`, `<li>`, …) end a
sentence; inline ones (`<a>`, `<b>`, `<span>`) stand in it, so a sentence is translated with
its links. A shortcode is kept as it stands, wherever it is.

Offsets are those of the text read: the masked text of a post (`shortcodes.mask`), so that a
shortcode in an attribute never looks like a quote or a `>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from translate.markdown.document import Piece, PieceKind, has_words

# Elements whose content is not prose: kept byte for byte, as Hugo's judge compares them.
VERBATIM_ELEMENTS = frozenset({"code", "pre", "samp", "script", "style", "textarea", "math"})
# Elements that end a sentence: what stands on either side is translated apart.
BLOCK_ELEMENTS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "center", "col"),
        *("colgroup", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption"),
        *("figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header"),
        *("hr", "html", "iframe", "legend", "li", "link", "main", "menu", "meta", "nav", "ol"),
        *("optgroup", "option", "p", "section", "summary", "table", "tbody", "td", "tfoot"),
        *("th", "thead", "title", "tr", "ul", "video", "audio", "source", "track", "br"),
    }
)
# Attributes whose values are prose.
PROSE_ATTRIBUTES = frozenset({"alt", "title"})

_ATTRIBUTE = r"""\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:{_ATTRIBUTE})*\s*/?>")
_OTHER = re.compile(r"<!--.*?-->|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_PROSE_VALUE = re.compile(
    r"""(?P<before>\s(?:alt|title)\s*=\s*)(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')""",
    re.IGNORECASE,
)
_MASK = re.compile("[\U000f0000-\U000ffffd\U00100000-\U0010fffd]+")


@dataclass(frozen=True)
class Node:
    """One lexical piece of raw HTML: a tag, a comment, an entity, or text, by offsets."""

    kind: str  # "tag", "other" (comment, declaration), "entity", "text"; "verbatim" (`_units`)
    start: int
    end: int
    name: str = ""  # a tag's element name, lower-cased
    closing: bool = False


def lex(text: str) -> Iterator[Node]:
    """Yield the nodes of raw HTML `text`, in order; they tile it."""
    position = 0
    text_start = 0
    while position < len(text):
        char = text[position]
        match: re.Match[str] | None = None
        if char == "<":
            match = _OTHER.match(text, position) or _TAG.match(text, position)
        elif char == "&":
            match = _ENTITY.match(text, position)
        if match is None:
            position += 1
            continue
        if text_start < position:
            yield Node("text", text_start, position)
        if char == "&":
            yield Node("entity", match.start(), match.end())
        elif match.re is _TAG:
            yield Node(
                "tag", match.start(), match.end(), match["name"].lower(), bool(match["close"])
            )
        else:
            yield Node("other", match.start(), match.end())
        position = text_start = match.end()
    if text_start < len(text):
        yield Node("text", text_start, len(text))


def _units(text: str) -> Iterator[Node]:
    """Yield the nodes of raw HTML `text`, a verbatim element (`<script>…</script>`, from
    its opening to its closing tag) as one node of kind "verbatim"."""
    nodes = list(lex(text))
    index = 0
    while index < len(nodes):
        node = nodes[index]
        if node.kind == "tag" and not node.closing and node.name in VERBATIM_ELEMENTS:
            depth, end = 0, index
            for end in range(index, len(nodes)):
                other = nodes[end]
                if other.kind == "tag" and other.name == node.name:
                    depth += -1 if other.closing else 1
                    if depth == 0:
                        break
            yield Node("verbatim", node.start, nodes[end].end, node.name)
            index = end + 1
            continue
        yield node
        index += 1


def html_pieces(source: str, masked: str) -> tuple[Piece, ...]:
    """Cut raw HTML into pieces: text is prose; tags, comments and entities are atoms.

    `masked` is `source` with its shortcodes masked (same length). Tags of block elements
    are atoms that end a sentence (`what` "html-block"); `alt` and `title` values are pairs
    whose inside is prose (`what` "attribute").
    """
    pieces: list[Piece] = []
    for node in _units(masked):
        raw = source[node.start : node.end]
        if node.kind == "verbatim":
            pieces.append(Piece(PieceKind.ATOM, raw, "html"))
        elif node.kind == "text":
            pieces.extend(_text_pieces(raw, masked[node.start : node.end]))
        elif node.kind == "entity":
            pieces.append(Piece(PieceKind.ATOM, raw, "entity"))
        elif node.kind == "tag":
            what = "html-block" if node.name in BLOCK_ELEMENTS else "html"
            pieces.extend(_tag_pieces(raw, masked[node.start : node.end], what, len(pieces)))
        else:
            pieces.append(Piece(PieceKind.ATOM, raw, "html-block"))
    return tuple(pieces)


def _text_pieces(raw: str, masked: str) -> Iterator[Piece]:
    """Yield a text node's pieces: its shortcodes are atoms."""
    position = 0
    for match in _MASK.finditer(masked):
        if position < match.start():
            yield Piece(PieceKind.TEXT, raw[position : match.start()])
        yield Piece(PieceKind.ATOM, raw[match.start() : match.end()], "shortcode")
        position = match.end()
    if position < len(raw):
        yield Piece(PieceKind.TEXT, raw[position:])


def _tag_pieces(raw: str, masked: str, what: str, number: int) -> list[Piece]:
    """Return a tag as one atom, or as atoms around the prose of its `alt` and `title`.

    A block element's tag stays one atom: it ends sentences, and its title is rare.
    """
    if what == "html-block":
        return [Piece(PieceKind.ATOM, raw, what)]
    pieces: list[Piece] = []
    position = 0
    for match in _PROSE_VALUE.finditer(masked):
        group = "double" if match["double"] is not None else "single"
        start, end = match.span(group)
        if not has_words(raw[start:end]) or _MASK.search(masked, start, end):
            continue
        pair = 1_000_000 + number * 100 + len(pieces)  # unique beside the body's own pairs
        pieces.append(Piece(PieceKind.OPEN, raw[position:start], "attribute", pair=pair))
        pieces.append(Piece(PieceKind.TEXT, raw[start:end]))
        pieces.append(Piece(PieceKind.CLOSE, raw[end : end + 1], "attribute", pair=pair))
        position = end + 1
    if not pieces:
        return [Piece(PieceKind.ATOM, raw, what)]
    # What follows the last value (`">`) closes the last pair.
    last = pieces[-1]
    pieces[-1] = Piece(PieceKind.CLOSE, last.raw + raw[position:], last.what, pair=last.pair)
    return pieces


def canonical_tag(tag: str) -> str:
    """Return a tag with the values of its prose attributes left out, for comparisons."""
    return _PROSE_VALUE.sub(lambda match: match["before"] + '"…"', tag)


def html_structure(text: str) -> str:
    """Return what of raw HTML must survive translation: tags, comments, verbatim elements.

    Text is left out; so are the values of `alt` and `title`.
    """
    parts: list[str] = []
    for node in _units(text):
        if node.kind == "verbatim":
            parts.append(text[node.start : node.end])
        elif node.kind == "tag":
            parts.append(" ".join(canonical_tag(text[node.start : node.end]).split()))
        elif node.kind == "other":
            parts.append(text[node.start : node.end])
    return "\n".join(parts)


def escape_html(text: str, quote: str = "") -> str:
    """Escape model output for raw HTML: `<`, `>`, a bare `&`, and `quote` inside a value."""
    text = re.sub(r"&(?!#?[A-Za-z0-9]+;)", "&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace(quote, "&quot;" if quote == '"' else "&#39;")
    return text
