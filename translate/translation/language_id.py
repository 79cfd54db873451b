"""Which of two languages a text is written in, offline, when it can be told (py3langid).

`translate check` uses it to find text left in the source language; `hugo.leftovers` to find
prose in the source language that a run does not translate.
"""

from __future__ import annotations

import functools
from typing import Any

CONFIDENCE = 0.9


def identify(text: str, languages: tuple[str, str]) -> tuple[str, float] | None:
    """Return the more likely of two languages for `text` and its probability, if confident."""
    identifier = _identifier(languages)
    if identifier is None:
        return None
    language, probability = identifier.classify(text)
    return (str(language), float(probability)) if probability >= CONFIDENCE else None


@functools.cache
def _identifier(languages: tuple[str, str]) -> Any:
    """Load py3langid's model once, restricted to the pair; None for languages it lacks."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # py3langid 0.4 renamed the loader; 0.3 ships a pickled model.
    load = getattr(LanguageIdentifier, "from_model_file", None)
    if load is None:
        load = LanguageIdentifier.from_pickled_model
    identifier = load(MODEL_FILE, norm_probs=True)
    try:
        identifier.set_languages([code.split("-")[0].lower() for code in languages])
    except ValueError:
        return None
    return identifier
