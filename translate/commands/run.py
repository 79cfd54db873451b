"""One `translate run` over a site: find posts, translate what is missing or outdated.

A post without a translation is translated. A translated post whose source changed is
updated in place: blocks whose source did not change keep their current translation
exactly (reviewers' corrections included), changed and new blocks are translated (from
the translation memory first), deleted blocks go. Reviewers' corrections are learned
first, on every run.

Every problem with a single post is recorded and the other posts go on; problems that
concern all posts (no content folder, a broken glossary, a model that cannot be loaded)
stop the run before anything is written.
"""

from __future__ import annotations

import difflib
import gc
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

from translate.errors import InternalError, ModelError, PostError, TranslateError
from translate.files import remove_stale_temporaries, write_atomic
from translate.hugo.settings import Settings
from translate.hugo.site import POST_SUFFIXES, Project, Site
from translate.records.memory import (
    BlockRecord,
    MemoryStore,
    PostRecord,
    Tracked,
    TranslationMemory,
    changed_settings,
    digest,
    glossary_terms,
    keys_digest,
    normalize,
    settings_values,
    terms_in,
    track,
)
from translate.records.tables import TableResult, update_tables
from translate.translation.backends import Translator, default_model, format_signature
from translate.translation.backends import parse_signature as read_signature
from translate.translation.glossary import Glossary
from translate.translation.pipeline import (
    BlockText,
    PreparedPost,
    count_segments,
    keeps_protected,
    kept_reason,
    needs_translation,
    prepare_post,
    read_blocks,
    render_verified,
    translate_posts,
    verbatim_words,
)
from translate.translation.pivot import PivotTranslator


class Outcome(Enum):
    """What happened to one post."""

    WRITTEN = "written"  # a new translation
    UPDATED = "updated"  # an existing translation brought up to date
    WOULD_WRITE = "would write"
    SKIPPED = "skipped"  # up to date
    DIVERGED = "diverged"  # source changed, but the translation no longer lines up
    FAILED = "failed"


@dataclass
class PostResult:
    """The outcome for one source post, with its target and any messages."""

    source: Path
    target: Path
    outcome: Outcome
    error: TranslateError | None = None
    warnings: list[str] = field(default_factory=list)
    # Blocks translated anew (by a model or from the memory), for reviewers to look at.
    retranslated: list[str] = field(default_factory=list)
    # Blocks left in the source language (each also a warning with its line).
    kept: int = 0


@dataclass
class RunReport:
    """Everything a run did for one language pair, for the CLI to print."""

    results: list[PostResult] = field(default_factory=list)
    model_loaded: bool = False
    # Warnings that belong to no post of the run (a link to a post outside the site).
    warnings: list[str] = field(default_factory=list)
    source: str = ""
    target: str = ""
    pivot: str | None = None  # the language the pair went through, if any
    # The i18n string table of the target language, if the site has tables.
    table: TableResult | None = None
    # What stopped the pair (a model that cannot be loaded); its posts were not done.
    error: TranslateError | None = None
    # The traceback of `error`, for --debug (the error itself keeps none: a traceback
    # would keep the pair's model in memory).
    trace: str = ""

    def count(self, outcome: Outcome) -> int:
        """Return how many posts had `outcome`."""
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def kept(self) -> int:
        """Return how many blocks were left in the source language, over all posts."""
        return sum(result.kept for result in self.results)

    @property
    def would_update(self) -> int:
        """Return how many posts a dry run would update (rather than write anew)."""
        return sum(
            1
            for result in self.results
            if result.outcome is Outcome.WOULD_WRITE and result.target.exists()
        )

    @property
    def ok(self) -> bool:
        """Tell whether every post was translated or is up to date."""
        table_failed = self.table is not None and self.table.error is not None
        return (
            self.error is None
            and not table_failed
            and self.count(Outcome.FAILED) == 0
            and self.count(Outcome.DIVERGED) == 0
        )


@dataclass
class ProjectReport:
    """A run over every language pair of a site: one report per pair, in the order run."""

    pairs: list[RunReport] = field(default_factory=list)
    # About the site's languages (a file whose suffix is no language of the site).
    warnings: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """Return how many posts had `outcome`, over all pairs."""
        return sum(report.count(outcome) for report in self.pairs)

    @property
    def kept(self) -> int:
        """Return how many blocks were left in the source language, over all pairs."""
        return sum(report.kept for report in self.pairs)

    @property
    def would_update(self) -> int:
        """Return how many posts a dry run would update, over all pairs."""
        return sum(report.would_update for report in self.pairs)

    @property
    def ok(self) -> bool:
        """Tell whether every pair was done without a failure."""
        return all(report.ok for report in self.pairs)


TranslatorFactory = Callable[[], Translator]
# Called once per group of posts with the group's segment count; returns a tick function.
ProgressFactory = Callable[[int], Callable[[int], None]]

# Enough posts to fill many batches with distinct segments; few enough that a large
# archive never sits in memory parsed all at once.
POSTS_PER_GROUP = 64

_T = TypeVar("_T")


@dataclass
class _Job:
    """A post that needs (part of) a translation, with what is known already."""

    result: PostResult
    post: PreparedPost
    state: Tracked
    # Source block index -> the record entry it keeps (unchanged blocks of an update).
    kept: dict[int, BlockRecord]
    # Source block index -> the record entry of the same source block, kept or not: a
    # block translated again into the same text keeps its entry (what was written, what
    # was reviewed), so that a re-translation that changes nothing changes no record.
    previous: dict[int, BlockRecord] = field(default_factory=dict)
    # Source block index -> the reviewed translation the memory served for it.
    served: dict[int, str] = field(default_factory=dict)

    @property
    def record(self) -> PostRecord | None:
        """Return the post's record as it stood before this run wrote anything."""
        return self.state.record


class _Engine:
    """The translator, created on first need, and the signature it leaves in records."""

    def __init__(self, settings: Settings, make: TranslatorFactory) -> None:
        self.settings = settings
        self.make = make
        self.translator: Translator | None = None

    def get(self) -> Translator:
        """Return the translator, creating it now if no post needed one before."""
        if self.translator is None:
            self.translator = self.make()
        return self.translator

    def signature(self) -> str:
        """Return the signature of the engine as it stands (loaded or not)."""
        return engine_signature(self.settings, self.translator)


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
    _run_pair(report, site, settings, glossary, make_translator, only, force, dry_run, progress)
    return report


PairFactory = Callable[[Settings], Translator]


class Listener(Protocol):
    """Who hears of a run as it goes: a pair begins, a post is done (the CLI prints them)."""

    def pair(self, report: RunReport) -> None:
        """Hear that a language pair begins."""

    def post(self, result: PostResult) -> None:
        """Hear that a post is done: written, updated, skipped or failed."""


def run_project(
    project: Project,
    make_translator: PairFactory,
    *,
    only: Sequence[Path] = (),
    force: bool = False,
    dry_run: bool = False,
    progress: ProgressFactory | None = None,
    listener: Listener | None = None,
) -> ProjectReport:
    """Run every language pair of `project`, one after another.

    `make_translator` makes a direct pair's translator from that pair's settings; a pair
    with a pivot gets both hops' translators composed (`PivotTranslator`). What concerns
    every pair (no source folder, a glossary that cannot be read) stops the run before
    anything is written. A pair whose translator fails (a model that cannot be loaded)
    stops alone: the other pairs are done. Only one pair's translator is in memory at a
    time.
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
    report = ProjectReport(warnings=project.warnings())
    # Segment -> translation, per pair: a pivoted pair reuses its first hop's.
    caches: dict[str, dict[str, str]] = {}
    for pair in pairs:
        pair_report = RunReport(source=pair.source, target=pair.target, pivot=pair.pivot)
        report.pairs.append(pair_report)
        if listener is not None:
            listener.pair(pair_report)
        factory = _pair_factory(project, pair, make_translator, caches)
        try:
            _run_pair(
                pair_report,
                project.site(pair),
                pair,
                glossaries[pair.target],
                factory,
                only,
                force,
                dry_run,
                progress,
                caches.setdefault(pair.pair_name, {}),
                listener,
            )
        except TranslateError as error:
            pair_report.trace = "".join(traceback.format_exception(error))
            pair_report.error = _detached(error)
        del factory
        release_memory()
    return report


def _pair_factory(
    project: Project,
    pair: Settings,
    make_translator: PairFactory,
    caches: dict[str, dict[str, str]],
) -> TranslatorFactory:
    """Return what makes a pair's translator: its own, or its two hops composed."""
    hops = pair.hops()
    if hops is None:
        return partial(make_translator, pair)
    first, second = hops

    def make() -> Translator:
        # The first hop's memory: reviewed translations into the pivot language.
        store = MemoryStore(Site(project.root, first.source, first.target, project.config))
        return PivotTranslator(
            make_translator(first),
            make_translator(second),
            pivot=first.target,
            models=(
                first.model_for(first.source, first.target),
                second.model_for(second.source, second.target),
            ),
            known=caches.setdefault(first.pair_name, {}),
            memory=_LazyMemory(store).get,
        )

    return make


def _detached(error: TranslateError) -> TranslateError:
    """Return `error` without tracebacks, so that it keeps no frame (and no model) alive."""
    seen: BaseException | None = error
    while seen is not None:
        seen.__traceback__ = None
        seen = seen.__cause__ or seen.__context__
    return error


def release_memory() -> None:
    """Free what a pair's translator held: objects, and a GPU's cached blocks.

    torch is asked only if something imported it: a run without a model never loads it.
    """
    gc.collect()
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.cuda.empty_cache()


def _run_pair(
    report: RunReport,
    site: Site,
    settings: Settings,
    glossary: Glossary,
    make_translator: TranslatorFactory,
    only: Sequence[Path],
    force: bool,
    dry_run: bool,
    progress: ProgressFactory | None,
    translations: dict[str, str] | None = None,
    listener: Listener | None = None,
) -> None:
    """Run one pair into `report`, which keeps what was done if the translator fails.

    `listener` hears of each post as soon as it is done.
    """

    def done(result: PostResult) -> None:
        if listener is not None:
            listener.post(result)

    posts, outside = (site.posts(only), []) if only else site.discover()
    store = MemoryStore(site)
    collisions = page_collisions(site, site.posts() if only else posts)
    report.warnings += [outside_warning(site, link) for link in outside]
    if not dry_run:
        # What a killed write left behind (`.index.md.XXXX.tmp`); never anything else.
        written = (*POST_SUFFIXES, ".jsonl")
        for path in remove_stale_temporaries([site.target_root, store.folder], suffixes=written):
            report.warnings.append(f"removed a temporary file a killed run left: {site.show(path)}")
    # Learn from every post first, so a correction in one post serves all the others.
    learned: list[tuple[PostResult, Tracked]] = []
    for path in posts:
        result = PostResult(path, site.sibling(path), Outcome.WOULD_WRITE)
        report.results.append(result)
        if path in collisions:
            _fail(result, collisions[path], site)
            done(result)
            continue
        keys = settings.translatable_keys
        learn = partial(track, site, store, keys, path, save=not dry_run, glossary=glossary)
        state = _guarded(result, site, learn)
        if state is not None:
            learned.append((result, state))
        else:
            done(result)
    memory = _LazyMemory(store)
    engine = _Engine(settings, make_translator)
    translations = {} if translations is None else translations  # model input -> output
    # Posts go through in groups: distinct segments are batched across a whole group, and
    # memory holds one group's parsed posts at a time, however large the archive.
    for start in range(0, len(learned), POSTS_PER_GROUP):
        jobs: list[_Job] = []
        for result, state in learned[start : start + POSTS_PER_GROUP]:
            plan = partial(_plan, site, settings, glossary, memory, state, result, force)
            job = _guarded(result, site, plan)
            if job is not None and not dry_run:
                jobs.append(job)
            else:
                done(result)  # up to date, failed, or what a dry run would do
        if not jobs:
            continue
        if any(needs_translation(job.post) for job in jobs):
            translator = engine.get()
            report.model_loaded = True
            tick = progress(count_segments([job.post for job in jobs])) if progress else None
            translated = _translate(jobs, translator, settings, tick, translations, site)
            kept = {id(job) for job in translated}
            for job in jobs:
                if id(job) not in kept:
                    done(job.result)  # failed alone while its group was translated
            jobs = translated
        for job in jobs:
            _guarded(
                job.result, site, partial(_finish, job, glossary, site, store, settings, engine)
            )
            done(job.result)
    if not only:
        report.table = _update_table(site, engine, dry_run)
        report.model_loaded = report.model_loaded or engine.translator is not None


def _update_table(site: Site, engine: _Engine, dry_run: bool) -> TableResult | None:
    """Add what the target's i18n table lacks; a table that cannot be done fails alone."""

    def translate() -> Callable[[list[str]], list[str]]:
        return engine.get().translate

    try:
        return update_tables(site, translate, engine.signature, dry_run=dry_run)
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
    jobs: list[_Job],
    translator: Translator,
    settings: Settings,
    tick: Callable[[int], None] | None,
    cache: dict[str, str],
    site: Site,
) -> list[_Job]:
    """Translate a group's posts together; return the jobs that can be finished.

    When the group fails for a reason that is not the model's (a bug one post triggers),
    each post is translated alone, so that only the post at fault fails.
    """
    group = [job.post for job in jobs]
    before = [(dict(post.words), list(post.kept)) for post in group]
    try:
        translate_posts(
            group, translator, batch_size=settings.batch_size, progress=tick, cache=cache
        )
        return jobs
    except TranslateError:
        raise  # the model cannot be used: that concerns every post
    except Exception:
        pass
    done: list[_Job] = []
    for job, (words, kept) in zip(jobs, before, strict=True):
        job.post.words, job.post.kept = words, kept
        alone = partial(
            translate_posts, [job.post], translator, batch_size=settings.batch_size, cache=cache
        )
        _guarded(job.result, site, alone)
        if job.result.outcome is not Outcome.FAILED:
            done.append(job)
    return done


class _LazyMemory:
    """The translation memory, read from all records only when a post first needs it."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self._memory: TranslationMemory | None = None

    def get(self, source: str) -> str | None:
        """Return the reviewed translation of a source block, if there is one."""
        if self._memory is None:
            self._memory = self.store.memory()
        return self._memory.get(source)


# Backends that use no model: their records name none (not the pair's default model).
MODELLESS_BACKENDS = frozenset({"identity", "pseudo"})


def engine_signature(settings: Settings, translator: Translator | None) -> str:
    """Return the signature of the engine, as records keep it: what decides its output.

    A loaded engine describes itself (`signature()`: model, weights, decoding settings);
    one that was never loaded is described from the settings, its weights as "unknown".
    The tool's version goes with both. Fields are `key:value`, joined by `|`.
    """
    from translate import __version__

    describe = getattr(translator, "signature", None)
    fields: dict[str, str] = {"backend": settings.backend}
    if callable(describe):
        fields.update({str(k): str(v) for k, v in describe().items()})
    elif settings.backend in MODELLESS_BACKENDS:
        fields.update(model="none", weights="none")
    else:
        hops = settings.hops()
        if hops is not None:
            fields["pivot"] = hops[0].target
        models = [hop.model or "" for hop in hops] if hops else [settings.model or ""]
        fields.update(
            model="+".join(models) or default_model(settings.source, settings.target),
            weights="unknown",
            beams=str(settings.beams),
            compute_type=settings.compute_type,
        )
    fields["version"] = __version__
    return format_signature(fields)


def parse_signature(signature: str) -> dict[str, str]:
    """Return the fields of an engine signature; a version 1 record's "<backend> <model>" too."""
    if "|" not in signature:
        backend, _, model = signature.partition(" ")
        if ":" not in backend:
            return {"backend": backend, "model": model}
    return read_signature(signature)


def other_model(recorded: str, current: str) -> bool:
    """Tell whether a record's engine is another model than the current one.

    Backends and model names are compared; weights (the model's revision) only where both
    signatures know them. A record without a known engine (an adopted translation) is not
    another model.
    """
    old, new = parse_signature(recorded), parse_signature(current)
    if "model" not in old:
        return False
    if (old.get("backend"), old["model"]) != (new.get("backend"), new.get("model")):
        return True
    weights = [
        fields.get("weights") or fields.get("revision") or "unknown" for fields in (old, new)
    ]
    return "unknown" not in weights and weights[0] != weights[1]


def outside_warning(site: Site, link: Path) -> str:
    """Say that a post is a link to a file outside the source folder, and is skipped."""
    return (
        f"{site.show(link)}: a link to {link.resolve()}, outside "
        f"{site.show(site.source_root)}/; skipped"
    )


def _plan(
    site: Site,
    settings: Settings,
    glossary: Glossary,
    memory: _LazyMemory,
    state: Tracked,
    result: PostResult,
    force: bool,
) -> _Job | None:
    """Decide what to translate for one post; None when there is nothing to do."""
    path = result.source
    kept: dict[int, BlockRecord] = {}
    previous: dict[int, BlockRecord] = {}
    if state.target_text is not None:
        record = state.record
        if record is None or not state.aligned:
            _unaligned(site, state, result, force)
            return None
        if not force and not state.outdated:
            result.outcome = Outcome.SKIPPED
            return None
        previous = _unchanged(record, state.source_blocks)
        if not force:
            changed = changed_settings(record, state.target_text, settings.translatable_keys)
            if changed:
                result.outcome = Outcome.DIVERGED
                result.error = settings_changed_error(site.show(result.target), changed)
                return None
            kept = _keep(previous, state, result)
    post = prepare_post(
        state.source_text,
        language=settings.source,
        glossary=glossary,
        keys=settings.translatable_keys,
        name=site.show(path),
    )
    served: dict[int, str] = {}
    for index, block in enumerate(state.source_blocks):
        if index in kept and state.target_blocks is not None:
            target = state.target_blocks[_target_index(state.record, kept[index])]
            post.fixed[index] = verbatim_words(target.text)
            continue
        reviewed = _from_memory(memory, post, index, block, result, site.show(path))
        if reviewed is not None:
            post.fixed[index] = verbatim_words(reviewed)
            served[index] = reviewed
        result.retranslated.append(
            f"line {block.line} ({_describe(block)}){' from memory' if reviewed else ''}"
        )
    return _Job(result, post, state, kept, previous, served)


def _keep(
    unchanged: dict[int, BlockRecord], state: Tracked, result: PostResult
) -> dict[int, BlockRecord]:
    """Return the unchanged blocks an update keeps: all but machine text with a changed term.

    A glossary term added, removed or changed since makes the machine's translation of a
    block that holds it stale. A reviewer's text stays, with a warning to look at it.
    """
    kept = dict(unchanged)
    for index, entry in unchanged.items():
        terms = terms_in(state.source_blocks[index].text, state.changed_terms)
        if not terms:
            continue
        if entry.reviewed is None:
            del kept[index]
            continue
        assert state.target_blocks is not None
        target = state.target_blocks[_target_index(state.record, entry)]
        names = ", ".join(repr(term) for term in terms)
        result.warnings.append(
            f"{state.target_name}:{target.line}: reviewed text kept, but the glossary entry "
            f"of {names} in its source changed: check it"
        )
    return kept


def _from_memory(
    memory: _LazyMemory,
    post: PreparedPost,
    index: int,
    block: BlockText,
    result: PostResult,
    name: str,
) -> str | None:
    """Return the memory's reviewed translation of a block, if it fits the block.

    An entry that cannot stand in for the block (empty, several paragraphs, other links or
    code) is named in a warning, and the block goes to the model instead.
    """
    reviewed = memory.get(block.text)
    if reviewed is None:
        return None
    problem = misfit(block.kind, reviewed)
    if problem is None and not keeps_protected(post.blocks[index], reviewed, post):
        problem = "has other links, code or names than the block"
    if problem is None:
        return reviewed
    excerpt = normalize(block.text)
    excerpt = excerpt if len(excerpt) <= 40 else excerpt[:39] + "…"
    result.warnings.append(
        f"{name}:{block.line}: the memory's translation of this block (the entry for "
        f"{excerpt!r}) {problem}; translating it instead"
    )
    return None


def misfit(kind: str, text: str) -> str | None:
    """Say why `text` cannot stand in for a block of `kind`, or None if it can."""
    if not text.strip():
        return "is empty"
    if re.search(r"\n[ \t]*\n", text.strip()):
        return "spans several paragraphs"
    if kind in ("heading", "table_cell", "term") and "\n" in text.strip():
        return "spans several lines"
    if kind == "table_cell" and re.search(r"(?<!\\)\|", text):
        return "holds a table column separator"
    return None


def settings_changed_error(target: str, paths: Sequence[str]) -> PostError:
    """Say that a reviewer changed front matter outside the translatable keys, and where."""
    named = [path for path in paths if path != "*"]
    which = f": {', '.join(named)}" if named else ""
    keys = ", ".join(f'"{path}"' for path in named) if named else "those keys"
    return PostError(
        f"the translation's front matter was changed outside the translatable keys{which}; "
        "an update would replace it from the source",
        path=target,
        hint=f"add {keys} to translatable_keys to keep them per language, or carry the "
        "source's changes over by hand",
    )


def _unaligned(site: Site, state: Tracked, result: PostResult, force: bool) -> None:
    """Handle a translation whose blocks do not line up with its record or source.

    A reviewer restructured it (or it was written before the tool). Nothing is guessed
    and nothing of it is overwritten, `--force` included.
    """
    name = site.show(result.target)
    hint = (
        "carry the changes over by hand, keeping the source's paragraphs, headings and list "
        "items one for one, or delete the translation to have it translated anew"
    )
    if state.record is None and not force:
        # No record and no way to line the blocks up: it counts as reviewed, kept as is.
        result.outcome = Outcome.SKIPPED
        result.warnings.append(
            f"{name}: its blocks do not line up with the source's; kept as it is, and later "
            "changes to the source cannot be carried over until they do"
        )
        return
    if not state.outdated and not force:
        result.outcome = Outcome.SKIPPED  # restructured by a reviewer; source unchanged
        return
    result.outcome = Outcome.DIVERGED
    if force:
        message = "restructured by hand: --force would throw the reviewed text away"
    else:
        changed = _changed_blocks(state.record, state.source_blocks)
        message = (
            "the source changed, but the translation's blocks no longer line up with it "
            f"(restructured by hand?); changed in the source: {changed}"
        )
    result.error = PostError(message, path=name, hint=hint)


def _unchanged(record: PostRecord, blocks: Sequence[BlockText]) -> dict[int, BlockRecord]:
    """Match the source blocks now to the record's: index now -> unchanged record entry."""
    old = [_identity(b.key, b.kind, b.source) for b in record.blocks]
    new = [_identity(b.key, b.kind, b.text) for b in blocks]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    kept: dict[int, BlockRecord] = {}
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                kept[j1 + offset] = record.blocks[i1 + offset]
    return kept


def _identity(key: str, kind: str, text: str) -> tuple[str, str]:
    # Front matter values are matched by key; body blocks by kind and text, since their
    # keys are positions that shift when a paragraph is inserted above.
    return (key if kind == "front_matter" else kind, normalize(text))


def _target_index(record: PostRecord | None, entry: BlockRecord) -> int:
    assert record is not None
    return next(i for i, block in enumerate(record.blocks) if block is entry)


def _changed_blocks(record: PostRecord | None, blocks: Sequence[BlockText]) -> str:
    if record is None:
        return "unknown (no record)"
    kept = _unchanged(record, blocks)
    lines = [_describe_at(block) for index, block in enumerate(blocks) if index not in kept]
    if lines:
        return ", ".join(lines)
    if len(kept) < len(record.blocks):
        return "blocks removed"
    return "outside the translated blocks (front matter values, links or code)"


def _describe(block: BlockText) -> str:
    if block.kind == "front_matter":
        return block.key.removeprefix("front_matter:")
    return block.kind.replace("_", " ")


def _describe_at(block: BlockText) -> str:
    return f"line {block.line} ({_describe(block)})"


def _finish(
    job: _Job,
    glossary: Glossary,
    site: Site,
    store: MemoryStore,
    settings: Settings,
    engine: _Engine,
) -> None:
    """Render and verify one translated post, then write it and its record as one change.

    The record goes first, as pending; then the post; then the pending record replaces
    the old one. A post whose text and record come out as they were is not written.
    """
    result, post = job.result, job.post
    name = site.show(result.source)
    try:
        output = render_verified(post)
        for block in post.kept:
            result.warnings.append(f"{name}:{block.line}: {kept_reason(block)}")
        result.kept = len(post.kept)
        written = read_blocks(output, settings.translatable_keys)
        record = _record(job, output, written, site, settings, glossary, engine)
    except ValueError as error:  # front matter values that cannot be written back
        raise PostError(str(error)) from None
    old = job.record
    if (
        old is not None
        and output == job.state.target_text
        and (record.blocks, record.retired) == (old.blocks, old.retired)
    ):
        # Nothing a reader sees changes (`--force` on an up-to-date post, a glossary change
        # that made no difference): no report. The record may still learn new digests.
        store.save(result.source, record)
        result.outcome = Outcome.SKIPPED
        result.retranslated.clear()
        return
    updating = job.state.target_text is not None
    store.stage(result.source, record)
    try:
        write_atomic(result.target, output)
    except Exception:
        store.discard(result.source)
        raise
    store.commit(result.source)
    result.outcome = Outcome.UPDATED if updating else Outcome.WRITTEN


def _record(
    job: _Job,
    output: str,
    written: Sequence[BlockText],
    site: Site,
    settings: Settings,
    glossary: Glossary,
    engine: _Engine,
) -> PostRecord:
    """Return the record of a post just translated: what was written for each block."""
    source_blocks = job.state.source_blocks
    if [b.kind for b in source_blocks] != [b.kind for b in written]:
        raise PostError("the translation's blocks do not line up with the source's")
    blocks = []
    machine = False
    for index, (source, target) in enumerate(zip(source_blocks, written, strict=True)):
        before = job.kept.get(index) or job.previous.get(index)
        if before is not None and (
            index in job.kept or normalize(target.text) == normalize(before.current)
        ):
            # Unchanged, or translated again into the same text: keep what was written
            # and what was reviewed.
            blocks.append(
                BlockRecord(source.key, source.kind, source.text, before.written, before.reviewed)
            )
        elif index in job.served:  # a reviewed translation from the memory: still reviewed
            blocks.append(BlockRecord(source.key, source.kind, source.text, "", target.text))
        else:
            blocks.append(BlockRecord(source.key, source.kind, source.text, target.text))
            machine = True
    # The engine that wrote the machine text: this run's if it wrote any.
    old = job.record
    signature = engine.signature() if machine or old is None else old.engine
    return PostRecord(
        site.show(job.result.source),
        site.show(job.result.target),
        engine=signature,
        blocks=tuple(blocks),
        source_digest=digest(job.post.text),
        retired=_retired(old, blocks),
        target_settings=settings_values(output, settings.translatable_keys),
        target_digest=digest(output),
        keys_digest=keys_digest(settings.translatable_keys),
        terms=glossary_terms(glossary, job.post.text),
    )


def _retired(record: PostRecord | None, blocks: Sequence[BlockRecord]) -> tuple[BlockRecord, ...]:
    """Return the reviewed blocks no longer in the post, with those retired before.

    A reviewed pair (source, text) that is still in the post is not retired: a post
    translated again into the same text gains no retired entries.
    """
    if record is None:
        return ()
    live = {(b.source, b.reviewed) for b in blocks if b.reviewed is not None}
    unique: dict[tuple[str, str | None], BlockRecord] = {}
    for block in (*record.retired, *record.blocks):
        pair = (block.source, block.reviewed)
        if block.reviewed is not None and pair not in live:
            unique.setdefault(pair, block)
    return tuple(unique.values())


def page_collisions(site: Site, posts: Sequence[Path]) -> dict[Path, TranslateError]:
    """Find source posts that are the same Hugo page (`x.md` and `x/index.md`, or `x.md`
    and `x.de.md` of the default language).

    Hugo would build one of them and drop the other; their translations would collide.
    """
    pages: dict[str, list[Path]] = {}
    for path in posts:
        pages.setdefault(site.page(path), []).append(path)
    errors: dict[Path, TranslateError] = {}
    for group in pages.values():
        if len(group) > 1:
            names = " and ".join(site.show(p) for p in group)
            for path in group:
                errors[path] = PostError(
                    f"{names} are the same Hugo page; their translations would collide",
                    path=site.show(path),
                    hint="keep one of them",
                )
    return errors


def _fail(result: PostResult, error: TranslateError, site: Site) -> None:
    """Record a post's error, naming its file relative to the site root."""
    result.outcome = Outcome.FAILED
    result.error = error.located(site.show(error.path or result.source))
