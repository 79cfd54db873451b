"""Pair two versions of a post's blocks, as `translate run` matches them."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from translate.records.learning import normalize

Item = tuple[str, str, str]  # key, kind, text


def align(old: Sequence[Item], new: Sequence[Item]) -> list[tuple[int | None, int | None]]:
    """Pair two versions' blocks, in order: (old index, new index), None where one lacks it.

    Blocks equal in kind and text (front matter values: in key and text) pair first, as
    `translate run` matches them; between those, changed blocks pair with the block of the
    same slot (the same front matter key, else the same kind) in order.
    """
    matcher = difflib.SequenceMatcher(
        None, [_identity(item) for item in old], [_identity(item) for item in new], autojunk=False
    )
    pairs: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
        else:
            pairs += _pair_changed(old, new, range(i1, i2), range(j1, j2))
    return pairs


def _identity(item: Item) -> tuple[str, str]:
    key, kind, text = item
    return (key if kind == "front_matter" else kind, normalize(text))


def _slot(item: Item) -> str:
    key, kind, _ = item
    return key if kind == "front_matter" else kind


def _pair_changed(
    old: Sequence[Item], new: Sequence[Item], olds: range, news: range
) -> list[tuple[int | None, int | None]]:
    """Pair the changed blocks of one stretch by slot, in order; the rest stand alone."""
    out: list[tuple[int | None, int | None]] = []
    pending = list(olds)
    added: list[tuple[int | None, int | None]] = []  # new blocks waiting for their place
    for j in news:
        match = next((i for i in pending if _slot(old[i]) == _slot(new[j])), None)
        if match is None:
            added.append((None, j))
            continue
        position = pending.index(match)
        # As a diff reads: what went, then what came, then the changed pair.
        out += [(i, None) for i in pending[:position]]
        out += added
        out.append((match, j))
        pending, added = pending[position + 1 :], []
    out += [(i, None) for i in pending]
    return out + added
