"""One `translate run` over a site: learn, plan, translate, prove, write, post by post.

Per language pair: every source post and its translation are read and the reviewers'
corrections learned first (so a correction in one post serves all the others); then each
post that is missing or outdated is planned (`translate.commands.plan`: what keeps its
English, what is translated); posts are translated together in groups, for full batches,
and each one is proved and written, with its record, as soon as it is done.

Every problem with a single post is recorded and the other posts go on; problems that
concern all posts (no content folder, a broken glossary, a model that cannot be loaded,
posts in another language than the source's) stop the pair before anything is written.
An interruption (`stop`) ends the run after the post being written.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

from translate.commands.direction import check_direction, check_reverse
from translate.commands.engines import (
    Engine,
    PairFactory,
    TranslatorFactory,
    detached,
    pair_translator,
    release_memory,
)
from translate.commands.label import has_label, labelled, machine_text
from translate.commands.posts import (
    Job,
    Planning,
    outside_warning,
    plan_post,
    sibling_collisions,
    siblings,
)
from translate.commands.recording import new_record
from translate.commands.reports import Outcome, PostResult, ProjectReport, RunReport
from translate.errors import InternalError, ModelError, PostError, TranslateError
from translate.hugo.links import SiteLinks
from translate.hugo.settings import Settings
from translate.hugo.site import Project, Site
from translate.markdown.options import ReadingOptions
from translate.records.fingerprints import glossary_terms
from translate.records.journal import remove_stale
from translate.records.memory import TranslationMemory, build_memory, store_entries
from translate.records.schema import digest
from translate.records.store import RecordStore
from translate.records.tables import TableResult, update_tables
from translate.records.tracking import Pairing, Standing, Tracked, track
from translate.translation.backends import Translator
from translate.translation.glossary import Glossary
from translate.translation.pipeline import count_segments, needs_translation, translate_posts
from translate.translation.proving import kept_reason, render_verified

__all__ = [
    "Interrupted",
    "Listener",
    "Outcome",
    "PostResult",
    "ProjectReport",
    "RunReport",
    "run_project",
    "run_site",
]

# Called once per pair with how much work lies ahead (segments and posts); returns a tick.
ProgressFactory = Callable[[int], Callable[[int], None]]

# Segments translated together: enough to fill several batches with distinct segments;
# few enough that an interruption loses little translated work.
SEGMENTS_PER_GROUP = 256

_T = TypeVar("_T")


class Interrupted(BaseException):
    """The user asked the run to stop; raised between batches, caught by the run."""


class Listener(Protocol):
    """Who hears of a run as it goes: a pair begins, a post is done (the CLI prints them)."""

    def pair(self, report: RunReport) -> None:
        """Hear that a language pair begins."""

    def post(self, result: PostResult) -> None:
        """Hear that a post is done: written, updated, skipped or failed."""


@dataclass
class _Pair:
    """One language pair's run: what it reads, writes and reports."""

    report: RunReport
    site: Site
    settings: Settings
    glossary: Glossary
    options: ReadingOptions
    make_translator: TranslatorFactory
    force: bool = False
    dry_run: bool = False
    progress: ProgressFactory | None = None
    translations: dict[str, str] = field(default_factory=dict)  # model input -> output
    listener: Listener | None = None
    stop: threading.Event | None = None

    def __post_init__(self) -> None:
        self.store = RecordStore(self.site)
        self.pairing = Pairing(self.site, self.store, self.options, self.glossary)
        self.engine = Engine(self.settings, self.make_translator)
        self._memory: TranslationMemory | None = None

    def memory(self) -> TranslationMemory:
        """Return the translation memory, read from all records when a post first needs it."""
        if self._memory is None:
            self._memory = build_memory(store_entries(self.store))
        return self._memory

    def done(self, result: PostResult) -> None:
        if self.listener is not None:
            self.listener.post(result)

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()


def run_site(
    settings: Settings,
    site_root: Path,
    make_translator: TranslatorFactory,
    *,
    only: Sequence[Path] = (),
    force: bool = False,
    dry_run: bool = False,
    progress: ProgressFactory | None = None,
) -> RunReport:
    """Translate one pair's missing posts and update outdated ones; learn corrections.

    The pair is `settings.source` -> `settings.target`; `make_translator` makes its
    translator when a post first needs one. `run_project` runs every pair of a site.
    """
    site = Site.open(site_root, settings.source, settings.target, content_dir=settings.content_dir)
    glossary = Glossary.load(site_root / settings.glossary_dir, settings.source, settings.target)
    report = RunReport(source=settings.source, target=settings.target, pivot=settings.pivot)
    pair = _Pair(
        report,
        site,
        settings,
        glossary,
        settings.reading(site_root),
        make_translator,
        force,
        dry_run,
        progress,
    )
    _run_pair(pair, only)
    return report


def run_project(
    project: Project,
    make_translator: PairFactory,
    *,
    only: Sequence[Path] = (),
    force: bool = False,
    dry_run: bool = False,
    progress: ProgressFactory | None = None,
    listener: Listener | None = None,
    stop: threading.Event | None = None,
) -> ProjectReport:
    """Run every language pair of `project`, one after another.

    `make_translator` makes a direct pair's translator from that pair's settings; a pair
    with a pivot gets both hops' translators composed (`PivotTranslator`). What concerns
    every pair (no source folder, a glossary that cannot be read) stops the run before
    anything is written. A pair whose translator fails (a model that cannot be loaded)
    stops alone: the other pairs are done. Only one pair's translator is in memory at a
    time. When `stop` is set, the run ends after the post being written.
    """
    pairs = project.pairs()
    glossaries = {
        pair.target: Glossary.load(project.root / pair.glossary_dir, pair.source, pair.target)
        for pair in pairs
    }
    # A missing folder or a bad POST argument concerns every pair (one source): stop now.
    first = project.site(pairs[0])
    if only:
        first.posts(only)
    else:
        first.check_layout()
    options = project.settings.reading(project.root)
    report = ProjectReport(warnings=project.warnings())
    # Segment -> translation, per pair: a pivoted pair reuses its first hop's.
    caches: dict[str, dict[str, str]] = {}
    for number, settings in enumerate(pairs, start=1):
        if stop is not None and stop.is_set():
            break
        pair_report = RunReport(
            source=settings.source, target=settings.target, pivot=settings.pivot
        )
        report.pairs.append(pair_report)
        if listener is not None:
            listener.pair(pair_report)
        factory = pair_translator(project, settings, make_translator, caches)
        pair = _Pair(
            pair_report,
            project.site(settings),
            settings,
            glossaries[settings.target],
            options,
            factory,
            force,
            dry_run,
            progress,
            caches.setdefault(settings.pair_name, {}),
            listener,
            stop,
        )
        try:
            _run_pair(pair, only)
        except TranslateError as error:
            pair_report.trace = "".join(traceback.format_exception(error))
            pair_report.error = detached(error)
        del factory, pair
        if pair_report.model_loaded and number < len(pairs):
            release_memory()  # before the next pair loads its model; a full collection is slow
    return report


def _run_pair(pair: _Pair, only: Sequence[Path]) -> None:
    """Run one pair into its report, which keeps what was done if the translator fails."""
    site, report = pair.site, pair.report
    posts, outside = (site.posts(only), []) if only else site.discover()
    check_reverse(site, posts)
    everyone = site.posts() if only else posts
    targets = siblings(site, everyone)
    collisions = sibling_collisions(site, everyone, targets)
    report.warnings += [outside_warning(site, link) for link in outside]
    if not pair.dry_run:
        # What a killed write left behind (`.index.md.XXXX.tmp`); never anything else.
        for path in remove_stale([site.target_root, pair.store.folder]):
            report.warnings.append(f"removed a temporary file a killed run left: {site.show(path)}")
    # Learn from every post first, so a correction in one post serves all the others.
    learned: list[tuple[PostResult, Tracked]] = []
    for path in posts:
        result = PostResult(path, targets.get(path) or site.sibling(path), Outcome.WOULD_WRITE)
        report.results.append(result)
        if path in collisions:
            _fail(result, collisions[path], site)
            pair.done(result)
            continue
        learn = partial(track, pair.pairing, path, save=not pair.dry_run, target=result.target)
        state = _guarded(result, site, learn)
        if state is None:
            pair.done(result)
            continue
        result.warnings += state.warnings
        learned.append((result, state))
    report.warnings += check_direction(
        site, [state for _, state in learned if state.standing is not Standing.CURRENT]
    )
    # Links follow the language to the pages this run writes too.
    links = SiteLinks(site, written=frozenset(result.source for result, _ in learned))
    follow = pair.settings.follow_links
    planning = Planning(
        site,
        pair.settings.source,
        pair.settings.translatable_keys,
        pair.options,
        pair.glossary,
        pair.memory,
        pair.force,
        lambda path, post: links.link_map(path, post, follow=follow),
    )
    jobs: list[Job] = []
    for result, state in learned:
        job = _guarded(result, site, partial(plan_post, planning, state, result))
        if job is not None and not pair.dry_run:
            jobs.append(job)
            continue
        if result.outcome is Outcome.SKIPPED:
            _guarded(result, site, partial(_relabel, pair, result, state))
        pair.done(result)  # up to date, failed, or what a dry run would do
    try:
        _translate_and_write(pair, jobs)
    except Interrupted:
        report.interrupted = True
        return
    if not only:
        report.table = _update_table(pair)
    report.model_loaded = report.model_loaded or pair.engine.translator is not None


def _translate_and_write(pair: _Pair, jobs: list[Job]) -> None:
    """Translate the planned posts in groups; prove and write each one as soon as it is done."""
    if not jobs:
        return
    total = count_segments([job.prepared for job in jobs]) + len(jobs)
    tick = pair.progress(total) if pair.progress is not None else None

    def ticking(count: int) -> None:
        if pair.stopped():
            raise Interrupted
        if tick is not None:
            tick(count)

    for group in _groups(jobs):
        if pair.stopped():
            raise Interrupted
        if any(needs_translation(job.prepared) for job in group):
            pair.report.model_loaded = True
            translator = pair.engine.get()
        else:
            translator = None
        group = _translate(group, translator, pair, ticking)
        for job in group:
            if pair.stopped():
                raise Interrupted
            _guarded(job.result, pair.site, partial(_finish, pair, job))
            pair.done(job.result)
            if tick is not None:
                tick(1)


def _groups(jobs: list[Job]) -> list[list[Job]]:
    """Cut the jobs into groups of about SEGMENTS_PER_GROUP segments, in order."""
    groups: list[list[Job]] = []
    current: list[Job] = []
    size = 0
    for job in jobs:
        current.append(job)
        size += count_segments([job.prepared])
        if size >= SEGMENTS_PER_GROUP:
            groups.append(current)
            current, size = [], 0
    if current:
        groups.append(current)
    return groups


def _update_table(pair: _Pair) -> TableResult | None:
    """Add what the target's i18n table lacks; a table that cannot be done fails alone."""

    def translate() -> Callable[[list[str]], list[str]]:
        return pair.engine.get().translate

    try:
        return update_tables(pair.site, translate, pair.engine.signature, dry_run=pair.dry_run)
    except ModelError:
        raise  # the pair's model: that concerns every post and table of the pair
    except TranslateError as error:
        return TableResult("", "", error=error)


def _guarded(result: PostResult, site: Site, step: Callable[[], _T]) -> _T | None:
    """Run one step for one post; what goes wrong fails that post alone.

    A `TranslateError` is the post's own problem. Any other exception is a bug in the tool,
    reported as an internal error of that post: the run goes on with the others.
    """
    try:
        return step()
    except TranslateError as error:
        _fail(result, error, site)
    except Exception as error:
        _fail(result, InternalError(error), site)
    return None


def _translate(
    jobs: list[Job],
    translator: Translator | None,
    pair: _Pair,
    progress: Callable[[int], None],
) -> list[Job]:
    """Translate a group's posts together; return the jobs that can be finished.

    When the group fails for a reason that is not the model's (a bug one post triggers),
    each post is translated alone, so that only the post at fault fails.
    """
    group = [job.prepared for job in jobs]
    batch_size = pair.settings.batch_size
    cache = pair.translations
    before = [list(post.kept) for post in group]
    try:
        translate_posts(group, translator, batch_size=batch_size, progress=progress, cache=cache)
        return jobs
    except TranslateError:
        raise  # the model cannot be used: that concerns every post
    except Exception:
        pass
    done: list[Job] = []
    for job, kept in zip(jobs, before, strict=True):
        # Back to where the post stood before the group's attempt.
        job.prepared.words.clear()
        job.prepared.sentences.clear()
        job.prepared.kept[:] = kept
        alone = partial(
            translate_posts, [job.prepared], translator, batch_size=batch_size, cache=cache
        )
        _guarded(job.result, pair.site, alone)
        if job.result.outcome is not Outcome.FAILED:
            done.append(job)
        else:
            pair.done(job.result)  # failed alone while its group was translated
    return done


def _finish(pair: _Pair, job: Job) -> None:
    """Prove one translated post, then write it and its record as one change.

    A post whose text and record come out as they were is not written.
    """
    site, result = pair.site, job.result
    name = site.show(result.source)
    try:
        output = render_verified(job.prepared)
    except ValueError as error:  # front matter values that cannot be written back
        raise PostError(str(error)) from None
    for block in job.prepared.kept:
        result.warnings.append(f"{name}:{block.line}: {kept_reason(block)}")
    result.kept = len(job.prepared.kept)
    record = new_record(
        job.prepared,
        job.plan,
        output,
        job.record,
        paths=(site.show(result.source), site.show(result.target)),
        engine=pair.engine.signature,
        terms=glossary_terms(pair.glossary, job.prepared.text),
        options=pair.options,
    )
    text = output.text
    key = pair.settings.machine_translated_key
    if key:
        text = labelled(text, key, machine_text(record))
        record = record.with_header(target_digest=digest(text))
    old = job.record
    if (
        old is not None
        and text == job.tracked.target_text
        and (record.blocks, record.retired) == (old.blocks, old.retired)
    ):
        # Nothing a reader sees changes (`--force` on an up-to-date post, a glossary change
        # that made no difference): no report. The record may still learn new digests.
        pair.store.save(result.source, record)
        result.outcome = Outcome.SKIPPED
        result.retranslated.clear()
        result.needs_review = 0
        return
    updating = job.tracked.target_text is not None
    pair.store.write(result.source, record, result.target, text)
    result.outcome = Outcome.UPDATED if updating else Outcome.WRITTEN


def _relabel(pair: _Pair, result: PostResult, state: Tracked) -> None:
    """Add or remove the machine-translation label of an up-to-date post, if it is wrong."""
    key = pair.settings.machine_translated_key
    record, text = state.record, state.target_text
    if not key or record is None or text is None or record.header.unaligned:
        return
    machine = machine_text(record)
    if has_label(text, key) == machine:
        return
    relabelled = labelled(text, key, machine)
    record = record.with_header(target_digest=digest(relabelled))
    if not pair.dry_run:
        pair.store.write(result.source, record, result.target, relabelled)
    result.outcome = Outcome.UPDATED if not pair.dry_run else Outcome.WOULD_WRITE
    result.note = f"{key} {'added' if machine else 'removed'}"


def _fail(result: PostResult, error: TranslateError, site: Site) -> None:
    """Record a post's error, naming its file relative to the site root."""
    result.outcome = Outcome.FAILED
    result.error = error.located(site.show(error.path or result.source))
