"""Learn what people did to a translation: corrections sentence by sentence, and pages
that existed before the tool, taken only where they provably translate their source.

A reviewer edits the English post. Where a block's English differs from what the tool
wrote, the block is reviewed; within it, each sentence's English is located against the
sentences the tool wrote (a word diff), so that a later change to one German sentence
re-translates only that sentence and keeps the reviewer's others. Where an edit runs
across the boundary of two sentences (a reviewer joined them), the two are one unit from
then on: kept or translated together, never split by guesswork.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from translate.markdown.document import visible
from translate.markdown.post import Post
from translate.records.schema import (
    ADOPTED_ENGINE,
    BlockRecord,
    Origin,
    PostRecord,
    RecordHeader,
    SentenceRecord,
    digest,
)
from translate.translation.glossary import Glossary
from translate.translation.language import reads_as
from translate.translation.verify import inline_differences, inline_items


def normalize(text: str) -> str:
    """Return `text` with whitespace runs folded: re-wrapping is not a correction."""
    return re.sub(r"\s+", " ", text).strip()


# --- sentences ---------------------------------------------------------------------------


def locate(
    sentences: Sequence[SentenceRecord], written: str, current: str
) -> tuple[SentenceRecord, ...] | None:
    """Return the sentences with the English `current` has for each, as a reviewer left it.

    `written` is the block as the tool wrote it, made of `sentences` (and protected text
    between them). None when the sentences cannot be found in `written`: the block is then
    reviewed as a whole.
    """
    before = written.split()
    after = current.split()
    spans = _spans(sentences, before)
    if spans is None:
        return None
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    resolved = _sentence_ends(spans, opcodes, after)
    mapped: list[tuple[int | None, int | None]] = []
    for index, (first_word, past_last) in enumerate(spans):
        # Words inserted where one sentence ends and the next begins go to the one before;
        # inserted after text between them (a protected span), to the one after.
        adjacent = index > 0 and spans[index - 1][1] == first_word
        start = _map(first_word, opcodes, take=adjacent)
        end = _map(past_last, opcodes, take=True)
        mapped.append(
            (
                start if start is not None else resolved.get(first_word),
                end if end is not None else resolved.get(past_last),
            )
        )
    located: list[SentenceRecord] = []
    index = 0
    while index < len(sentences):
        last = index
        # An edit across a boundary joins the sentences on both sides into one unit.
        while last + 1 < len(sentences) and (
            mapped[last][1] is None or mapped[last + 1][0] is None
        ):
            last += 1
        start, end = mapped[index][0], mapped[last][1]
        if start is None or end is None or start > end:
            return None  # edits around the block's first or last words: review it whole
        text = " ".join(after[start:end])
        group = sentences[index : last + 1]
        was = " ".join(" ".join(s.written.split()) for s in group)
        reviewed: str | None = text
        if normalize(text) == normalize(was) and last == index:
            reviewed = _kept_review(group[0], text)
        located.append(msgspec.structs.replace(group[0], reviewed=reviewed, joined=False))
        located += [msgspec.structs.replace(s, reviewed=None, joined=True) for s in group[1:]]
        index = last + 1
    return tuple(located)


# A word that ends a sentence: final punctuation, then closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


def _sentence_ends(
    spans: Sequence[tuple[int, int]],
    opcodes: Sequence[tuple[str, int, int, int, int]],
    after: Sequence[str],
) -> dict[int, int]:
    """Place the sentence boundaries that an edit replaced on both sides.

    A reviewer who rewrote two sentences in a row leaves one replaced run of words; where
    the new words end sentences as often as the old ones did, the n-th boundary is taken to
    be the n-th sentence end. Otherwise the boundary stays unknown (the sentences join).
    """
    boundaries = [end for (_, end), (start, _) in itertools.pairwise(spans) if end == start]
    placed: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "replace":
            continue
        inside = [b for b in boundaries if i1 < b < i2]
        if not inside:
            continue
        ends = [w + 1 for w in range(j1, j2 - 1) if _SENTENCE_END.search(after[w])]
        if len(ends) == len(inside):
            placed.update(zip(inside, ends, strict=True))
    return placed


def _spans(
    sentences: Sequence[SentenceRecord], words: Sequence[str]
) -> list[tuple[int, int]] | None:
    """Find each sentence's words in `words`, in order: [start, end) word indexes."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in sentences:
        wanted = sentence.written.split()
        if not wanted:
            return None
        found = _find(words, wanted, cursor)
        if found is None:
            return None
        spans.append((found, found + len(wanted)))
        cursor = found + len(wanted)
    return spans


def _find(words: Sequence[str], wanted: Sequence[str], start: int) -> int | None:
    for position in range(start, len(words) - len(wanted) + 1):
        if list(words[position : position + len(wanted)]) == list(wanted):
            return position
    return None


def _map(
    position: int, opcodes: Sequence[tuple[str, int, int, int, int]], *, take: bool
) -> int | None:
    """Return where a boundary in the written words stands in the current ones.

    None when an edit replaced the words on both sides of it: which sentence the new words
    belong to cannot be told. Words inserted at the boundary are put before it (`take`:
    they belong to what ends there) or after it.
    """
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "insert" and i1 == position:
            return j2 if take else j1
        if i1 <= position < i2:
            if tag == "equal":
                return j1 + position - i1
            return j1 if position == i1 else None
    return opcodes[-1][4] if opcodes else 0


# --- blocks ------------------------------------------------------------------------------


def _kept_review(sentence: SentenceRecord, text: str) -> str | None:
    """Return a sentence's review that `text` still is: the tool wrote a reviewer's sentence
    back as it was (a German change elsewhere in its block), and it stands unchanged."""
    if sentence.reviewed is not None and normalize(sentence.reviewed) == normalize(text):
        return sentence.reviewed
    return None


def learn_block(block: BlockRecord, now: str) -> BlockRecord:
    """Return the block's record with the English `now` in the post learned."""
    if not block.written and block.origin is Origin.MACHINE:
        return block  # nothing written yet: the source's text stands there, untranslated
    if normalize(now) == normalize(block.written):
        # As written, or a correction taken back; sentences kept from a review stay so.
        return msgspec.structs.replace(
            block,
            reviewed=None,
            sentences=tuple(
                msgspec.structs.replace(s, reviewed=_kept_review(s, s.written))
                for s in block.sentences
            ),
        )
    if block.reviewed is not None and normalize(now) == normalize(block.reviewed):
        return block
    if not visible(now) and visible(block.source):
        # Emptied (or left with invisible characters only): kept, never learned as English.
        return msgspec.structs.replace(block, reviewed=now, proven=False)
    located = locate(block.sentences, block.written, now) if block.sentences else None
    sentences = located if located is not None else block.sentences
    # An edit is the reviewer's answer to a block that waited for review. A page's own text
    # keeps its proof's verdict; English on the tool's text was only unproven if invisible.
    proven = block.proven if block.origin is Origin.HUMAN else True
    return msgspec.structs.replace(
        block, reviewed=now, sentences=sentences, needs_review=False, replaced=None, proven=proven
    )


def lines_up(record: PostRecord, target: Post) -> bool:
    """Tell whether a translation's blocks still correspond one to one to the record's.

    A reviewer who split, merged or reordered blocks breaks the correspondence; then
    nothing can be matched safely and the tool never guesses.
    """
    blocks = target.blocks
    if [(b.key, b.kind) for b in blocks] != [(b.key, b.kind) for b in record.blocks]:
        return False
    # Blocks of one kind swapped (two list items, say) keep keys and kinds; their texts
    # give them away: a block now holds what the record has for another one.
    known = [{normalize(t) for t in (b.written, b.reviewed) if t} for b in record.blocks]
    for index, block in enumerate(blocks):
        text = normalize(block.source)
        if text not in known[index] and any(
            text in others for other, others in enumerate(known) if other != index
        ):
            return False
    return True


def learn(record: PostRecord, target: Post) -> PostRecord:
    """Return the record with the translation's corrections learned (it must line up)."""
    blocks = tuple(
        learn_block(block, now.source)
        for block, now in zip(record.blocks, target.blocks, strict=True)
    )
    return msgspec.structs.replace(record, blocks=blocks)


# --- pages that were there before the tool -----------------------------------------------


@dataclass(frozen=True)
class Pair:
    """The languages of a record: text in `source` is never taken for a translation."""

    source: str
    target: str


def adopt(
    source: Post,
    target: Post,
    header: RecordHeader,
    glossary: Glossary,
    pair: Pair,
) -> PostRecord:
    """Make a record of a translation the tool has no record of.

    Nobody knows what of it a machine wrote, if anything: every block is kept as a
    person's text. Only blocks that provably translate their source block are learned
    (`proven`); a page whose blocks do not line up with its source is recorded as
    `unaligned`: kept as it is, never learned from, never overwritten.
    """
    if [(b.key, b.kind) for b in source.blocks] != [(b.key, b.kind) for b in target.blocks]:
        return PostRecord(msgspec.structs.replace(header, engine=ADOPTED_ENGINE, unaligned=True))
    blocks = tuple(
        BlockRecord(
            s.key,
            s.kind,
            s.source,
            t.source,
            origin=Origin.HUMAN,
            proven=translates(s.source, t.source, source, glossary, pair),
        )
        for s, t in zip(source.blocks, target.blocks, strict=True)
    )
    return PostRecord(msgspec.structs.replace(header, engine=ADOPTED_ENGINE), blocks)


def reprove(record: PostRecord, source: Post, glossary: Glossary, pair: Pair) -> PostRecord:
    """Prove again the blocks an older record adopted without proof."""
    if all(block.proven or block.origin is not Origin.HUMAN for block in record.blocks):
        return record
    blocks = tuple(
        msgspec.structs.replace(
            block, proven=translates(block.source, block.current, source, glossary, pair)
        )
        if block.origin is Origin.HUMAN and not block.proven
        else block
        for block in record.blocks
    )
    return msgspec.structs.replace(record, blocks=blocks)


# A translation is at most this many times longer or shorter than its source (in
# characters), give or take a few characters for short texts.
_LENGTH_RATIO = 3.0
_LENGTH_SLACK = 12


def translates(
    source_text: str, target_text: str, source: Post, glossary: Glossary, pair: Pair
) -> bool:
    """Tell whether `target_text` may be taken for a translation of `source_text`.

    It must keep everything of the source but the prose (links, code, shortcodes, names:
    the structural proof), not read as the source language, and be of a plausible length.
    """
    if normalize(target_text) == normalize(source_text):
        return not any(char.isalpha() for char in source_text)
    long, short = sorted((len(source_text.strip()), len(target_text.strip())), reverse=True)
    if long > _LENGTH_RATIO * short + _LENGTH_SLACK:
        return False
    if reads_as(target_text, pair.source, pair.target):
        return False
    env = source.body.env
    params = source.options.shortcode_params

    def differs() -> bool:
        items = inline_items(source_text, env, glossary, params)
        return bool(inline_differences(items, target_text, env, glossary, params))

    return not source.reading(differs)


def record_header(source_path: str, target_path: str, engine: str) -> RecordHeader:
    """Return a fresh header for a post's record (digests are filled in when settled)."""
    from translate.records.schema import FORMAT

    return RecordHeader(FORMAT, source_path, target_path, engine)


def source_digest(text: str) -> str:
    """Return the digest a record keeps of a post's text."""
    return digest(text)
