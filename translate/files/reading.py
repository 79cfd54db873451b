"""Read files the tool is handed: regular files only, up to a size limit, as UTF-8.

Every post, record, glossary, configuration file, string table and TMX file is read here.
A FIFO would block a read until some other program writes to it, and a device such as
/dev/zero never ends: both are refused before they are read, as are folders and sockets,
by what the file system says the node is. A file over the size limit is refused before it
is read, and a file whose size the system does not know (under /proc, say) is read only up
to the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from translate.errors import TranslateError
from translate.files.paths import node_kind, printable, utf8_name

# Posts are kilobytes; a file this size is no post, record or configuration.
MAX_FILE_SIZE = 50 * 1000 * 1000
_limit = MAX_FILE_SIZE
_CHUNK = 1 << 20


def set_max_file_size(size: int) -> None:
    """Set the size limit for every later read (the `max_file_size` setting)."""
    global _limit
    if size <= 0:
        raise ValueError("the size limit must be positive")
    _limit = size


def max_file_size() -> int:
    """Return the size limit in bytes that reads now use."""
    return _limit


def read_bytes(
    path: Path,
    *,
    error: type[TranslateError] = TranslateError,
    limit: int | None = None,
) -> bytes:
    """Return the bytes of the regular file at `path` (a link to one is followed).

    Raise `error` (with the path, printable) for a name that is not UTF-8, a missing or
    unreadable file, one that is not a regular file, and one larger than `limit` bytes
    (default: `max_file_size()`).
    """
    limit = _limit if limit is None else limit
    shown = printable(path)
    if not utf8_name(path):
        raise error(
            "the file name is not valid UTF-8",
            path=shown,
            hint="rename the file: Hugo and this tool take UTF-8 names",
        )
    try:
        _check_node(os.stat(path).st_mode, path, error)
        # Non-blocking: should the node have become a FIFO since, opening it returns at
        # once instead of waiting for a writer; the check below then refuses it.
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        handle = os.open(path, flags | getattr(os, "O_NOCTTY", 0))
    except TranslateError:
        raise
    except OSError as problem:
        raise error(
            _reason(problem),
            path=shown,
            hint="it must be a file you may read",
        ) from None
    try:
        info = os.fstat(handle)
        _check_node(info.st_mode, path, error)
        if info.st_size > limit:
            raise _too_large(path, info.st_size, limit, error)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(handle, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise _too_large(path, None, limit, error)
        return b"".join(chunks)
    except OSError as problem:
        raise error(_reason(problem), path=shown) from None
    finally:
        os.close(handle)


def read_text(
    path: Path,
    *,
    error: type[TranslateError] = TranslateError,
    limit: int | None = None,
) -> str:
    """Return the UTF-8 text of the regular file at `path`, line endings and BOM kept.

    Raise `error` as `read_bytes` does, and with the line of the first byte that is not
    UTF-8.
    """
    data = read_bytes(path, error=error, limit=limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as problem:
        raise error(
            f"not UTF-8 (byte 0x{data[problem.start]:02x})",
            path=printable(path),
            line=data[: problem.start].count(b"\n") + 1,
            hint="save the file as UTF-8",
        ) from None


def _check_node(mode: int, path: Path, error: type[TranslateError]) -> None:
    if not stat.S_ISREG(mode):
        raise error(
            f"not a regular file but {node_kind(mode)}; not read",
            path=printable(path),
            hint="only regular files are read: replace it by a file",
        )


def _too_large(
    path: Path, size: int | None, limit: int, error: type[TranslateError]
) -> TranslateError:
    what = f"{_megabytes(size)}, more than" if size is not None else "larger than"
    return error(
        f"the file is {what} the limit of {_megabytes(limit)}; not read",
        path=printable(path),
        hint="raise max_file_size in translate.toml if the file is meant to be read",
    )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def _reason(problem: OSError) -> str:
    if isinstance(problem, FileNotFoundError):
        return "no such file"
    return f"cannot read: {problem.strerror or problem}"
