"""Backends without a model: see what is extracted and that posts come back intact."""

from __future__ import annotations

import re
from collections.abc import Sequence

from translate.translation.backends import BackendOptions

# Markup tags inside a segment, e.g. the pipeline's `<g1>` / `<x2/>` markers: pseudo-localisers
# leave tags alone and only disguise the text between them.
_TAG = re.compile(r"<[^<>]*>")

_PSEUDO_LETTERS = str.maketrans(
    "AaBCcDdEeGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
    "ÅåƁÇçÐđÉéĜĝĤĥÎîĴĵĶķĻļÑñÖöŔŕŠšŢţÛûŴŵÝýŽž",
)


class _NoModel:
    """What a backend without a model says about itself: no token limit, no weights."""

    name = ""
    # No model, no limit: the pipeline sends every segment whole.
    max_input_tokens: int | None = None

    def __init__(self, options: BackendOptions | None = None) -> None:
        self.options = options

    def count_tokens(self, text: str) -> int:
        """Return the length of `text` in characters, the only unit without a model."""
        return len(text)

    def signature(self) -> dict[str, str]:
        """Return the backend's name; model, weights and beams do not apply."""
        return {"backend": self.name, "model": "none", "weights": "none", "beams": "none"}


class IdentityTranslator(_NoModel):
    """Return every segment unchanged, so the output must equal the input."""

    name = "identity"

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return `texts` unchanged."""
        return list(texts)


class PseudoTranslator(_NoModel):
    """Write a visible pseudo-translation: accented letters in ⟦brackets⟧, tags kept.

    Every translated character is visibly changed, so a reader sees at once which text
    went through the translator and which was protected.
    """

    name = "pseudo"

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
