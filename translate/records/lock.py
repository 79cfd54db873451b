"""One writer at a time for a site's records and memory of a language pair.

`translate run`, `learn` and `memory import` read the records and memory, then write them.
Two at once lose one side's writes (two imports of 50,000 entries each left the entries of
one), so each holds an exclusive lock on the pair's memory folder while it works. The lock
is the operating system's (`flock`) on the folder itself: no lock file lands in the site's
repository, and a killed process never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from translate.errors import TranslateError


class LockError(TranslateError):
    """Another process is writing the same records and memory, or locking failed."""


@contextmanager
def memory_lock(
    folder: Path,
    *,
    wait: bool = False,
    on_wait: Callable[[], None] | None = None,
    name: str | None = None,
) -> Iterator[None]:
    """Hold the lock on a language pair's memory `folder` (created if missing) while inside.

    Without `wait`, a lock another process holds is an error at once; with it, wait for
    that process, calling `on_wait` first (to say so). `name` shows the folder in messages.
    A process holds the lock once: taking it again inside the block waits for itself.
    """
    shown = name or str(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder, os.O_RDONLY)
    except OSError as error:
        raise LockError(
            f"cannot open the memory folder: {error.strerror or error}",
            path=shown,
            hint="check that the folder can be created and read",
        ) from None
    try:
        _acquire(handle, shown, wait, on_wait)
        yield
    finally:
        # Closing the descriptor releases the lock.
        os.close(handle)


def _acquire(handle: int, shown: str, wait: bool, on_wait: Callable[[], None] | None) -> None:
    """Take the exclusive lock on an open folder, or fail saying why."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        if not wait:
            raise LockError(
                "another translate command is writing its records or memory",
                path=shown,
                hint="wait for it to finish, or pass --wait",
            ) from None
    except OSError as error:
        raise _unsupported(error, shown) from None
    if on_wait is not None:
        on_wait()
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
    except OSError as error:
        raise _unsupported(error, shown) from None


def _unsupported(error: OSError, shown: str) -> LockError:
    return LockError(
        f"cannot lock the memory folder: {error.strerror or error}",
        path=shown,
        hint="the file system may not support locks (flock)",
    )
