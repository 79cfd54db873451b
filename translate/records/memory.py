"""Per-post records of what was translated, and the translation memory built from them.

For every translated post the tool keeps a record: per block (front matter value,
heading, paragraph, list item, table cell...), the source text and the target text it
wrote. When a reviewer corrects the target post, the corrected block no longer matches
what was written: it is learned as the reviewed translation of its source block, and
used, before any model, wherever that source block appears again.

Records live in the site repository, one JSON Lines file per post under
`translation-memory/<source>-<target>/records/`, named by the source post's path in its
content folder without a language suffix (the same in both of Hugo's layouts). One
line per block, in document order, keys in a fixed order, no timestamps: a change to one
block changes one line, and two pull requests touching different posts touch different
files. Entries imported from TMX files go to `translation-memory/<pair>/imported.jsonl`.

A post and its record change together: the new record is first written beside the old one
as *pending*, then the post, then the pending record replaces the old one (one rename). A
run that dies in between leaves a pending record, which the next start settles against the
post on disk (`MemoryStore.reconcile`) instead of learning the machine's text as a
reviewer's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from translate.errors import InternalError, PostError, RecordError, TranslateError, WriteError
from translate.files import write_atomic
from translate.hugo.site import Site, read_post
from translate.markdown.front_matter import split_front_matter
from translate.translation.glossary import Glossary, Term
from translate.translation.pipeline import BlockText, read_blocks

MEMORY_DIR = "translation-memory"
RECORD_SUFFIX = ".jsonl"
# A record written before its post, waiting for the post to be written: `<record>.pending`.
PENDING_SUFFIX = ".pending"
FORMAT = "hugo-translate/record/2"
# Version 1 kept one digest of the target's settings and no target digest, keys or terms.
OLD_FORMAT = "hugo-translate/record/1"


def normalize(text: str) -> str:
    """Return `text` with whitespace runs folded, for comparing blocks.

    Re-wrapping a paragraph is not a correction; changing a word is.
    """
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class BlockRecord:
    """One block of a post: its source, what the tool wrote, and the reviewer's version."""

    key: str
    kind: str
    source: str
    written: str
    reviewed: str | None = None

    @property
    def current(self) -> str:
        """Return the block's target text as it should stand now."""
        return self.reviewed if self.reviewed is not None else self.written


@dataclass(frozen=True)
class PostRecord:
    """What the tool knows about one translated post."""

    source_path: str  # relative to the site root
    target_path: str
    # What produced the machine translations, for reproducibility: a signature such as
    # "backend:marian|model:Helsinki-NLP/opus-mt-de-en|weights:…|beams:4|…|version:0.2.0".
    engine: str
    blocks: tuple[BlockRecord, ...]
    # Digest of the whole source post: a changed date or URL outside the blocks also
    # makes the translation outdated.
    source_digest: str = ""
    # Reviewed blocks whose source block has since changed or gone: kept for the memory,
    # so nothing a reviewer wrote is lost (the old source text may come back).
    retired: tuple[BlockRecord, ...] = ()
    # Digests of the target's front matter values outside the translatable keys, as
    # written, by dotted path ("tags.1"): an update rewrites those values from the source,
    # so a reviewer's change there (a `slug`) must stop it rather than be lost, and be
    # named. A version 1 record has one digest for all of them, under the key "".
    target_settings: Mapping[str, str] = field(default_factory=dict)
    # Digest of the target post as written or last learned, and of the translatable keys
    # it was cut with: when both posts match their digests, nothing needs to be parsed.
    target_digest: str = ""
    keys_digest: str = ""
    # The glossary entries found in the source post when it was translated: term -> digest
    # of its entry. A term added, removed or changed since marks the blocks holding it.
    # None: not recorded (a version 1 record).
    terms: Mapping[str, str] | None = None

    @property
    def reviewed(self) -> bool:
        """Tell whether a reviewer corrected any block."""
        return any(block.reviewed is not None for block in self.blocks)

    @property
    def reviewed_count(self) -> int:
        """Return how many blocks a reviewer corrected."""
        return sum(1 for block in self.blocks if block.reviewed is not None)

    def same_source(self, text: str, blocks: Sequence[BlockText]) -> bool:
        """Tell whether the source post now (`text`, `blocks`) is the one recorded."""
        if self.source_digest and self.source_digest != digest(text):
            return False
        return [(b.kind, b.text) for b in blocks] == [(b.kind, b.source) for b in self.blocks]


def digest(text: str) -> str:
    """Return a short, stable fingerprint of a post's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def keys_digest(keys: Sequence[str]) -> str:
    """Fingerprint the translatable keys: other keys cut a post into other blocks."""
    return digest(json.dumps(list(keys)))


def settings_values(text: str, keys: Sequence[str]) -> dict[str, str]:
    """Fingerprint each front matter value outside the translatable keys, by dotted path."""
    front_matter, _ = split_front_matter(text)
    translatable = {item.path for item in front_matter.fields(keys)}
    values: dict[str, str] = {}

    def walk(data: object, here: tuple[str | int, ...]) -> None:
        if here in translatable:
            return
        children: Iterable[tuple[str | int, object]] = ()
        if isinstance(data, dict) and data:
            children = ((str(k), v) for k, v in data.items())
        elif isinstance(data, list) and data:
            children = enumerate(data)
        elif here:
            blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
            values[".".join(map(str, here))] = digest(blob)[:8]
        for key, value in children:
            walk(value, (*here, key))

    walk(front_matter.data(), ())
    return dict(sorted(values.items()))


def changed_settings(record: PostRecord, text: str, keys: Sequence[str]) -> list[str]:
    """Name the target's front matter values outside the translatable keys changed since.

    A version 1 record cannot tell which value changed; it names them all as "*".
    """
    if not record.target_settings:
        return []
    if "" in record.target_settings:
        return [] if record.target_settings[""] == _settings_digest_v1(text, keys) else ["*"]
    now = settings_values(text, keys)
    paths = now.keys() | record.target_settings.keys()
    return sorted(p for p in paths if now.get(p) != record.target_settings.get(p))


def _settings_digest_v1(text: str, keys: Sequence[str]) -> str:
    """Fingerprint all values outside the translatable keys at once, as version 1 did."""
    front_matter, _ = split_front_matter(text)
    translatable = {item.path for item in front_matter.fields(keys)}

    def strip(data: object, here: tuple[str | int, ...]) -> object:
        if isinstance(data, dict):
            return {
                str(k): strip(v, (*here, k))
                for k, v in data.items()
                if (*here, k) not in translatable
            }
        if isinstance(data, list):
            return [
                strip(v, (*here, i)) for i, v in enumerate(data) if (*here, i) not in translatable
            ]
        return data

    values = strip(front_matter.data(), ())
    return digest(json.dumps(values, sort_keys=True, default=str, ensure_ascii=False))


def glossary_terms(glossary: Glossary, text: str) -> dict[str, str]:
    """Return the glossary entries found in `text`: term -> a digest of its entry."""
    found = {match.term for match in glossary.find(text)}
    return {
        term.source: digest(json.dumps([term.source, term.target], ensure_ascii=False))[:8]
        for term in sorted(found, key=lambda term: term.source)
    }


def changed_terms(record: PostRecord, now: Mapping[str, str]) -> set[str]:
    """Return the terms added, removed or changed in the glossary since the record."""
    if record.terms is None:
        return set()
    return {t for t in now.keys() | record.terms.keys() if now.get(t) != record.terms.get(t)}


def terms_in(text: str, terms: Iterable[str]) -> list[str]:
    """Return which of `terms` occur in `text`, matched as the glossary matches them."""
    wanted = sorted(set(terms))
    if not wanted:
        return []
    # A term removed from the glossary is matched too: as a name, which is all it takes.
    found = Glossary(Term(term, None, "record") for term in wanted).find(text)
    return sorted({match.term.source for match in found})


def lines_up(record: PostRecord, target: Sequence[BlockText]) -> bool:
    """Tell whether a target post's blocks still correspond one to one to the record's.

    A reviewer who split, merged or reordered blocks breaks the correspondence; then
    nothing can be matched safely and the tool never guesses.
    """
    if [(b.key, b.kind) for b in target] != [(b.key, b.kind) for b in record.blocks]:
        return False
    # Blocks of one kind swapped (two list items, say) keep keys and kinds; their texts
    # give them away: a block now holds what the record has for another one.
    known = [{normalize(t) for t in (b.written, b.reviewed) if t} for b in record.blocks]
    for index, block in enumerate(target):
        text = normalize(block.text)
        if text not in known[index] and any(
            text in others for other, others in enumerate(known) if other != index
        ):
            return False
    return True


def learn(record: PostRecord, target: Sequence[BlockText]) -> PostRecord:
    """Return the record with the target post's corrections learned (it must line up)."""
    blocks = []
    for block, now in zip(record.blocks, target, strict=True):
        if normalize(now.text) == normalize(block.written):
            blocks.append(replace(block, reviewed=None))
        elif block.reviewed is None or normalize(now.text) != normalize(block.reviewed):
            blocks.append(replace(block, reviewed=now.text))
        else:
            blocks.append(block)
    return replace(record, blocks=tuple(blocks))


def adopt(
    source_path: str,
    target_path: str,
    source_text: str,
    source: Sequence[BlockText],
    target: Sequence[BlockText],
) -> PostRecord | None:
    """Make a record for a target post the tool has no record of, if the blocks line up.

    Without a record nobody knows what was machine-translated, so every block of an
    existing target post counts as reviewed: no English text is ever lost.
    """
    if [(b.key, b.kind) for b in source] != [(b.key, b.kind) for b in target]:
        return None
    # `written` stays empty: what a machine wrote (if anything) is unknown.
    blocks = tuple(
        BlockRecord(s.key, s.kind, s.text, "", reviewed=t.text)
        for s, t in zip(source, target, strict=True)
    )
    engine = "unknown (adopted existing translation)"
    return PostRecord(source_path, target_path, engine, blocks, digest(source_text))


# --- files ---------------------------------------------------------------------------------


def settle(pending: Path, path: Path, *, shown: str, what: str) -> None:
    """Make a pending record the record, in one rename, once its `what` was written."""
    try:
        os.replace(pending, path)
    except OSError as error:
        raise WriteError(
            f"cannot write the record: {error.strerror or error}",
            path=shown,
            hint=f"the {what} was written; the next run completes its record",
        ) from None


@dataclass
class MemoryStore:
    """The `translation-memory/<pair>/` folder of a site."""

    site: Site
    _imported: dict[str, str] | None = field(default=None, repr=False)
    # Records read or written by this store, by file: a run reads each one once.
    _known: dict[Path, PostRecord] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Path:
        """Return the site root."""
        return self.site.root

    @property
    def folder(self) -> Path:
        """Return the folder holding this language pair's records and memory."""
        return self.root / MEMORY_DIR / f"{self.site.source}-{self.site.target}"

    @property
    def imported_path(self) -> Path:
        """Return the file holding entries imported from TMX."""
        return self.folder / "imported.jsonl"

    def record_path(self, post: Path) -> Path:
        """Return where the record of a source post is kept: under its key, in either layout.

        The key is the post's path in its content folder without a language suffix:
        `content/de/post/x.md` (by folder) and `content/post/x.de.md` (by file name) are
        both kept as `records/post/x.md.jsonl`.
        """
        return self.folder / "records" / f"{self.site.key(post)}{RECORD_SUFFIX}"

    def pending_path(self, post: Path) -> Path:
        """Return where a post's next record waits while the post is being written."""
        path = self.record_path(post)
        return path.with_name(path.name + PENDING_SUFFIX)

    def load(self, post: Path) -> PostRecord | None:
        """Read the record of a source post, or None if there is none."""
        return self._read(self.record_path(post))

    def save(self, post: Path, record: PostRecord) -> None:
        """Write a post's record (atomically; unchanged records are not rewritten)."""
        path = self.record_path(post)
        if self._known.get(path) == record:
            return
        write_atomic(path, format_record(record))
        self._known[path] = record

    def stage(self, post: Path, record: PostRecord) -> None:
        """Write the record of a post about to be written, as pending: the first step."""
        path = self.pending_path(post)
        write_atomic(path, format_record(record))
        self._known[path] = record

    def commit(self, post: Path) -> None:
        """Make the pending record the post's record, in one rename: the last step."""
        pending, path = self.pending_path(post), self.record_path(post)
        record = self._read(pending)
        self._known.pop(pending, None)
        settle(pending, path, shown=self._show(path), what="post")
        if record is not None:
            self._known[path] = record

    def discard(self, post: Path) -> None:
        """Remove a pending record whose post was not written (best effort)."""
        path = self.pending_path(post)
        self._known.pop(path, None)
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)

    def reconcile(self, post: Path, target_text: str | None, *, save: bool) -> PostRecord | None:
        """Return a post's record, settling a pending one that an interrupted run left.

        A target post on disk that is exactly the pending record's text was written: the
        pending record is the record. Anything else (the previous text, a reviewer's edit of
        it, no post at all) means the post was not written: the pending record goes and the
        previous one stands, so nothing the machine wrote is taken for a reviewer's text.
        With `save`, the outcome is written to disk; otherwise it is only returned.
        """
        pending_path = self.pending_path(post)
        if not pending_path.is_file():
            return self.load(post)
        try:
            pending = self._read(pending_path)
        except RecordError:
            pending = None  # a journal that cannot be read never describes the post
        if (
            pending is not None
            and target_text is not None
            and pending.target_digest == digest(target_text)
        ):
            if save:
                self.commit(post)
            return pending
        if save:
            self.discard(post)
        return self.load(post)

    def records(self, *, skip_damaged: bool = False) -> Iterator[PostRecord]:
        """Yield every record of this language pair, in path order.

        With `skip_damaged`, a damaged record is passed over instead of raising: a run
        reports it as the error of its own post, and the other posts go on.
        """
        folder = self.folder / "records"
        for path in sorted(folder.rglob(f"*{RECORD_SUFFIX}")) if folder.is_dir() else ():
            try:
                record = self._read(path)
            except RecordError:
                if not skip_damaged:
                    raise
                continue
            if record is not None:
                yield record

    def _read(self, path: Path) -> PostRecord | None:
        """Read a record file once; later calls get the same record."""
        if path in self._known:
            return self._known[path]
        if not path.exists():
            return None
        if not path.is_file():
            raise RecordError(
                "not a file: a folder stands where this record should be",
                path=self._show(path),
                hint="move it away; the record is written anew",
            )
        record = read_record(path, self._show(path))
        self._known[path] = record
        return record

    def imported_entries(self) -> list[tuple[str, str]]:
        """Return the entries imported from TMX, as (source, target), in file order."""
        if self._imported is None:
            self._imported = {}
            if self.imported_path.is_file():
                name = self._show(self.imported_path)
                for entry in _read_jsonl(self.imported_path, name, _REPAIR_IMPORTED):
                    source, target = _entry(entry, name)
                    self._imported.setdefault(source, target)
        return list(self._imported.items())

    def add_imported(self, pairs: Sequence[tuple[str, str]]) -> tuple[int, int, int]:
        """Add (source, target) pairs to the imported entries; return (new, updated, total).

        Importing is idempotent: a pair the memory already holds (whitespace folded) is
        neither new nor stored again, so re-importing one's own export changes nothing. A
        pair whose source the memory holds with another target is an update, and replaces
        an imported entry for that source. The file is read afresh (call this under the
        memory's lock) and written sorted by source, one entry per line.
        """
        self._imported = None
        known: dict[str, set[str]] = {}
        # A damaged record stops its own post, not an import.
        for source, target in self.entries(skip_damaged=True):
            known.setdefault(normalize(source), set()).add(normalize(target))
        entries = {normalize(s): (s, t) for s, t in self.imported_entries()}
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
            entries[normalize(source)] = (source, target)
        if new or updated:
            lines = [
                json.dumps({"source": s, "target": t}, ensure_ascii=False)
                for s, t in sorted(entries.values())
            ]
            write_atomic(self.imported_path, "".join(line + "\n" for line in lines))
        self._imported = dict(sorted(entries.values()))
        return new, updated, len(entries)

    def entries(self, *, skip_damaged: bool = False) -> list[tuple[str, str]]:
        """Return every (source, target) entry: reviewed blocks of all records, then imports."""
        reviewed = [
            (block.source, block.reviewed)
            for record in self.records(skip_damaged=skip_damaged)
            for block in (*record.blocks, *record.retired)
            if block.reviewed is not None
        ]
        return list(dict.fromkeys([*reviewed, *self.imported_entries()]))

    def memory(self) -> TranslationMemory:
        """Return the translation memory; the first entry for a source block wins."""
        lookup: dict[str, str] = {}
        for source, target in self.entries(skip_damaged=True):
            lookup.setdefault(normalize(source), target)
        return TranslationMemory(lookup)

    def _show(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


@dataclass(frozen=True)
class TranslationMemory:
    """Reviewed translations of whole blocks, looked up by their source text."""

    entries: Mapping[str, str]

    def get(self, source: str) -> str | None:
        """Return the reviewed translation of a source block, if there is one."""
        return self.entries.get(normalize(source))

    def __len__(self) -> int:
        return len(self.entries)


def format_record(record: PostRecord) -> str:
    """Serialize a record: a header line, then one line per block, keys in fixed order."""
    header: dict[str, object] = {
        "format": FORMAT,
        "source": record.source_path,
        "target": record.target_path,
        "engine": record.engine,
        "source_digest": record.source_digest,
        "target_digest": record.target_digest,
        "keys_digest": record.keys_digest,
        "target_settings": dict(sorted(record.target_settings.items())),
    }
    if record.terms is not None:
        header["terms"] = dict(sorted(record.terms.items()))
    lines = [json.dumps(header, ensure_ascii=False)]
    for block in record.blocks:
        lines.append(_format_block(block))
    for block in sorted(record.retired, key=lambda b: (b.source, b.reviewed or "")):
        lines.append(_format_block(block, retired=True))
    return "".join(line + "\n" for line in lines)


def _format_block(block: BlockRecord, *, retired: bool = False) -> str:
    entry: dict[str, str | bool] = {
        "key": block.key,
        "kind": block.kind,
        "source": block.source,
        "written": block.written,
    }
    if block.reviewed is not None:
        entry["reviewed"] = block.reviewed
    if retired:
        entry["retired"] = True
    return json.dumps(entry, ensure_ascii=False)


def read_record(path: Path, name: str) -> PostRecord:
    """Parse a record file; a damaged one is an error naming the file and line."""
    entries = list(_read_jsonl(path, name))
    if not entries:
        raise RecordError("empty record", path=name, line=1, hint=_REPAIR)
    (line, header), *blocks = entries
    if header.get("format") not in (FORMAT, OLD_FORMAT):
        raise RecordError(f"not a {FORMAT} header", path=name, line=line, hint=_REPAIR)
    try:
        source_path, target_path = _string(header, "source"), _string(header, "target")
        settings, terms = _header_maps(header)
    except (KeyError, TypeError) as error:
        raise RecordError(
            f"the header is missing or has a bad {error.args[0]!r}",
            path=name,
            line=line,
            hint=_REPAIR,
        ) from None
    parsed: list[BlockRecord] = []
    retired: list[BlockRecord] = []
    for line, entry in blocks:
        try:
            (retired if entry.get("retired") is True else parsed).append(
                BlockRecord(
                    key=_string(entry, "key"),
                    kind=_string(entry, "kind"),
                    source=_string(entry, "source"),
                    written=_string(entry, "written"),
                    reviewed=_string(entry, "reviewed") if "reviewed" in entry else None,
                )
            )
        except (KeyError, TypeError) as error:
            raise RecordError(
                f"block entry is missing or has a bad {error.args[0]!r}",
                path=name,
                line=line,
                hint=_REPAIR,
            ) from None
    return PostRecord(
        source_path,
        target_path,
        engine=str(header.get("engine", "")),
        blocks=tuple(parsed),
        source_digest=str(header.get("source_digest", "")),
        retired=tuple(retired),
        target_settings=settings,
        target_digest=str(header.get("target_digest", "")),
        keys_digest=str(header.get("keys_digest", "")),
        terms=terms,
    )


def _header_maps(header: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str] | None]:
    """Return a header's settings digests and glossary terms, either format's."""
    settings = header.get("target_settings", {})
    if isinstance(settings, str):  # version 1: one digest of all the values
        return ({"": settings} if settings else {}), None
    terms = header.get("terms")
    return _strings(settings, "target_settings"), (
        None if terms is None else _strings(terms, "terms")
    )


def _strings(value: object, key: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise TypeError(key)
    return {str(k): v for k, v in value.items()}


_REPAIR = (
    "fix the line (each is one JSON object), or restore the file from git; deleting it "
    "makes the tool treat the existing translation as reviewed"
)


_REPAIR_IMPORTED = (
    "fix the line (each is one JSON object), or restore the file from git; deleting it "
    "drops the imported entries until the TMX files are imported again"
)


def _read_jsonl(
    path: Path, name: str, hint: str = _REPAIR
) -> Iterator[tuple[int, dict[str, object]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RecordError("not UTF-8", path=name, hint=hint) from None
    except OSError as error:
        raise RecordError(
            f"cannot read: {error.strerror or error}",
            path=name,
            hint="check that it is a file you may read",
        ) from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise RecordError(
                f"not valid JSON: {error.msg} (column {error.colno})",
                path=name,
                line=number,
                hint=hint,
            ) from None
        if not isinstance(entry, dict):
            raise RecordError("a line must be a JSON object", path=name, line=number, hint=hint)
        yield number, entry


def _string(entry: Mapping[str, object], key: str) -> str:
    value = entry[key]
    if not isinstance(value, str):
        raise TypeError(key)
    return value


def _entry(item: tuple[int, Mapping[str, object]], name: str) -> tuple[str, str]:
    line, entry = item
    try:
        return _string(entry, "source"), _string(entry, "target")
    except (KeyError, TypeError) as error:
        raise RecordError(
            f"entry is missing or has a bad {error.args[0]!r}",
            path=name,
            line=line,
            hint=_REPAIR_IMPORTED,
        ) from None


# --- a post and its translation, as they stand -----------------------------------------------


@dataclass
class Tracked:
    """A source post, its translation (if any) and its record, after learning.

    The posts are parsed into blocks only when asked: a post whose files are exactly as its
    record says (`fresh`) is up to date without being parsed.
    """

    source_text: str
    target_text: str | None  # None: no translation yet
    record: PostRecord | None
    aligned: bool  # the translation lines up with its record
    keys: tuple[str, ...]
    target_name: str  # the translation's path, for messages
    fresh: bool = False  # source and translation are exactly as the record says
    # Glossary terms added, removed or changed since the record, found in the source's
    # blocks: those blocks need a translation again.
    changed_terms: tuple[str, ...] = ()

    @cached_property
    def source_blocks(self) -> list[BlockText]:
        """Return the source post's blocks."""
        return read_blocks(self.source_text, self.keys)

    @cached_property
    def target_blocks(self) -> list[BlockText] | None:
        """Return the translation's blocks (None when there is none)."""
        if self.target_text is None:
            return None
        try:
            return read_blocks(self.target_text, self.keys)
        except TranslateError as error:
            raise PostError(
                f"the translation no longer parses: {error.message}",
                path=self.target_name,
                line=error.line,
                hint="fix it by hand; nothing was changed",
            ) from None

    @property
    def outdated(self) -> bool:
        """Tell whether the source (or a glossary term in it) changed since the translation."""
        if self.record is None:
            return True
        if self.fresh:
            return False
        return bool(self.changed_terms) or not self.record.same_source(
            self.source_text, self.source_blocks
        )


def track(
    site: Site,
    store: MemoryStore,
    keys: Sequence[str],
    path: Path,
    *,
    save: bool,
    glossary: Glossary | None = None,
) -> Tracked:
    """Read a source post and its translation, and learn the reviewer's corrections.

    A pending record left by an interrupted run is settled first. With `save`, a record
    that learned something (or was adopted, or settled) is written back. Without a
    `glossary`, glossary changes are not looked for.
    """
    keys = tuple(keys)
    text = read_post(path)
    target = site.target_of(path)
    target_text = read_post(target) if target.exists() else None
    record = store.reconcile(path, target_text, save=save)
    terms = glossary_terms(glossary, text) if glossary is not None else None
    tracked = Tracked(text, target_text, record, False, keys, site.show(target))
    if target_text is None:
        return tracked
    if record is not None and _fresh(record, text, target_text, keys, terms):
        tracked.aligned = tracked.fresh = True
        return tracked
    target_blocks = tracked.target_blocks
    assert target_blocks is not None
    if record is None:
        # No record (first run over an existing translation, or records deleted): the
        # translation counts as reviewed, block by block, where it lines up.
        record = adopt(
            site.show(path), site.show(target), text, tracked.source_blocks, target_blocks
        )
        if record is not None:
            record = _settled(record, text, target_text, keys, terms, settings=True)
            if save:
                store.save(path, record)
        tracked.record, tracked.aligned = record, record is not None
        return tracked
    if not lines_up(record, target_blocks):
        return tracked
    updated = learn(record, target_blocks)
    tracked.record, tracked.aligned = updated, True
    if terms is not None:
        changed = changed_terms(updated, terms)
        tracked.changed_terms = tuple(
            sorted({t for block in tracked.source_blocks for t in terms_in(block.text, changed)})
        )
    if not tracked.outdated:
        # Up to date: remember the translation as it is now, so that the next run need
        # not parse it (and upgrade a version 1 record while at it).
        updated = _settled(updated, text, target_text, keys, terms)
        tracked.record = updated
    if updated != record and save:
        store.save(path, updated)
    return tracked


def _fresh(
    record: PostRecord,
    source_text: str,
    target_text: str,
    keys: Sequence[str],
    terms: Mapping[str, str] | None,
) -> bool:
    """Tell whether both posts are exactly as the record says: nothing to parse or learn."""
    return (
        bool(record.target_digest)
        and record.source_digest == digest(source_text)
        and record.target_digest == digest(target_text)
        and record.keys_digest == keys_digest(keys)
        and (terms is None or record.terms == terms)
    )


def _settled(
    record: PostRecord,
    source_text: str,
    target_text: str,
    keys: Sequence[str],
    terms: Mapping[str, str] | None,
    *,
    settings: bool = False,
) -> PostRecord:
    """Return an up-to-date record with the digests of the posts as they stand now.

    The target's settings are taken from it only for a new record (`settings`) or to
    upgrade a version 1 digest that still matches: otherwise they stay as written, so that
    a reviewer's change to them is still noticed when the source changes.
    """
    target_settings = record.target_settings
    if settings or ("" in target_settings and not changed_settings(record, target_text, keys)):
        target_settings = settings_values(target_text, keys)
    return replace(
        record,
        source_digest=digest(source_text),
        target_digest=digest(target_text),
        keys_digest=keys_digest(keys),
        target_settings=target_settings,
        terms=record.terms if terms is None else dict(terms),
    )


@dataclass
class LearnReport:
    """What `translate learn` did: posts read, with their reviewed blocks, and errors."""

    learned: list[tuple[Path, int]] = field(default_factory=list)
    errors: list[TranslateError] = field(default_factory=list)


def learn_site(
    site: Site, store: MemoryStore, keys: Sequence[str], glossary: Glossary | None = None
) -> LearnReport:
    """Learn the corrections in every translation; return (post, reviewed blocks) pairs.

    A post that cannot be read, or that breaks the tool, is an error of its own; the other
    posts are learned.
    """
    report = LearnReport()
    posts, _ = site.discover()
    for path in posts:
        try:
            tracked = track(site, store, keys, path, save=True, glossary=glossary)
        except TranslateError as error:
            report.errors.append(error if error.path else error.located(site.show(path)))
            continue
        except Exception as error:  # a bug: that post's error, the others are learned
            report.errors.append(InternalError(error, path=site.show(path)))
            continue
        if tracked.record is not None and tracked.aligned:
            report.learned.append((path, tracked.record.reviewed_count))
    return report
