"""GFM tables as Goldmark reads them (goldmark/extension/table.go).

markdown-it-py's rule (`markdown_it/rules_block/table.py`, MIT licence), with one change:
Goldmark builds a table when the header row has fewer cells than the delimiter row, and
pads the header with empty cells (`Condition|Return value` over `:--|:--|:--` is a table of
three columns); markdown-it wants both to be equal. A header with more cells than the
delimiter row is no table in either.
"""

from __future__ import annotations

from markdown_it.common.utils import isStrSpace, mdTrim
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import (
    MAX_AUTOCOMPLETED_CELLS,
    escapedSplit,
    getLine,
    headerLineRe,
)


def _alignments(state: StateBlock, line: int) -> list[str] | None:
    """Return the alignments of a delimiter row (`:--|--:`), or None if it is none."""
    start = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    text = state.src[start:end]
    if len(text) < 2 or text[0] not in "|-:" or (text[1] not in "|-:" and not isStrSpace(text[1])):
        return None
    if text[0] == "-" and isStrSpace(text[1]):
        return None  # a list item
    if any(char not in "|-:" and not isStrSpace(char) for char in text):
        return None
    aligns: list[str] = []
    columns = text.split("|")
    for index, column in enumerate(columns):
        cell = mdTrim(column)
        if not cell:
            if index in (0, len(columns) - 1):
                continue  # the pipes around the row
            return None
        if not headerLineRe.search(cell):
            return None
        if cell.endswith(":"):
            aligns.append("center" if cell.startswith(":") else "right")
        else:
            aligns.append("left" if cell.startswith(":") else "")
    return aligns


def _cells(text: str) -> list[str]:
    cells = escapedSplit(text)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Read a table whose header row starts at `start`."""
    if start + 2 > end or state.sCount[start + 1] < state.blkIndent:
        return False
    if state.is_code_block(start + 1):
        return False
    aligns = _alignments(state, start + 1)
    if aligns is None:
        return False
    text = mdTrim(getLine(state, start))
    if "|" not in text or state.is_code_block(start):
        return False
    header = _cells(text)
    if not header or len(header) > len(aligns):
        return False
    if silent:
        return True
    count = len(aligns)
    header += [""] * (count - len(header))  # Goldmark pads the header row
    old_parent = state.parentType
    state.parentType = "table"
    terminators = state.md.block.ruler.getRules("blockquote")
    token = state.push("table_open", "table", 1)
    token.map = table_lines = [start, 0]
    state.push("thead_open", "thead", 1).map = [start, start + 1]
    state.push("tr_open", "tr", 1).map = [start, start + 1]
    for index in range(count):
        _cell(state, "th", aligns[index], header[index], start)
    state.push("tr_close", "tr", -1)
    state.push("thead_close", "thead", -1)
    autocompleted = 0
    body_lines: list[int] | None = None
    line = start + 2
    while line < end:
        if state.sCount[line] < state.blkIndent:
            break
        if any(rule(state, line, end, True) for rule in terminators):
            break
        text = mdTrim(getLine(state, line))
        if not text or state.is_code_block(line):
            break
        cells = _cells(text)
        autocompleted += count - len(cells)
        if autocompleted > MAX_AUTOCOMPLETED_CELLS:
            break
        if body_lines is None:
            token = state.push("tbody_open", "tbody", 1)
            token.map = body_lines = [start + 2, 0]
        state.push("tr_open", "tr", 1).map = [line, line + 1]
        for index in range(count):
            _cell(state, "td", aligns[index], cells[index] if index < len(cells) else "", line)
        state.push("tr_close", "tr", -1)
        line += 1
    if body_lines is not None:
        state.push("tbody_close", "tbody", -1)
        body_lines[1] = line
    state.push("table_close", "table", -1)
    table_lines[1] = line
    state.parentType = old_parent
    state.line = line
    return True


def _cell(state: StateBlock, tag: str, align: str, content: str, line: int) -> None:
    token = state.push(f"{tag}_open", tag, 1)
    if align:
        token.attrs = {"style": "text-align:" + align}
    inline = state.push("inline", "", 0)
    inline.map = [line, line + 1]
    inline.content = mdTrim(content) if content else ""
    inline.children = []
    state.push(f"{tag}_close", tag, -1)
