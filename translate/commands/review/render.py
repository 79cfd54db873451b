"""Render the review page: one HTML file with its CSS and JavaScript inline.

Every text from a post goes through `html.escape`: a post's `<script>` shows as text. The
page loads nothing (its Content-Security-Policy forbids it), so it works offline, from a
CI artifact, and cannot be made to call anywhere.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.parse
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path

from translate.commands.review.model import BlockState, Change, Finding, Page, PostView, Row, Span
from translate.translation.numbers import locale_for

# Rows each filter shows, by the classes `_row_classes` gives.
FILTERS = (
    ("review", "Needs review"),
    ("findings", "Findings"),
    ("changed", "Changed"),
    ("all", "All"),
)
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_TO_REVIEW = (BlockState.MACHINE, BlockState.NEEDS_REVIEW, BlockState.NEW)


def render_page(page: Page, output: Path) -> str:
    """Return the page's HTML; links to the posts are relative to `output`'s folder."""
    folder = output.resolve().parent
    root = Path(page.site_root).resolve()
    posts = "".join(_post(post, index, root, folder) for index, post in enumerate(page.posts))
    page_id = hashlib.sha256(posts.encode("utf-8")).hexdigest()[:16]
    counts = _filter_counts(page)
    filters = "".join(
        f'<button type="button" data-filter="{name}" aria-pressed="{str(name == "all").lower()}"'
        f' title="key {number}">{label} <span class="n">{counts[name]}</span></button>'
        for number, (name, label) in enumerate(FILTERS, start=1)
    )
    rows = sum(len(post.rows) for post in page.posts)
    summary = (
        f"{len(page.posts)} post{'s' if len(page.posts) != 1 else ''}, {rows} blocks: "
        f"{escape(page.selection)}"
    )
    empty = "" if page.posts else '<p class="empty">Nothing to review.</p>'
    values = {
        "title": escape(f"Review: {page.site}"),
        "site": escape(page.site),
        "page_id": page_id,
        "summary": summary,
        "filters": filters,
        "posts": posts + empty,
        "css": _asset("page.css"),
        "js": _asset("page.js"),
    }
    # One pass over the template: a post's own `{{css}}` is text, never a placeholder.
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], _asset("page.html"))


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _filter_counts(page: Page) -> dict[str, int]:
    rows = [row for post in page.posts for row in post.rows]
    return {
        "review": sum(1 for row in rows if row.state in _TO_REVIEW),
        "findings": sum(len(post.all_findings) for post in page.posts),
        "changed": sum(1 for row in rows if row.changed),
        "all": len(rows),
    }


@cache
def direction(language: str) -> str:
    """Return "rtl" for a language written right to left, else "ltr"."""
    locale, _ = locale_for(language)
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def _link(root: Path, folder: Path, path: str) -> str:
    relative = os.path.relpath(root / path, folder)
    return escape(urllib.parse.quote(Path(relative).as_posix()))


# --- a post --------------------------------------------------------------------------------


def _post(post: PostView, index: int, root: Path, folder: Path) -> str:
    post_id = f"p{index}"
    rows = "".join(_row(row, f"{post_id}-{n}", post) for n, row in enumerate(post.rows))
    classes = {"post"}
    for row_classes in (_row_classes(row) for row in post.rows):
        classes |= {c for c in row_classes if c.startswith("f-")}
    if post.findings:
        classes.add("f-findings")
    counts = post.counts
    shown = (
        (BlockState.MACHINE, "machine"),
        (BlockState.MEMORY, "from memory"),
        (BlockState.REVIEWED, "reviewed"),
        (BlockState.NEEDS_REVIEW, "needs review"),
    )
    count_items = "".join(
        f'<li class="c-{state.value}"><b>{counts[state]}</b> {label}</li>' for state, label in shown
    )
    extra = "".join(
        f'<li class="c-{state.value}"><b>{counts[state]}</b> {state.label}</li>'
        for state in (BlockState.APPROVED, BlockState.NEW, BlockState.REMOVED, BlockState.UNALIGNED)
        if counts[state]
    )
    target = (
        f'<a href="{_link(root, folder, post.target_path)}">{escape(post.target_path)}</a>'
        if post.target_exists
        else f"{escape(post.target_path)} <i>(not written yet)</i>"
    )
    detail = f" · {escape(post.detail)}" if post.detail else ""
    head_class = "post-head f-findings" if post.findings else "post-head"
    return (
        f'<section class="{" ".join(sorted(classes))}" id="{post_id}" '
        f'data-post="{escape(post.source_path)}" data-target="{escape(post.target_path)}" '
        f'data-lang="{escape(post.target_language)}">'
        f'<header class="{head_class}">'
        f'<h2><a href="{_link(root, folder, post.source_path)}">{escape(post.source_path)}</a>'
        f' <span class="arrow">→</span> {target}</h2>'
        f'<p class="post-state"><span class="lang">{escape(post.source_language)} → '
        f"{escape(post.target_language)}</span> <b>{escape(post.state or 'unknown')}</b>{detail}"
        f'</p><ul class="counts">{count_items}{extra}</ul>'
        f"{_findings(post.findings, post.target_path)}</header>{rows}</section>"
    )


def _row_classes(row: Row) -> list[str]:
    classes = ["row", f"s-{row.state.value}"]
    if row.state in _TO_REVIEW:
        classes.append("f-review")
    if row.findings:
        classes.append("f-findings")
    if row.changed:
        classes.append("f-changed")
    if row.locked:
        classes.append("locked")
    return classes


def _row(row: Row, row_id: str, post: PostView) -> str:
    source_dir = direction(post.source_language)
    target_dir = direction(post.target_language)
    where_source = f"line {row.source_line}" if row.source_line else ""
    where_target = f"line {row.target_line}" if row.target_line else ""
    kind = escape(row.kind.replace("_", " "))
    if row.kind == "front_matter":
        kind = escape(row.key.removeprefix("front_matter:"))
    previous = ""
    if row.previous is not None:
        previous = (
            '<div class="previous"><span class="label">Reviewed text it replaced:</span>'
            f'<span class="prev-text">{escape(row.previous)}</span></div>'
        )
    if row.locked:
        actions = f'<p class="locked-why">{escape(row.locked)}</p>'
    else:
        # Save, Cancel and messages are added by the page's script when they are needed.
        approve = '<button class="approve">Approve</button>' if row.approvable else ""
        actions = f'<button class="edit">Edit</button>{approve}'
    return (
        f'<div class="{" ".join(_row_classes(row))}" id="{row_id}" '
        f'data-key="{escape(row.key)}" data-line="{row.target_line or ""}" '
        f'data-sh="{row.source_hash}" data-th="{row.target_hash}">'
        f'<div class="cell src" lang="{escape(post.source_language)}" dir="{source_dir}">'
        f'<div class="where">{kind} <span class="line">{where_source}</span></div>'
        f'<div class="text">{_spans(row.source)}</div>{_changes(row)}'
        "</div>"
        f'<div class="cell tgt" lang="{escape(post.target_language)}" dir="{target_dir}">'
        f'<div class="where"><span class="state">{escape(row.state.label)}</span> '
        f'<span class="line">{where_target}</span></div>'
        f'<div class="text">{_spans(row.target)}</div>{previous}</div>'
        f"{_findings(row.findings, post.target_path)}"
        f'<div class="actions">{actions}</div></div>'
    )


def _spans(spans: tuple[Span, ...]) -> str:
    return "".join(_span(span) for span in spans)


def _span(span: Span) -> str:
    if not span.protected:
        return escape(span.text, quote=False)
    # Only what the class does not say is a title: a term's translation, a name.
    hint = f' title="{escape(span.hint)}"' if span.protected in ("term", "name") else ""
    return f'<span class="p p-{span.protected}"{hint}>{escape(span.text, quote=False)}</span>'


def _changes(row: Row) -> str:
    if not row.changes:
        return ""
    parts = "".join(_change(change) for change in row.changes)
    since = escape(row.changed_since)
    return (
        f'<div class="diff"><span class="label">Source changed since {since}:</span>{parts}</div>'
    )


def _change(change: Change) -> str:
    text = escape(change.text, quote=False)
    if change.op == "-":
        return f"<del>{text}</del>"
    if change.op == "+":
        return f"<ins>{text}</ins>"
    return text


def _findings(findings: tuple[Finding, ...], target: str) -> str:
    if not findings:
        return ""
    items = "".join(_finding(f, target) for f in findings)
    return f'<ul class="findings">{items}</ul>'


def _finding(finding: Finding, target: str) -> str:
    """Return a finding's item; one in the translation names its line only."""
    where = escape(finding.path) if finding.path != target else ""
    if finding.line:
        where = f"{where}:{finding.line}" if where else f"line {finding.line}"
    return (
        f'<li class="finding {escape(finding.severity)}"><b>{escape(finding.severity)}</b> '
        f"<code>{escape(finding.code)}</code> {escape(finding.message)} "
        f'<span class="at">{where}</span></li>'
    )
