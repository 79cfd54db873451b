"""The record of one translated post, and its file format: typed, versioned, line by line.

A record file is JSON Lines: a header, then one line per block of the source post in
document order, then the retired blocks (reviewed text whose source is gone). Keys come in
a fixed order, defaults are left out, there are no timestamps: a change to one block
changes one line, and two pull requests that touch different posts never conflict.

Records are decoded into typed values (`msgspec` structs) and validated on the way in: a
damaged line is an error naming the file and line. Formats 1 and 2 are read and upgraded;
only format 3 is written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import TypeVar

import msgspec

from translate.errors import RecordError

FORMAT = "hugo-translate/record/3"
OLD_FORMATS = ("hugo-translate/record/1", "hugo-translate/record/2")
ADOPTED_ENGINE = "unknown (adopted existing translation)"
REPAIR = (
    "fix the line (each is one JSON object), or restore the file from git; deleting it "
    "makes the tool treat the existing translation as written by hand"
)


class Origin(StrEnum):
    """Where a block's translation came from."""

    MACHINE = "machine"  # a model (or a modelless engine) wrote it
    MEMORY = "memory"  # a reviewed translation from the translation memory
    HUMAN = "human"  # it stood in the translation before the tool had a record of it


class SentenceRecord(msgspec.Struct, frozen=True, omit_defaults=True):
    """One sentence of a block: its source, what the tool wrote, what a reviewer made of it."""

    source: str
    written: str
    reviewed: str | None = None
    # The reviewer's text of the sentence before this one covers this one too (two
    # sentences joined, or an edit across their boundary): it has no English of its own.
    joined: bool = False

    @property
    def current(self) -> str:
        """Return the sentence's English as it stands."""
        return self.reviewed if self.reviewed is not None else self.written


class BlockRecord(msgspec.Struct, frozen=True, omit_defaults=True):
    """One block of a post: its source, what the tool wrote, and what people did with it."""

    key: str
    kind: str
    source: str
    written: str
    reviewed: str | None = None
    origin: Origin = Origin.MACHINE
    # A reviewer approved the written text as it is.
    approved: bool = False
    # The block was translated again and the English it replaced had been reviewed (whole
    # or in part): `replaced` keeps that English until a reviewer edits or approves.
    needs_review: bool = False
    replaced: str | None = None
    # For a block found in an existing translation: False when the pair failed the proof
    # of being a translation of its source (other links, other language, implausible
    # length). Such text is kept, never learned into the memory.
    proven: bool = True
    # The sentences of a block of several, as the tool cut and wrote them.
    sentences: tuple[SentenceRecord, ...] = ()
    retired: bool = False  # reviewed text whose source block is gone (for the memory)

    @property
    def current(self) -> str:
        """Return the block's English as it should stand now."""
        return self.reviewed if self.reviewed is not None else self.written

    @property
    def reviewed_by_person(self) -> bool:
        """Tell whether a person wrote, corrected or approved this block's English."""
        return (
            self.reviewed is not None
            or self.approved
            or self.origin in (Origin.MEMORY, Origin.HUMAN)
            or any(sentence.reviewed is not None for sentence in self.sentences)
        )

    @property
    def machine(self) -> bool:
        """Tell whether the block's English is machine output nobody has looked at."""
        return not self.reviewed_by_person

    @property
    def learnable(self) -> bool:
        """Tell whether the block's English may serve the memory as a reviewed translation."""
        return self.reviewed_by_person and self.proven


class RecordHeader(msgspec.Struct, frozen=True, omit_defaults=True):
    """The first line of a record file."""

    format: str
    source: str  # the source post, relative to the site root
    target: str
    # What produced the machine translations: `Signature.format()`.
    engine: str
    source_digest: str = ""  # of the whole source post as translated
    target_digest: str = ""  # of the translation as written or last learned
    # Fingerprint of the reading options the posts were cut with (`ReadingOptions`).
    reading: str = ""
    # Digests of the target's front matter values outside the translatable keys, by
    # dotted path, as written: a reviewer's change there must stop an update, not be lost.
    target_settings: dict[str, str] = {}
    # Glossary entries found in the source post: term -> digest of its entry.
    terms: dict[str, str] | None = None
    # The translation existed before the tool and does not line up with its source: the
    # tool keeps it as it is and learns nothing from it.
    unaligned: bool = False


class PostRecord(msgspec.Struct, frozen=True):
    """What the tool knows about one translated post."""

    header: RecordHeader
    blocks: tuple[BlockRecord, ...] = ()
    retired: tuple[BlockRecord, ...] = ()

    @property
    def source_path(self) -> str:
        """Return the source post's path, relative to the site root."""
        return self.header.source

    @property
    def target_path(self) -> str:
        """Return the translation's path, relative to the site root."""
        return self.header.target

    @property
    def engine(self) -> str:
        """Return the signature of the engine that wrote the machine text."""
        return self.header.engine

    @property
    def reviewed_count(self) -> int:
        """Return how many blocks a person wrote, corrected or approved."""
        return sum(1 for block in self.blocks if block.reviewed_by_person)

    @property
    def needs_review(self) -> list[BlockRecord]:
        """Return the blocks whose reviewed English was replaced and wait for a reviewer."""
        return [block for block in self.blocks if block.needs_review]

    def with_header(self, **changes: object) -> PostRecord:
        """Return the record with header fields changed."""
        header = msgspec.structs.replace(self.header, **changes)
        return msgspec.structs.replace(self, header=header)


def digest(text: str) -> str:
    """Return a short, stable fingerprint of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- writing ---------------------------------------------------------------------------------

def format_record(record: PostRecord) -> str:
    """Serialise a record: the header, then one line per block, retired blocks last."""
    header = msgspec.structs.replace(record.header, format=FORMAT)
    if header.terms is not None:
        header = msgspec.structs.replace(header, terms=dict(sorted(header.terms.items())))
    settings = dict(sorted(header.target_settings.items()))
    header = msgspec.structs.replace(header, target_settings=settings)
    retired = sorted(record.retired, key=lambda b: (b.source, b.reviewed or "", b.written))
    lines = [_line(header)]
    lines += [_line(block) for block in record.blocks]
    lines += [_line(msgspec.structs.replace(block, retired=True)) for block in retired]
    return "".join(line + "\n" for line in lines)


def _line(value: msgspec.Struct) -> str:
    # As `json.dumps` writes it (a space after each separator, umlauts as they are): records
    # are read in pull requests' diffs.
    return json.dumps(msgspec.to_builtins(value), ensure_ascii=False)


# --- reading ---------------------------------------------------------------------------------


def parse_record(text: str, name: str) -> PostRecord:
    """Read a record file's text (any format); a damaged one is an error with file and line."""
    lines = list(_lines(text))
    if not lines:
        raise RecordError("empty record", path=name, line=1, hint=REPAIR)
    (number, first), *rest = lines
    raw_header = _decode(first, name, number, dict)
    version = raw_header.get("format")
    if version == FORMAT:
        header = _decode(first, name, number, RecordHeader)
        blocks = [(n, _decode(line, name, n, BlockRecord)) for n, line in rest]
    elif version in OLD_FORMATS:
        header = _old_header(raw_header, name, number)
        blocks = [
            (n, _old_block(_decode(line, name, n, dict), name, n, header)) for n, line in rest
        ]
    else:
        raise RecordError(f"not a {FORMAT} header", path=name, line=number, hint=REPAIR)
    live = tuple(block for _, block in blocks if not block.retired)
    retired = tuple(
        msgspec.structs.replace(block, retired=False) for _, block in blocks if block.retired
    )
    return PostRecord(header, live, retired)


_T = TypeVar("_T")


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line


def _decode(line: str, name: str, number: int, kind: type[_T]) -> _T:
    """Decode one JSON line into `kind`; any problem is a RecordError at that line."""
    try:
        return msgspec.json.decode(line, type=kind, strict=True)
    except msgspec.ValidationError as error:
        raise RecordError(f"a bad entry: {error}", path=name, line=number, hint=REPAIR) from None
    except msgspec.DecodeError as error:
        message = f"not valid JSON: {error}"
        raise RecordError(message, path=name, line=number, hint=REPAIR) from None
    except RecursionError:
        raise RecordError("nested too deeply", path=name, line=number, hint=REPAIR) from None


# Version 1 kept one digest of all the target's settings; version 2 one per value and a
# digest of the translatable keys (now the reading fingerprint, which it cannot match).


def _old_header(raw: Mapping[str, object], name: str, number: int) -> RecordHeader:
    settings = raw.get("target_settings", {})
    if isinstance(settings, str):  # version 1: one digest of all the values
        settings = {"": settings} if settings else {}
    terms = raw.get("terms")
    try:
        return msgspec.convert(
            {
                "format": FORMAT,
                "source": raw["source"],
                "target": raw["target"],
                "engine": raw.get("engine", ""),
                "source_digest": raw.get("source_digest", ""),
                "target_digest": raw.get("target_digest", ""),
                "target_settings": settings,
                "terms": terms,
            },
            RecordHeader,
            strict=True,
        )
    except (KeyError, msgspec.ValidationError) as error:
        message = f"the header is missing or has a bad {error}"
        raise RecordError(message, path=name, line=number, hint=REPAIR) from None


_OLD_KEYS = ("key", "kind", "source", "written", "reviewed", "retired")


def _old_block(
    raw: Mapping[str, object], name: str, number: int, header: RecordHeader
) -> BlockRecord:
    """Upgrade a block of format 1 or 2: an empty `written` meant text the tool did not write."""
    try:
        block = msgspec.convert(
            {key: raw[key] for key in _OLD_KEYS if key in raw},
            BlockRecord,
            strict=True,
        )
    except (KeyError, msgspec.ValidationError) as error:
        message = f"block entry is missing or has a bad {error}"
        raise RecordError(message, path=name, line=number, hint=REPAIR) from None
    if block.written or block.reviewed is None:
        return block
    # The English came from the memory, or stood in a translation the tool adopted; an
    # adopted block was never proved to translate its source: it is proved again when the
    # posts are next read, and learned only then.
    adopted = header.engine == ADOPTED_ENGINE
    return msgspec.structs.replace(
        block,
        written=block.reviewed,
        reviewed=None,
        origin=Origin.HUMAN if adopted else Origin.MEMORY,
        proven=not adopted,
    )
