"""Word diffs: how a block's source changed since the version last translated."""

from __future__ import annotations

import difflib
import re

from translate.commands.review.model import Change

# Words, runs of whitespace, and single other characters: a changed comma is one change.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> tuple[Change, ...]:
    """Return the changes from `old` to `new`, word by word; empty when they are equal."""
    if old == new:
        return ()
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    changes: list[Change] = []
    removed: list[str] = []
    added: list[str] = []
    for number, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        kept = "".join(before[i1:i2])
        # A space kept between two changes is part of one change: "a b" -> "c d" reads as
        # one replacement, not two around an unchanged space.
        inside = 0 < number < len(opcodes) - 1 and not kept.strip()
        if tag != "equal" or inside:
            removed.append(kept)
            added.append("".join(after[j1:j2]))
            continue
        _flush(changes, removed, added)
        changes.append(Change("=", kept))
    _flush(changes, removed, added)
    return tuple(changes)


def _flush(changes: list[Change], removed: list[str], added: list[str]) -> None:
    """Append one change's removed and added text, if it has any, and start the next."""
    for op, parts in (("-", removed), ("+", added)):
        text = "".join(parts)
        if text:
            changes.append(Change(op, text))
    removed.clear()
    added.clear()
