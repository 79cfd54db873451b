"""Fill the review page's model from the records, the posts and `translate check`.

This is the one module that reads the records: when they change, only this changes. Rows
are aligned through the record: its blocks correspond one to one to the translation's
(the record is only trusted when they line up), and to the source's blocks now by
kind and text, so a paragraph inserted in the source is a new row, not a shifted one.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from translate.commands.check import SiteCheck
from translate.commands.review.align import align
from translate.commands.review.diff import word_diff
from translate.commands.review.findings import with_findings
from translate.commands.review.model import BlockState, Change, Page, PostView, Row
from translate.commands.review.post import glossary_blocks, locked, spans, target_glossary
from translate.commands.review.select import Since, changed_since, named_posts, posts_since
from translate.errors import InternalError, TranslateError
from translate.hugo.settings import Settings
from translate.hugo.site import Project, Site
from translate.markdown.document import Block
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.records.learning import normalize
from translate.records.schema import BlockRecord, Origin, PostRecord, digest
from translate.records.store import RecordStore
from translate.records.tracking import Pairing, Standing, Tracked, track
from translate.translation.glossary import Glossary

# Why the page offers no editing, by case.
OUTDATED = "the source changed since this was translated: run `translate run`, then review"
UNALIGNED = (
    "the translation does not line up with its source block by block (restructured by hand, "
    "or written before the tool): edit the file"
)
UNTRANSLATED = "not translated yet: run `translate run`"


@dataclass(frozen=True)
class _Pair:
    """One language pair's site, records, glossaries and how its posts are read."""

    settings: Settings
    pairing: Pairing
    target_glossary: Glossary

    @property
    def site(self) -> Site:
        return self.pairing.site

    @property
    def options(self) -> ReadingOptions:
        return self.pairing.options

    @property
    def glossary(self) -> Glossary:
        return self.pairing.glossary or Glossary()


@dataclass(frozen=True)
class _Reading:
    """A post read once, and its blocks with the glossary's names and terms protected."""

    post: Post
    blocks: tuple[Block, ...]

    @classmethod
    def of(cls, post: Post, glossary: Glossary) -> _Reading:
        return cls(post, glossary_blocks(post, glossary))


@dataclass(frozen=True)
class _Chunk:
    """A share of the page's posts, collected (and checked) in one process."""

    project: Project
    posts: tuple[tuple[int, Path], ...]  # (pair index, source post)
    everything: bool  # the posts were chosen: keep each, not only those with machine text
    since: Since | None


def collect_page(
    project: Project,
    *,
    only: Sequence[Path] = (),
    since: str | None = None,
    workers: int | None = None,
) -> Page:
    """Return the review page of the posts named, changed since `since`, or by default
    every translated post with machine text or outdated.

    Posts are collected and checked in `workers` processes (default: one per core, for
    pages large enough to gain from it). Raise SiteError for a path in `only` that is no
    post of any pair, ConfigError when `since` cannot be read from git, GlossaryError for
    a glossary that cannot be read.
    """
    pairs = [_open_pair(project, settings) for settings in project.pairs()]
    pairs[0].site.check_layout()
    changed = changed_since(project.root, since) if since else None
    posts: list[tuple[int, Path]] = []
    unknown: dict[Path, TranslateError] = {}  # paths given that are no post of a pair
    located: set[Path] = set()
    for index, pair in enumerate(pairs):
        if only:
            chosen, errors = named_posts(pair.site, only)
            located |= {path for path in only if path not in errors}
            for path, error in errors.items():
                unknown.setdefault(path, error)
        elif changed is not None:
            chosen = posts_since(pair.site, changed)
        else:
            chosen = pair.site.discover()[0]
        posts += [(index, path) for path in chosen]
    for path, error in unknown.items():
        if path not in located:  # a post of no pair
            raise error
    # A post's languages side by side, and each source post checked in one process.
    posts.sort(key=lambda entry: (str(entry[1]), entry[0]))
    everything = bool(only) or changed is not None
    views = _collect(project, posts, everything, changed, workers)
    return Page(project.root.name, str(project.root), tuple(views), _selection(only, since))


# Posts per process at least: below that, starting one costs more than it saves.
_CHUNK = 16
# Posts collected, then checked, at a time.
_BATCH = 16


def _collect(
    project: Project,
    posts: Sequence[tuple[int, Path]],
    everything: bool,
    since: Since | None,
    workers: int | None,
) -> list[PostView]:
    """Collect the posts' views, in one process or spread over several."""
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    workers = max(1, min(workers, len(posts) // _CHUNK))
    size = -(-len(posts) // workers) if posts else 1
    chunks = [
        _Chunk(project, tuple(posts[i : i + size]), everything, since)
        for i in range(0, len(posts), size)
    ]
    try:
        if len(chunks) <= 1:
            return [view for chunk in chunks for view in collect_chunk(chunk)]
        # Forked workers start at once with everything imported; elsewhere they import anew.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with concurrent.futures.ProcessPoolExecutor(len(chunks), mp_context=context) as pool:
            return [view for views in pool.map(collect_chunk, chunks) for view in views]
    except _Failed as failed:
        raise failed.error() from None


def collect_chunk(chunk: _Chunk) -> list[PostView]:
    """Return the views of a chunk's posts, with the findings of `translate check`."""
    project = chunk.project
    views: list[PostView] = []
    try:
        pairs = [_open_pair(project, settings) for settings in project.pairs()]
        checking = SiteCheck(project.root, project.settings)
        # A few posts at a time: `translate check` then reads them again while the parses of
        # their front matter are still cached, which is most of the time either takes.
        for start in range(0, len(chunk.posts), _BATCH):
            batch = []
            for index, path in chunk.posts[start : start + _BATCH]:
                view = _post_view(pairs[index], path, chunk.since)
                if chunk.everything or _wants_review(view):
                    batch.append(view)
            sources = list(dict.fromkeys(project.root / view.source_path for view in batch))
            if not sources:  # no `only` would check the whole site
                continue
            findings = checking.check(sources)
            views += [with_findings(view, findings) for view in batch]
    except TranslateError as error:
        # Raised in a worker, an error would lose its path and line on its way back.
        raise _Failed.of(error) from None
    return views


class _Failed(Exception):
    """A TranslateError raised in a worker, carried back whole (its args are all it keeps)."""

    @classmethod
    def of(cls, error: TranslateError) -> _Failed:
        return cls(type(error), error.message, error.path, error.line, error.hint)

    def error(self) -> TranslateError:
        kind, message, path, line, hint = self.args
        error: TranslateError = kind(message, path=path, line=line, hint=hint)
        return error


def _open_pair(project: Project, settings: Settings) -> _Pair:
    site = project.site(settings)
    glossary = Glossary.load(project.root / settings.glossary_dir, settings.source, settings.target)
    pairing = Pairing(site, RecordStore(site), settings.reading(project.root), glossary)
    return _Pair(settings, pairing, target_glossary(glossary))


def _selection(only: Sequence[Path], since: str | None) -> str:
    if only:
        return "the posts named"
    if since:
        return f"posts whose source or translation changed since {since}"
    return "posts with machine-translated or outdated text"


def _wants_review(view: PostView) -> bool:
    """Tell whether a post belongs on the default page: translated, and not all reviewed."""
    wanted = (BlockState.MACHINE, BlockState.NEEDS_REVIEW, BlockState.NEW, BlockState.REMOVED)
    return view.target_exists and (
        view.state in ("outdated", "diverged", "error")
        or any(row.state in wanted or row.changed for row in view.rows)
    )


# --- one post ------------------------------------------------------------------------------


def _post_view(pair: _Pair, path: Path, changed: Since | None) -> PostView:
    """Return one post's view; a post that cannot be read is a view with its error."""
    site, settings = pair.site, pair.settings
    target_path = site.sibling(path)
    view = PostView(
        site.show(path),
        site.show(target_path),
        settings.source,
        settings.target,
        "missing",
        target_exists=target_path.exists(),
    )
    try:
        tracked = track(pair.pairing, path, save=False)
        source = _Reading.of(tracked.read_source(pair.options), pair.glossary)
        target = None
        if tracked.target_text is not None:
            post = tracked.target or Post.read(tracked.target_text, pair.options)
            target = _Reading.of(post, pair.target_glossary)
        old = _old_blocks(changed, path, pair)
    except TranslateError as error:
        located = error if error.path else error.located(view.source_path)
        return replace(view, state="error", detail=str(located))
    except Exception as error:  # a bug: this post's view says so, the others are shown
        return replace(view, state="error", detail=str(InternalError(error, path=view.source_path)))
    record = tracked.record
    revision = changed.revision if changed is not None else ""
    if target is None:
        rows = [
            _new_row(block, earlier, revision) for block, earlier in _paired(old, source.blocks)
        ]
        return replace(view, rows=tuple(rows))
    aligned = (
        record is not None
        and tracked.standing is not Standing.UNALIGNED
        and len(record.blocks) == len(target.blocks)
    )
    if record is None or not aligned:
        rows = _unaligned_rows(source, target)
    else:
        rows = _aligned_rows(source, target, record, old, revision)
        if tracked.standing is Standing.CURRENT:  # approvals are of English for the source now
            rows = [replace(row, approvable=_approvable(row)) for row in rows]
    state, detail = _post_state(tracked, aligned, rows)
    return replace(view, rows=tuple(rows), state=state, detail=detail)


def _approvable(row: Row) -> bool:
    return not row.locked and row.state in (BlockState.MACHINE, BlockState.NEEDS_REVIEW)


def _post_state(tracked: Tracked, aligned: bool, rows: Sequence[Row]) -> tuple[str, str]:
    """Say where a translated post stands, from its rows, as the page's header shows it."""
    if not aligned:
        record = tracked.record
        if record is None or record.header.unaligned:
            return "written by hand", "it does not line up with its source block by block"
        return "diverged", "its blocks no longer line up with the source's (restructured by hand?)"
    detail = ""
    if tracked.changed_terms:
        detail = "glossary changed: " + ", ".join(repr(t) for t in tracked.changed_terms)
    if tracked.outdated:
        return "outdated", detail
    states = {row.state for row in rows}
    if BlockState.NEEDS_REVIEW in states:
        return "needs review", detail
    if BlockState.MACHINE in states:
        reviewed = states & {BlockState.REVIEWED, BlockState.MEMORY, BlockState.APPROVED}
        return ("partly reviewed" if reviewed else "machine-translated"), detail
    return "reviewed", detail


def _old_blocks(changed: Since | None, path: Path, pair: _Pair) -> list[Block] | None:
    """Return the source post's blocks at the `--since` revision (None: no such version)."""
    if changed is None:
        return None
    text = changed.old_text(path)
    if text is None:
        return None
    try:
        return list(_Reading.of(Post.read(text, pair.options), pair.glossary).blocks)
    except TranslateError:
        return None  # the old version did not parse: no word diff, nothing else lost


def _aligned_rows(
    source: _Reading,
    target: _Reading,
    record: PostRecord,
    old: list[Block] | None,
    revision: str,
) -> list[Row]:
    """Return the rows of a translation that lines up with its record.

    A source block changed since it was translated shows that change; one translated since
    `revision` (the `--since` revision, whose blocks are `old`) shows its change since then.
    """
    rows: list[Row] = []
    earlier = _earlier(old, source.blocks)
    recorded = [(b.key, b.kind, b.source) for b in record.blocks]
    for i, j in align(recorded, [(b.key, str(b.kind), b.source) for b in source.blocks]):
        if j is None:
            assert i is not None
            gone = record.blocks[i]
            rows.append(
                _target_row(target, i, BlockState.REMOVED, OUTDATED, (Change("-", gone.source),))
            )
            continue
        src = source.blocks[j]
        if i is None:
            rows.append(_new_row(src, earlier.get(j), revision))
            continue
        entry = record.blocks[i]
        state, previous = block_state(entry)
        changes = (
            word_diff(entry.source, src.source)
            if normalize(entry.source) != normalize(src.source)
            else ()
        )
        why = OUTDATED if changes else locked(target.post, i) or locked(source.post, j)
        since = "it was translated"
        if not changes and j in earlier:
            changes, since = word_diff(earlier[j].source, src.source), revision
        row = _target_row(target, i, state, why, changes)
        rows.append(
            replace(
                row,
                changed_since=since,
                source=spans(src),
                source_line=src.line,
                source_hash=digest(src.source),
                previous=previous,
            )
        )
    return rows


def block_state(entry: BlockRecord) -> tuple[BlockState, str | None]:
    """Return a recorded block's state, and the reviewed English it replaced if any."""
    if entry.needs_review:
        return BlockState.NEEDS_REVIEW, entry.replaced
    if entry.approved:
        return BlockState.APPROVED, None
    if entry.reviewed is not None or any(s.reviewed is not None for s in entry.sentences):
        return BlockState.REVIEWED, None
    if entry.origin is Origin.MEMORY:
        return BlockState.MEMORY, None
    if entry.origin is Origin.HUMAN:
        return BlockState.REVIEWED, None  # there before the tool: a person's text
    if not entry.written:
        return BlockState.NEW, None  # nothing written yet: the source's text stands there
    return BlockState.MACHINE, None


def _unaligned_rows(source: _Reading, target: _Reading) -> list[Row]:
    """Return rows for a translation the records do not follow, paired by kind where they can."""
    rows: list[Row] = []
    kinds = align(
        [(b.key, str(b.kind), "") for b in target.blocks],
        [(b.key, str(b.kind), "") for b in source.blocks],
    )
    for i, j in kinds:
        if i is None:
            assert j is not None
            rows.append(_new_row(source.blocks[j]))
            continue
        row = _target_row(target, i, BlockState.UNALIGNED, UNALIGNED, ())
        if j is not None:
            src = source.blocks[j]
            row = replace(
                row, source=spans(src), source_line=src.line, source_hash=digest(src.source)
            )
        rows.append(row)
    return rows


def _target_row(
    target: _Reading, index: int, state: BlockState, why: str, changes: tuple[Change, ...]
) -> Row:
    block = target.blocks[index]
    return Row(
        key=block.key,
        kind=str(block.kind),
        state=state,
        target=spans(block, translation=True),
        target_line=block.line,
        changes=changes,
        locked=why,
        target_hash=digest(block.source),
    )


def _new_row(block: Block, earlier: Block | None = None, revision: str = "") -> Row:
    """Return the row of a source block that has no translation yet (its change since
    `revision`, if `earlier` is its version there)."""
    changes = word_diff(earlier.source, block.source) if earlier is not None else ()
    return Row(
        changed_since=revision,
        key=block.key,
        kind=str(block.kind),
        state=BlockState.NEW,
        source=spans(block),
        source_line=block.line,
        changes=changes,
        locked=UNTRANSLATED,
        source_hash=digest(block.source),
    )


def _paired(old: list[Block] | None, now: Sequence[Block]) -> list[tuple[Block, Block | None]]:
    """Return each source block now with its changed version at the `--since` revision."""
    earlier = _earlier(old, now)
    return [(block, earlier.get(j)) for j, block in enumerate(now)]


def _earlier(old: list[Block] | None, now: Sequence[Block]) -> dict[int, Block]:
    """Map each changed source block now to its version at the `--since` revision."""
    if old is None:
        return {}
    pairs = align(
        [(b.key, str(b.kind), b.source) for b in old],
        [(b.key, str(b.kind), b.source) for b in now],
    )
    return {
        j: old[i]
        for i, j in pairs
        if i is not None and j is not None and normalize(old[i].source) != normalize(now[j].source)
    }
