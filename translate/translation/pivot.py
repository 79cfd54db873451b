"""Translate through a third language where a pair has no direct model: de -> en -> fr.

A `PivotTranslator` composes two translators, source -> pivot and pivot -> target. The
pipeline hands it segments with markers (`<g1>…</g1>`, `<x1/>`) and checks what comes back
of the second hop as it checks any translator's output: a segment whose markers did not
survive both hops is translated again piece by piece, and protected spans are never taken
from a model's output. So they come through both hops exactly.

The first hop is shared: a text the source -> pivot pair already translated in the same run
(its segment translations, `known`), or that its translation memory holds as a whole
block, is not translated again. Both models are in memory while a pivoted pair runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping, Sequence

from translate.translation.backends import Translator

# A memory entry with Markdown in it cannot stand in for a segment (plain text or markers).
_MARKUP = re.compile(r"[*_`\[\]<>{}\\|]")


class PivotTranslator:
    """Translate with two translators in a row, reusing what the first hop already knows."""

    def __init__(
        self,
        first: Translator,
        second: Translator,
        *,
        pivot: str,
        models: tuple[str, str],
        known: MutableMapping[str, str] | None = None,
        memory: Callable[[str], str | None] | None = None,
    ) -> None:
        self.first = first
        self.second = second
        self.pivot = pivot
        self.models = models
        # Source text -> pivot text, shared with the source -> pivot pair's run.
        self.known: MutableMapping[str, str] = {} if known is None else known
        self.memory = memory
        self.reused = 0  # first-hop texts served by `known` or the memory

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return each text translated into the pivot language, then into the target."""
        middle = [self._known(text) for text in texts]
        todo = sorted({text for text, found in zip(texts, middle, strict=True) if found is None})
        self.reused += len(texts) - sum(1 for found in middle if found is None)
        if todo:
            outputs = self.first.translate(todo)
            if len(outputs) != len(todo):
                raise RuntimeError(f"first hop returned {len(outputs)} results for {len(todo)}")
            self.known.update(zip(todo, outputs, strict=True))
        pivot = [
            found if found is not None else self.known[text]
            for text, found in zip(texts, middle, strict=True)
        ]
        return self._second(pivot)

    def _known(self, text: str) -> str | None:
        found = self.known.get(text)
        if found is None and self.memory is not None and not _MARKUP.search(text):
            entry = self.memory(text)
            if entry is not None and not _MARKUP.search(entry):
                found = entry
        return found

    def _second(self, texts: list[str]) -> list[str]:
        """Translate pivot texts; one too long for the second model goes in halves."""
        parts = [_halves(text, self._fits) for text in texts]
        flat = [part for pieces in parts for part in pieces]
        outputs = iter(self.second.translate(flat))
        return [" ".join(next(outputs) for _ in pieces) for pieces in parts]

    def _fits(self, text: str) -> bool:
        count = getattr(self.second, "count_tokens", None)
        limit = getattr(self.second, "max_input_tokens", None) if count else None
        return count is None or not isinstance(limit, int) or int(count(text)) <= limit

    def count_tokens(self, text: str) -> int:
        """Return the length of an input as the first model counts it (characters without one)."""
        count = getattr(self.first, "count_tokens", None)
        return int(count(text)) if count else len(text)

    @property
    def max_input_tokens(self) -> int | None:
        """Return the longest input the first model takes, if it has a limit."""
        if getattr(self.first, "count_tokens", None) is None:
            return None
        limit = getattr(self.first, "max_input_tokens", None)
        return limit if isinstance(limit, int) else None

    def signature(self) -> dict[str, str]:
        """Describe both hops: `pivot:en`, both models, then each field (`first+second`
        where the hops differ)."""
        hops = []
        for translator, model in zip((self.first, self.second), self.models, strict=True):
            describe = getattr(translator, "signature", None)
            fields = {str(k): str(v) for k, v in describe().items()} if callable(describe) else {}
            hops.append({"model": model, **fields})
        merged: dict[str, str] = {"pivot": self.pivot}
        for key in dict.fromkeys([*hops[0], *hops[1]]):
            values = [hop.get(key, "unknown") for hop in hops]
            # Both models are named even when they are one: a record says what ran.
            same = values[0] == values[1] and key != "model"
            merged[key] = values[0] if same else "+".join(values)
        return merged


def _halves(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Split `text` at the space nearest its middle until every part fits."""
    if fits(text):
        return [text]
    middle = len(text) // 2
    spaces = [i for i, character in enumerate(text) if character == " "]
    if not spaces:
        return [text]  # one "word": the model will say what is wrong with it
    cut = min(spaces, key=lambda i: abs(i - middle))
    return _halves(text[:cut], fits) + _halves(text[cut + 1 :], fits)
