"""Write files atomically, so no half-written post or record is ever left behind.

A file is written to a temporary file next to it, ``.NAME.XXXXXXXX.tmp``, flushed to disk,
then renamed over it, and the folder is flushed so that the rename survives a power cut. A
process killed between the two steps leaves the temporary file behind; a later run removes
such leftovers (`remove_stale_temporaries`).

Only regular files are written. A path that is a FIFO, a device or a folder is refused, never
replaced; a symbolic link is written through (the file it points to is replaced, the link
stays) when the caller allows links into a folder and the link points there, and refused
otherwise.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from translate.errors import WriteError
from translate.files.paths import node_kind, printable

# `.index.md.k3x9_a0b.tmp`: the name, then eight characters as tempfile.mkstemp makes them
# (earlier versions of the tool used it).
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
# A write takes well under a second; a temporary file this old belongs to no live write.
STALE_AFTER_SECONDS = 10 * 60


def write_atomic(
    path: Path,
    content: str | bytes,
    *,
    parents: bool = True,
    follow_links_within: Path | None = None,
) -> bool:
    """Write `content` (text as UTF-8) to `path` through a temporary file and a rename.

    Return whether the file was written: a file that already holds exactly `content` is
    left alone. A new file gets the permissions the umask gives (0644 under umask 022); a
    replaced file keeps its own. Line endings are written exactly as they are in `content`.
    With `parents`, missing folders are created; without, they are an error.

    With `follow_links_within`, a symbolic link at `path` is written through if the file
    it leads to lies in that folder, and the file written (through links in the folders
    above it, too) must lie there; without it, a link at `path` is refused. Raise
    WriteError for a path that is not a regular file, a link that may not be followed, and
    any failure to write; the file is then as it was.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    destination = writable_path(path, follow_links_within=follow_links_within)
    mode = _mode_of(destination)
    if mode is not None and _holds(destination, data):
        return False
    try:
        if parents:
            destination.parent.mkdir(parents=True, exist_ok=True)
        elif not destination.parent.is_dir():
            raise WriteError(
                f"no folder {printable(destination.parent)}",
                path=printable(path),
                hint="create the folder first",
            )
        handle, temporary = _create_temporary(destination)
    except OSError as error:
        raise WriteError(
            f"cannot write here: {error.strerror or error}",
            path=printable(path),
            hint="check that the folder exists and is writable",
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if mode is not None:
                os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, destination)
        fsync_directory(destination.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(
            f"cannot write: {error.strerror or error}",
            path=printable(path),
            hint="check free disk space and permissions",
        ) from None
    return True


def writable_path(path: Path, *, follow_links_within: Path | None = None) -> Path:
    """Return the file that writing `path` replaces or creates, or raise WriteError.

    `path` itself, or, for a symbolic link that may be followed, the file it leads to.
    What exists there must be a regular file; see `write_atomic` for the rules on links.
    """
    shown = printable(path)
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        link = False
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror or error}", path=shown) from None
    if link and follow_links_within is None:
        raise WriteError(
            "is a symbolic link; it is not replaced by a file",
            path=shown,
            hint="write to the file it points to, or remove the link",
        )
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror or error}", path=shown) from None
    if info is None and link:
        raise WriteError(
            "is a symbolic link to nothing",
            path=shown,
            hint="point the link at a file, or remove it",
        )
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise WriteError(
            f"is {node_kind(info.st_mode)}, not a regular file; it is not replaced",
            path=shown,
            hint="name a regular file to write (or - for the standard output, where allowed)",
        )
    if follow_links_within is None:
        return path
    destination = Path(os.path.realpath(path))
    root = Path(os.path.realpath(follow_links_within))
    if info is not None and not _same_file(destination, info):
        # /proc/self/fd/N and the like: the name the link shows is no path to the file.
        raise WriteError(
            "leads to a file that has no name of its own (an open file of a process?)",
            path=shown,
            hint="name a regular file to write",
        )
    if not destination.is_relative_to(root):
        raise WriteError(
            f"leads through a symbolic link to {printable(destination)}, outside "
            f"{printable(follow_links_within)}",
            path=shown,
            hint="files are written only inside it; remove the link or point it inside",
        )
    return destination


def fsync_directory(folder: Path) -> None:
    """Flush a folder's entries to disk, so that a rename or a new file in it is durable.

    A file system that cannot sync folders (some network ones) is taken as it is.
    """
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def remove_stale_temporaries(
    folders: Iterable[Path],
    suffixes: Sequence[str],
    *,
    older_than: float = STALE_AFTER_SECONDS,
) -> list[Path]:
    """Remove the temporary files killed writes left in `folders` and below; return them.

    Only regular files named as `write_atomic` names them, for a file whose name ends with
    one of `suffixes` (the kinds of file the caller writes), and not modified for
    `older_than` seconds are removed; a leftover of any other name is not ours and stays,
    whatever it looks like. Symbolic links are neither removed nor followed. A file that
    cannot be removed is left where it is.
    """
    cutoff = time.time() - older_than
    removed: list[Path] = []
    for folder in folders:
        for root, _, names in os.walk(folder):
            for name in names:
                match = _TEMPORARY.fullmatch(name)
                if match is None or not match["name"].endswith(tuple(suffixes)):
                    continue
                path = Path(root, name)
                try:
                    info = path.lstat()
                    if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                        path.unlink()
                        removed.append(path)
                except OSError:
                    continue  # gone already, or not ours to remove
    return removed


def _same_file(path: Path, info: os.stat_result) -> bool:
    """Tell whether `path` names the file `info` describes."""
    try:
        found = os.stat(path)
    except OSError:
        return False
    return (found.st_dev, found.st_ino) == (info.st_dev, info.st_ino)


def _mode_of(path: Path) -> int | None:
    """Return the permission bits of the regular file at `path`, or None if there is none."""
    try:
        info = path.stat()
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None


def _holds(path: Path, data: bytes) -> bool:
    """Tell whether the file at `path` holds exactly `data`."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _create_temporary(path: Path) -> tuple[int, Path]:
    """Create an empty temporary file next to `path`; return its descriptor and path.

    Unlike tempfile.mkstemp, which makes every file 0600, the file is created with mode
    0666 for the umask to reduce: a new file gets the permissions any other program gives.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {path}")
