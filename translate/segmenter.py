"""Split a post's Markdown body into translatable blocks of inline pieces, and put it back.

markdown-it-py finds the structure; the text is never re-rendered from tokens. Each block
knows the source lines it came from and the per-line prefixes (list markers, `>` quotes,
indentation), so writing a translation back replaces exactly the inline text and keeps
every other byte of the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from translate.document import LINE_BREAK, Block, Piece, PieceKind

# --- Hugo shortcodes --------------------------------------------------------------------

# `{{< name args >}}`, `{{% name args %}}` and the escaped `{{</* name */>}}` form.
_SHORTCODE = re.compile(
    r"\{\{(?:(?P<angle><)|%)(?P<comment>/\*)?\s*(?P<close>/)?\s*(?P<name>[\w./-]+)?"
    r".*?(?(comment)\*/)\s*(?(angle)>|%)\}\}",
    re.DOTALL,
)


def _closing_shortcode(name: str) -> re.Pattern[str]:
    return re.compile(r"\{\{<\s*/\s*" + re.escape(name) + r"\s*>\}\}")


def _match_shortcode(src: str, pos: int) -> re.Match[str] | None:
    """Match a shortcode at `pos`; for a `{{< >}}` pair, extend the match over its content.

    Hugo passes the content of a `{{< >}}` pair to the shortcode raw, so it is not Markdown
    and stays as it is; the content of a `{{% %}}` pair is Markdown and is translated.
    """
    return _SHORTCODE.match(src, pos)


def _paired_end(src: str, match: re.Match[str]) -> int:
    """Return where the `{{< >}}` pair opened by `match` ends, or the match's own end."""
    if not match.group("angle") or match.group("close") or match.group("comment"):
        return match.end()
    name = match.group("name")
    if not name or match.group()[:-3].rstrip().endswith("/"):
        return match.end()
    closing = _closing_shortcode(name).search(src, match.end())
    return closing.end() if closing else match.end()


def _shortcode_inline(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    match = _match_shortcode(state.src, state.pos)
    if match is None or match.end() > state.posMax:
        return False
    end = min(_paired_end(state.src, match), state.posMax)
    if not silent:
        token = state.push("shortcode", "", 0)
        token.content = state.src[state.pos : end]
    state.pos = end
    return True


_LINK_TITLE = re.compile(r"""\s*(?:"[^"]*"|'[^']*'|\([^)]*\))?\s*\)""")


def _shortcode_link(state: StateInline, silent: bool) -> bool:
    """Parse `[text]({{< ref "x" >}})`: Hugo expands shortcodes before Markdown.

    To CommonMark the destination has spaces, so it is no link; to Hugo it is the usual
    way to link to another page. The text is prose; the destination is protected.
    """
    start = state.pos
    if state.src[start] != "[":
        return False
    label_end = parseLinkLabel(state, start, True)
    if label_end < 0 or not state.src.startswith("({{", label_end + 1):
        return False
    match = _match_shortcode(state.src, label_end + 2)
    if match is None:
        return False
    tail = _LINK_TITLE.match(state.src, match.end())
    if tail is None or tail.end() > state.posMax:
        return False
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": match.group()}
        token.markup = "shortcode"
        old_max = state.posMax
        state.pos, state.posMax = start + 1, label_end
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.posMax = old_max
        state.push("link_close", "a", -1)
    state.pos = tail.end()
    return True


def _shortcode_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Take a `{{< name >}}` … `{{< /name >}}` pair that starts a line as one raw block."""
    pos = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4 or not state.src.startswith("{{<", pos):
        return False
    match = _match_shortcode(state.src, pos)
    if match is None:
        return False
    pair_end = _paired_end(state.src, match)
    if pair_end == match.end():
        return False  # a single shortcode: leave it to the paragraph it stands in
    line = start
    while line < end and state.eMarks[line] < pair_end:
        line += 1
    if line >= end:
        return False
    if silent:
        return True
    token = state.push("shortcode_block", "", 0)
    token.map = [start, line + 1]
    token.content = state.src[pos : state.eMarks[line]]
    state.line = line + 1
    return True


# --- an inline parser that remembers where each token came from -------------------------


def _record_spans(
    tokens: list[Token], first: int, pending_start: int, start: int, end: int
) -> None:
    """Give each token a rule call just pushed its `(start, end)` in the inline source."""
    new = tokens[first:]
    raw_start = start
    if start > pending_start and new and new[0].type == "text" and "span" not in new[0].meta:
        # The rule flushed pending text first; rules may have trimmed it (newline drops
        # trailing spaces, linkify takes back the scheme), so it spans only its content.
        flushed = new[0]
        raw_start = pending_start + len(flushed.content)
        flushed.meta["span"] = (pending_start, raw_start)
        new = new[1:]
    elif start > pending_start:
        raw_start = pending_start  # the rule consumed all pending text itself
    rest = [token for token in new if "span" not in token.meta]
    if (
        rest
        and all(t.type == "text" for t in rest)
        and (sum(len(t.content) for t in rest) == end - raw_start)
    ):
        # Emphasis and strikethrough push one text token per delimiter: tile them.
        pos = raw_start
        for token in rest:
            token.meta["span"] = (pos, pos + len(token.content))
            pos += len(token.content)
    else:
        for token in rest:
            token.meta["span"] = (raw_start, end)


def _tracking_tokenize(parser: ParserInline, state: StateInline) -> None:
    """Tokenize like `ParserInline.tokenize`, recording each token's source span in `meta`.

    Tokens know their block's lines but not where they stand inside it; these spans let
    the segmenter cut the original inline source at token boundaries instead of
    re-rendering Markdown from tokens (which would change `_` to `*`, escapes, etc.).
    """
    rules = parser.ruler.getRules("")
    end = state.posMax
    max_nesting = state.md.options["maxNesting"]
    while state.pos < end:
        pos = state.pos
        pending_start = pos - len(state.pending)
        first = len(state.tokens)
        ok = False
        if state.level < max_nesting:
            for rule in rules:
                ok = rule(state, False)
                if ok:
                    if state.pos <= pos:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    break
        if ok:
            _record_spans(state.tokens, first, pending_start, pos, state.pos)
            if state.pos >= end:
                break
            continue
        state.append_pending(state.src[state.pos])
        state.pos += 1
    if state.pending:
        token = state.pushPending()
        token.meta["span"] = (end - len(token.content), end)


@functools.cache
def markdown_parser() -> MarkdownIt:
    """Return the parser for post bodies: CommonMark, GFM tables, and Hugo's extras.

    Hugo's Goldmark renders tables, strikethrough, footnotes and bare URLs (linkify);
    `$…$` math is what Hugo Academic sites use; shortcodes are Hugo's own.
    """
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
    md.use(footnote_plugin, inline=False)
    md.use(deflist_plugin)  # Goldmark's definition lists, on by default in Hugo
    # Digits next to `$` are prices ("5 $ und 10 $"), not math.
    md.use(dollarmath_plugin, allow_digits=False, allow_space=False)
    md.block.ruler.before("paragraph", "shortcode_block", _shortcode_block, {"alt": ["paragraph"]})
    md.inline.ruler.before("text", "shortcode", _shortcode_inline)
    md.inline.ruler.before("link", "shortcode_link", _shortcode_link)
    # Escapes and entities stay separate tokens so they can be protected byte for byte;
    # unused emphasis delimiters stay separate so their spans stay exact.
    md.disable("text_join")
    md.inline.ruler2.disable("fragments_join")
    tokenize: Callable[[StateInline], None] = functools.partial(_tracking_tokenize, md.inline)
    md.inline.tokenize = tokenize  # type: ignore[method-assign,assignment]
    return md


# --- inline source -> pieces --------------------------------------------------------------

_ATOM_TOKENS = {
    "code_inline": "code",
    "html_inline": "html",
    "math_inline": "math",
    "math_inline_double": "math",
    "footnote_ref": "footnote",
    "shortcode": "shortcode",
}
_PAIRS = {"em_open": "em", "strong_open": "strong", "s_open": "s", "link_open": "link"}


def _span(token: Token) -> tuple[int, int]:
    span: tuple[int, int] = token.meta["span"]
    return span


class _PieceBuilder:
    """Turn span-annotated inline tokens into pieces that tile the inline source."""

    def __init__(self) -> None:
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

    def extend_last(self, raw: str) -> None:
        last = self.pieces[-1]
        self.pieces[-1] = Piece(last.kind, last.raw + raw, last.what, last.output, last.pair)

    def walk(self, tokens: Sequence[Token], src: str, offset: int = 0) -> None:
        """Append pieces for `tokens`, whose spans are relative to `src[offset:]`."""
        i = 0
        carry = ""  # consumed delimiter characters waiting for the open they belong to
        while i < len(tokens):
            token = tokens[i]
            start, end = _span(token)
            raw = src[offset + start : offset + end]
            kind = token.type
            if kind == "text" and not token.content:
                # A delimiter character consumed by a `**` pair: part of that markup.
                if self.pieces and self.pieces[-1].kind is PieceKind.CLOSE and not carry:
                    self.extend_last(raw)
                else:
                    carry += raw
                i += 1
                continue
            if kind in _PAIRS and token.markup not in ("autolink", "linkify"):  # text is prose
                close = _matching_close(tokens, i)
                inner = tokens[i + 1 : close]
                output = None
                if kind == "link_open":
                    label_start = _span(inner[0])[0] if inner else start + 1
                    label_end = _span(inner[-1])[1] if inner else start + 1
                    close_raw = src[offset + label_end : offset + end]
                    raw = src[offset + start : offset + label_start]
                    if close_raw in ("]", "][]"):
                        # In `[Text][]` and `[Text]` the text is also the reference label:
                        # once translated, the link needs the label spelled out.
                        label = src[offset + label_start : offset + label_end]
                        output = "][" + re.sub(r"\s+", " ", label) + "]"
                else:
                    c_start, c_end = _span(tokens[close])
                    close_raw = src[offset + c_start : offset + c_end]
                self.pairs += 1
                pair = self.pairs
                self.add(PieceKind.OPEN, carry + raw, _PAIRS[kind], pair)
                carry = ""
                self.walk(inner, src, offset)
                self.add(PieceKind.CLOSE, close_raw, _PAIRS[kind], pair, output)
                i = close + 1
                continue
            if carry:
                raw = carry + raw
                carry = ""
            if kind == "link_open":  # autolink or bare URL: protected as a whole
                self.add(PieceKind.ATOM, raw, "url")
                i = _matching_close(tokens, i) + 1
                continue
            if kind == "image":
                label_start = start + 2
                label_end = label_start + len(token.content)
                self.pairs += 1
                pair = self.pairs
                self.add(PieceKind.OPEN, src[offset + start : offset + label_start], "image", pair)
                self.walk(token.children or [], src, offset + label_start)
                self.add(PieceKind.CLOSE, src[offset + label_end : offset + end], "image", pair)
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
            i += 1
        if carry:
            self.add(PieceKind.TEXT, carry)


def _matching_close(tokens: Sequence[Token], open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    raise ValueError("unbalanced inline tokens")


def inline_pieces(source: str, env: Mapping[str, Any] | None = None) -> tuple[Piece, ...]:
    """Cut inline Markdown `source` into pieces whose raw text concatenates to `source`.

    `env` carries the document's reference definitions, so `[text][ref]` is a link.
    Whatever the tokens cannot account for exactly is returned as one protected atom:
    it is then copied, never mangled.
    """
    if not source:
        return ()
    md = markdown_parser()
    tokens = md.parseInline(source, dict(env or {}))
    builder = _PieceBuilder()
    try:
        builder.walk(tokens[0].children or [], source)
    except (KeyError, ValueError, IndexError):
        return (Piece(PieceKind.ATOM, source, "unparsed"),)
    if "".join(piece.raw for piece in builder.pieces) != source:
        return (Piece(PieceKind.ATOM, source, "unparsed"),)
    return tuple(builder.pieces)


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
    suffix: str  # after the text on its last line (closing `##`, trailing spaces)
    column: int | None = None  # table cells: the text's offset in its row line


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


def _line_placement(lines: Sequence[str], start: int, end: int, content: str) -> Placement | None:
    """Locate `content` (a paragraph's inline source) in `lines[start:end]`."""
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
        core = body.rstrip(" \t") if last else body
        if not core.endswith(text):
            return None
        prefixes.append(core[: len(core) - len(text)])
        suffix = body[len(core) :]
    return Placement(start, end, tuple(prefixes), suffix)


def _heading_placement(lines: Sequence[str], token: Token, content: str) -> Placement | None:
    assert token.map is not None
    start, end = token.map
    if token.markup in ("=", "-"):  # setext: text lines, then the underline
        return _line_placement(lines, start, end - 1, content)
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


def parse_body(text: str, *, line_offset: int = 0, key_prefix: str = "body") -> Body:
    """Parse a Markdown body into translatable blocks with their placements.

    `line_offset` is the number of file lines before the body (the front matter), so
    block line numbers point into the whole file.
    """
    md = markdown_parser()
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    body = Body(text=text, lines=split_lines(text), env=env)
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
            for cell_token, placement in _table_cells(body.lines, tokens, index):
                source = cell_token.meta.get("source", cell_token.content)
                _add_block(
                    body, "table_cell", source, cell_token, placement, line_offset, key_prefix
                )
            continue
        if token.type not in _BLOCK_KIND or "table_open" in containers:
            continue
        inline = tokens[index + 1]
        if token.map is None:
            continue
        kind = _BLOCK_KIND[token.type]
        if kind == "heading":
            placement = _heading_placement(body.lines, token, inline.content)
        else:
            # A definition-list term's map is empty ([n, n]): it stands on line n.
            end = max(token.map[1], token.map[0] + 1)
            placement = _line_placement(body.lines, token.map[0], end, inline.content)
        _add_block(
            body,
            kind,
            inline.content,
            token,
            placement,
            line_offset,
            key_prefix,
            task_item=kind == "paragraph"
            and bool(containers)
            and containers[-1] == "list_item_open",
        )
    return body


def _add_block(
    body: Body,
    kind: str,
    source: str,
    token: Token,
    placement: Placement | None,
    line_offset: int,
    key_prefix: str,
    *,
    task_item: bool = False,
) -> None:
    assert token.map is not None
    line = (placement.start if placement else token.map[0]) + line_offset + 1
    pieces = inline_pieces(source, body.env)
    if task_item and _TASK.match(source) and pieces and pieces[0].kind is PieceKind.TEXT:
        # `- [ ] todo`: the checkbox is list syntax, not prose.
        box = source[:4]
        rest = pieces[0].raw[4:]
        head = (Piece(PieceKind.ATOM, box, "task"),)
        pieces = head + ((Piece(PieceKind.TEXT, rest),) if rest else ()) + pieces[1:]
    width = None
    if placement and placement.end - placement.start > 1:
        lines = body.lines[placement.start : placement.end]
        width = max(len(_strip_eol(line)[0]) for line in lines)
    block = Block(
        key=f"{key_prefix}:{len(body.blocks)}:{kind}",
        kind=kind,
        line=line,
        source=source,
        pieces=pieces,
        wrap_width=width,
    )
    if placement is None:
        body.skipped.append(len(body.blocks))
    body.blocks.append(block)
    body.placements.append(placement or Placement(token.map[0], token.map[0], (), ""))


# --- blocks -> body ----------------------------------------------------------------------

# A word that would open a block if it started a line: a list item, quote, heading,
# thematic break, setext underline, fence, HTML block or table row.
_BLOCK_START = re.compile(r"^(?:[-+*>#=|<]|[`~]{3}|\d{1,9}[.)]$|\d{1,9}[.)]\s)")


def wrap_words(words: Sequence[str], widths: Callable[[int], int]) -> list[str]:
    """Fill lines greedily with `words`; line `n` may hold `widths(n)` characters.

    A word that Markdown would read as the start of a block never begins a line, and
    a line never ends in a backslash (which would make a hard break).
    """
    lines: list[str] = []
    current = ""
    for word in words:
        if word == LINE_BREAK:
            lines.append(current)
            current = ""
            continue
        if not current:
            current = word
            continue
        fits = len(current) + 1 + len(word) <= widths(len(lines))
        if fits or _BLOCK_START.match(word) or current.endswith("\\"):
            current += " " + word
        else:
            lines.append(current)
            current = word
    lines.append(current)
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
        (index for index in translations if index not in body.skipped),
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
    prefixes = placement.prefixes

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
        out.append(prefix(n) + text + (placement.suffix if last else "") + ending)
    return out
