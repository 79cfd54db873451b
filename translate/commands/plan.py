"""Decide, for one post, what to translate and what to keep: the pure update planner.

Given a source post read and planned (`PreparedPost`), its translation's record after
learning, and the translation memory, the planner says for each source block where its
English comes from:

- an unchanged block keeps its English exactly (a reviewer's included);
- a changed block keeps the English of each sentence whose source did not change, and only
  its changed and new sentences are translated: from the memory first, else by the model;
- where English a person wrote, corrected or approved must give way (its sentence changed,
  or a reviewer's edit spanned sentences that changed), the block is marked *needs review*
  and the replaced English is kept in the record.

Nothing here reads or writes files; `translate.commands.run` carries the decisions out.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from translate.markdown.document import Block, BlockKind
from translate.records.learning import normalize
from translate.records.memory import TranslationMemory
from translate.records.schema import BlockRecord, Origin, PostRecord, SentenceRecord
from translate.records.tracking import untranslated
from translate.translation.prepared import Known, PreparedPost, segment_sources
from translate.translation.proving import keeps_protected, segment_keeps_protected


@dataclass(frozen=True)
class Decision:
    """Where one source block's English comes from."""

    index: int
    # The record entry of this block before the update, if it had one: the same source
    # (kept or translated again), or the source it had before it changed.
    previous: BlockRecord | None = None
    known: Known | None = None  # what is known before any model runs
    kept: bool = False  # the block keeps its English exactly
    from_memory: bool = False  # the whole block comes from the memory
    # Sentences of the new block whose English carries over from `previous`: segment index
    # -> the sentence record it carries.
    carried: dict[int, SentenceRecord] = field(default_factory=dict)
    # English a person wrote, corrected or approved that this update replaces.
    replaces: str | None = None

    @property
    def translated(self) -> bool:
        """Tell whether the block is translated (in part) by this update."""
        return not self.kept


@dataclass(frozen=True)
class PostDecisions:
    """The planner's answer for one post."""

    decisions: tuple[Decision, ...]
    warnings: tuple[str, ...] = ()

    def known(self) -> dict[int, Known]:
        """Return what the pipeline is told before it runs: block index -> known English."""
        return {d.index: d.known for d in self.decisions if d.known is not None}

    @property
    def retranslated(self) -> list[Decision]:
        """Return the blocks this update translates (in part)."""
        return [d for d in self.decisions if d.translated]


MemoryLookup = Callable[[], TranslationMemory]


def plan_update(
    prepared: PreparedPost,
    record: PostRecord | None,
    target: Sequence[Block] | None,
    memory: MemoryLookup,
    *,
    changed_terms: Sequence[str] = (),
    terms_in: Callable[[str, Sequence[str]], list[str]] = lambda text, terms: [],
    force: bool = False,
    reread: bool = False,
    target_name: str = "",
) -> PostDecisions:
    """Decide every block of a post (see the module's docstring).

    `record` and `target` (the translation's blocks, lined up with the record) are None for
    a post translated for the first time. With `force` the machine's English is translated
    again; a person's still comes back (from the memory). With `reread` (the post is read
    with other options than the record was made with) the machine's English is translated
    again, a person's kept.
    """
    blocks = prepared.blocks
    old = list(record.blocks) if record is not None else []
    warnings: list[str] = []

    def warn(block: Block, source: str, problem: str) -> None:
        excerpt = normalize(source)
        excerpt = excerpt if len(excerpt) <= 40 else excerpt[:39] + "…"
        warnings.append(
            f"{prepared.name}:{block.line}: the memory's translation of this block (the entry "
            f"for {excerpt!r}) {problem}; translating it instead"
        )

    same, changed_from = _match(old, blocks)
    decisions: list[Decision] = []
    for index, block in enumerate(blocks):
        entry = same.get(index)
        if entry is not None and target is not None:
            stale_terms = terms_in(block.source, changed_terms)
            now = target[old.index(entry)]
            retranslate = ((force or reread) and entry.machine) or untranslated(entry, now)
            if stale_terms and entry.machine:
                retranslate = True
            elif stale_terms:
                names = ", ".join(repr(term) for term in stale_terms)
                warnings.append(
                    f"{target_name}:{now.line}: reviewed text kept, but the glossary entry "
                    f"of {names} in its source changed: check it"
                )
            if not retranslate:
                decisions.append(Decision(index, entry, Known(text=now.source), kept=True))
                continue
            # Its source did not change, but its English must: no sentence of it carries over.
            decisions.append(_translate(prepared, index, entry, memory, carry=False, warn=warn))
            continue
        previous = entry or changed_from.get(index)
        decisions.append(_translate(prepared, index, previous, memory, carry=not force, warn=warn))
    return PostDecisions(tuple(decisions), tuple(warnings))


def _translate(
    prepared: PreparedPost,
    index: int,
    previous: BlockRecord | None,
    memory: MemoryLookup,
    *,
    carry: bool,
    warn: Callable[[Block, str, str], None],
) -> Decision:
    """Decide a block to translate: sentences carried over, the memory, then the model.

    Without `carry`, no sentence of the previous English carries over.
    """
    block = prepared.blocks[index]
    whole = memory().block(block.source)
    if whole is not None:
        problem = misfit(block.kind, whole)
        if problem is None and not keeps_protected(block, whole, prepared):
            problem = "has other links, code or names than the block"
        if problem is None:
            replaces = _replaced(previous, whole)
            return Decision(index, previous, Known(text=whole), from_memory=True, replaces=replaces)
        warn(block, block.source, problem)
    sources = segment_sources(prepared.plans[index])
    units = _units(previous) if previous is not None else ()
    carried = _carry(units, sources) if carry else {}
    known: dict[int, tuple[int, str]] = {}
    position = 0
    while position < len(sources):
        if position in carried:
            first = carried[position]
            last = position + _group_size(units, first) - 1
            known[position] = (last, first.current)
            position = last + 1
            continue
        found = memory().sentence(sources[position])
        if (
            found is not None
            and misfit(block.kind, found) is None
            and segment_keeps_protected(prepared, index, position, found)
        ):
            known[position] = (position, found)
        position += 1
    lost = _lost_reviews(previous, units, carried)
    return Decision(
        index,
        previous,
        Known(sentences=known) if known else None,
        carried=carried,
        replaces=previous.current if lost and previous is not None else None,
    )


def _replaced(previous: BlockRecord | None, now: str) -> str | None:
    """Return a person's English that `now` replaces, if any."""
    if previous is None or not previous.reviewed_by_person:
        return None
    return None if normalize(previous.current) == normalize(now) else previous.current


def _units(previous: BlockRecord) -> tuple[SentenceRecord, ...]:
    """Return a block's sentences; a block recorded without them is one sentence."""
    if previous.sentences:
        return previous.sentences
    person = previous.reviewed_by_person
    reviewed = previous.current if person else None
    return (SentenceRecord(previous.source, previous.written, reviewed),)


def _group_size(units: Sequence[SentenceRecord], first: SentenceRecord) -> int:
    """Return how many sentences a carried unit covers (a reviewer may have joined some)."""
    start = next(i for i, unit in enumerate(units) if unit is first)
    size = 1
    while start + size < len(units) and units[start + size].joined:
        size += 1
    return size


def _carry(units: Sequence[SentenceRecord], sources: Sequence[str]) -> dict[int, SentenceRecord]:
    """Return the sentences of the new block whose English carries over: index -> unit.

    A unit of the old block (a sentence, or sentences a reviewer joined) carries over where
    the new block has the same source sentences in a row. English nobody reviewed carries
    over too: it was written for exactly that sentence.
    """
    if not units or not sources:
        return {}
    groups: list[tuple[int, int]] = []  # (first, size) of each unit in `units`
    for position, unit in enumerate(units):
        if not unit.joined:
            groups.append((position, 1))
        elif groups:
            first, size = groups[-1]
            groups[-1] = (first, size + 1)
    wanted = [normalize(source) for source in sources]
    carried: dict[int, SentenceRecord] = {}
    used: set[int] = set()
    for first, size in groups:
        unit_sources = [normalize(u.source) for u in units[first : first + size]]
        for start in range(len(wanted) - size + 1):
            span = range(start, start + size)
            if any(p in used for p in span) or wanted[start : start + size] != unit_sources:
                continue
            carried[start] = units[first]
            used.update(span)
            break
    return carried


def _lost_reviews(
    previous: BlockRecord | None,
    units: Sequence[SentenceRecord],
    carried: dict[int, SentenceRecord],
) -> bool:
    """Tell whether English a person wrote for the old block does not carry over."""
    if previous is None or not previous.reviewed_by_person:
        return False
    kept = {id(unit) for unit in carried.values()}
    whole = previous.approved or previous.origin in (Origin.HUMAN, Origin.MEMORY)
    # Vouched for whole, every unit is a person's; else those a reviewer corrected.
    return any(
        id(unit) not in kept
        for unit in units
        if not unit.joined and (whole or unit.reviewed is not None)
    )


def _match(
    old: Sequence[BlockRecord], new: Sequence[Block]
) -> tuple[dict[int, BlockRecord], dict[int, BlockRecord]]:
    """Match the source blocks now to the record's.

    Returns the unchanged ones (index now -> entry) and, for changed ones, the entry of the
    block they replace (the same front matter key; a body block changed in place).
    """
    ids_old = [_identity(b.key, b.kind, b.source) for b in old]
    ids_new = [_identity(b.key, b.kind, b.source) for b in new]
    same: dict[int, BlockRecord] = {}
    changed: dict[int, BlockRecord] = {}
    matcher = difflib.SequenceMatcher(None, ids_old, ids_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                same[j1 + offset] = old[i1 + offset]
        elif tag == "replace":
            # Blocks changed in place: pair them in order, kind by kind.
            pool = list(range(i1, i2))
            for j in range(j1, j2):
                match = next((i for i in pool if old[i].kind == new[j].kind), None)
                if match is not None:
                    changed[j] = old[match]
                    pool.remove(match)
    by_key = {b.key: b for b in old if b.kind == BlockKind.FRONT_MATTER}
    for index, block in enumerate(new):
        if block.kind is BlockKind.FRONT_MATTER and index not in same and block.key in by_key:
            changed[index] = by_key[block.key]
    return same, changed


def _identity(key: str, kind: str, text: str) -> tuple[str, str]:
    # Front matter values are matched by key; body blocks by kind and text, since their
    # keys are positions that shift when a paragraph is inserted above.
    return (key if kind == BlockKind.FRONT_MATTER else str(kind), normalize(text))


def misfit(kind: str, text: str) -> str | None:
    """Say why `text` cannot stand in for a block of `kind`, or None if it can."""
    if not text.strip() or not any(char.isprintable() and not char.isspace() for char in text):
        return "is empty"
    if re.search(r"\n[ \t]*\n", text.strip()):
        return "spans several paragraphs"
    if BlockKind(kind).one_line and "\n" in text.strip():
        return "spans several lines"
    if kind == BlockKind.TABLE_CELL and re.search(r"(?<!\\)\|", text):
        return "holds a table column separator"
    return None
