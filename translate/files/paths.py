"""Paths as messages show them: relative to the site, and printable whatever their bytes."""

from __future__ import annotations

import stat
from pathlib import Path


def relative_path(path: Path, root: Path) -> str:
    """Return `path` relative to `root` with `/` separators, or whole if it is not below.

    Both are taken as given (no symbolic link is resolved): a post is named as the user
    sees it. A name that is not valid UTF-8 is shown with its odd bytes escaped.
    """
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = str(path)
    return _escaped(shown)


def printable(path: Path | str) -> Path:
    """Return `path` with the bytes of its name that are not UTF-8 written as `\\xff`.

    Python keeps such bytes as lone surrogates (PEP 383), which no terminal or UTF-8 file
    can take: printed as they are, they would stop the program.
    """
    text = str(path)
    return Path(_escaped(text)) if not utf8_name(text) else Path(path)


def utf8_name(path: Path | str) -> bool:
    """Tell whether a file name is valid UTF-8 (and so can be printed and recorded)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def node_kind(mode: int) -> str:
    """Say what kind of file system node a stat mode is: `a folder`, `a FIFO`, ..."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISREG, "a regular file"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _escaped(text: str) -> str:
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte of a name
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return data.decode("utf-8", "backslashreplace")
