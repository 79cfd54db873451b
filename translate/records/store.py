"""The `translation-memory/<source>-<target>/` folder of a site: records and imported entries.

Records live in the site repository, one JSON Lines file per source post under `records/`,
named by the post's path in its content folder without a language suffix, the same in both
of Hugo's layouts (`content/de/post/x.md` and `content/post/x.de.md` are both
`records/post/x.md.jsonl`). Entries imported from TMX go to `imported.jsonl`, sorted by
source, one per line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from translate.errors import RecordError
from translate.hugo.site import Site
from translate.records import journal
from translate.records.schema import PostRecord, digest, format_record, parse_record

MEMORY_DIR = "translation-memory"
RECORD_SUFFIX = ".jsonl"
_REPAIR_IMPORTED = (
    "fix the line (each is one JSON object), or restore the file from git; deleting it "
    "drops the imported entries until the TMX files are imported again"
)


class ImportedEntry(msgspec.Struct, frozen=True):
    """A translation imported from a TMX file: a sentence or a whole block."""

    source: str
    target: str


@dataclass
class RecordStore:
    """One language pair's records and imported entries in a site."""

    site: Site
    # Records read or written by this store, by file: a run reads each one once.
    _known: dict[Path, PostRecord] = field(default_factory=dict, repr=False)
    _imported: list[ImportedEntry] | None = field(default=None, repr=False)

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
        """Return where the record of a source post is kept: under its key, in either layout."""
        return self.folder / "records" / f"{self.site.key(post)}{RECORD_SUFFIX}"

    def show(self, path: Path) -> str:
        """Return `path` as messages name it: relative to the site root."""
        return self.site.show(path)

    # --- one post's record ---------------------------------------------------------------

    def load(
        self, post: Path, target_text: str | None = None, *, save: bool = False
    ) -> PostRecord | None:
        """Return a post's record, settling a pending one an interrupted run left.

        The pending record is the record if the translation on disk (`target_text`) is the
        one it describes; otherwise it goes. With `save` that is made final on disk.
        """
        path = self.record_path(post)

        def describes(pending: Path) -> bool:
            record = self._read(pending)
            return (
                record is not None
                and target_text is not None
                and record.header.target_digest == digest(target_text)
            )

        found = journal.settle(path, describes, show=self.show, save=save)
        if found is not None and found != path:
            return self._read(found)
        self._known.pop(journal.pending_path(path), None)
        return self._read(path) if found is not None else None

    def save(self, post: Path, record: PostRecord) -> None:
        """Write a post's record on its own (unchanged records are not rewritten)."""
        path = self.record_path(post)
        if self._known.get(path) == record:
            return
        journal.write_record(path, format_record(record))
        self._known[path] = record

    def write(
        self,
        post: Path,
        record: PostRecord,
        target: Path,
        text: str,
        write_target: journal.WriteTarget | None = None,
    ) -> None:
        """Write a post's translation and its record as one change (see `journal`)."""
        path = self.record_path(post)
        text_of_record = format_record(record)
        if write_target is None:
            journal.write_together(path, text_of_record, target, text, show=self.show)
        else:
            journal.write_together(
                path, text_of_record, target, text, show=self.show, write_target=write_target
            )
        self._known.pop(journal.pending_path(path), None)
        self._known[path] = record

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
        name = self.show(path)
        if not path.is_file():
            raise RecordError(
                "not a file: a folder stands where this record should be",
                path=name,
                hint="move it away; the record is written anew",
            )
        record = parse_record(_read_text(path, name), name)
        self._known[path] = record
        return record

    # --- imported entries ----------------------------------------------------------------

    def imported(self) -> list[ImportedEntry]:
        """Return the entries imported from TMX, in file order (the first per source wins)."""
        if self._imported is None:
            entries: dict[str, ImportedEntry] = {}
            path = self.imported_path
            if path.is_file():
                name = self.show(path)
                for number, line in enumerate(_read_text(path, name).splitlines(), start=1):
                    if line.strip():
                        entry = _imported_entry(line, name, number)
                        entries.setdefault(entry.source, entry)
            self._imported = list(entries.values())
        return list(self._imported)

    def reload_imported(self) -> None:
        """Forget the imported entries read so far: the next call reads the file afresh."""
        self._imported = None

    def save_imported(self, entries: Sequence[ImportedEntry]) -> None:
        """Replace the imported entries: sorted by source, one JSON object per line."""
        ordered = sorted(entries, key=lambda entry: (entry.source, entry.target))
        lines = [
            json.dumps(msgspec.to_builtins(entry), ensure_ascii=False) for entry in ordered
        ]
        journal.write_record(self.imported_path, "".join(line + "\n" for line in lines))
        self._imported = list(ordered)


def _read_text(path: Path, name: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RecordError("not UTF-8", path=name, hint="restore the file from git") from None
    except OSError as error:
        raise RecordError(
            f"cannot read: {error.strerror or error}",
            path=name,
            hint="check that it is a file you may read",
        ) from None


def _imported_entry(line: str, name: str, number: int) -> ImportedEntry:
    try:
        return msgspec.json.decode(line, type=ImportedEntry, strict=True)
    except msgspec.ValidationError as error:
        message = f"entry is missing or has a bad field: {error}"
        raise RecordError(message, path=name, line=number, hint=_REPAIR_IMPORTED) from None
    except (msgspec.DecodeError, RecursionError) as error:
        message = f"not valid JSON: {error}"
        raise RecordError(message, path=name, line=number, hint=_REPAIR_IMPORTED) from None
