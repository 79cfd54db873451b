"""Where a source post and its translation stand: read, settled, learned, compared.

`track` reads a source post and its translation (if any), settles a pending record an
interrupted run left, learns a reviewer's corrections, adopts a translation that existed
before the tool, and tells whether the translation is up to date. Each post is parsed at
most once here, and only when its files are not exactly as its record says; the readings
go on to the planner and the pipeline.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import msgspec

from translate.errors import InternalError, PostError, TranslateError
from translate.hugo.site import Site, read_post
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.records.fingerprints import changed_terms, glossary_terms, settings_values
from translate.records.learning import (
    Pair,
    adopt,
    learn,
    lines_up,
    normalize,
    record_header,
    reprove,
    translates,
)
from translate.records.schema import (
    ADOPTED_ENGINE,
    BlockRecord,
    Origin,
    PostRecord,
    digest,
)
from translate.records.store import RecordStore
from translate.translation.glossary import Glossary


@dataclass(frozen=True)
class Pairing:
    """What tracking a pair's posts needs: the site, its records, how posts are read."""

    site: Site
    store: RecordStore
    options: ReadingOptions
    glossary: Glossary | None = None  # None: glossary changes are not looked for

    @property
    def languages(self) -> Pair:
        """Return the pair's languages."""
        return Pair(self.site.source, self.site.target)


class Standing(Enum):
    """Where a translation stands against its source."""

    MISSING = "missing"  # no translation yet
    CURRENT = "current"  # up to date
    OUTDATED = "outdated"  # the source (or a glossary entry, or the reading) changed
    UNALIGNED = "unaligned"  # its blocks do not line up with the record or the source


@dataclass(frozen=True)
class Tracked:
    """A source post, its translation and its record, after learning."""

    path: Path
    target_path: Path
    source_text: str
    target_text: str | None
    record: PostRecord | None
    standing: Standing
    # The readings, when the files had to be read (None: exactly as the record says).
    source: Post | None = None
    target: Post | None = None
    # Glossary terms added, removed or changed since the record, found in the source.
    changed_terms: tuple[str, ...] = ()
    # Warnings about this post (reviewed text a settings change drops, say).
    warnings: tuple[str, ...] = ()
    # Front matter paths translatable when the record was made, and no longer: their
    # values come back from the source.
    dropped: tuple[str, ...] = ()
    # The record was made with other reading options: machine text is translated again.
    reread: bool = False

    @property
    def outdated(self) -> bool:
        """Tell whether the translation must be brought up to date."""
        return self.standing is Standing.OUTDATED

    def read_source(self, options: ReadingOptions) -> Post:
        """Return the source post's reading (read now if tracking did not need it)."""
        return self.source if self.source is not None else Post.read(self.source_text, options)


def track(pairing: Pairing, path: Path, *, save: bool, target: Path | None = None) -> Tracked:
    """Read a source post and its translation, and learn the reviewer's corrections.

    `target` is the translation's path, if the caller knows it already. With `save`, a
    record that learned something (or was adopted, settled or upgraded) is written back.
    """
    site, store, options = pairing.site, pairing.store, pairing.options
    text = read_post(path)
    target_path = site.target_of(path, sibling=target)
    target_text = read_post(target_path) if target_path.exists() else None
    record = store.load(path, target_text, save=save)
    terms = glossary_terms(pairing.glossary, text) if pairing.glossary is not None else None
    if target_text is None:
        source = Post.read(text, options)
        return Tracked(path, target_path, text, None, record, Standing.MISSING, source)
    if record is not None and _fresh(record, text, target_text, options, terms):
        standing = Standing.UNALIGNED if record.header.unaligned else Standing.CURRENT
        return Tracked(path, target_path, text, target_text, record, standing)
    source = Post.read(text, options)
    translation = _read_target(target_text, options, site.show(target_path))
    warnings: list[str] = []
    learned = _learned(pairing, path, target_path, record, source, translation, warnings)
    if learned is None or learned.header.unaligned:
        unaligned = learned if learned is not None else record
        if unaligned is not None and save and unaligned != record:
            store.save(path, _settled(unaligned, text, target_text, options, terms))
        return Tracked(
            path, target_path, text, target_text, unaligned, Standing.UNALIGNED, source, translation
        )
    changed = changed_terms(learned, terms, source)
    dropped = _dropped_keys(record, learned)
    reread = _read_otherwise(record, options)
    outdated = (
        bool(changed)
        or bool(dropped)
        or reread
        or not _same_source(learned, text, source)
        or any(
            untranslated(block, now)
            for block, now in zip(learned.blocks, translation.blocks, strict=True)
        )
    )
    if not outdated:
        # Up to date: remember the posts as they are now, so that the next run need not
        # read them (and upgrade an older record while at it).
        learned = _settled(learned, text, target_text, options, terms)
    if save and learned != record:
        store.save(path, learned)
    return Tracked(
        path,
        target_path,
        text,
        target_text,
        learned,
        Standing.OUTDATED if outdated else Standing.CURRENT,
        source,
        translation,
        changed,
        tuple(warnings),
        dropped,
        reread,
    )


def _read_otherwise(record: PostRecord | None, options: ReadingOptions) -> bool:
    """Tell whether the record's posts were read with other options than now (a shortcode
    read as Markdown since, say): the machine's English may miss prose it did not see."""
    if record is None or record.header.unaligned:
        return False
    recorded = record.header.reading
    return bool(recorded) and recorded != options.fingerprint


def _dropped_keys(before: PostRecord | None, after: PostRecord) -> tuple[str, ...]:
    """Return the front matter paths that were translatable blocks and are no longer."""
    if before is None:
        return ()
    now = {block.key for block in after.blocks}
    return tuple(
        block.key.removeprefix("front_matter:")
        for block in before.blocks
        if block.kind == "front_matter" and block.key not in now
    )


def _read_target(text: str, options: ReadingOptions, name: str) -> Post:
    try:
        return Post.read(text, options)
    except TranslateError as error:
        raise PostError(
            f"the translation no longer parses: {error.message}",
            path=name,
            line=error.line,
            hint="fix it by hand; nothing was changed",
        ) from None


def _learned(
    pairing: Pairing,
    path: Path,
    target_path: Path,
    record: PostRecord | None,
    source: Post,
    target: Post,
    warnings: list[str],
) -> PostRecord | None:
    """Return the record with what the translation teaches; None if it does not line up.

    A translation the tool has no record of (or one recorded as not lining up) is adopted
    anew: it may have been put right since.
    """
    site = pairing.site
    glossary = pairing.glossary or Glossary()
    if record is None or record.header.unaligned:
        header = record_header(site.show(path), site.show(target_path), ADOPTED_ENGINE)
        adopted = adopt(source, target, header, glossary, pairing.languages)
        # Adopted against the source as it stands: up to date with it, as it is read now.
        return adopted.with_header(
            reading=pairing.options.fingerprint, source_digest=digest(source.text)
        )
    if record.header.reading != pairing.options.fingerprint and not lines_up(record, target):
        # Read with other options (or by an older version): cut as the posts are read now.
        realigned = _realign(record, source, target, pairing, warnings)
        if realigned is None:
            return None
        record = realigned
    record = reprove(record, source, glossary, pairing.languages)
    if not lines_up(record, target):
        return None
    return learn(record, target)


def _realign(
    record: PostRecord,
    source: Post,
    target: Post,
    pairing: Pairing,
    warnings: list[str],
) -> PostRecord | None:
    """Return a record made with other reading options, cut as the posts are read now.

    Blocks keep what the record knew of them; a block that is new to the reading (a value
    made translatable, a shortcode's text read as Markdown) holds the source's text in the
    translation, and is translated by the next update. A value no longer translatable comes
    back from the source; where a person's English goes with it, a warning says so.
    """
    if [(b.key, b.kind) for b in source.blocks] != [(b.key, b.kind) for b in target.blocks]:
        return None
    old = list(record.blocks)
    ids_old = [_identity(b.key, b.kind, b.source) for b in old]
    ids_new = [_identity(b.key, str(b.kind), b.source) for b in source.blocks]
    carried: dict[int, BlockRecord] = {}
    matcher = difflib.SequenceMatcher(None, ids_old, ids_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            carried.update({j1 + k: old[i1 + k] for k in range(i2 - i1)})
        elif tag == "replace":
            # A block changed in place: its old entry (and old source) carries over where the
            # translation still holds the English the record knows for it.
            pool = list(range(i1, i2))
            for j in range(j1, j2):
                written = normalize(target.blocks[j].source)
                match = next(
                    (
                        i
                        for i in pool
                        if old[i].kind == source.blocks[j].kind
                        and written
                        in {normalize(t) for t in (old[i].written, old[i].reviewed) if t}
                    ),
                    None,
                )
                if match is not None:
                    carried[j] = old[match]
                    pool.remove(match)
    blocks: list[BlockRecord] = []
    for index, (now, english) in enumerate(zip(source.blocks, target.blocks, strict=True)):
        entry = carried.get(index)
        if entry is not None:
            blocks.append(msgspec.structs.replace(entry, key=now.key, kind=str(now.kind)))
        elif normalize(english.source) == normalize(now.source):
            # Nothing written for it yet: the next update translates it.
            blocks.append(BlockRecord(now.key, str(now.kind), now.source, ""))
        else:
            proven = translates(
                now.source,
                english.source,
                source,
                pairing.glossary or Glossary(),
                pairing.languages,
            )
            blocks.append(
                BlockRecord(
                    now.key,
                    str(now.kind),
                    now.source,
                    english.source,
                    origin=Origin.HUMAN,
                    proven=proven,
                )
            )
    kept = {id(entry) for entry in carried.values()}
    dropped = [b for b in old if id(b) not in kept and b.kind == "front_matter"]
    for block in dropped:
        if block.reviewed_by_person:
            warnings.append(
                f"{record.target_path}: {block.key.removeprefix('front_matter:')} is no "
                "longer translatable: its reviewed English gives way to the source's value "
                "(kept in the memory)"
            )
    retired = (*record.retired, *(b for b in dropped if b.learnable))
    return msgspec.structs.replace(record, blocks=tuple(blocks), retired=retired)


def _identity(key: str, kind: str, text: str) -> tuple[str, str]:
    # Front matter values are matched by key; body blocks by kind and text.
    return (key if kind == "front_matter" else kind, normalize(text))


def untranslated(block: BlockRecord, now: object) -> bool:
    """Tell whether a block's English is still its source's text, nobody's translation.

    A value made translatable, or a shortcode's text read as Markdown since, stands there in
    the source language until it is translated.
    """
    text = getattr(now, "source", "")
    return (
        block.origin is Origin.MACHINE
        and not block.approved
        and block.reviewed is None
        and normalize(text) == normalize(block.source)
        and normalize(block.written) != normalize(block.source)
    )


def _same_source(record: PostRecord, text: str, source: Post) -> bool:
    """Tell whether the source post now is the one recorded."""
    if record.header.source_digest and record.header.source_digest != digest(text):
        return False
    return [(b.kind, b.source) for b in source.blocks] == [
        (b.kind, b.source) for b in record.blocks
    ]


def _fresh(
    record: PostRecord,
    source_text: str,
    target_text: str,
    options: ReadingOptions,
    terms: Mapping[str, str] | None,
) -> bool:
    """Tell whether both posts are exactly as the record says: nothing to read or learn."""
    header = record.header
    return (
        bool(header.target_digest)
        and header.source_digest == digest(source_text)
        and header.target_digest == digest(target_text)
        and header.reading == options.fingerprint
        and (terms is None or header.terms == terms)
    )


def _settled(
    record: PostRecord,
    source_text: str,
    target_text: str,
    options: ReadingOptions,
    terms: Mapping[str, str] | None,
) -> PostRecord:
    """Return an up-to-date record with the digests of the posts as they stand now.

    The target's settings are taken from it only for a new record or to upgrade a version 1
    digest: otherwise they stay as written, so that a reviewer's change to them is still
    noticed when the source changes.
    """
    settings = dict(record.header.target_settings)
    if not settings or "" in settings:
        settings = settings_values(target_text, options)
    return record.with_header(
        source_digest=digest(source_text),
        target_digest=digest(target_text),
        reading=options.fingerprint,
        target_settings=settings,
        terms=record.header.terms if terms is None else dict(terms),
    )


# --- `translate learn` -------------------------------------------------------------------


@dataclass
class LearnReport:
    """What `translate learn` did: posts read, with their reviewed blocks, and errors."""

    learned: list[tuple[Path, int]] = field(default_factory=list)
    errors: list[TranslateError] = field(default_factory=list)


def learn_site(pairing: Pairing) -> LearnReport:
    """Learn the corrections in every translation of a pair.

    A post that cannot be read, or that breaks the tool, is an error of its own; the other
    posts are learned.
    """
    site = pairing.site
    report = LearnReport()
    posts, _ = site.discover()
    for path in posts:
        try:
            tracked = track(pairing, path, save=True)
        except TranslateError as error:
            report.errors.append(error if error.path else error.located(site.show(path)))
            continue
        except Exception as error:  # a bug: that post's error, the others are learned
            report.errors.append(InternalError(error, path=site.show(path)))
            continue
        if tracked.record is not None and tracked.standing is not Standing.UNALIGNED:
            report.learned.append((path, tracked.record.reviewed_count))
    return report
