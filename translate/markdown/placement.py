"""Where a block's inline text stands in the body's lines: prefixes, suffix, cell column."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

EOL = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split `text` into lines that keep their line endings, as markdown-it counts them."""
    lines: list[str] = []
    start = 0
    for match in EOL.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def strip_eol(line: str) -> tuple[str, str]:
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
            body, _ = strip_eol(lines[self.start])
            return body[self.column : self.column + len(content_lines[0])]
        parts = []
        for index, content in enumerate(content_lines):
            body, _ = strip_eol(lines[self.start + index])
            begin = len(self.prefixes[index])
            parts.append(body[begin : begin + len(content)])
        return "\n".join(parts)


def line_placement(
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
        body, _ = strip_eol(lines[start + index])
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


def heading_placement(
    lines: Sequence[str], token: Token, content: str, tail: str
) -> Placement | None:
    assert token.map is not None
    start, end = token.map
    if token.markup in ("=", "-"):  # setext: text lines, then the underline
        return line_placement(lines, start, end - 1, content, tail)
    body, _ = strip_eol(lines[start])
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


def table_cells(
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
            row = _split_row(strip_eol(lines[row_line])[0])
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
