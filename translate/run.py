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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from translate.backends import Translator, default_model
from translate.config import Settings
from translate.errors import PostError, TranslateError
from translate.glossary import Glossary
from translate.memory import (
    BlockRecord,
    MemoryStore,
    PostRecord,
    Tracked,
    TranslationMemory,
    digest,
    normalize,
    settings_digest,
    track,
)
from translate.pipeline import (
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
from translate.site import Site
from translate.writer import write_atomic


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


@dataclass
class RunReport:
    """Everything a run did, for the CLI to print."""

    results: list[PostResult] = field(default_factory=list)
    model_loaded: bool = False

    def count(self, outcome: Outcome) -> int:
        """Return how many posts had `outcome`."""
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def ok(self) -> bool:
        """Tell whether every post was translated or is up to date."""
        return self.count(Outcome.FAILED) == 0 and self.count(Outcome.DIVERGED) == 0


TranslatorFactory = Callable[[], Translator]
# Called once per group of posts with the group's segment count; returns a tick function.
ProgressFactory = Callable[[int], Callable[[int], None]]

# Enough posts to fill many batches with distinct segments; few enough that a large
# archive never sits in memory parsed all at once.
POSTS_PER_GROUP = 64


@dataclass
class _Job:
    """A post that needs (part of) a translation, with what is known already."""

    result: PostResult
    post: PreparedPost
    # Source block index -> the record entry it keeps (unchanged blocks of an update).
    kept: dict[int, BlockRecord]
    record: PostRecord | None
    # Source block index -> the reviewed translation the memory served for it.
    served: dict[int, str] = field(default_factory=dict)


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
    """Translate missing posts and update outdated ones; learn reviewers' corrections."""
    site = Site(site_root, settings.source, settings.target, settings.content_dir)
    posts = site.posts(only)
    glossary = Glossary.load(site_root / settings.glossary_dir, settings.source, settings.target)
    store = MemoryStore(site)
    collisions = page_collisions(site, site.posts() if only else posts)
    report = RunReport()
    # Learn from every post first, so a correction in one post serves all the others.
    learned: list[tuple[PostResult, Tracked]] = []
    for path in posts:
        result = PostResult(path, site.sibling(path), Outcome.WOULD_WRITE)
        report.results.append(result)
        if path in collisions:
            _fail(result, collisions[path], site)
            continue
        try:
            state = track(site, store, settings.translatable_keys, path, save=not dry_run)
        except TranslateError as error:
            _fail(result, error, site)
            continue
        learned.append((result, state))
    memory = store.memory()
    engine = (
        f"{settings.backend} {settings.model or default_model(settings.source, settings.target)}"
    )
    translator: Translator | None = None
    translations: dict[str, str] = {}  # model input -> output, shared by all groups
    # Posts go through in groups: distinct segments are batched across a whole group, and
    # memory holds one group's parsed posts at a time, however large the archive.
    for start in range(0, len(learned), POSTS_PER_GROUP):
        jobs: list[_Job] = []
        for result, state in learned[start : start + POSTS_PER_GROUP]:
            try:
                job = _plan(site, settings, glossary, memory, state, result, force)
            except TranslateError as error:
                _fail(result, error, site)
                continue
            if job is not None:
                jobs.append(job)
        if dry_run or not jobs:
            continue
        group = [job.post for job in jobs]
        if any(needs_translation(post) for post in group):
            if translator is None:
                translator = make_translator()
                report.model_loaded = True
            tick = progress(count_segments(group)) if progress else None
            translate_posts(
                group,
                translator,
                batch_size=settings.batch_size,
                progress=tick,
                cache=translations,
            )
        for job in jobs:
            _finish(job, glossary, site, store, settings, engine)
    return report


def _plan(
    site: Site,
    settings: Settings,
    glossary: Glossary,
    memory: TranslationMemory,
    state: Tracked,
    result: PostResult,
    force: bool,
) -> _Job | None:
    """Decide what to translate for one post; None when there is nothing to do."""
    path = result.source
    kept: dict[int, BlockRecord] = {}
    if state.target_blocks is not None:
        record = state.record
        if record is None or not state.aligned:
            _unaligned(site, state, result, force)
            return None
        if not force:
            if not state.outdated:
                result.outcome = Outcome.SKIPPED
                return None
            if record.target_settings and record.target_settings != settings_digest(
                state.target_text, settings.translatable_keys
            ):
                result.outcome = Outcome.DIVERGED
                result.error = PostError(
                    "the translation's front matter was changed outside the translatable keys "
                    "(a slug, tags, a date?); an update would replace it from the source",
                    path=site.show(result.target),
                    hint="add those keys to translatable_keys to keep them per language, or "
                    "carry the source's changes over by hand",
                )
                return None
            kept = _unchanged(record, state.source_blocks)
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
        reviewed = memory.get(block.text)
        if reviewed is not None and not keeps_protected(post.blocks[index], reviewed, post):
            result.warnings.append(
                f"{site.show(path)}:{block.line}: the memory's translation of this block has "
                "other links, code or names than the block; translating it instead"
            )
            reviewed = None
        if reviewed is not None:
            post.fixed[index] = verbatim_words(reviewed)
            served[index] = reviewed
        result.retranslated.append(
            f"line {block.line} ({_describe(block)}){' from memory' if reviewed else ''}"
        )
    return _Job(result, post, kept, state.record, served)


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
    job: _Job, glossary: Glossary, site: Site, store: MemoryStore, settings: Settings, engine: str
) -> None:
    """Render, verify and write one translated post, then its record."""
    result, post = job.result, job.post
    name = site.show(result.source)
    updating = result.target.exists()
    try:
        output = render_verified(post)
        for block in post.kept:
            result.warnings.append(f"{name}:{block.line}: {kept_reason(block)}")
        written = read_blocks(output, settings.translatable_keys)
        record = _record(job, output, written, site, settings, engine)
        write_atomic(result.target, output)
        store.save(result.source, record)
    except (TranslateError, ValueError) as error:
        located = error if isinstance(error, TranslateError) else PostError(str(error))
        _fail(result, located, site)
        return
    result.outcome = Outcome.UPDATED if updating else Outcome.WRITTEN


def _record(
    job: _Job,
    output: str,
    written: Sequence[BlockText],
    site: Site,
    settings: Settings,
    engine: str,
) -> PostRecord:
    """Return the record of a post just translated: what was written for each block."""
    source_blocks = read_blocks(job.post.text, settings.translatable_keys)
    if [b.kind for b in source_blocks] != [b.kind for b in written]:
        raise PostError("the translation's blocks do not line up with the source's")
    blocks = []
    for index, (source, target) in enumerate(zip(source_blocks, written, strict=True)):
        previous = job.kept.get(index)
        if previous is not None:  # unchanged: keep what was written and what was reviewed
            blocks.append(
                BlockRecord(
                    source.key, source.kind, source.text, previous.written, previous.reviewed
                )
            )
        elif index in job.served:  # a reviewed translation from the memory: still reviewed
            blocks.append(BlockRecord(source.key, source.kind, source.text, "", target.text))
        else:
            blocks.append(BlockRecord(source.key, source.kind, source.text, target.text))
    engine_used = job.record.engine if job.record and not job.post.words else engine
    return PostRecord(
        site.show(job.result.source),
        site.show(job.result.target),
        engine_used,
        tuple(blocks),
        digest(job.post.text),
        _retired(job.record, job.kept.values()),
        settings_digest(output, settings.translatable_keys),
    )


def _retired(record: PostRecord | None, kept: Iterable[BlockRecord]) -> tuple[BlockRecord, ...]:
    """Return the reviewed blocks an update replaced, with those retired before."""
    if record is None:
        return ()
    still = {id(block) for block in kept}
    gone = [b for b in record.blocks if b.reviewed is not None and id(b) not in still]
    unique = {(b.source, b.reviewed): b for b in (*record.retired, *gone)}
    return tuple(unique.values())


def page_collisions(site: Site, posts: Sequence[Path]) -> dict[Path, TranslateError]:
    """Find source posts that are the same Hugo page (`x.md` and `x/index.md`).

    Hugo would build one of them and drop the other; their translations would collide.
    """
    pages: dict[Path, list[Path]] = {}
    for path in posts:
        relative = path.relative_to(site.source_root)
        page = relative.parent if relative.stem in ("index", "_index") else relative.with_suffix("")
        pages.setdefault(page, []).append(path)
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
