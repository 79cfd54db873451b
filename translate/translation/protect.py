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

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from translate.markdown.document import Block, Piece, PieceKind, has_words
from translate.translation.glossary import Glossary

# --- glossary -----------------------------------------------------------------------------

# What a glossary term's atom is: capitalised where it starts a sentence, or kept as written.
TERM = "term"
FIXED_TERM = "fixed term"


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
            what = FIXED_TERM if term.fixed_case else TERM
            out.append(Piece(PieceKind.ATOM, raw, what, term.target))
        cursor = match.end
    out.extend(rest(cursor, len(plain)))
    return [piece for piece in out if piece.raw]


# --- segments ----------------------------------------------------------------------------

# Atoms that stand on their own line keep it: a shortcode or HTML tag opening a section.
_LINE_ANCHORED = {"shortcode", "html", "alert"}


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
            if piece.kind is PieceKind.SOFTBREAK:
                parts.append(" ")
                continue
            if piece.kind in (PieceKind.ATOM, PieceKind.HARDBREAK):
                # A hard break inside emphasis is protected like an atom: it keeps its line.
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
        return [text.strip() for text, _ in text_runs(self.pieces) if has_words(text)]


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
    if block.wrap_width is None and block.kind == "paragraph":
        parts = _keep_sentence_lines(parts)
    return BlockPlan(block, tuple(_merge_glue(parts)))


def _keep_sentence_lines(
    parts: list[Segment | tuple[Piece, ...]],
) -> list[Segment | tuple[Piece, ...]]:
    """Keep the line breaks of a paragraph written one sentence per line (semantic breaks).

    The segmenter leaves such a paragraph unwrapped; where every line break of it falls
    between sentences, each one stays, so that the translation's lines match the source's.
    """
    inside = any(
        piece.kind is PieceKind.SOFTBREAK
        for part in parts
        if isinstance(part, Segment)
        for piece in part.pieces
    )
    between = any(
        piece.kind is PieceKind.SOFTBREAK
        for part in parts
        if not isinstance(part, Segment)
        for piece in part
    )
    if inside or not between:
        return parts
    return [
        part
        if isinstance(part, Segment)
        else tuple(
            Piece(PieceKind.SOFTBREAK, piece.raw, "anchor")
            if piece.kind is PieceKind.SOFTBREAK
            else piece
            for piece in part
        )
        for part in parts
    ]


def _runs(pieces: Sequence[Piece]) -> Iterable[tuple[list[Piece], bool]]:
    """Split pieces at hard breaks and line-anchored atoms; yield (run, is_glue).

    Only outside links and emphasis: a hard break inside `**Hallo,\\` / `Welt**` stays
    in its sentence (as a marker), so that the pair is never cut in two.
    """
    run: list[Piece] = []
    depth = 0
    for index, piece in enumerate(pieces):
        if piece.kind is PieceKind.OPEN:
            depth += 1
        elif piece.kind is PieceKind.CLOSE:
            depth -= 1
        if depth > 0:
            run.append(piece)
            continue
        if piece.kind is PieceKind.HARDBREAK or _is_anchored(pieces, index):
            if run:
                yield run, False
            run = []
            yield [piece], True
        elif piece.kind is PieceKind.SOFTBREAK and (
            piece.what == "anchor"
            or _is_anchored(pieces, index - 1)
            or _is_anchored(pieces, index + 1)
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
    if piece.kind is PieceKind.ATOM and piece.what == "html-block":
        return True  # a block element's tag in raw HTML ends a sentence wherever it stands
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
        return piece.rendered if piece.what in ("name", TERM, FIXED_TERM) else "X"
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
    cuts = sorted({0, len(plain), *(edge for span in spans for edge in span)})
    pieces = _cut(run, starts, cuts)
    # Assign each piece to the sentence span it falls in, or to the glue between.
    lows = [lo for lo, _ in spans]
    current: list[Piece] = []
    current_glue = True
    current_span: int | None = None
    for piece, start in pieces:
        length = len(_plain(piece))
        inside = _span_of(spans, lows, start, length, piece.kind)
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
    lows: Sequence[int],
    start: int,
    length: int,
    kind: PieceKind,
) -> int | None:
    """Return the index of the sentence span a piece at `start` lies in, if any.

    Spans are sorted and disjoint; markup without width belongs to the sentence it opens
    (or, for a closing piece, ends).
    """
    if length or kind is not PieceKind.CLOSE:
        index = bisect.bisect_right(lows, start) - 1
        if index < 0:
            return None
        lo, hi = spans[index]
        if length:
            return index if lo <= start and start + length <= hi else None
        return index if lo <= start < hi else None
    index = bisect.bisect_left(lows, start) - 1
    if index < 0:
        return None
    lo, hi = spans[index]
    return index if lo < start <= hi else None


def _merge_across_pairs(
    run: Sequence[Piece], starts: Sequence[int], spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Join sentences so that no link or emphasis is cut in two."""
    # Pairs as (open, close) offsets; each joins the sentences from the one holding its
    # open to the one holding its close. Sweep once over the sentences, in order.
    joins: list[tuple[int, int]] = []
    opens: dict[int, int] = {}
    for piece, start in zip(run, starts, strict=True):
        if piece.kind is PieceKind.OPEN:
            opens[piece.pair] = start
        elif piece.kind is PieceKind.CLOSE and piece.pair in opens:
            joins.append((opens.pop(piece.pair), start))
    if not joins:
        return list(spans)
    lows = [lo for lo, _ in spans]
    # reach[i]: the last sentence that sentence i must be joined with.
    reach = list(range(len(spans)))
    for lo, hi in joins:
        first = bisect.bisect_right(lows, lo) - 1
        if first < 0 or spans[first][1] <= lo:
            first += 1  # the open stands between sentences: start at the next one
        last = bisect.bisect_left(lows, hi) - 1
        if first >= len(spans):
            continue
        if last > reach[first]:
            reach[first] = last
    merged: list[tuple[int, int]] = []
    index = 0
    while index < len(spans):
        end = reach[index]
        probe = index
        while probe <= end:
            end = max(end, reach[probe])
            probe += 1
        merged.append((spans[index][0], spans[end][1]))
        index = end + 1
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
        inner = cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)]
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


def text_runs(pieces: Sequence[Piece]) -> list[tuple[str, list[Piece]]]:
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
