"""Write output files atomically, so no half-written post is ever left behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from translate.errors import WriteError


def write_atomic(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path` through a temporary file and a rename.

    Line endings are written exactly as they are in `text` (no newline translation).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise WriteError(
            f"cannot write here: {error.strerror or error}",
            path=path,
            hint="check that the folder exists and is writable",
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(
            f"cannot write: {error.strerror or error}",
            path=path,
            hint="check free disk space and permissions",
        ) from None
