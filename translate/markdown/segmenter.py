"""Split a post's Markdown body into translatable blocks of inline pieces, and put it back.

`markdown.parse_document` reads the body as Hugo does (shortcodes masked first); the text
is never re-rendered from tokens. Each block knows the source lines it came from and the
per-line prefixes (list markers, `>` quotes, indentation), so writing a translation back
replaces exactly the inline text and keeps every other byte of the file.

The steps live in modules of their own: `pieces` cuts inline source into pieces,
`placement` finds a block's text on its lines, `layout` writes translations back.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from translate.markdown.document import Block, BlockKind, Piece, PieceKind, has_words
from translate.markdown.front_matter import DEFAULT_TRANSLATABLE_KEYS, shortcode_params
from translate.markdown.goldmark import Document, current_options, parse_document
from translate.markdown.goldmark.nesting import NESTING_LIMIT, TOO_DEEP
from translate.markdown.html import html_pieces
from translate.markdown.layout import newline_of, render_body, wrap_words
from translate.markdown.pieces import inline_pieces
from translate.markdown.placement import (
    Placement,
    heading_placement,
    line_placement,
    split_lines,
    strip_eol,
    table_cells,
)
from translate.markdown.shortcodes import Masked, Raw, ShortcodeError, Tag, region_of

__all__ = [
    "DEFAULT_SHORTCODE_PARAMS",
    "Body",
    "EmbeddedParam",
    "Placement",
    "inline_pieces",
    "newline_of",
    "parse_body",
    "render_body",
    "skipped_reason",
    "split_lines",
    "wrap_words",
]

_TASK = re.compile(r"\[[ xX]\][ \t]")


@dataclass(frozen=True)
class EmbeddedParam:
    """A translatable shortcode parameter: a block whose text stands inside a shortcode."""

    block: int  # the block whose shortcode atom holds the parameter
    atom: str  # that atom's text: the whole shortcode
    start: int  # the value's span in `atom`, quotes included
    end: int
    quote: str  # '"', '`' or "" (unquoted)


# Shortcode name -> names (or positions, as "0", "1", ...) of parameters whose values are
# prose (see `front_matter.shortcode_params`).
DEFAULT_SHORTCODE_PARAMS: Mapping[str, tuple[str, ...]] = shortcode_params(
    DEFAULT_TRANSLATABLE_KEYS
)


@dataclass
class Body:
    """A post body: its lines, its translatable blocks and where each one stands."""

    text: str
    lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    # Blocks that could not be mapped onto their lines: kept as they are.
    skipped: list[int] = field(default_factory=list)
    # markdown-it's environment: the reference definitions `[text][ref]` resolves against.
    env: dict[str, Any] = field(default_factory=dict)
    # The parse the blocks come from (shortcodes masked, tokens).
    document: Document | None = None
    # Blocks that are translatable shortcode parameters, by block index: they stand inside
    # a shortcode atom of another block, not on lines of their own.
    embedded: dict[int, EmbeddedParam] = field(default_factory=dict)


_BLOCK_KIND = {"paragraph_open": "paragraph", "heading_open": "heading", "dt_open": "term"}


def parse_body(
    text: str,
    *,
    line_offset: int = 0,
    key_prefix: str = "body",
    shortcode_params: Mapping[str, Sequence[str]] = DEFAULT_SHORTCODE_PARAMS,
) -> Body:
    """Parse a Markdown body into translatable blocks with their placements.

    `line_offset` is the number of file lines before the body (the front matter), so
    block line numbers point into the whole file. Raise ShortcodeError (a PostError, with
    the file line) where Hugo would fail on a shortcode.
    """
    try:
        document = parse_document(text)
    except ShortcodeError as error:
        line = (error.line or 1) + line_offset
        raise ShortcodeError(error.message, line=line, hint=error.hint) from None
    tokens = document.tokens
    body = Body(text=text, lines=split_lines(text), env=document.env, document=document)
    masked_lines = split_lines(document.masked.text)
    containers: list[str] = []
    html_blocks: list[Token] = []
    for index, token in enumerate(tokens):
        if token.nesting == 1 and token.type not in _BLOCK_KIND:
            containers.append(token.type)
        elif (
            token.nesting == -1
            and token.type not in ("paragraph_close", "heading_close", "dt_close")
            and containers
        ):
            containers.pop()
        if token.type == "table_open":
            for cell_token, placement in table_cells(masked_lines, tokens, index):
                source = cell_token.meta.get("source", cell_token.content)
                _add_block(
                    body,
                    document.masked,
                    "table_cell",
                    source,
                    cell_token,
                    placement,
                    line_offset,
                    key_prefix,
                    inline=cell_token,
                    shortcode_params=shortcode_params,
                )
            continue
        if token.type == "html_block" and current_options().html_text:
            html_blocks.append(token)
            continue
        if token.type == TOO_DEEP:
            _add_too_deep(body, document.masked, token, line_offset, key_prefix)
            continue
        if token.type not in _BLOCK_KIND or "table_open" in containers:
            continue
        inline = tokens[index + 1]
        if token.map is None:
            continue
        kind = _BLOCK_KIND[token.type]
        if kind == "heading":
            tail = token.meta.get("attribute_source", "")
            placement = heading_placement(masked_lines, token, inline.content, tail)
        else:
            # A definition-list term's map is empty ([n, n]): it stands on line n; a last
            # line of block attributes (`{.lead}`) is not the paragraph's text.
            end = max(token.map[1], token.map[0] + 1) - int(bool(token.meta.get("attribute_line")))
            placement = line_placement(masked_lines, token.map[0], end, inline.content)
        _add_block(
            body,
            document.masked,
            kind,
            inline.content,
            token,
            placement,
            line_offset,
            key_prefix,
            inline=inline,
            task_item=kind == "paragraph"
            and bool(containers)
            and containers[-1] == "list_item_open",
            alert=int(inline.meta.get("alert", 0)),
            shortcode_params=shortcode_params,
        )
    # Last, so that the other blocks keep the numbers (and record keys) they had before
    # raw HTML was translated.
    for token in html_blocks:
        _add_html(body, document.masked, masked_lines, token, line_offset, key_prefix)
    return body


def _add_block(
    body: Body,
    masked: Masked,
    kind: str,
    masked_source: str,
    token: Token,
    placement: Placement | None,
    line_offset: int,
    key_prefix: str,
    *,
    inline: Token,
    task_item: bool = False,
    alert: int = 0,
    shortcode_params: Mapping[str, Sequence[str]] = DEFAULT_SHORTCODE_PARAMS,
) -> None:
    assert token.map is not None
    line = (placement.start if placement else token.map[0]) + line_offset + 1
    skipped = placement is None
    pieces: tuple[Piece, ...]
    if placement is None and not masked_source.strip():
        # A cell markdown-it adds to a short table row: nothing stands there to translate.
        source, pieces = "", ()
    elif placement is None:
        # Where the text cannot be located, it is kept as it stands, and reported.
        source = masked.unmask_regions(masked_source)
        lines = body.lines[token.map[0] : max(token.map[1], token.map[0] + 1)]
        what = UNPLACED_TABS if any("\t" in line for line in lines) else UNPLACED
        pieces = (Piece(PieceKind.ATOM, source, what),)
    else:
        source = placement.text(body.lines, masked_source.split("\n"))
        # The document's parse has this block's inline tokens already (a table cell's, only
        # if it has no escaped pipe: its source and content then differ).
        tokens = inline.children if masked_source == inline.content else None
        pieces = inline_pieces(source, body.env, masked=masked_source, tokens=tokens)
        if any(piece.what == TOO_DEEP_TEXT for piece in pieces):
            pieces = (Piece(PieceKind.ATOM, source, TOO_DEEP_TEXT),)
            skipped = True
    if task_item and _TASK.match(source) and pieces and pieces[0].kind is PieceKind.TEXT:
        # `- [ ] todo`: the checkbox is list syntax, not prose.
        box = source[:4]
        rest = pieces[0].raw[4:]
        head = (Piece(PieceKind.ATOM, box, "task"),)
        pieces = head + ((Piece(PieceKind.TEXT, rest),) if rest else ()) + pieces[1:]
    if alert and pieces and pieces[0].kind is PieceKind.TEXT:
        pieces = _alert_pieces(pieces, alert)
    if token.meta.get("attribute_only"):
        # `{.class}` on a line of its own: attributes of the block before it, not prose.
        pieces = (Piece(PieceKind.ATOM, source, "attributes"),)
    width = _wrap_width(body.lines, placement, masked_source) if placement else None
    block = Block(
        key=f"{key_prefix}:{len(body.blocks)}:{kind}",
        kind=BlockKind(kind),
        line=line,
        source=source,
        pieces=pieces,
        wrap_width=width,
    )
    if skipped and pieces:
        body.skipped.append(len(body.blocks))
    body.blocks.append(block)
    body.placements.append(placement or Placement(token.map[0], token.map[0], (), ""))
    if placement is not None and shortcode_params:
        _add_params(body, masked, masked_source, shortcode_params, line_offset, key_prefix)


def _add_html(
    body: Body,
    masked: Masked,
    masked_lines: Sequence[str],
    token: Token,
    line_offset: int,
    key_prefix: str,
) -> None:
    """Add the text of a raw HTML block as a block (see `html`), if it holds any prose."""
    assert token.map is not None
    content = token.content.removesuffix("\n")
    head, _, last = content.rpartition("\n")
    content = f"{head}\n{last.rstrip()}" if head else last.rstrip()
    placement = line_placement(masked_lines, token.map[0], token.map[1], content)
    source = placement.text(body.lines, content.split("\n")) if placement else content
    pieces = html_pieces(source, content)
    if not any(piece.kind is PieceKind.TEXT and has_words(piece.raw) for piece in pieces):
        return
    line = token.map[0] + line_offset + 1
    if placement is None:
        source = masked.unmask_regions(content)
        pieces = (Piece(PieceKind.ATOM, source, UNPLACED),)
        body.skipped.append(len(body.blocks))
    index = len(body.blocks)
    body.blocks.append(Block(f"{key_prefix}:{index}:html", BlockKind.HTML, line, source, pieces))
    body.placements.append(placement or Placement(token.map[0], token.map[0], (), ""))


# A line that holds nothing but shortcodes or one HTML tag: it is anchored, never re-wrapped.
_ANCHOR_LINE = re.compile(r"[ \t]*(?:[\U000f0000-\U0010fffd]+|<[^<>\n]*>)[ \t]*")


# A line that ends a sentence: its last mark, then closing quotes, brackets or emphasis.
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»«)\]*_`]*[ \t]*$")


def _wrap_width(lines: Sequence[str], placement: Placement, masked_source: str) -> int | None:
    """Return the width a block's source is hard-wrapped at, or None if it is not wrapped.

    Only two lines of prose in a row show a wrap: a sentence on one line between a
    shortcode on the line before and one on the line after is a one-line paragraph.
    """
    source_lines = masked_source.split("\n")
    prose = [not _ANCHOR_LINE.fullmatch(line) for line in source_lines]
    if not any(a and b for a, b in itertools.pairwise(prose)):
        return None
    if all(_SENTENCE_END.search(line) for line in source_lines[:-1]):
        return None  # one sentence per line (semantic line breaks): kept so, never wrapped
    texts = lines[placement.start : placement.end]
    widths = [len(strip_eol(text)[0]) for text in texts]
    return max(width for width, is_prose in zip(widths, prose, strict=True) if is_prose)


def _add_too_deep(
    body: Body, masked: Masked, token: Token, line_offset: int, key_prefix: str
) -> None:
    """Add the lines of a container nested too deep as a block kept as it stands."""
    assert token.map is not None
    start, end = token.map
    source = masked.unmask_regions("".join(split_lines(masked.text)[start:end]))
    body.skipped.append(len(body.blocks))
    body.blocks.append(
        Block(
            key=f"{key_prefix}:{len(body.blocks)}:nested",
            kind=BlockKind.NESTED,
            line=start + line_offset + 1,
            source=source,
            pieces=(Piece(PieceKind.ATOM, source, TOO_DEEP_TEXT),),
        )
    )
    body.placements.append(Placement(start, start, (), ""))


# What a block kept as it stands holds, as the `what` of its one atom: why it was kept.
UNPLACED = "unplaced"
UNPLACED_TABS = "unplaced-tabs"
TOO_DEEP_TEXT = "too-deep"
_SKIP_REASONS = {
    UNPLACED: "its lines are laid out in a way this tool cannot write a translation into "
    "(a lazy continuation line, or unusual indentation)",
    UNPLACED_TABS: "its lines are indented with tabs, which Markdown reads as spaces; indent "
    "them with spaces to have it translated",
    TOO_DEEP_TEXT: f"it is nested more than {NESTING_LIMIT} levels deep (lists, quotes or "
    "brackets), deeper than this tool reads",
}


def skipped_reason(block: Block) -> str | None:
    """Say why a block was kept as it stands without a translation, or None if it was not."""
    if len(block.pieces) != 1:
        return None
    reason = _SKIP_REASONS.get(block.pieces[0].what)
    if reason is None:
        return None
    return f"kept untranslated: this {block.kind.label} is copied as it is: {reason}"


def _add_params(
    body: Body,
    masked: Masked,
    masked_source: str,
    wanted: Mapping[str, Sequence[str]],
    line_offset: int,
    key_prefix: str,
) -> None:
    """Add a block for each translatable parameter of the last block's shortcodes."""
    owner = len(body.blocks) - 1
    position = 0
    for piece in body.blocks[owner].pieces:
        start = position
        position += len(piece.raw)
        if piece.what != "shortcode":
            continue
        region = region_of(masked_source[start])
        if region is None:
            continue
        content = masked.contents[region]
        region_start, region_end = masked.regions[region]
        if piece.raw != masked.original[region_start:region_end]:
            continue  # a part of a shortcode cut by a blank line: left as it is
        if isinstance(content, Raw):
            continue
        tag = content if isinstance(content, Tag) else content.open
        keys = wanted.get(tag.name, ())
        for index, param in enumerate(tag.params):
            if (param.name if param.name is not None else str(index)) not in keys:
                continue
            if not param.value.strip():
                continue
            line = masked.original.count("\n", 0, param.start) + line_offset + 1
            body.embedded[len(body.blocks)] = EmbeddedParam(
                owner, piece.raw, param.start - region_start, param.end - region_start, param.quote
            )
            body.blocks.append(
                Block(
                    key=f"{key_prefix}:{len(body.blocks)}:shortcode_param",
                    kind=BlockKind.SHORTCODE_PARAM,
                    line=line,
                    source=param.value,
                    pieces=inline_pieces(param.value, body.env),
                )
            )
            body.placements.append(
                Placement(line - line_offset - 1, line - line_offset - 1, (), "")
            )


def _alert_pieces(pieces: tuple[Piece, ...], marker: int) -> tuple[Piece, ...]:
    """Protect an alert's `[!NOTE]` marker and keep its line: Hugo reads the first line apart.

    Text after the marker on the first line is the alert's title; the line break after it
    must stay, or the first words of the alert become its title.
    """
    first = pieces[0]
    out: list[Piece] = [Piece(PieceKind.ATOM, first.raw[:marker], "alert")]
    if first.raw[marker:]:
        out.append(Piece(PieceKind.TEXT, first.raw[marker:]))
    anchored = False
    for piece in pieces[1:]:
        if piece.kind is PieceKind.SOFTBREAK and not anchored:
            out.append(Piece(PieceKind.SOFTBREAK, piece.raw, "anchor"))
            anchored = True
        else:
            out.append(piece)
    return tuple(out)
