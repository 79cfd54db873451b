"""Put the findings of `translate check` on the rows of the blocks they are in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from translate.commands.check import Finding as CheckFinding
from translate.commands.review.model import Finding, PostView, Row


def with_findings(view: PostView, findings: Sequence[CheckFinding]) -> PostView:
    """Return the view with the check's findings on its rows (or its header)."""
    # A needs-review finding restates the record's state, which the row shows with the
    # English it replaced.
    mine = [
        f
        for f in findings
        if f.path in (view.source_path, view.target_path) and f.code != "needs-review"
    ]
    if not mine:
        return view
    by_row: dict[int, list[Finding]] = {}
    loose: list[Finding] = []
    for found in mine:
        finding = Finding(found.severity, found.code, found.message, found.line, found.path)
        index = _row_at(view.rows, found, found.path == view.target_path)
        if index is None:
            loose.append(finding)
        else:
            by_row.setdefault(index, []).append(finding)
    rows = tuple(
        replace(row, findings=(*row.findings, *by_row[i])) if i in by_row else row
        for i, row in enumerate(view.rows)
    )
    return replace(view, rows=rows, findings=(*view.findings, *loose))


def _row_at(rows: Sequence[Row], finding: CheckFinding, in_target: bool) -> int | None:
    """Return the row whose block holds the finding's line, if one does."""
    if finding.line is None:
        return None
    extent: Callable[[Row], tuple[int | None, str]] = (
        (lambda row: (row.target_line, row.target_text))
        if in_target
        else (lambda row: (row.source_line, "".join(s.text for s in row.source)))
    )
    for index, row in enumerate(rows):
        line, text = extent(row)
        if line is not None and line <= finding.line <= line + text.count("\n"):
            return index
    return None
