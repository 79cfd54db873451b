"""Keep what must not change out of the model, and put it back exactly.

A block's pieces become segments (about one sentence each). Prose goes to the model;
protected atoms become `<xN/>` markers and paired markup (emphasis, link text) becomes
`<gN>…</gN>`, so links are translated in the context of their sentence. Marian models were
never trained on such markers and may drop, repeat, move or mangle them, so every output
is checked: a segment whose markers do not come back exactly, in order, is translated
again piece by piece, the text between protected spans on its own. Nothing protected is
ever taken from the model's output.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from translate.document import LINE_BREAK, Block, Piece, PieceKind, has_words
from translate.glossary import Glossary

# --- glossary -----------------------------------------------------------------------------


def apply_glossary(pieces: Sequence[Piece], glossary: Glossary) -> tuple[Piece, ...]:
    """Turn glossary names and terms inside prose into protected atoms.

    Matching runs over text and soft line breaks together, so a name wrapped across two
    lines is still found; it then comes out on one line.
    """
    if not glossary:
        return tuple(pieces)
    out: list[Piece] = []
    run: list[Piece] = []
    for piece in [*pieces, None]:
        if piece is not None and piece.kind in (PieceKind.TEXT, PieceKind.SOFTBREAK):
            run.append(piece)
            continue
        out.extend(_glossary_run(run, glossary))
        run = []
        if piece is not None:
            out.append(piece)
    return tuple(out)


def _glossary_run(run: Sequence[Piece], glossary: Glossary) -> list[Piece]:
    if not any(piece.kind is PieceKind.TEXT for piece in run):
        return list(run)
    # Search a copy where each soft break counts as one space, then cut the raw pieces.
    plain = "".join(" " if p.kind is PieceKind.SOFTBREAK else p.raw for p in run)
    matches = glossary.find(plain)
    if not matches:
        return list(run)
    # Map plain offsets to (piece index, offset in raw).
    bounds: list[int] = []
    position = 0
    for piece in run:
        bounds.append(position)
        position += 1 if piece.kind is PieceKind.SOFTBREAK else len(piece.raw)
    bounds.append(position)

    def raw_between(start: int, end: int) -> str:
        text = []
        for index, piece in enumerate(run):
            lo, hi = bounds[index], bounds[index + 1]
            if hi <= start or lo >= end:
                continue
            if piece.kind is PieceKind.SOFTBREAK:
                text.append(piece.raw)
            else:
                text.append(piece.raw[max(start, lo) - lo : min(end, hi) - lo])
        return "".join(text)

    def rest(start: int, end: int) -> list[Piece]:
        pieces: list[Piece] = []
        for index, piece in enumerate(run):
            lo, hi = bounds[index], bounds[index + 1]
            if hi <= start or lo >= end:
                continue
            if piece.kind is PieceKind.SOFTBREAK:
                pieces.append(piece)
            else:
                pieces.append(
                    Piece(PieceKind.TEXT, piece.raw[max(start, lo) - lo : min(end, hi) - lo])
                )
        return pieces

    out: list[Piece] = []
    cursor = 0
    for match in matches:
        out.extend(rest(cursor, match.start))
        term = match.term
        raw = raw_between(match.start, match.end)
        if term.target is None:
            # A name: kept as written, but a line break inside it becomes a space.
            output = None if raw == term.source else term.source
            out.append(Piece(PieceKind.ATOM, raw, "name", output))
        else:
            out.append(Piece(PieceKind.ATOM, raw, "term", term.target))
        cursor = match.end
    out.extend(rest(cursor, len(plain)))
    return [piece for piece in out if piece.raw]


# --- segments ----------------------------------------------------------------------------

_MARKER = re.compile(r"<(/?)g(\d+)>|<x(\d+)/>")
# What a mangled marker leaves behind: `>/g1>`, `<g1`, `x2/>`, a stray `g1`.
_RESIDUE = re.compile(r"[<>]|\b[gx]\s?\d+\b")
# Atoms that stand on their own line keep it: a shortcode or HTML tag opening a section.
_LINE_ANCHORED = {"shortcode", "html"}


@dataclass(frozen=True)
class Segment:
    """About one sentence of a block: its pieces and the string the model gets."""

    pieces: tuple[Piece, ...]
    text: str
    markers: tuple[str, ...]

    @classmethod
    def of(cls, pieces: Sequence[Piece]) -> Segment:
        """Build the model's input for `pieces`, numbering markers in order."""
        parts: list[str] = []
        markers: list[str] = []
        atoms = 0
        pairs: dict[int, int] = {}
        for piece in pieces:
            if piece.kind is PieceKind.TEXT:
                parts.append(piece.raw)
                continue
            if piece.kind in (PieceKind.SOFTBREAK, PieceKind.HARDBREAK):
                parts.append(" ")
                continue
            if piece.kind is PieceKind.ATOM:
                atoms += 1
                marker = f"<x{atoms}/>"
            elif piece.kind is PieceKind.OPEN:
                pairs[piece.pair] = len(pairs) + 1
                marker = f"<g{pairs[piece.pair]}>"
            else:
                marker = f"</g{pairs[piece.pair]}>"
            parts.append(marker)
            markers.append(marker)
        text = re.sub(r"\s+", " ", "".join(parts)).strip()
        return cls(tuple(pieces), text, tuple(markers))

    def fallback_texts(self) -> list[str]:
        """Return the prose runs between protected pieces, each to be translated alone."""
        return [text.strip() for text, _ in _text_runs(self.pieces) if has_words(text)]


@dataclass(frozen=True)
class Chunk:
    """A piece of a block's translated output, before it is laid out in lines."""

    text: str
    kind: str  # "text" (breakable at spaces), "atom", "open", "close", "break"
    what: str = ""


@dataclass(frozen=True)
class BlockPlan:
    """A block cut into what goes to the model (segments) and what is copied (glue)."""

    block: Block
    parts: tuple[Segment | tuple[Piece, ...], ...]

    @property
    def segments(self) -> list[Segment]:
        """Return the segments of this block, in order."""
        return [part for part in self.parts if isinstance(part, Segment)]


SentenceSplitter = Callable[[str], list[tuple[int, int]]]


def plan_block(block: Block, split: SentenceSplitter) -> BlockPlan:
    """Cut a block into segments to translate and glue to copy verbatim."""
    parts: list[Segment | tuple[Piece, ...]] = []
    for run, is_glue in _runs(block.pieces):
        if is_glue:
            parts.append(tuple(run))
            continue
        for sentence, glue in _sentences(run, split):
            if glue:
                parts.append(tuple(sentence))
            else:
                parts.extend(_peel(sentence))
    return BlockPlan(block, tuple(_merge_glue(parts)))


def _runs(pieces: Sequence[Piece]) -> Iterable[tuple[list[Piece], bool]]:
    """Split pieces at hard breaks and line-anchored atoms; yield (run, is_glue)."""
    run: list[Piece] = []
    for index, piece in enumerate(pieces):
        anchored = _is_anchored(pieces, index)
        if piece.kind is PieceKind.HARDBREAK or anchored:
            if run:
                yield run, False
            run = []
            yield [piece], True
        elif piece.kind is PieceKind.SOFTBREAK and (
            _is_anchored(pieces, index - 1) or _is_anchored(pieces, index + 1)
        ):
            if run:
                yield run, False
            run = []
            yield [Piece(PieceKind.SOFTBREAK, piece.raw, "anchor")], True
        else:
            run.append(piece)
    if run:
        yield run, False


def _next_is_break(pieces: Sequence[Piece], index: int, step: int) -> bool:
    """Tell whether the piece at `index` starts (step -1) or ends (step 1) its line."""
    neighbour = index + step
    if neighbour < 0 or neighbour >= len(pieces):
        return True
    return pieces[neighbour].kind in (PieceKind.SOFTBREAK, PieceKind.HARDBREAK)


def _is_anchored(pieces: Sequence[Piece], index: int) -> bool:
    if index < 0 or index >= len(pieces):
        return False
    piece = pieces[index]
    return (
        piece.kind is PieceKind.ATOM
        and piece.what in _LINE_ANCHORED
        and (_next_is_break(pieces, index, -1) or _next_is_break(pieces, index, 1))
    )


def _plain(piece: Piece) -> str:
    """Return what a piece looks like to the sentence splitter."""
    if piece.kind is PieceKind.TEXT:
        return piece.raw
    if piece.kind in (PieceKind.SOFTBREAK, PieceKind.HARDBREAK):
        return " "
    if piece.kind is PieceKind.ATOM:
        # Names keep their own text ("e.V." must not end a sentence); other atoms are a word.
        return piece.rendered if piece.what in ("name", "term") else "X"
    return ""


def _sentences(run: Sequence[Piece], split: SentenceSplitter) -> Iterable[tuple[list[Piece], bool]]:
    """Yield (pieces, is_glue) for each sentence of `run` and the whitespace between."""
    plain = "".join(_plain(piece) for piece in run)
    spans = split(plain) if has_words(plain) else []
    if not spans:
        yield list(run), not has_words(plain)
        return
    # Where each piece starts in `plain`.
    starts: list[int] = []
    position = 0
    for piece in run:
        starts.append(position)
        position += len(_plain(piece))
    spans = _merge_across_pairs(run, starts, spans)
    span_starts = [lo for lo, _ in spans]
    cuts = sorted({0, len(plain), *(edge for span in spans for edge in span)})
    pieces = _cut(run, starts, cuts)
    # Assign each piece to the sentence span it falls in, or to the glue between.
    current: list[Piece] = []
    current_glue = True
    current_span: int | None = None
    for piece, start in pieces:
        length = len(_plain(piece))
        inside = _span_of(spans, span_starts, start, length, piece.kind)
        glue = inside is None
        if current and (glue != current_glue or current_span != inside):
            yield current, current_glue
            current = []
        current.append(piece)
        current_glue = glue
        current_span = inside
    if current:
        yield current, current_glue


def _span_of(
    spans: Sequence[tuple[int, int]],
    span_starts: Sequence[int],
    start: int,
    length: int,
    kind: PieceKind,
) -> int | None:
    """Return the index of the span a piece at `start` falls in, or None (glue between).

    Spans are sorted and do not overlap, so the only candidate is the last span starting
    before the piece (at it, unless the piece is an empty closing mark): a bisection keeps
    a block of many sentences linear.
    """
    closing = not length and kind is PieceKind.CLOSE
    index = (bisect_left if closing else bisect_right)(span_starts, start) - 1
    if index < 0:
        return None
    lo, hi = spans[index]
    if length:
        inside = lo <= start and start + length <= hi
    else:
        inside = lo < start <= hi if closing else lo <= start < hi
    return index if inside else None


def _merge_across_pairs(
    run: Sequence[Piece], starts: Sequence[int], spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Join sentences so that no link or emphasis is cut in two."""
    span_starts = [lo for lo, _ in spans]
    span_ends = [hi for _, hi in spans]
    # joins[i] > 0 after the running sum: span i is joined with span i + 1.
    joins = [0] * (len(spans) + 1)
    opens: dict[int, int] = {}
    for piece, start in zip(run, starts, strict=True):
        if piece.kind is PieceKind.OPEN:
            opens[piece.pair] = start
        elif piece.kind is PieceKind.CLOSE and piece.pair in opens:
            lo, hi = opens.pop(piece.pair), start
            # From the first sentence ending after the opening mark to the last one
            # starting before the closing mark.
            first = bisect_right(span_ends, lo)
            last = bisect_left(span_starts, hi) - 1
            if first < len(spans) and last > first:
                joins[first] += 1
                joins[last] -= 1
    merged: list[tuple[int, int]] = []
    depth = 0
    for index, (lo, hi) in enumerate(spans):
        if depth > 0:
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
        depth += joins[index]
    return merged


def _cut(
    run: Sequence[Piece], starts: Sequence[int], cuts: Sequence[int]
) -> list[tuple[Piece, int]]:
    """Split text pieces at the plain offsets in `cuts`; return pieces with their starts."""
    out: list[tuple[Piece, int]] = []
    for piece, start in zip(run, starts, strict=True):
        if piece.kind is not PieceKind.TEXT:
            out.append((piece, start))
            continue
        end = start + len(piece.raw)
        inner = cuts[bisect_right(cuts, start) : bisect_left(cuts, end)]
        edges = [start, *inner, end]
        for lo, hi in itertools.pairwise(edges):
            out.append((Piece(PieceKind.TEXT, piece.raw[lo - start : hi - start]), lo))
    return out


def _peel(sentence: list[Piece]) -> list[Segment | tuple[Piece, ...]]:
    """Move leading/trailing atoms and an all-enclosing pair out of a sentence.

    `[Whole item text](url)` then goes to the model as plain text, which it handles far
    better than text wrapped in markers.
    """
    head: list[Piece] = []
    tail: list[Piece] = []
    body = list(sentence)
    while body:
        first, last = body[0], body[-1]
        if first.kind in (PieceKind.ATOM, PieceKind.SOFTBREAK) or (
            first.kind is PieceKind.TEXT and not first.raw.strip()
        ):
            head.append(body.pop(0))
        elif last.kind in (PieceKind.ATOM, PieceKind.SOFTBREAK) or (
            last.kind is PieceKind.TEXT and not last.raw.strip()
        ):
            tail.insert(0, body.pop())
        elif (
            first.kind is PieceKind.OPEN
            and last.kind is PieceKind.CLOSE
            and first.pair == last.pair
        ):
            head.append(body.pop(0))
            tail.insert(0, body.pop())
        else:
            break
    # Whitespace at either end of the remaining text stays outside, where it was.
    if body and body[0].kind is PieceKind.TEXT and body[0].raw != body[0].raw.lstrip():
        text = body[0].raw.lstrip()
        head.append(Piece(PieceKind.TEXT, body[0].raw[: len(body[0].raw) - len(text)]))
        body[0] = Piece(PieceKind.TEXT, text)
    if body and body[-1].kind is PieceKind.TEXT and body[-1].raw != body[-1].raw.rstrip():
        text = body[-1].raw.rstrip()
        tail.insert(0, Piece(PieceKind.TEXT, body[-1].raw[len(text) :]))
        body[-1] = Piece(PieceKind.TEXT, text)
    parts: list[Segment | tuple[Piece, ...]] = []
    if head:
        parts.append(tuple(head))
    if body:
        plain = "".join(p.raw for p in body if p.kind is PieceKind.TEXT)
        parts.append(Segment.of(body) if has_words(plain) else tuple(body))
    if tail:
        parts.append(tuple(tail))
    return parts


def _merge_glue(
    parts: Sequence[Segment | tuple[Piece, ...]],
) -> list[Segment | tuple[Piece, ...]]:
    merged: list[Segment | tuple[Piece, ...]] = []
    for part in parts:
        if merged and isinstance(part, tuple) and isinstance(merged[-1], tuple):
            merged[-1] = merged[-1] + part
        else:
            merged.append(part)
    return merged


# --- restoring -----------------------------------------------------------------------------


def restore_segment(segment: Segment, output: str) -> list[Chunk] | None:
    """Rebuild a segment from the model's output, or None if its markers did not survive."""
    found = [match.group() for match in _MARKER.finditer(output)]
    if tuple(found) != segment.markers:
        return None
    texts = _MARKER.split(output)
    # re.split interleaves the groups; keep only the text between markers.
    between = texts[::4]
    if any(_RESIDUE.search(text) and not _RESIDUE.search(segment.text) for text in between):
        return None
    markup = [piece for piece in segment.pieces if piece.kind not in _TEXTUAL]
    chunks: list[Chunk] = []
    for index, text in enumerate(between):
        previous = markup[index - 1] if index > 0 else None
        following = markup[index] if index < len(markup) else None
        if previous is not None and previous.kind is PieceKind.OPEN:
            text = text.lstrip()
        if following is not None and following.kind is PieceKind.CLOSE:
            text = text.rstrip()
        if text:
            chunks.append(Chunk(text, "text"))
        if following is not None:
            chunks.append(_markup_chunk(following))
    if not has_words("".join(chunk.text for chunk in chunks if chunk.kind == "text")):
        return None
    return chunks


_TEXTUAL = (PieceKind.TEXT, PieceKind.SOFTBREAK, PieceKind.HARDBREAK)


def _markup_chunk(piece: Piece) -> Chunk:
    kind = {PieceKind.OPEN: "open", PieceKind.CLOSE: "close"}.get(piece.kind, "atom")
    return Chunk(piece.rendered, kind, piece.what)


def _text_runs(pieces: Sequence[Piece]) -> list[tuple[str, list[Piece]]]:
    """Group consecutive text and soft breaks; return (plain text, pieces) per group."""
    runs: list[tuple[str, list[Piece]]] = []
    current: list[Piece] = []
    for piece in [*pieces, None]:
        if piece is not None and piece.kind in (PieceKind.TEXT, PieceKind.SOFTBREAK):
            current.append(piece)
            continue
        if current:
            runs.append(("".join(_plain(p) for p in current), current))
            current = []
    return runs


def restore_by_pieces(segment: Segment, translations: Iterable[str]) -> list[Chunk]:
    """Rebuild a segment whose prose runs were translated one by one (the fallback)."""
    supply = iter(translations)
    chunks: list[Chunk] = []
    runs = {id(group[0]): (text, group) for text, group in _text_runs(segment.pieces)}
    skip: set[int] = set()
    for piece in segment.pieces:
        if id(piece) in skip:
            continue
        run = runs.get(id(piece))
        if run is not None:
            text, group = run
            skip.update(id(p) for p in group)
            if has_words(text):
                lead = text[: len(text) - len(text.lstrip())]
                trail = text[len(text.rstrip()) :]
                chunks.append(Chunk(lead + next(supply) + trail, "text"))
            else:
                chunks.append(Chunk(text, "text"))
            continue
        chunks.append(_markup_chunk(piece))
    return chunks


def glue_chunks(pieces: Sequence[Piece]) -> list[Chunk]:
    """Return pieces copied without translation as chunks."""
    chunks: list[Chunk] = []
    for piece in pieces:
        if piece.kind is PieceKind.TEXT:
            chunks.append(Chunk(piece.raw, "plain"))
        elif piece.kind is PieceKind.SOFTBREAK:
            # A line break next to a shortcode or HTML tag on its own line stays a line break.
            chunks.append(Chunk("", "break") if piece.what == "anchor" else Chunk(" ", "plain"))
        elif piece.kind is PieceKind.HARDBREAK:
            chunks.append(Chunk(piece.raw.split("\n")[0], "atom"))
            chunks.append(Chunk("", "break"))
        else:
            chunks.append(_markup_chunk(piece))
    return chunks


def chunks_to_words(
    chunks: Sequence[Chunk], *, table_cell: bool = False, escape: bool = True
) -> list[str]:
    """Lay chunks out as words: the units a line may be broken between.

    Text breaks at spaces; atoms, link text and images never do (a URL or link split over
    two lines is hard to review and may break in some renderers). `LINE_BREAK` words force
    a break.
    """
    words: list[str] = []
    current = ""
    depth = 0  # inside link text or image alt text: no breaks
    for chunk in chunks:
        if chunk.kind == "break":
            words.append(current)
            words.append(LINE_BREAK)
            current = ""
            continue
        if chunk.kind in ("open", "close", "atom"):
            if chunk.what in ("link", "image"):
                depth += 1 if chunk.kind == "open" else -1
            # A code span or tag wrapped over two lines goes on one: the line layout is new.
            current += re.sub(r"\s*\n\s*", " ", chunk.text)
            continue
        text = chunk.text
        if chunk.kind == "text" and escape:
            text = escape_markdown(text, table_cell=table_cell)
        if depth > 0:
            current += re.sub(r"\s+", " ", text)
            continue
        parts = re.split(r"\s+", text)
        current += parts[0]
        for part in parts[1:]:
            words.append(current)
            current = part
    words.append(current)
    return _tidy(words)


def _tidy(words: list[str]) -> list[str]:
    """Drop empty words, keeping forced breaks but none at the start or end."""
    out = [word for word in words if word]
    while out and out[0] == LINE_BREAK:
        out.pop(0)
    while out and out[-1] == LINE_BREAK:
        out.pop()
    return out


# Characters that can start Markdown markup inside a line.
_SPECIAL = re.compile(r"[\\`*_\[\]<>&$~|]")


def escape_markdown(text: str, *, table_cell: bool = False) -> str:
    """Escape model output so Markdown reads it as the plain text it is.

    Only text that would otherwise turn into markup is escaped, so ordinary prose comes
    out exactly as the model wrote it.
    """
    if table_cell:
        text = re.sub(r"(?<!\\)\|", r"\\|", text)
    if not _SPECIAL.search(text) or _is_plain(text):
        return text
    return _SPECIAL.sub(lambda match: "\\" + match.group(), text)


def _is_plain(text: str) -> bool:
    from translate.segmenter import inline_pieces

    pieces = inline_pieces(text)
    return all(piece.kind is PieceKind.TEXT for piece in pieces)
