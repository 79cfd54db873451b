"""`translate approve`: a reviewer vouches for a translation's blocks as they stand.

Approving clears the *needs review* mark of a block whose reviewed English an update
replaced, and makes machine text a reviewer read and found right count as reviewed (it then
serves the memory, sentence by sentence). Only the record changes; the post stays as it is.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from translate.commands.label import has_label, labelled, machine_text
from translate.errors import PostError
from translate.markdown.document import Block, BlockKind
from translate.markdown.post import Post
from translate.records.schema import BlockRecord, digest
from translate.records.tracking import Pairing, Standing, track


@dataclass
class Approval:
    """What `approve` did to one post: the blocks approved, by line in the translation."""

    source: Path
    target: Path
    approved: list[str] = field(default_factory=list)  # "line 12 (paragraph)"


def approve(
    pairing: Pairing,
    source: Path,
    *,
    lines: Sequence[int] = (),
    keys: Collection[str] | None = None,
    label: str | None = None,
) -> Approval:
    """Approve a post's blocks: those at `lines` of the translation, or with `keys`, or all.

    The translation's corrections are learned first. With `label` (the key of the
    machine-translation label), the label goes once no machine text is left unreviewed.
    Raise PostError for a post with no translation, one the tool has no record of, or one
    whose source changed since (run `translate run` first: an approval is of English for the
    German as it is).
    """
    site = pairing.site
    tracked = track(pairing, source, save=True)
    name = site.show(tracked.target_path)
    if tracked.target_text is None:
        raise PostError("no translation to approve", path=name, hint="run translate run first")
    record = tracked.record
    if record is None or tracked.standing is Standing.UNALIGNED:
        raise PostError(
            "its blocks do not line up with the source's: nothing recorded to approve",
            path=name,
            hint="keep the source's paragraphs, headings and list items one for one",
        )
    if tracked.standing is Standing.OUTDATED:
        raise PostError(
            "the source changed since this translation",
            path=name,
            hint="run translate run to update it, then review and approve the update",
        )
    target = tracked.target or Post.read(tracked.target_text, pairing.options)
    chosen = _chosen(target, lines, keys, name)
    result = Approval(source, tracked.target_path)
    blocks: list[BlockRecord] = []
    approved: list[tuple[int, str]] = []
    for block, now in zip(record.blocks, target.blocks, strict=True):
        if chosen is not None and block.key not in chosen:
            blocks.append(block)
            continue
        if block.machine or block.needs_review:
            approved.append((now.line, now.kind.label))
        blocks.append(
            msgspec.structs.replace(
                block,
                approved=block.approved or block.reviewed is None,
                needs_review=False,
                replaced=None,
            )
        )
    # In the order of the file: raw HTML blocks come last among a post's blocks.
    result.approved = [f"line {line} ({kind})" for line, kind in sorted(approved)]
    updated = msgspec.structs.replace(record, blocks=tuple(blocks))
    text = tracked.target_text
    if label is not None and has_label(text, label) != machine_text(updated):
        text = labelled(text, label, machine_text(updated))
        updated = updated.with_header(target_digest=digest(text))
        pairing.store.write(source, updated, tracked.target_path, text)
    elif updated != record:
        pairing.store.save(source, updated)
    return result


def _chosen(
    target: Post, lines: Sequence[int], keys: Collection[str] | None, name: str
) -> set[str] | None:
    """Return the keys of the blocks to approve (None: all of them)."""
    if keys is not None:
        known = {block.key for block in target.blocks}
        unknown = sorted(set(keys) - known)
        if unknown:
            raise PostError(f"no block {unknown[0]!r} in this translation", path=name)
        return set(keys)
    if not lines:
        return None
    chosen: set[str] = set()
    for line in lines:
        # The block on that line: a blank line, a code block or a line past the end is
        # none, never the block above it.
        holding = [block.key for block in target.blocks if line in _lines_of(block)]
        if not holding:
            raise PostError(f"no translated block at line {line}", path=name, line=line)
        chosen.add(holding[-1])
    return chosen


def _lines_of(block: Block) -> range:
    """Return the file lines a block's text stands on (a front matter value may begin on
    the line after its key)."""
    extra = 1 if block.kind is BlockKind.FRONT_MATTER else 0
    return range(block.line, block.line + block.source.count("\n") + extra + 1)
