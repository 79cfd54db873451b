"""Backends without a model: see what is extracted and that posts come back intact."""

from __future__ import annotations

import re
from collections.abc import Sequence

from translate.backends import BackendOptions

# Markup tags inside a segment, e.g. the pipeline's `<g1>` / `<x2/>` markers: pseudo-localisers
# leave tags alone and only disguise the text between them.
_TAG = re.compile(r"<[^<>]*>")

_PSEUDO_LETTERS = str.maketrans(
    "AaBCcDdEeGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
    "ÅåƁÇçÐđÉéĜĝĤĥÎîĴĵĶķĻļÑñÖöŔŕŠšŢţÛûŴŵÝýŽž",
)


class IdentityTranslator:
    """Return every segment unchanged, so the output must equal the input."""

    def __init__(self, options: BackendOptions | None = None) -> None:
        self.options = options

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return `texts` unchanged."""
        return list(texts)


class PseudoTranslator:
    """Write a visible pseudo-translation: accented letters in ⟦brackets⟧, tags kept.

    Every translated character is visibly changed, so a reader sees at once which text
    went through the translator and which was protected.
    """

    def __init__(self, options: BackendOptions | None = None) -> None:
        self.options = options

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return a pseudo-translation of each text."""
        return [self._disguise(text) for text in texts]

    @staticmethod
    def _disguise(text: str) -> str:
        parts: list[str] = []
        last = 0
        for tag in _TAG.finditer(text):
            parts.append(text[last : tag.start()].translate(_PSEUDO_LETTERS))
            parts.append(tag.group())
            last = tag.end()
        parts.append(text[last:].translate(_PSEUDO_LETTERS))
        return "⟦" + "".join(parts) + "⟧"
