"""A file and its record change together: record pending, file, record committed.

Posts and i18n string tables are written the same way. The new record is written beside the
old one as `<record>.pending`, then the file, then the pending record replaces the old one in
one rename; each step is on disk (fsync'd, file and folder) before the next begins. A run
killed in between leaves a pending record, which the next start settles against the file on
disk: if the file is the one the pending record describes, it was written and the pending
record is the record; otherwise the pending record goes. So the machine's text is never
taken for a reviewer's, and a reviewer's never for the machine's.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from translate.errors import RecordError, WriteError
from translate.files import remove_stale_temporaries, write_atomic

PENDING_SUFFIX = ".pending"
# Writes a file's text (returning whatever it likes: `write_atomic` says if it wrote).
WriteTarget = Callable[[Path, str], object]
# What this tool writes under a site: posts, records (JSON Lines, JSON), pending records.
WRITTEN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".jsonl", ".json", PENDING_SUFFIX)


def pending_path(record: Path) -> Path:
    """Return where the next version of `record` waits while its file is being written."""
    return record.with_name(record.name + PENDING_SUFFIX)


def write_together(
    record: Path,
    record_text: str,
    target: Path,
    target_text: str,
    *,
    show: Callable[[Path], str],
    what: str = "post",
    write_target: WriteTarget = write_atomic,
) -> None:
    """Write `target` and its `record` as one change (see the module's docstring).

    `write_target` writes the file itself (a caller may pass one that keeps links).
    """
    pending = pending_path(record)
    write_atomic(pending, record_text)
    try:
        write_target(target, target_text)
    except BaseException:
        discard(record)
        raise
    commit(record, show=show, what=what)


def write_record(record: Path, text: str) -> None:
    """Write a record on its own (its file unchanged): atomically, on disk when done."""
    write_atomic(record, text)
    _sync_folder(record.parent)


def commit(record: Path, *, show: Callable[[Path], str], what: str = "post") -> None:
    """Make the pending record the record, in one rename: the last step."""
    try:
        os.replace(pending_path(record), record)
    except OSError as error:
        raise WriteError(
            f"cannot write the record: {error.strerror or error}",
            path=show(record),
            hint=f"the {what} was written; the next run completes its record",
        ) from None
    _sync_folder(record.parent)


def discard(record: Path) -> None:
    """Remove a pending record whose file was not written (best effort)."""
    with contextlib.suppress(OSError):
        pending_path(record).unlink(missing_ok=True)


def settle(
    record: Path,
    describes: Callable[[Path], bool],
    *,
    show: Callable[[Path], str],
    save: bool,
    what: str = "post",
) -> Path | None:
    """Settle a pending record that an interrupted run left; return the record to read.

    `describes(pending)` tells whether the pending record describes the file on disk (it
    may raise RecordError for a pending record that cannot be read, which describes
    nothing). With `save` the outcome is made final on disk; without it, only the path
    to read is returned: the pending record's or the record's (None: no record).
    """
    pending = pending_path(record)
    if not pending.is_file():
        return record if record.exists() else None
    try:
        written = describes(pending)
    except RecordError:
        written = False
    if written:
        if save:
            commit(record, show=show, what=what)
            return record
        return pending
    if save:
        discard(record)
    return record if record.exists() else None


def remove_stale(folders: Iterable[Path]) -> list[Path]:
    """Remove temporary files a killed write left in `folders`; return what was removed."""
    return remove_stale_temporaries(folders, WRITTEN_SUFFIXES)


def _sync_folder(folder: Path) -> None:
    """Put a rename in `folder` on disk, where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder: the rename stands all the same
    finally:
        os.close(descriptor)
