"""The record of a post just translated, made from the planner's decisions and the proved
translation as it was read back.

Per block it keeps what the tool wrote, sentence by sentence, and what of a person's English
carried over or was replaced; per post the digests that let the next run skip reading it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import msgspec

from translate.commands.plan import Decision, PostDecisions
from translate.errors import PostError
from translate.markdown.document import Block
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.records.fingerprints import settings_values
from translate.records.learning import normalize, record_header
from translate.records.schema import (
    BlockRecord,
    Origin,
    PostRecord,
    SentenceRecord,
    digest,
)
from translate.translation.prepared import PreparedPost, segment_sources


def new_record(
    prepared: PreparedPost,
    plan: PostDecisions,
    output: Post,
    old: PostRecord | None,
    *,
    paths: tuple[str, str],
    engine: Callable[[], str],
    terms: dict[str, str] | None,
    options: ReadingOptions,
) -> PostRecord:
    """Return the record of a post just translated into `output` (see the module docstring).

    `engine` gives the signature of the engine that wrote this run's machine text; it is
    asked only if there is any.
    """
    source_blocks = prepared.blocks
    if [b.kind for b in source_blocks] != [b.kind for b in output.blocks]:
        raise PostError("the translation's blocks do not line up with the source's")
    kept = {block.key for block in prepared.kept}
    blocks: list[BlockRecord] = []
    machine = False
    for decision, source, target in zip(plan.decisions, source_blocks, output.blocks, strict=True):
        text = target.source
        previous = decision.previous
        if decision.kept and previous is not None:
            blocks.append(
                msgspec.structs.replace(
                    previous, key=source.key, kind=str(source.kind), source=source.source
                )
            )
            continue
        if source.key in kept:
            # Left in the source language (its translation could not be proved).
            lost = (
                previous.current if previous is not None and previous.reviewed_by_person else None
            )
            blocks.append(_block(source, text, replaces=lost))
            machine = True
            continue
        if (
            previous is not None
            and not decision.replaces
            and normalize(text) == normalize(previous.current)
            and not decision.carried
        ):
            # Translated again into the same text: what was written and reviewed stays.
            blocks.append(
                msgspec.structs.replace(
                    previous, key=source.key, kind=str(source.kind), source=source.source
                )
            )
            continue
        if decision.from_memory:
            blocks.append(_block(source, text, origin=Origin.MEMORY, replaces=decision.replaces))
            continue
        sentences = _sentences(prepared, decision)
        blocks.append(_block(source, text, replaces=decision.replaces, sentences=sentences))
        machine = (
            machine or any(s.reviewed is None and not s.joined for s in sentences) or not sentences
        )
    signature = engine() if machine or old is None else old.engine
    header = record_header(paths[0], paths[1], signature)
    header = msgspec.structs.replace(
        header,
        source_digest=digest(prepared.text),
        target_digest=digest(output.text),
        reading=options.fingerprint,
        target_settings=settings_values(output.text, options),
        terms=terms,
    )
    return PostRecord(header, tuple(blocks), _retired(old, blocks))


def _block(
    source: Block,
    text: str,
    *,
    origin: Origin = Origin.MACHINE,
    replaces: str | None = None,
    sentences: tuple[SentenceRecord, ...] = (),
) -> BlockRecord:
    return BlockRecord(
        key=source.key,
        kind=str(source.kind),
        source=source.source,
        written=text,
        origin=origin,
        needs_review=replaces is not None,
        replaced=replaces,
        sentences=sentences,
    )


def _sentences(prepared: PreparedPost, decision: Decision) -> tuple[SentenceRecord, ...]:
    """Return the sentence records of a block translated (in part) by this run."""
    index = decision.index
    sources = segment_sources(prepared.plans[index])
    written = prepared.sentences.get(index)
    if written is None or len(written) != len(sources):
        return ()
    known = decision.known.sentences if decision.known is not None else {}
    records: list[SentenceRecord] = []
    for position, (source, text) in enumerate(zip(sources, written, strict=True)):
        if text == "" and records:
            records.append(SentenceRecord(source, "", joined=True))
            continue
        carried = decision.carried.get(position)
        if carried is not None:
            records.append(SentenceRecord(source, text, carried.reviewed))
        elif position in known:
            # From the memory: a reviewer's English.
            records.append(SentenceRecord(source, text, text))
        else:
            records.append(SentenceRecord(source, text))
    if len(records) < 2 and not any(r.reviewed is not None for r in records):
        return ()  # a block of one sentence is its own sentence
    return tuple(records)


def _retired(old: PostRecord | None, blocks: Sequence[BlockRecord]) -> tuple[BlockRecord, ...]:
    """Return the English people wrote for blocks no longer in the post, with earlier ones.

    A pair (source, English) still in the post is not retired: a post translated again
    into the same text gains no retired entries.
    """
    if old is None:
        return ()
    live = {(b.source, b.current) for b in blocks if b.reviewed_by_person}
    unique: dict[tuple[str, str], BlockRecord] = {}
    for block in (*old.retired, *old.blocks):
        pair = (block.source, block.current)
        if block.learnable and pair not in live:
            unique.setdefault(pair, block)
    return tuple(unique.values())
