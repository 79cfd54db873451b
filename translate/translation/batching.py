"""Send texts to a translator in batches: each distinct text once, sorted by length, cut to fit.

Opus-MT models take at most 512 tokens, and a batch costs as much as its longest member:
texts are measured in the model's tokens where it can count them, sorted so that batches hold
texts of like length, and a text too long for the model is cut at clause, then word
boundaries (never truncated).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from translate.translation.backends import Backend, Translator

Progress = Callable[[int], None]


def translate_distinct(
    texts: Sequence[str],
    translator: Translator,
    batch_size: int,
    progress: Progress | None,
    cache: dict[str, str],
    length: Callable[[str], int] = len,
) -> dict[str, str]:
    """Translate each distinct text not in `cache` once, shortest first, `batch_size` at a time.

    Sorting by `length` keeps padding in a batch small: a batch costs as much as its
    longest member. Returns the translations of `texts`; `cache` gains the new ones.
    """
    distinct = sorted({t for t in texts if t not in cache}, key=lambda t: (length(t), t))
    for batch in _batches(distinct, batch_size):
        outputs = translator.translate(batch)
        if len(outputs) != len(batch):
            raise RuntimeError(
                f"translator returned {len(outputs)} results for {len(batch)} inputs"
            )
        cache.update(zip(batch, outputs, strict=True))
        if progress is not None:
            progress(len(batch))
    return {text: cache[text] for text in texts}


def _batches(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), max(1, size)):
        yield list(items[start : start + max(1, size)])


class Lengths:
    """Measure texts as the model does, in tokens, when the translator can count them.

    Batches are sorted by this length: texts of equal character length can differ two-fold
    in tokens, and a batch costs as much as its longest member. Each text is measured once.
    """

    def __init__(self, translator: Translator) -> None:
        # A bare `Translator` (a list of strings in and out) is measured in characters.
        backend = translator if isinstance(translator, Backend) else None
        self._count: Callable[[str], int] | None = backend.count_tokens if backend else None
        limit = backend.max_input_tokens if backend else None
        self._max = limit if isinstance(limit, int) else None
        self._known: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        if self._count is None:
            return len(text)
        if text not in self._known:
            self._known[text] = int(self._count(text))
        return self._known[text]

    @property
    def limit(self) -> Callable[[str], bool] | None:
        """Return a test for "fits the model's input", if the model has a limit."""
        if self._max is None:
            return None
        maximum = self._max
        return lambda text: self(text) <= maximum


_CLAUSE = re.compile(r"(?<=[,;:])\s+")


def fit(text: str, fits: Callable[[str], bool] | None) -> list[str]:
    """Split `text` into parts that fit the model, at clause and then word boundaries.

    Opus-MT cannot take more than 512 tokens; a longer input would be cut off silently.
    """
    if fits is None or fits(text):
        return [text]
    for separator in (_CLAUSE, re.compile(r"\s+")):
        parts = [part for part in separator.split(text) if part]
        if len(parts) > 1:
            return _greedy(parts, fits)
    # A single "word" too long for the model (a huge token run): halve it.
    middle = len(text) // 2
    return fit(text[:middle], fits) + fit(text[middle:], fits)


def _greedy(parts: Sequence[str], fits: Callable[[str], bool]) -> list[str]:
    out: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if fits(candidate):
            current = candidate
            continue
        if current:
            out.append(current)
        if fits(part):
            current = part
        else:
            out.extend(fit(part, fits))
            current = ""
    if current:
        out.append(current)
    return out
