"""The review page's data: a page of posts, a post of rows, a row of spans.

The collector (`collect.py`) fills these from the records, the posts and `translate check`;
the renderer (`render.py`) turns them into HTML. Nothing here reads a file, so only the
collector changes when the records do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class BlockState(Enum):
    """Where one block's translation stands, as a reviewer needs to know it."""

    MACHINE = "machine"  # as the model wrote it, nobody has looked at it
    MEMORY = "memory"  # taken from the translation memory (reviewed elsewhere)
    REVIEWED = "reviewed"  # a reviewer's text (or a translation that was there before the tool)
    NEEDS_REVIEW = "needs-review"  # machine text that replaced a reviewer's text
    APPROVED = "approved"  # machine text a reviewer approved as it is
    NEW = "new"  # in the source, not translated yet
    REMOVED = "removed"  # in the translation, no longer in the source
    UNALIGNED = "unaligned"  # a translation that does not line up with its source block by block

    @property
    def label(self) -> str:
        """Return the state as the page shows it."""
        return _LABELS[self]


_LABELS = {
    BlockState.MACHINE: "machine",
    BlockState.MEMORY: "from memory",
    BlockState.REVIEWED: "reviewed",
    BlockState.NEEDS_REVIEW: "needs review",
    BlockState.APPROVED: "approved",
    BlockState.NEW: "not translated",
    BlockState.REMOVED: "removed from source",
    BlockState.UNALIGNED: "not aligned",
}


@dataclass(frozen=True)
class Span:
    """A run of a block's Markdown source, exactly as it stands in the post.

    `protected` names what must not change ("code", "url", "shortcode", "name", "term",
    "markup"...); empty for prose, which a reviewer may edit.
    """

    text: str
    protected: str = ""
    hint: str = ""  # shown on hover: a glossary term's fixed translation


@dataclass(frozen=True)
class Change:
    """One word-diff run: `op` is "=" (kept), "-" (removed) or "+" (added)."""

    op: str
    text: str


@dataclass(frozen=True)
class Finding:
    """A finding of `translate check`, on its row or its post."""

    severity: str  # "error" | "warning"
    code: str
    message: str
    line: int | None
    path: str


@dataclass(frozen=True)
class Row:
    """One block: its source and translation side by side, and what a reviewer needs."""

    key: str  # the block's key in the translation (in the source for a new block)
    kind: str  # "front_matter", "paragraph", "heading", ...
    state: BlockState
    source: tuple[Span, ...] = ()
    target: tuple[Span, ...] = ()
    source_line: int | None = None
    target_line: int | None = None
    # The source's change since the version last translated (or since the revision the page
    # compares with), word by word; empty: none.
    changes: tuple[Change, ...] = ()
    changed_since: str = "it was translated"
    # The reviewed translation this block's text replaced (a needs-review block).
    previous: str | None = None
    findings: tuple[Finding, ...] = ()
    # Why the page offers no editing for this block; empty when it does.
    locked: str = ""
    # Whether the page offers to approve the block as it is (machine text, or needing
    # review, in a translation that is up to date with its source).
    approvable: bool = False
    # Fingerprints of the source and the translation the page shows: an edit is applied
    # only while both are still what the reviewer saw.
    source_hash: str = ""
    target_hash: str = ""

    @property
    def changed(self) -> bool:
        """Tell whether the source changed since this block was last translated."""
        return bool(self.changes) or self.state in (BlockState.NEW, BlockState.REMOVED)

    @property
    def target_text(self) -> str:
        """Return the translation's Markdown source."""
        return "".join(span.text for span in self.target)


@dataclass(frozen=True)
class PostView:
    """One post and its translation into one language."""

    source_path: str  # relative to the site root
    target_path: str
    source_language: str
    target_language: str
    state: str  # as `translate status` says it: "machine-translated", "outdated", ...
    detail: str = ""
    rows: tuple[Row, ...] = ()
    # Findings on no particular block (a front matter key added, a missing translation).
    findings: tuple[Finding, ...] = ()
    target_exists: bool = True

    @property
    def counts(self) -> dict[BlockState, int]:
        """Return how many rows are in each state."""
        counts = dict.fromkeys(BlockState, 0)
        for row in self.rows:
            counts[row.state] += 1
        return counts

    @property
    def all_findings(self) -> list[Finding]:
        """Return the post's findings and its rows', in order."""
        return [*self.findings, *(f for row in self.rows for f in row.findings)]


@dataclass(frozen=True)
class Page:
    """Everything one review page shows."""

    site: str  # the site's name, for the title
    site_root: str  # its folder: the page links to the posts relative to where it is written
    posts: tuple[PostView, ...]
    selection: str  # how the posts were chosen, in words
