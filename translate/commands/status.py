"""Where each post's translation stands, for `translate status` and CI."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from translate.commands.posts import (
    outside_warning,
    settings_changed_error,
    sibling_collisions,
    siblings,
)
from translate.errors import InternalError, TranslateError
from translate.hugo.settings import Settings
from translate.hugo.site import Site, open_project
from translate.markdown.options import ReadingOptions
from translate.records.fingerprints import changed_settings
from translate.records.schema import Origin, PostRecord
from translate.records.store import RecordStore
from translate.records.tables import TableState, table_state
from translate.records.tracking import Pairing, Standing, Tracked, track
from translate.translation.backends.signature import Signature
from translate.translation.glossary import Glossary


class State(Enum):
    """The state of one post's translation."""

    MISSING = "missing"  # no translation yet
    MACHINE = "machine-translated"  # as the tool wrote it
    REVIEWED = "reviewed"  # a reviewer corrected it (or it was there before the tool)
    NEEDS_REVIEW = "needs review"  # an update replaced reviewed text: a reviewer must look
    HUMAN = "human"  # written by a person before the tool; does not line up: kept as it is
    OUTDATED = "outdated"  # the source changed since; `translate run` updates it
    DIVERGED = "diverged"  # the source changed and the translation no longer lines up
    ORPHANED = "orphaned"  # a translation whose source post is gone
    ERROR = "error"  # a post or record that cannot be read

    @property
    def needs_work(self) -> bool:
        """Tell whether CI should fail on this state."""
        return self not in (State.MACHINE, State.REVIEWED, State.HUMAN)


@dataclass(frozen=True)
class PostStatus:
    """One row of `translate status`."""

    source: str | None  # relative to the site root; None for an orphaned translation
    target: str
    state: State
    detail: str = ""
    # Blocks a person wrote, corrected or approved, of all blocks (None: no record that
    # lines up); of them, those from the memory; and blocks whose reviewed English an update
    # replaced, waiting for a reviewer.
    reviewed: int | None = None
    blocks: int | None = None
    from_memory: int = 0
    needs_review: int = 0
    engine: str = ""  # the signature of the engine that made it, from its record
    older_model: bool = False  # made by another model than the settings now choose
    language: str = ""  # the target language
    kind: str = "post"  # post | i18n (a string table)
    # The exception behind an internal error, for --debug.
    cause: BaseException | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        """Return the state as the table shows it: "reviewed 3/12 blocks"."""
        if self.state is State.REVIEWED and self.reviewed is not None and self.blocks:
            return f"{self.state.value} {self.reviewed}/{self.blocks} blocks"
        if self.state is State.NEEDS_REVIEW:
            blocks = f"{self.needs_review} block{'s' * (self.needs_review != 1)}"
            return f"{self.state.value} ({blocks})"
        return str(self.state.value)


@dataclass
class StatusReport:
    """Every post's row, and warnings that belong to no row."""

    rows: list[PostStatus] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)  # the language pairs shown: "de-fr"


def site_status(settings: Settings, site_root: Path) -> StatusReport:
    """Return the state of every post and string table, pair by pair.

    Each pair's rows are its source posts, then its orphans, then its i18n table.
    """
    project = open_project(site_root, settings)
    report = StatusReport(warnings=project.warnings())
    for pair in project.pairs():
        report.pairs.append(pair.pair_name)
        rows = _pair_rows(project.site(pair), pair, report.warnings)
        report.rows += [replace(row, language=pair.target) for row in rows]
    report.warnings = list(dict.fromkeys(report.warnings))
    return report


def _pair_rows(site: Site, settings: Settings, warnings: list[str]) -> list[PostStatus]:
    """Return one pair's rows: posts, orphans, string table."""
    posts, outside = site.discover()
    glossary = Glossary.load(site.root / settings.glossary_dir, settings.source, settings.target)
    pairing = Pairing(site, RecordStore(site), settings.reading(site.root), glossary)
    current = settings.signature()
    warnings += [outside_warning(site, link) for link in outside]
    targets = siblings(site, posts)
    collisions = sibling_collisions(site, posts, targets)
    rows: list[PostStatus] = []
    for path in posts:
        sibling = targets.get(path) or site.sibling(path)
        source, target = site.show(path), site.show(sibling)
        if path in collisions:
            rows.append(PostStatus(source, target, State.ERROR, collisions[path].message))
            continue
        try:
            tracked = track(pairing, path, save=False, target=sibling)
            row = _row(tracked, source, target, current, pairing.options)
        except TranslateError as error:
            row = PostStatus(source, target, State.ERROR, str(error))
        except Exception as error:  # a bug: that post's row says so, the others are shown
            row = PostStatus(
                source, target, State.ERROR, str(InternalError(error, path=source)), cause=error
            )
        rows.append(row)
    rows += _orphans(site)
    try:
        table = table_state(site)
    except TranslateError as error:
        rows.append(PostStatus(None, str(error.path or ""), State.ERROR, str(error), kind="i18n"))
    else:
        if table is not None:
            rows.append(_table_row(table))
    return rows


def _table_row(table: TableState) -> PostStatus:
    """Return a string table's row: missing keys, else machine-translated entries, else reviewed."""
    row = PostStatus(table.source, table.target, State.REVIEWED, kind="i18n", engine=table.engine)
    if table.missing:
        return replace(
            row, state=State.MISSING, detail=f"{table.missing} of {table.keys} keys missing"
        )
    if table.machine:
        detail = f"{table.machine} of {table.keys} keys machine-translated"
        return replace(row, state=State.MACHINE, detail=detail)
    if table.reviewed:
        return replace(row, detail=f"{table.reviewed} machine-translated keys corrected")
    return row


def _row(
    tracked: Tracked, source: str, target: str, current: Signature, options: ReadingOptions
) -> PostStatus:
    """Return where one post stands, as `translate run` would see it."""
    record = tracked.record
    if tracked.target_text is None:
        return PostStatus(source, target, State.MISSING)
    if record is None or record.header.unaligned:
        # Written by a person before the tool, not lined up with its source: kept as is.
        detail = "written before the tool; its blocks do not line up with the source's"
        return PostStatus(source, target, State.HUMAN, detail)
    made = Signature.parse(record.engine) if record.engine else Signature()
    # Only machine text was made by a model: a translation adopted or all reviewed was not.
    machine = any(block.machine for block in record.blocks)
    older = machine and made.other_model(current)
    row = PostStatus(source, target, State.MACHINE, engine=record.engine, older_model=older)
    detail = f"made by an older model: {made.describe()}" if older else ""
    if tracked.standing is Standing.UNALIGNED:
        if not _source_changed(tracked, record):  # restructured by a reviewer
            return replace(row, state=State.REVIEWED, detail="restructured by hand")
        return replace(row, state=State.DIVERGED, detail="translation restructured by hand")
    counted = replace(
        row,
        reviewed=record.reviewed_count,
        blocks=len(record.blocks),
        from_memory=sum(1 for b in record.blocks if b.origin is Origin.MEMORY),
        needs_review=len(record.needs_review),
    )
    if tracked.standing is Standing.CURRENT:
        if counted.needs_review:
            return replace(counted, state=State.NEEDS_REVIEW, detail=detail)
        state = State.REVIEWED if record.reviewed_count else State.MACHINE
        return replace(counted, state=state, detail=detail)
    changed = changed_settings(record, tracked.target_text, options, tracked.dropped)
    if changed:
        error = settings_changed_error(target, changed)
        return replace(counted, state=State.DIVERGED, detail=error.message)
    if tracked.changed_terms:
        terms = ", ".join(repr(term) for term in tracked.changed_terms)
        detail = "; ".join(filter(None, [f"glossary changed: {terms}", detail]))
    return replace(counted, state=State.OUTDATED, detail=detail)


def _source_changed(tracked: Tracked, record: PostRecord) -> bool:
    """Tell whether the source post differs from what the record was made from."""
    if tracked.source is None:
        return False
    return [(b.kind, b.source) for b in tracked.source.blocks] != [
        (b.kind, b.source) for b in record.blocks
    ]


def _orphans(site: Site) -> list[PostStatus]:
    """Find translations whose source post is gone (never deleted automatically)."""
    rows = []
    for path in site.translations():
        source = site.source_of(path)
        if not source.exists():
            rows.append(
                PostStatus(None, site.show(path), State.ORPHANED, f"{site.show(source)} is gone")
            )
    return rows
