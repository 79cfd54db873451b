"""Per-post records of what was translated, and the translation memory built from them.

For every translated post the tool keeps a record: per block (front matter value,
heading, paragraph, list item, table cell...), the source text and the target text it
wrote. When a reviewer corrects the target post, the corrected block no longer matches
what was written: it is learned as the reviewed translation of its source block, and
used, before any model, wherever that source block appears again.

Records live in the site repository, one JSON Lines file per post under
`translation-memory/<source>-<target>/records/`, mirroring the source post's path. One
line per block, in document order, keys in a fixed order, no timestamps: a change to one
block changes one line, and two pull requests touching different posts touch different
files. Entries imported from TMX files go to `translation-memory/<pair>/imported.jsonl`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from translate.errors import PostError, RecordError, TranslateError
from translate.front_matter import split_front_matter
from translate.pipeline import BlockText, read_blocks
from translate.site import Site, read_post
from translate.writer import write_atomic

MEMORY_DIR = "translation-memory"
RECORD_SUFFIX = ".jsonl"
FORMAT = "hugo-translate/record/1"


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
    engine: str  # what produced the machine translations, for reproducibility
    blocks: tuple[BlockRecord, ...]
    # Digest of the whole source post: a changed date or URL outside the blocks also
    # makes the translation outdated.
    source_digest: str = ""
    # Reviewed blocks whose source block has since changed or gone: kept for the memory,
    # so nothing a reviewer wrote is lost (the old source text may come back).
    retired: tuple[BlockRecord, ...] = ()
    # Digest of the target's front matter outside the translatable keys, as written: an
    # update rewrites those values from the source, so a reviewer's change there (a
    # `slug`) must stop it rather than be lost.
    target_settings: str = ""

    @property
    def reviewed(self) -> bool:
        """Tell whether a reviewer corrected any block."""
        return any(block.reviewed is not None for block in self.blocks)

    def same_source(self, text: str, blocks: Sequence[BlockText]) -> bool:
        """Tell whether the source post now (`text`, `blocks`) is the one recorded."""
        if self.source_digest and self.source_digest != digest(text):
            return False
        return [(b.kind, b.text) for b in blocks] == [(b.kind, b.source) for b in self.blocks]


def digest(text: str) -> str:
    """Return a short, stable fingerprint of a post's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def settings_digest(text: str, keys: Sequence[str]) -> str:
    """Fingerprint a post's front matter values outside the translatable keys."""
    front_matter, _ = split_front_matter(text)
    translatable = {field.path for field in front_matter.fields(keys)}

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


@dataclass
class MemoryStore:
    """The `translation-memory/<pair>/` folder of a site."""

    site: Site
    _imported: dict[str, str] | None = field(default=None, repr=False)

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
        """Return where the record of a source post is kept: its path, mirrored."""
        relative = post.relative_to(self.site.source_root)
        return self.folder / "records" / f"{relative}{RECORD_SUFFIX}"

    def load(self, post: Path) -> PostRecord | None:
        """Read the record of a source post, or None if there is none."""
        path = self.record_path(post)
        if not path.is_file():
            return None
        return read_record(path, self._show(path))

    def save(self, post: Path, record: PostRecord) -> None:
        """Write a post's record (atomically; unchanged records are not rewritten)."""
        path = self.record_path(post)
        text = format_record(record)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
        write_atomic(path, text)

    def records(self, *, skip_damaged: bool = False) -> Iterator[PostRecord]:
        """Yield every record of this language pair, in path order.

        With `skip_damaged`, a damaged record is passed over instead of raising: a run
        reports it as the error of its own post, and the other posts go on.
        """
        folder = self.folder / "records"
        for path in sorted(folder.rglob(f"*{RECORD_SUFFIX}")) if folder.is_dir() else ():
            try:
                yield read_record(path, self._show(path))
            except RecordError:
                if not skip_damaged:
                    raise

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
    header = {
        "format": FORMAT,
        "source": record.source_path,
        "target": record.target_path,
        "engine": record.engine,
        "source_digest": record.source_digest,
        "target_settings": record.target_settings,
    }
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
    if header.get("format") != FORMAT:
        raise RecordError(f"not a {FORMAT} header", path=name, line=line, hint=_REPAIR)
    try:
        source_path, target_path = _string(header, "source"), _string(header, "target")
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
        str(header.get("engine", "")),
        tuple(parsed),
        str(header.get("source_digest", "")),
        tuple(retired),
        str(header.get("target_settings", "")),
    )


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
    """A source post, its translation (if any) and its record, after learning."""

    source_text: str
    source_blocks: list[BlockText]
    target_blocks: list[BlockText] | None  # None: no translation yet
    record: PostRecord | None
    aligned: bool  # the translation lines up with its record
    target_text: str = ""  # the translation as it stands ("" when there is none)

    @property
    def outdated(self) -> bool:
        """Tell whether the source changed since the translation was written."""
        return self.record is None or not self.record.same_source(
            self.source_text, self.source_blocks
        )


def track(
    site: Site, store: MemoryStore, keys: Sequence[str], path: Path, *, save: bool
) -> Tracked:
    """Read a source post and its translation, and learn the reviewer's corrections.

    With `save`, a record that learned something (or was adopted) is written back.
    """
    text = read_post(path)
    source_blocks = read_blocks(text, keys)
    record = store.load(path)
    target = site.sibling(path)
    if not target.exists():
        return Tracked(text, source_blocks, None, record, aligned=False)
    target_text = read_post(target)
    try:
        target_blocks = read_blocks(target_text, keys)
    except TranslateError as error:
        raise PostError(
            f"the translation no longer parses: {error.message}",
            path=site.show(target),
            line=error.line,
            hint="fix it by hand; nothing was changed",
        ) from None
    if record is None:
        # No record (first run over an existing translation, or records deleted): the
        # translation counts as reviewed, block by block, where it lines up.
        record = adopt(site.show(path), site.show(target), text, source_blocks, target_blocks)
        if record is not None:
            record = replace(record, target_settings=settings_digest(target_text, keys))
        if record is not None and save:
            store.save(path, record)
        return Tracked(text, source_blocks, target_blocks, record, record is not None, target_text)
    if not lines_up(record, target_blocks):
        return Tracked(text, source_blocks, target_blocks, record, False, target_text)
    updated = learn(record, target_blocks)
    if updated != record and save:
        store.save(path, updated)
    return Tracked(text, source_blocks, target_blocks, updated, True, target_text)


def learn_site(site: Site, store: MemoryStore, keys: Sequence[str]) -> list[tuple[Path, int]]:
    """Learn the corrections in every translation; return (post, reviewed blocks) pairs.

    Posts that cannot be read are skipped with their error raised at the end, after the
    others were learned.
    """
    learned: list[tuple[Path, int]] = []
    errors: list[TranslateError] = []
    for path in site.posts():
        try:
            tracked = track(site, store, keys, path, save=True)
        except TranslateError as error:
            errors.append(error if error.path else error.located(site.show(path)))
            continue
        if tracked.record is not None and tracked.aligned:
            count = sum(1 for block in tracked.record.blocks if block.reviewed is not None)
            learned.append((path, count))
    if errors:
        raise errors[0]
    return learned
