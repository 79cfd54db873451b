"""Put a translated block back together: markers back to markup, chunks into words.

The model's output for a segment is trusted for its prose only. Markers must come back
exactly and in order, or the segment is rebuilt from its prose runs translated one by one;
every protected piece is copied from the source, never from the output. Emphasis that a
translation leaves in a place where CommonMark would no longer read it as emphasis
(`**Achtung:**Das`) is repaired by a space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from translate.markdown.document import LINE_BREAK, Block, Piece, PieceKind, has_words
from translate.markdown.html import escape_html
from translate.translation.protect import FIXED_TERM, TERM, Segment, text_runs


@dataclass(frozen=True)
class Chunk:
    """A piece of a block's translated output, before it is laid out in lines."""

    text: str
    kind: str  # "text" (breakable at spaces), "plain", "atom", "open", "close", "break"
    what: str = ""


_MARKER = re.compile(r"<(/?)g(\d+)>|<x(\d+)/>")
# What a mangled marker leaves behind: `>/g1>`, `<g1`, `x2/>`, a stray `g1`.
_RESIDUE = re.compile(r"[<>]|\b[gx]\s?\d+\b")
_TEXTUAL = (PieceKind.TEXT, PieceKind.SOFTBREAK)


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
            chunks.extend(markup_chunks(following))
    if not has_words("".join(chunk.text for chunk in chunks if chunk.kind == "text")):
        return None
    return repair_flanking(chunks)


def markup_chunks(piece: Piece) -> list[Chunk]:
    """Return the chunks a protected piece or a markup piece contributes, as written."""
    if piece.kind is PieceKind.HARDBREAK:
        # `\` or trailing spaces end the line; the break itself is layout.
        return [Chunk(piece.raw.split("\n")[0].rstrip("\r"), "atom"), Chunk("", "break")]
    kind = {PieceKind.OPEN: "open", PieceKind.CLOSE: "close"}.get(piece.kind, "atom")
    return [Chunk(piece.rendered, kind, piece.what)]


def restore_by_pieces(segment: Segment, translations: Iterable[str]) -> list[Chunk]:
    """Rebuild a segment whose prose runs were translated one by one (the fallback)."""
    supply = iter(translations)
    chunks: list[Chunk] = []
    runs = {id(group[0]): (text, group) for text, group in text_runs(segment.pieces)}
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
        chunks.extend(markup_chunks(piece))
    return repair_flanking(chunks)


def glue_chunks(pieces: Sequence[Piece]) -> list[Chunk]:
    """Return pieces copied without translation as chunks."""
    chunks: list[Chunk] = []
    for piece in pieces:
        if piece.kind is PieceKind.TEXT:
            chunks.append(Chunk(piece.raw, "plain"))
        elif piece.kind is PieceKind.SOFTBREAK:
            # A line break next to a shortcode or HTML tag on its own line stays a line break.
            chunks.append(Chunk("", "break") if piece.what == "anchor" else Chunk(" ", "plain"))
        else:
            chunks.extend(markup_chunks(piece))
    return chunks


# --- emphasis that still delimits ----------------------------------------------------------

_EMPHASIS = ("em", "strong", "s")


def _is_whitespace(char: str | None) -> bool:
    # The start or end of a line counts as whitespace (CommonMark 0.31, "flanking").
    return char is None or char.isspace()


def _is_punctuation(char: str | None) -> bool:
    # CommonMark's Unicode punctuation: general categories P and S.
    return char is not None and unicodedata.category(char)[0] in "PS"


def _is_word(char: str | None) -> bool:
    return char is not None and (char.isalnum() or char == "_")


def _neighbour(chunks: Sequence[Chunk], index: int, step: int) -> str | None:
    """Return the character next to chunk `index` in direction `step` (-1 before, 1 after)."""
    position = index + step
    while 0 <= position < len(chunks):
        chunk = chunks[position]
        if chunk.kind == "break":
            return None
        if chunk.text:
            return chunk.text[-1] if step < 0 else chunk.text[0]
        position += step
    return None


def _left_flanking(before: str | None, after: str | None) -> bool:
    return not _is_whitespace(after) and (
        not _is_punctuation(after) or _is_whitespace(before) or _is_punctuation(before)
    )


def _right_flanking(before: str | None, after: str | None) -> bool:
    return not _is_whitespace(before) and (
        not _is_punctuation(before) or _is_whitespace(after) or _is_punctuation(after)
    )


def repair_flanking(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Add a space where restored markup would no longer read as it did in the source.

    A model that writes `<g1>Achtung:</g1>Das` leaves `**Achtung:**Das`, which CommonMark
    does not read as bold; `**Achtung:** Das` it does. The space goes outside the pair. A
    bare URL glued to a word would no longer be a link.
    A glossary name stays a word of its own: "MLE" + "Initiative" glued together would no
    longer be the name.
    """
    out = list(chunks)
    index = 0
    while index < len(out):
        chunk = out[index]
        if chunk.kind == "atom" and chunk.what == "url" and chunk.text[:1] not in ("<", "["):
            # A bare URL is a link only where Goldmark's Linkify looks for one: after a
            # space, `*`, `_`, `~` or `(`, or at a line head.
            before = _neighbour(out, index, -1)
            if before is not None and not before.isspace() and before not in "*_~(":
                out.insert(index, Chunk(" ", "text"))
                index += 1
        elif chunk.kind == "atom" and chunk.what in ("name", TERM, FIXED_TERM):
            if _is_word(_neighbour(out, index, 1)):
                out.insert(index + 1, Chunk(" ", "text"))
            if _is_word(_neighbour(out, index, -1)):
                out.insert(index, Chunk(" ", "text"))
                index += 1
        elif chunk.kind in ("open", "close") and chunk.what in _EMPHASIS and chunk.text:
            before, after = _neighbour(out, index, -1), _neighbour(out, index, 1)
            underscore = chunk.text[0] == "_"
            if chunk.kind == "close":
                fails = not _right_flanking(before, after) or (
                    underscore and _left_flanking(before, after) and not _is_punctuation(after)
                )
                if fails and not _is_whitespace(before):
                    out.insert(index + 1, Chunk(" ", "text"))
            else:
                fails = not _left_flanking(before, after) or (
                    underscore and _right_flanking(before, after) and not _is_punctuation(before)
                )
                if fails and not _is_whitespace(after):
                    out.insert(index, Chunk(" ", "text"))
                    index += 1
        index += 1
    return out


# --- glossary terms at a sentence start -------------------------------------------------------

# The end of a sentence: its mark, then closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»«)\]]*\s*$")


def capitalise_terms(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Capitalise a glossary term's fixed translation where it starts a sentence or block.

    `## Zivilgesellschaft` becomes `## Civil society`, not `## civil society`; a term whose
    glossary row says its case is fixed (`iPhone`) stays as written.
    """
    out = list(chunks)
    at_start = True
    for index, chunk in enumerate(out):
        if chunk.kind in ("open", "close", "break"):
            continue  # emphasis or a link around the term: it still starts the sentence
        if chunk.kind == "atom" and chunk.what == TERM and at_start and chunk.text[:1].islower():
            out[index] = Chunk(chunk.text[0].upper() + chunk.text[1:], chunk.kind, chunk.what)
        if chunk.kind in ("text", "plain") and not any(char.isalnum() for char in chunk.text):
            # Spaces, an opening quote: the sentence has not started yet (or just ended).
            at_start = at_start or bool(_SENTENCE_END.search(chunk.text))
            continue
        at_start = chunk.kind in ("text", "plain") and bool(_SENTENCE_END.search(chunk.text))
    return out


# --- words -----------------------------------------------------------------------------------

# Front matter values Hugo renders as Markdown (a page's `summary`), by key path; the others
# are plain text, where a backslash would show.
MARKDOWN_FRONT_MATTER: frozenset[tuple[str, ...]] = frozenset({("summary",)})


def renders_markdown(block: Block) -> bool:
    """Tell whether Hugo renders a block's text as Markdown: escape what a model writes there."""
    if block.kind != "front_matter":
        return True
    return tuple(block.key.removeprefix("front_matter:").split(".")) in MARKDOWN_FRONT_MATTER


# Atoms whose inner line breaks are only layout: a code span, a tag or math wrapped over two
# lines reads the same on one. A shortcode's are not (its lines may carry a quote's `>`);
# nor is math that holds a hard break: where the site passes no `$` through, Goldmark reads
# `$a  ` / `b$` as text with a line break (emphasis too, if `*` stand in it).
_REFLOWABLE = ("code", "html", "math")
_HARD_BREAK = re.compile(r"(?:  |\\)\r?\n")


_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def block_words(block: Block, chunks: Sequence[Chunk]) -> list[str]:
    """Lay a block's chunks out as words, escaped for how Hugo reads the block's text."""
    chunks = capitalise_terms(chunks)
    if block.kind == "html":
        return html_words(chunks)
    return chunks_to_words(
        chunks, table_cell=block.kind == "table_cell", escape=renders_markdown(block)
    )


def html_words(chunks: Sequence[Chunk]) -> list[str]:
    """Lay out the chunks of a raw HTML block: one word per line, each line as it was.

    HTML ignores how its text is wrapped, and its tags' lines are what a reviewer reads:
    each translated run goes on one line in place of its source, everything else stays
    byte for byte. Translated text is escaped for HTML (a `&quot;` inside a value).
    """
    words: list[str] = []
    current = ""
    quote = ""  # inside an attribute's value: the quote that ends it
    for chunk in chunks:
        text = chunk.text
        if chunk.kind == "break":
            text = "\n"
        elif chunk.kind == "text":
            text = escape_html(text, quote)
        elif chunk.what == "attribute":
            quote = chunk.text[-1] if chunk.kind == "open" else ""
        lines = text.split("\n")
        current += lines[0]
        for line in lines[1:]:
            words += [current, LINE_BREAK]
            current = line
    words.append(current)
    return _tidy(words)


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
    title = False  # on an alert's first line, whose rest is its title: no breaks either
    line_start = True  # nothing written on this line yet
    for index, chunk in enumerate(chunks):
        if chunk.kind == "break":
            words.append(current)
            words.append(LINE_BREAK)
            current = ""
            title = False
            line_start = True
            continue
        if chunk.text.strip():
            line_start, at_line_start = False, line_start and not current
        else:
            at_line_start = False
        if chunk.kind in ("open", "close", "atom"):
            if chunk.what in ("link", "image"):
                depth += 1 if chunk.kind == "open" else -1
            title = title or chunk.what == "alert"
            if chunk.what in _REFLOWABLE and not _HARD_BREAK.search(chunk.text):
                current += re.sub(r"\s*\n\s*", " ", chunk.text)
            else:
                current += chunk.text
            continue
        text = chunk.text
        if chunk.kind == "text" and escape:
            text = escape_markdown(text, table_cell=table_cell)
            if at_line_start:
                text = escape_block_start(text)
            following = chunks[index + 1].text if index + 1 < len(chunks) else ""
            if text.endswith("<") and not text.endswith("\\<") and following.startswith("<"):
                # Hugo's typographer reads `<<` as « before it sees the tag after it.
                text = text[:-1] + "\\<"
        if depth > 0 or title:
            current += re.sub(r"\s+", " ", text)
            continue
        # Only ASCII whitespace separates words: a no-break space was written not to break.
        parts = _ASCII_SPACE.split(text)
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
    if not _SPECIAL.search(text):
        return text
    if _is_plain(text):
        return _escape_unpaired_brackets(text)
    return _SPECIAL.sub(lambda match: "\\" + match.group(), text)


def _escape_unpaired_brackets(text: str) -> str:
    """Escape a `[` left open or a `]` closing nothing.

    Plain text to Markdown, but not to what follows it: while a `[` is open, Goldmark's
    Linkify makes no link of an address later in the paragraph.
    """
    opened: list[int] = []
    unpaired: list[int] = []
    for index, char in enumerate(text):
        if char == "\\":
            continue
        if index and text[index - 1] == "\\":
            continue
        if char == "[":
            opened.append(index)
        elif char == "]":
            if opened:
                opened.pop()
            else:
                unpaired.append(index)
    for index in sorted([*opened, *unpaired], reverse=True):
        text = text[:index] + "\\" + text[index:]
    return text


# What opens a block at the start of a line: a list item, quote, heading, definition, fence,
# HTML block, thematic break, setext underline or table row.
_BLOCK_MARKER = re.compile(
    r"[ \t]*(?:(?P<number>\d{1,9})[.)](?:[ \t]|$)"
    r"|[-+*>:](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|[`~]{3}|<|\||(?:[*_-][ \t]*){3,}$|=+[ \t]*$)"
)


def escape_block_start(text: str) -> str:
    """Escape what would open a block if `text` started a line (a model's `1. ` or `# `)."""
    match = _BLOCK_MARKER.match(text)
    if match is None:
        return text
    if match.group("number") is not None:
        at = match.end("number")
    else:
        at = len(text) - len(text.lstrip(" \t"))
    return text[:at] + "\\" + text[at:]


def _is_plain(text: str) -> bool:
    from translate.markdown.segmenter import inline_pieces

    pieces = inline_pieces(text)
    return all(piece.kind is PieceKind.TEXT for piece in pieces)
