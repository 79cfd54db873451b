"""Which of two languages a text is written in, offline (py3langid), when it can be told.

Used to refuse text in the source language as a translation (an existing page adopted, a
memory entry), to check the direction of a run, and by `translate check`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# Below this probability (normalised over the two languages) a text is not told apart.
CONFIDENCE = 0.9
# Texts with fewer letters than this are too short to identify: names, labels, numbers.
MIN_LETTERS = 24


def identify(text: str, languages: tuple[str, str]) -> tuple[str, float] | None:
    """Return the more likely of two languages for `text` and its probability, if confident.

    None when the text is too short, or py3langid does not know one of the languages.
    """
    if sum(1 for char in text if char.isalpha()) < MIN_LETTERS:
        return None
    identifier = _identifier(languages)
    if identifier is None:
        return None
    language, probability = identifier.classify(_prose(text))
    return (str(language), float(probability)) if probability >= CONFIDENCE else None


def identify_any(text: str) -> str | None:
    """Return the language `text` is written in, among all py3langid knows, if confident.

    For whole posts: None for texts of fewer than a few sentences.
    """
    prose = _prose(text)
    if sum(1 for char in prose if char.isalpha()) < 4 * MIN_LETTERS:
        return None
    identifier = _identifier(None)
    language, probability = identifier.classify(prose)
    return str(language) if probability >= CONFIDENCE else None


def reads_as(text: str, language: str, other: str) -> bool:
    """Tell whether `text` is confidently in `language` rather than in `other`."""
    found = identify(text, (language, other))
    return found is not None and found[0] == _base(language)


def _prose(text: str) -> str:
    # Markup and URLs say nothing about the language.
    text = re.sub(r"\]\([^)]*\)|https?://\S+|`[^`]*`|\{\{.*?\}\}|<[^>]+>", " ", text)
    return re.sub(r"[*_#>\[\]|]", " ", text)


def _base(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()


@functools.cache
def _identifier(languages: tuple[str, str] | None) -> Any:
    """Load py3langid's model once, restricted to the pair (if given); None for languages
    it lacks."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # py3langid 0.4 renamed the loader; 0.3 ships a pickled model.
    load = getattr(LanguageIdentifier, "from_model_file", None)
    if load is None:
        load = LanguageIdentifier.from_pickled_model
    identifier = load(MODEL_FILE, norm_probs=True)
    if languages is None:
        return identifier
    try:
        identifier.set_languages([_base(code) for code in languages])
    except ValueError:
        return None
    return identifier
