"""The translation memory: reviewed translations of whole blocks and of single sentences.

It is built from the records (what reviewers corrected, approved or wrote themselves, and
proved to translate its source) and from entries imported from TMX. A block is looked up
whole first, then sentence by sentence, so that a CAT tool's sentence-segmented TMX serves
paragraphs, and a sentence a reviewer corrected in one post serves every post that has it.
Machine output nobody reviewed never enters it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from translate.records.learning import normalize
from translate.records.schema import BlockRecord, Origin, PostRecord
from translate.records.store import ImportedEntry, RecordStore


@dataclass(frozen=True)
class Entry:
    """A reviewed translation: of a block (`sentence` False) or of a sentence."""

    source: str
    target: str
    sentence: bool


@dataclass(frozen=True)
class TranslationMemory:
    """Reviewed translations looked up by their source text (whitespace folded)."""

    blocks: Mapping[str, str] = field(default_factory=dict)
    sentences: Mapping[str, str] = field(default_factory=dict)

    def block(self, source: str) -> str | None:
        """Return the reviewed translation of a whole block, if there is one.

        A sentence's entry serves a block that is that sentence (an imported TMX unit, say).
        """
        key = normalize(source)
        return self.blocks.get(key) or self.sentences.get(key)

    def sentence(self, source: str) -> str | None:
        """Return the reviewed translation of a sentence, if there is one."""
        key = normalize(source)
        return self.sentences.get(key) or self.blocks.get(key)

    def __len__(self) -> int:
        return len(self.blocks) + len(self.sentences)


def block_entries(block: BlockRecord) -> Iterator[Entry]:
    """Yield what a block's record teaches: its reviewed sentences, and the block if vouched.

    A block a reviewer corrected in one sentence teaches that sentence; the whole block
    only when nothing in it is unreviewed machine text: written by a person, taken from the
    memory, approved, or without sentences of its own.
    """
    if not block.learnable:
        return
    sentences = block.sentences
    whole = (
        block.approved
        or block.origin in (Origin.HUMAN, Origin.MEMORY)
        or not sentences
        or all(s.reviewed is not None or s.joined for s in sentences)
    )
    if whole:
        yield Entry(block.source, block.current, sentence=False)
    for index, sentence in enumerate(sentences):
        if sentence.joined:
            continue
        group = [sentence]
        for later in sentences[index + 1 :]:
            if not later.joined:
                break
            group.append(later)
        source = " ".join(member.source for member in group)
        if sentence.reviewed is not None:
            yield Entry(source, sentence.reviewed, sentence=True)
        elif block.approved or block.origin is Origin.MEMORY:
            yield Entry(source, sentence.written, sentence=True)


def record_entries(records: Iterable[PostRecord]) -> Iterator[Entry]:
    """Yield every reviewed translation the records hold, retired blocks included."""
    for record in records:
        for block in (*record.blocks, *record.retired):
            yield from block_entries(block)


def store_entries(store: RecordStore, *, skip_damaged: bool = True) -> list[Entry]:
    """Return every entry of a pair: the records' first, then the imported ones."""
    entries = list(record_entries(store.records(skip_damaged=skip_damaged)))
    for imported in store.imported():
        # A TMX unit is a sentence or a paragraph: it may serve either.
        entries.append(Entry(imported.source, imported.target, sentence=True))
    return list(dict.fromkeys(entries))


def build_memory(entries: Iterable[Entry]) -> TranslationMemory:
    """Return the memory of `entries`; the first entry for a source wins."""
    blocks: dict[str, str] = {}
    sentences: dict[str, str] = {}
    for entry in entries:
        (sentences if entry.sentence else blocks).setdefault(normalize(entry.source), entry.target)
    return TranslationMemory(blocks, sentences)


# --- exchange with CAT tools ---------------------------------------------------------------


def export_entries(store: RecordStore, *, blocks: bool = False) -> list[tuple[str, str]]:
    """Return what `memory export` writes: reviewed sentences, or whole blocks.

    Sentences a reviewer corrected, approved or took from the memory; a block of one
    sentence counts as one. With `blocks`, every block a person reviewed, whole (its
    unreviewed sentences included: the reviewer saw them). Imported entries come last.
    Never the machine's text nobody reviewed.
    """
    pairs: list[tuple[str, str]] = []
    for record in store.records():
        for block in (*record.blocks, *record.retired):
            if blocks:
                if block.learnable:
                    pairs.append((block.source, block.current))
                continue
            for entry in block_entries(block):
                if entry.sentence or not block.sentences:
                    pairs.append((entry.source, entry.target))
    pairs += [(entry.source, entry.target) for entry in store.imported()]
    return list(dict.fromkeys(pairs))


def import_entries(
    store: RecordStore, pairs: Iterable[tuple[str, str]]
) -> tuple[int, int, int]:
    """Add (source, target) pairs to the imported entries; return (new, updated, total).

    Importing is idempotent: a pair the memory already holds (whitespace folded) is
    neither new nor stored again, so re-importing one's own export changes nothing. A pair
    whose source the memory holds with another target is an update, and replaces an
    imported entry for that source. Call this under the memory's lock.
    """
    store.reload_imported()
    known: dict[str, set[str]] = {}
    for entry in store_entries(store):
        known.setdefault(normalize(entry.source), set()).add(normalize(entry.target))
    entries = {normalize(e.source): e for e in store.imported()}
    new = updated = 0
    for source, target in dict(pairs).items():
        targets = known.get(normalize(source))
        if targets is not None and normalize(target) in targets:
            continue
        if targets is None:
            new += 1
        else:
            updated += 1
        known[normalize(source)] = {normalize(target)}
        entries[normalize(source)] = ImportedEntry(source, target)
    if new or updated:
        store.save_imported(list(entries.values()))
    return new, updated, len(entries)
