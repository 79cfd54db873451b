"""Split a post's Markdown body into translatable blocks of inline pieces, and put it back.

`markdown.parse_document` reads the body as Hugo does (shortcodes masked first); the text
is never re-rendered from tokens. Each block knows the source lines it came from and the
per-line prefixes (list markers, `>` quotes, indentation), so writing a translation back
replaces exactly the inline text and keeps every other byte of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from translate.markdown.document import LINE_BREAK, Block, BlockKind, Piece, PieceKind
from translate.markdown.front_matter import DEFAULT_TRANSLATABLE_KEYS, shortcode_params
from translate.markdown.goldmark import (
    Document,
    current_options,
    find_link,
    parse_document,
    parse_inline,
)
from translate.markdown.shortcodes import (
    Masked,
    Raw,
    ShortcodeError,
    Tag,
    has_mask,
    is_masked,
    mask,
    region_of,
)

# --- inline source -> pieces --------------------------------------------------------------

_ATOM_TOKENS = {
    "code_inline": "code",
    "html_inline": "html",
    "math_inline": "math",
    "math_inline_double": "math",
    "footnote_ref": "footnote",
    "passthrough": "math",
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
                    if _is_url(label_text):
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


def _is_url(text: str) -> bool:
    """Tell whether a link's text is itself an address (as Linkify would read it)."""
    stripped = text.strip()
    found = find_link(stripped)
    return found is not None and found[0] == len(stripped)


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
    return tuple(_shortcode_atoms(builder.pieces, masked))


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


# --- body -> blocks ----------------------------------------------------------------------

_EOL = re.compile(r"\r\n|\r|\n")
_TASK = re.compile(r"\[[ xX]\][ \t]")


def split_lines(text: str) -> list[str]:
    """Split `text` into lines that keep their line endings, as markdown-it counts them."""
    lines: list[str] = []
    start = 0
    for match in _EOL.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def _strip_eol(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body) :]


@dataclass(frozen=True)
class Placement:
    """Where a block's inline text stands in the body lines, and what surrounds it."""

    start: int  # first body line (0-based)
    end: int  # one past the last line that holds its text
    prefixes: tuple[str, ...]  # per line: markers and indentation before the text
    suffix: str  # after the text on its last line (closing `##`, attributes, trailing spaces)
    column: int | None = None  # table cells: the text's offset in its row line

    def text(self, lines: Sequence[str], content_lines: Sequence[str]) -> str:
        """Return the text at this placement in `lines`, given the lengths of its lines."""
        if self.column is not None:
            body, _ = _strip_eol(lines[self.start])
            return body[self.column : self.column + len(content_lines[0])]
        parts = []
        for index, content in enumerate(content_lines):
            body, _ = _strip_eol(lines[self.start + index])
            begin = len(self.prefixes[index])
            parts.append(body[begin : begin + len(content)])
        return "\n".join(parts)


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


def _line_placement(
    lines: Sequence[str], start: int, end: int, content: str, tail: str = ""
) -> Placement | None:
    """Locate `content` (a paragraph's inline source) in `lines[start:end]`.

    `tail` is text the parser took off the end of the block's last line (heading
    attributes): it stays in the suffix.
    """
    content_lines = content.split("\n")
    if len(content_lines) != end - start:
        return None
    prefixes: list[str] = []
    suffix = ""
    for index, text in enumerate(content_lines):
        body, _ = _strip_eol(lines[start + index])
        last = index == len(content_lines) - 1
        if not last and body.endswith(text):
            prefixes.append(body[: len(body) - len(text)])
            continue
        # The parser trims whitespace (no-break spaces too) off a paragraph's end.
        core = body.rstrip() if last else body
        if last and tail and core.endswith(tail.rstrip()):
            core = core[: len(core) - len(tail.rstrip())]
        if not core.endswith(text):
            return None
        prefixes.append(core[: len(core) - len(text)])
        suffix = body[len(core) :]
    return Placement(start, end, tuple(prefixes), suffix)


def _heading_placement(
    lines: Sequence[str], token: Token, content: str, tail: str
) -> Placement | None:
    assert token.map is not None
    start, end = token.map
    if token.markup in ("=", "-"):  # setext: text lines, then the underline
        return _line_placement(lines, start, end - 1, content, tail)
    body, _ = _strip_eol(lines[start])
    index = body.find(content, len(body) - len(body.lstrip(" #")))
    if index < 0 or not content:
        return None
    return Placement(start, start + 1, (body[:index],), body[index + len(content) :])


def _split_row(line: str) -> list[tuple[int, str]]:
    """Split a table row into `(offset, stripped cell source)` at unescaped pipes."""
    cells: list[tuple[int, str]] = []
    start = 0
    index = 0
    while index <= len(line):
        if index == len(line) or (line[index] == "|" and (index == 0 or line[index - 1] != "\\")):
            cell = line[start:index]
            stripped = cell.strip()
            offset = start + (len(cell) - len(cell.lstrip()))
            cells.append((offset, stripped))
            start = index + 1
        index += 1
    # A leading or trailing pipe leaves an empty cell outside the table.
    if cells and line.lstrip().startswith("|") and not cells[0][1]:
        cells.pop(0)
    if (
        cells
        and line.rstrip().endswith("|")
        and not line.rstrip().endswith("\\|")
        and not cells[-1][1]
    ):
        cells.pop()
    return cells


def _table_cells(
    lines: Sequence[str], tokens: Sequence[Token], table_open: int
) -> Iterator[tuple[Token, Placement | None]]:
    """Yield each cell's inline token with where its source stands in its row."""
    index = table_open
    row: list[tuple[int, str]] = []
    cell = 0
    row_line = -1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open" and token.map:
            row_line = token.map[0]
            row = _split_row(_strip_eol(lines[row_line])[0])
            cell = 0
        elif token.type == "inline":
            placement = None
            if cell < len(row):
                offset, source = row[cell]
                if source.replace("\\|", "|") == token.content:
                    placement = Placement(row_line, row_line + 1, ("",), "", column=offset)
                    token.meta["source"] = source
            cell += 1
            yield token, placement
        index += 1


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
            for cell_token, placement in _table_cells(masked_lines, tokens, index):
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
        if token.type not in _BLOCK_KIND or "table_open" in containers:
            continue
        inline = tokens[index + 1]
        if token.map is None:
            continue
        kind = _BLOCK_KIND[token.type]
        if kind == "heading":
            tail = token.meta.get("attribute_source", "")
            placement = _heading_placement(masked_lines, token, inline.content, tail)
        else:
            # A definition-list term's map is empty ([n, n]): it stands on line n; a last
            # line of block attributes (`{.lead}`) is not the paragraph's text.
            end = max(token.map[1], token.map[0] + 1) - int(bool(token.meta.get("attribute_line")))
            placement = _line_placement(masked_lines, token.map[0], end, inline.content)
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
    if placement is None:
        # Where the text cannot be located, it is kept as it stands, and reported.
        source = masked.unmask_regions(masked_source)
        pieces: tuple[Piece, ...] = (Piece(PieceKind.ATOM, source, "unplaced"),)
    else:
        source = placement.text(body.lines, masked_source.split("\n"))
        # The document's parse has this block's inline tokens already (a table cell's, only
        # if it has no escaped pipe: its source and content then differ).
        tokens = inline.children if masked_source == inline.content else None
        pieces = inline_pieces(source, body.env, masked=masked_source, tokens=tokens)
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
    width = None
    if placement and placement.end - placement.start > 1:
        lines = body.lines[placement.start : placement.end]
        width = max(len(_strip_eol(line)[0]) for line in lines)
    block = Block(
        key=f"{key_prefix}:{len(body.blocks)}:{kind}",
        kind=BlockKind(kind),
        line=line,
        source=source,
        pieces=pieces,
        wrap_width=width,
    )
    if placement is None:
        body.skipped.append(len(body.blocks))
    body.blocks.append(block)
    body.placements.append(placement or Placement(token.map[0], token.map[0], (), ""))
    if placement is not None and shortcode_params:
        _add_params(body, masked, masked_source, shortcode_params, line_offset, key_prefix)


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


# --- blocks -> body ----------------------------------------------------------------------

# A word that would open a block if it started a line: a list item, quote, heading,
# thematic break, setext underline, fence, HTML block or table row.
_BLOCK_START = re.compile(r"^(?:[-+*>#=|<]|[`~]{3}|\d{1,9}[.)]$|\d{1,9}[.)]\s)")


def _last_line(text: str) -> str:
    return text.rsplit("\n", 1)[-1]


def wrap_words(words: Sequence[str], widths: Callable[[int], int]) -> list[str]:
    """Fill lines greedily with `words`; line `n` may hold `widths(n)` characters.

    A word that Markdown would read as the start of a block never begins a line, and
    a line never ends in a backslash (which would make a hard break). A word may hold line
    breaks of its own (a shortcode written over several lines): they are kept.
    """
    lines: list[str] = []
    current: list[str] = []
    length = 0  # of the current line's last physical line, which the next word extends
    for word in words:
        if word == LINE_BREAK:
            lines.append(" ".join(current))
            current, length = [], 0
            continue
        if not current:
            current, length = [word], len(_last_line(word))
            continue
        head = word.split("\n", 1)[0]
        fits = length + 1 + len(head) <= widths(len(lines))
        if fits or _BLOCK_START.match(word) or current[-1].endswith("\\"):
            current.append(word)
            length = length + 1 + len(word) if "\n" not in word else len(_last_line(word))
        else:
            lines.append(" ".join(current))
            current, length = [word], len(_last_line(word))
    lines.append(" ".join(current))
    return lines


def newline_of(text: str) -> str:
    """Return the line ending `text` uses first, or "\\n"."""
    match = _EOL.search(text)
    return match.group() if match else "\n"


def render_body(body: Body, translations: Mapping[int, Sequence[str]]) -> str:
    """Return the body with each translated block's words in place of its text.

    `translations` maps a block index to its words; blocks not in it keep their text.
    Everything outside the blocks' text is copied byte for byte.
    """
    lines = list(body.lines)
    newline = newline_of(body.text)
    # Work bottom-up and right-to-left so earlier positions stay valid.
    order = sorted(
        (
            index
            for index in translations
            if index not in body.skipped and index not in body.embedded
        ),
        key=lambda index: (body.placements[index].start, body.placements[index].column or 0),
        reverse=True,
    )
    for index in order:
        placement = body.placements[index]
        words = translations[index]
        if placement.column is not None:
            lines[placement.start] = _replace_cell(
                lines[placement.start], placement.column, body.blocks[index].source, words
            )
            continue
        lines[placement.start : placement.end] = _block_lines(
            lines, placement, body.blocks[index].wrap_width, words, newline
        )
    return "".join(lines)


def _replace_cell(line: str, column: int, source: str, words: Sequence[str]) -> str:
    text = " ".join(word for word in words if word != LINE_BREAK)
    return line[:column] + text + line[column + len(source) :]


def _block_lines(
    lines: Sequence[str],
    placement: Placement,
    width: int | None,
    words: Sequence[str],
    newline: str,
) -> list[str]:
    prefixes = _continuation_prefixes(placement.prefixes)

    def prefix(n: int) -> str:
        return prefixes[min(n, len(prefixes) - 1)]

    if width is None:
        text_lines = wrap_words(words, lambda n: 1 << 30)
    else:
        text_lines = wrap_words(words, lambda n: width - len(prefix(n)))
    endings = [_strip_eol(line)[1] for line in lines[placement.start : placement.end]]
    out: list[str] = []
    for n, text in enumerate(text_lines):
        last = n == len(text_lines) - 1
        ending = endings[-1] if last else (endings[n] if n < len(endings) - 1 else newline)
        # Line breaks inside a word (a shortcode over several lines) take the file's ending.
        text = text.replace("\n", newline) if newline != "\n" else text
        out.append(prefix(n) + text + (placement.suffix if last else "") + ending)
    return out


def _continuation_prefixes(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """Return the prefixes to lay new lines out with.

    A line that continued inside a multi-line shortcode has no prefix of its own (the
    shortcode's text carries it); a re-wrapped line in its place takes the prefix of the
    line before, so that a list item or quote goes on.
    """
    out: list[str] = []
    for prefix in prefixes:
        out.append(_indent_of(out[-1]) if out and not prefix else prefix)
    return tuple(out)


def _indent_of(prefix: str) -> str:
    """Return the prefix a continuation line of a block whose first line has `prefix` takes."""
    # `> ` stays a quote; a list marker (`- `, `1. `) becomes spaces of its width.
    return re.sub(r"(?:[-+*]|\d{1,9}[.)])(?=\s)", lambda m: " " * len(m.group()), prefix)
