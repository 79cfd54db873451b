"""Write output files atomically, so no half-written post is ever left behind.

A file is written to a temporary file next to it, ``.NAME.XXXXXXXX.tmp``, then renamed over
it. A process killed between the two leaves the temporary file behind; a later run removes
such leftovers (`remove_stale_temporaries`).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from translate.errors import WriteError

# `.index.md.k3x9_a0b.tmp`: the name, then eight characters as tempfile.mkstemp makes them
# (earlier versions of the tool used it).
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
# A write takes well under a second; a temporary file this old belongs to no live write.
STALE_AFTER_SECONDS = 10 * 60


def write_atomic(path: Path, text: str, *, parents: bool = True) -> bool:
    """Write `text` as UTF-8 to `path` through a temporary file and a rename.

    Return whether the file was written: a file that already holds exactly `text` is left
    alone. A new file gets the permissions the umask gives (0644 under umask 022); a
    replaced file keeps its own. Line endings are written exactly as they are in `text`.
    With `parents`, missing folders are created; without, they are an error.
    """
    data = text.encode("utf-8")
    mode = _mode_of(path)
    if mode is not None and _holds(path, data):
        return False
    try:
        if parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise WriteError(f"no folder {path.parent}", path=path, hint="create the folder first")
        handle, temporary = _create_temporary(path)
    except OSError as error:
        raise WriteError(
            f"cannot write here: {error.strerror or error}",
            path=path,
            hint="check that the folder exists and is writable",
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if mode is not None:
                os.fchmod(stream.fileno(), mode)
            stream.write(data)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(
            f"cannot write: {error.strerror or error}",
            path=path,
            hint="check free disk space and permissions",
        ) from None
    return True


def remove_stale_temporaries(
    folders: Iterable[Path],
    suffixes: tuple[str, ...],
    *,
    older_than: float = STALE_AFTER_SECONDS,
) -> list[Path]:
    """Remove the temporary files killed writes left in `folders` and below; return them.

    Only regular files named as `write_atomic` names them, for a file whose name ends in
    one of `suffixes` (what the caller writes: a leftover of any other name is not ours),
    and not modified for `older_than` seconds are removed; symbolic links are neither
    removed nor followed. A file that cannot be removed is left where it is.
    """
    cutoff = time.time() - older_than
    removed: list[Path] = []
    for folder in folders:
        for root, _, names in os.walk(folder):
            for name in names:
                match = _TEMPORARY.fullmatch(name)
                if match is None or not match["name"].endswith(suffixes):
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
