"""One post of a run: what is decided about it and what is said, for `run` and `status`.

Planning a post that needs work (`plan_post`), a translation that no longer lines up with
its source (`unaligned`), and the problems that concern a post before it is read: a link to
a file outside the site, two posts claiming one translation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.commands.plan import PostDecisions, plan_update
from translate.commands.reports import Outcome, PostResult, Retranslated
from translate.errors import PostError, TranslateError
from translate.hugo.site import Site
from translate.markdown.document import BlockKind
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.records.fingerprints import changed_settings, terms_in
from translate.records.memory import TranslationMemory
from translate.records.schema import PostRecord
from translate.records.tracking import Standing, Tracked
from translate.translation.glossary import Glossary
from translate.translation.links import NO_LINKS, LinkMap
from translate.translation.prepared import PreparedPost, prepare_post


@dataclass
class Job:
    """A post that needs (part of) a translation, planned."""

    result: PostResult
    tracked: Tracked
    prepared: PreparedPost
    plan: PostDecisions

    @property
    def record(self) -> PostRecord | None:
        """Return the post's record as it stood before this run wrote anything."""
        return self.tracked.record


@dataclass(frozen=True)
class Planning:
    """What planning a pair's posts needs."""

    site: Site
    language: str
    translatable_keys: tuple[str, ...]
    options: ReadingOptions
    glossary: Glossary
    memory: Callable[[], TranslationMemory]
    force: bool = False
    # Which links of a source post follow the language, and which heading ids it keeps.
    links: Callable[[Path, Post], LinkMap] | None = None


def plan_post(planning: Planning, state: Tracked, result: PostResult) -> Job | None:
    """Decide what to translate for one post; None when there is nothing to do."""
    site = planning.site
    record = state.record
    target: Post | None = state.target
    if state.target_text is not None:
        if state.standing is Standing.UNALIGNED:
            unaligned(site, state, result, planning.force)
            return None
        if state.standing is Standing.CURRENT and not planning.force:
            result.outcome = Outcome.SKIPPED
            return None
        if record is not None and not planning.force:
            changed = changed_settings(record, state.target_text, planning.options, state.dropped)
            if changed:
                result.outcome = Outcome.DIVERGED
                result.error = settings_changed_error(site.show(result.target), changed)
                return None
        if target is None:  # --force on a post whose files are as recorded
            target = Post.read(state.target_text, planning.options)
    source = state.read_source(planning.options)
    prepared = prepare_post(
        source,
        language=planning.language,
        glossary=planning.glossary,
        name=site.show(state.path),
        links=planning.links(state.path, source) if planning.links else NO_LINKS,
    )
    plan = plan_update(
        prepared,
        record if target is not None else None,
        target.blocks if target is not None else None,
        planning.memory,
        changed_terms=state.changed_terms,
        terms_in=terms_in,
        force=planning.force,
        reread=state.reread,
        target_name=site.show(result.target),
    )
    result.warnings += plan.warnings
    for decision in plan.retranslated:
        block = prepared.blocks[decision.index]
        note = " from memory" if decision.from_memory else ""
        if decision.replaces is not None:
            note += ": replaces reviewed text, needs review"
            result.needs_review += 1
        result.retranslated.append(Retranslated(block.line, _describe(block.kind, block.key), note))
    # In the order of the file: raw HTML blocks come last among a post's blocks.
    result.retranslated.sort(key=lambda block: block.line)
    prepared.known.update(plan.known())
    return Job(result, state, prepared, plan)


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


def unaligned(site: Site, state: Tracked, result: PostResult, force: bool) -> None:
    """Handle a translation whose blocks do not line up with its record or source.

    A reviewer restructured it, or it was written before the tool. Nothing is guessed
    and nothing of it is overwritten, `--force` included.
    """
    name = site.show(result.target)
    hint = (
        "carry the changes over by hand, keeping the source's paragraphs, headings and list "
        "items one for one, or delete the translation to have it translated anew"
    )
    record = state.record
    if record is None or record.header.unaligned:
        # Written by a person before the tool, and not lined up with the source: theirs.
        result.outcome = Outcome.SKIPPED
        if state.source is not None:  # read this run: something changed
            result.warnings.append(
                f"{name}: its blocks do not line up with the source's; kept as it is, and "
                "later changes to the source cannot be carried over until they do"
            )
        return
    outdated = state.source is not None and not _same_source(record, state)
    if not outdated and not force:
        result.outcome = Outcome.SKIPPED  # restructured by a reviewer; source unchanged
        return
    result.outcome = Outcome.DIVERGED
    if force:
        message = "restructured by hand: --force would throw the reviewed text away"
    else:
        message = (
            "the source changed, but the translation's blocks no longer line up with it "
            f"(restructured by hand?); changed in the source: {_changed_blocks(record, state)}"
        )
    result.error = PostError(message, path=name, hint=hint)


def _same_source(record: PostRecord, state: Tracked) -> bool:
    assert state.source is not None
    return [(b.kind, b.source) for b in state.source.blocks] == [
        (b.kind, b.source) for b in record.blocks
    ]


def _changed_blocks(record: PostRecord, state: Tracked) -> str:
    assert state.source is not None
    recorded = {(b.kind, " ".join(b.source.split())) for b in record.blocks}
    lines = [
        f"line {block.line} ({_describe(block.kind, block.key)})"
        for block in state.source.blocks
        if (str(block.kind), " ".join(block.source.split())) not in recorded
    ]
    if lines:
        return ", ".join(lines)
    if len(state.source.blocks) < len(record.blocks):
        return "blocks removed"
    return "outside the translated blocks (front matter values, links or code)"


def _describe(kind: str, key: str) -> str:
    if kind == BlockKind.FRONT_MATTER:
        return key.removeprefix("front_matter:")
    return BlockKind(kind).label


def outside_warning(site: Site, link: Path) -> str:
    """Say that a post is a link to a file outside the source folder, and is skipped."""
    return (
        f"{site.show(link)}: a link to {link.resolve()}, outside "
        f"{site.show(site.source_root)}/; skipped"
    )


def siblings(site: Site, posts: Sequence[Path]) -> dict[Path, Path]:
    """Return each source post's translation path (found once per run: it may take reading
    the posts' `translationKey`). A post whose sibling cannot be told is left out."""
    found: dict[Path, Path] = {}
    for path in posts:
        try:
            found[path] = site.sibling(path)
        except TranslateError:
            continue  # the post's own problem, reported where it is read
    return found


def sibling_collisions(
    site: Site, posts: Sequence[Path], targets: dict[Path, Path]
) -> dict[Path, TranslateError]:
    """Find source posts whose translations would be one file.

    Two posts that are the same Hugo page (`x.md` and `x/index.md`; `x.md` and `x.de.md` of
    the default language), or that share a `translationKey` (a post copied to start a new
    one): Hugo builds one of them, and their translations would overwrite each other.
    Neither is translated until one of them is changed. `targets` are the posts' siblings.
    """
    groups: dict[tuple[str, str], list[Path]] = {}
    for path in posts:
        groups.setdefault(("page", site.page(path)), []).append(path)
        if path in targets:
            groups.setdefault(("sibling", str(targets[path])), []).append(path)
    errors: dict[Path, TranslateError] = {}
    for (how, _), group in groups.items():
        if len(group) < 2:
            continue
        names = " and ".join(site.show(p) for p in group)
        if how == "page":
            message = f"{names} are the same Hugo page; their translations would collide"
            hint = "keep one of them"
        else:
            target = site.show(targets[group[0]])
            message = f"{names} claim the same translation, {target} (the same translationKey?)"
            hint = "give one of them its own translationKey; neither is translated until then"
        for path in group:
            errors.setdefault(path, PostError(message, path=site.show(path), hint=hint))
    return errors
