"""Cut a block's inline Markdown into pieces: prose, protected atoms and paired markup.

The pieces are cut from the original inline source at the token boundaries the parse
recorded (`goldmark.spans`), never re-rendered from tokens: concatenated, they give back the
source byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from translate.markdown.addresses import address_spans, is_address
from translate.markdown.document import Piece, PieceKind
from translate.markdown.goldmark import current_options, parse_inline
from translate.markdown.html import VERBATIM_ELEMENTS
from translate.markdown.shortcodes import ShortcodeError, has_mask, is_masked, mask

_ATOM_TOKENS = {
    "code_inline": "code",
    "html_inline": "html",
    "math_inline": "math",
    "math_inline_double": "math",
    "footnote_ref": "footnote",
    "passthrough": "math",
    "emoji": "emoji",
    "too_deep": "too-deep",
}
_PAIRS = {"em_open": "em", "strong_open": "strong", "s_open": "s", "link_open": "link"}


def _span(token: Token) -> tuple[int, int]:
    span: tuple[int, int] = token.meta["span"]
    return span


def _matches(tokens: Sequence[Token]) -> dict[int, int]:
    """Map the index of each opening inline token to the index of its closing token."""
    matches: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(index)
        elif token.nesting == -1 and stack:
            matches[stack.pop()] = index
    return matches


@dataclass
class _Frame:
    """Tokens still to walk: `tokens[index:stop]`, whose spans are relative to `offset`."""

    tokens: Sequence[Token]
    matches: dict[int, int]
    index: int
    stop: int
    offset: int
    # A piece to add once the frame is done: the CLOSE of the pair it is the inside of.
    close: Piece | None = None


class _PieceBuilder:
    """Turn span-annotated inline tokens into pieces that tile the inline source."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.pairs = 0
        self.pieces: list[Piece] = []

    def add(
        self,
        kind: PieceKind,
        raw: str,
        what: str = "",
        pair: int = -1,
        output: str | None = None,
    ) -> None:
        if not raw and kind is not PieceKind.OPEN and kind is not PieceKind.CLOSE:
            return
        last = self.pieces[-1] if self.pieces else None
        if last and kind is PieceKind.TEXT and last.kind is PieceKind.TEXT:
            self.pieces[-1] = Piece(PieceKind.TEXT, last.raw + raw)
        else:
            self.pieces.append(Piece(kind, raw, what, output, pair))

    def _extend_last(self, raw: str) -> None:
        last = self.pieces[-1]
        self.pieces[-1] = Piece(last.kind, last.raw + raw, last.what, last.output, last.pair)

    def walk(self, tokens: Sequence[Token]) -> None:
        """Append pieces for inline `tokens`.

        Iterative, not recursive: 2,000 nested `*` must not exhaust Python's stack.
        """
        frames = [_Frame(tokens, _matches(tokens), 0, len(tokens), 0)]
        carry = ""  # consumed delimiter characters waiting for the open they belong to
        while frames:
            frame = frames[-1]
            if frame.index >= frame.stop:
                frames.pop()
                if carry:
                    self.add(PieceKind.TEXT, carry)
                    carry = ""
                if frame.close is not None:
                    close = frame.close
                    self.add(PieceKind.CLOSE, close.raw, close.what, close.pair, close.output)
                continue
            index = frame.index
            frame.index += 1
            token = frame.tokens[index]
            start, end = _span(token)
            src, offset = self.src, frame.offset
            raw = src[offset + start : offset + end]
            kind = token.type
            if kind == "text" and not token.content:
                # A delimiter character consumed by a `**` pair: part of that markup.
                if self.pieces and self.pieces[-1].kind is PieceKind.CLOSE and not carry:
                    self._extend_last(raw)
                else:
                    carry += raw
                continue
            if kind in _PAIRS and token.markup not in ("autolink", "linkify"):
                close_index = frame.matches[index]
                inner = (index + 1, close_index)
                output = None
                if kind == "link_open":
                    label = frame.tokens[index + 1 : close_index]
                    label_start = _span(label[0])[0] if label else start + 1
                    label_end = _span(label[-1])[1] if label else start + 1
                    close_raw = src[offset + label_end : offset + end]
                    raw = src[offset + start : offset + label_start]
                    label_text = src[offset + label_start : offset + label_end]
                    if close_raw in ("]", "][]"):
                        # In `[Text][]` and `[Text]` the text is also the reference label:
                        # once translated, the link needs the label spelled out.
                        output = "][" + re.sub(r"\s+", " ", label_text) + "]"
                    if is_address(label_text, str(token.attrGet("href") or "")):
                        # `[https://x.org/a](https://x.org/a)`: the text is an address too.
                        self.add(PieceKind.ATOM, carry + src[offset + start : offset + end], "url")
                        carry = ""
                        frame.index = close_index + 1
                        continue
                else:
                    c_start, c_end = _span(frame.tokens[close_index])
                    close_raw = src[offset + c_start : offset + c_end]
                self.pairs += 1
                pair = self.pairs
                what = _PAIRS[kind]
                self.add(PieceKind.OPEN, carry + raw, what, pair)
                carry = ""
                frame.index = close_index + 1
                frames.append(
                    _Frame(
                        frame.tokens,
                        frame.matches,
                        inner[0],
                        inner[1],
                        offset,
                        Piece(PieceKind.CLOSE, close_raw, what, output, pair),
                    )
                )
                continue
            if carry:
                raw = carry + raw
                carry = ""
            if kind == "link_open":  # autolink or bare URL: protected as a whole
                self.add(PieceKind.ATOM, raw, "url")
                frame.index = frame.matches[index] + 1
                continue
            if kind == "image":
                label_start = start + 2
                label_end = label_start + len(token.content)
                self.pairs += 1
                pair = self.pairs
                self.add(PieceKind.OPEN, src[offset + start : offset + label_start], "image", pair)
                children = token.children or []
                close_raw = src[offset + label_end : offset + end]
                frames.append(
                    _Frame(
                        children,
                        _matches(children),
                        0,
                        len(children),
                        offset + label_start,
                        Piece(PieceKind.CLOSE, close_raw, "image", None, pair),
                    )
                )
            elif kind == "text":
                self.add(PieceKind.TEXT, raw)
            elif kind == "text_special":
                self.add(PieceKind.ATOM, raw, "entity" if token.info == "entity" else "escape")
            elif kind == "softbreak":
                self.add(PieceKind.SOFTBREAK, raw)
            elif kind == "hardbreak":
                self.add(PieceKind.HARDBREAK, raw)
            else:
                self.add(PieceKind.ATOM, raw, _ATOM_TOKENS.get(kind, kind))


def inline_pieces(
    source: str,
    env: Mapping[str, Any] | None = None,
    *,
    masked: str | None = None,
    tokens: Sequence[Token] | None = None,
) -> tuple[Piece, ...]:
    """Cut inline Markdown `source` into pieces whose raw text concatenates to `source`.

    `masked` is `source` with its shortcodes masked (see `shortcodes.mask`), as the body's
    parse made it; without it, the shortcodes of `source` itself are masked, if it has any
    Hugo could read. `env` carries the document's reference definitions, so `[text][ref]`
    is a link; `tokens` are the inline tokens of `masked` if the document's parse has them
    already. Whatever the tokens cannot account for exactly is returned as one protected
    atom: it is then copied, never mangled.
    """
    if not source:
        return ()
    if masked is None:
        try:
            masked = mask(source, current_options().markdown_shortcodes).text
        except ShortcodeError:
            masked = source
    children = tokens if tokens is not None else parse_inline(masked, dict(env or {}))
    builder = _PieceBuilder(source)
    try:
        builder.walk(children)
    except (KeyError, ValueError, IndexError):
        return (Piece(PieceKind.ATOM, source, "unparsed"),)
    if "".join(piece.raw for piece in builder.pieces) != source:
        return (Piece(PieceKind.ATOM, source, "unparsed"),)
    pieces = _verbatim_html(_shortcode_atoms(builder.pieces, masked))
    return tuple(_address_atoms(pieces))


def _shortcode_atoms(pieces: Sequence[Piece], masked: str) -> list[Piece]:
    """Turn the masked stretches of text pieces into shortcode atoms.

    A shortcode over several lines reaches the pieces as text, soft breaks and text: its
    parts are joined into one atom, line breaks and all.
    """
    out: list[Piece] = []
    position = 0
    region: str | None = None  # the mask character of the shortcode the last piece ended in
    for piece in pieces:
        view = masked[position : position + len(piece.raw)]
        position += len(piece.raw)
        if piece.kind is PieceKind.SOFTBREAK and region is not None:
            following = masked[position : position + 1]
            if following == region:
                out[-1] = Piece(PieceKind.ATOM, out[-1].raw + piece.raw, "shortcode")
                continue
        if piece.kind is not PieceKind.TEXT or not has_mask(view):
            out.append(piece)
            region = None
            continue
        for start, end, char in _runs(view):
            raw = piece.raw[start:end]
            if char is None:
                out.append(Piece(PieceKind.TEXT, raw))
                region = None
            elif region == char and out and out[-1].what == "shortcode":
                out[-1] = Piece(PieceKind.ATOM, out[-1].raw + raw, "shortcode")
            else:
                out.append(Piece(PieceKind.ATOM, raw, "shortcode"))
                region = char
    return out


_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _verbatim_html(pieces: list[Piece]) -> list[Piece]:
    """Join a raw HTML verbatim element (`<code>x: y</code>`) and what it holds into one atom.

    Markdown reads the inside as text; Hugo renders it as code, which is never translated.
    Left as it is where the element would cut a link or emphasis in two.
    """
    out: list[Piece] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        opening = _HTML_TAG.match(piece.raw) if piece.what == "html" else None
        end = None
        if opening and not opening[1] and opening[2].lower() in VERBATIM_ELEMENTS:
            end = _closing_tag(pieces, index, opening[2].lower())
        if end is None:
            out.append(piece)
            index += 1
            continue
        raw = "".join(inner.raw for inner in pieces[index : end + 1])
        out.append(Piece(PieceKind.ATOM, raw, "html"))
        index = end + 1
    return out


def _closing_tag(pieces: Sequence[Piece], start: int, name: str) -> int | None:
    """Return the index of the tag closing element `name` opened at `start`, if pairs allow."""
    depth = 0
    opened: set[int] = set()
    for index in range(start, len(pieces)):
        piece = pieces[index]
        if piece.kind is PieceKind.OPEN:
            opened.add(piece.pair)
        elif piece.kind is PieceKind.CLOSE:
            if piece.pair not in opened:
                return None  # the element ends inside a pair it did not open
            opened.discard(piece.pair)
        tag = _HTML_TAG.match(piece.raw) if piece.what == "html" else None
        if tag is None or tag[2].lower() != name:
            continue
        depth += 1 if not tag[1] else -1
        if depth == 0:
            return index if not opened else None
    return None


def _address_atoms(pieces: Sequence[Piece]) -> list[Piece]:
    """Protect the addresses written as text in text pieces (see `addresses`)."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.kind is not PieceKind.TEXT or not _MAY_HOLD_ADDRESS.search(piece.raw):
            out.append(piece)
            continue
        position = 0
        for start, end in address_spans(piece.raw):
            if start > position and piece.raw[start - 1] in _KEEPING_SPACES:
                # `an\u00a0info@example.org` is no link to Goldmark, `an info@…` would be.
                start -= 1
            if position < start:
                out.append(Piece(PieceKind.TEXT, piece.raw[position:start]))
            out.append(Piece(PieceKind.ATOM, piece.raw[start:end], "address"))
            position = end
        if position < len(piece.raw):
            out.append(Piece(PieceKind.TEXT, piece.raw[position:]))
    return out


# Spaces before which Goldmark's Linkify finds no link: kept with the address they precede.
_KEEPING_SPACES = frozenset("\u00a0\u2007\u2009\u200a\u202f")
# A cheap test first: most text holds no address.
_MAY_HOLD_ADDRESS = re.compile(r"://|www\.|@")


def _runs(view: str) -> Iterator[tuple[int, int, str | None]]:
    """Yield (start, end, mask character or None) for the runs of `view`."""
    start = 0
    current: str | None = view[0] if is_masked(view[0]) else None
    for index in range(1, len(view) + 1):
        char = view[index] if index < len(view) else ""
        kind = char if char and is_masked(char) else None
        if index == len(view) or kind != current:
            yield start, index, current
            start, current = index, kind
