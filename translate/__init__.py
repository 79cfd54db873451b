"""Translate Hugo posts into sibling posts of another language.

The pipeline is usable without the command line: hand `translate_text` a post's text and
any object with ``translate(list[str]) -> list[str]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from translate.backends import Translator
from translate.errors import TranslateError
from translate.front_matter import DEFAULT_TRANSLATABLE_KEYS
from translate.glossary import Glossary
from translate.pipeline import prepare_post, render_verified, translate_posts
from translate.site import read_post
from translate.writer import write_atomic

__version__ = "0.1.0"


def translate_text(
    text: str,
    translator: Translator,
    *,
    source: str = "de",
    glossary: Glossary | None = None,
    keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS,
    batch_size: int = 16,
) -> str:
    """Return the translation of one post's text (front matter and Markdown body).

    Raises `PostError` if the post cannot be parsed, or if its translation would differ from
    it in more than prose (blocks whose translation would are kept in the source language).
    """
    post = prepare_post(text, language=source, glossary=glossary, keys=keys)
    translate_posts([post], translator, batch_size=batch_size)
    return render_verified(post)


def translate_file(
    source_path: Path,
    target_path: Path,
    translator: Translator,
    *,
    source: str = "de",
    glossary: Glossary | None = None,
    keys: Sequence[str] = DEFAULT_TRANSLATABLE_KEYS,
) -> None:
    """Translate the post at `source_path` and write it atomically to `target_path`."""
    text = read_post(source_path)
    try:
        output = translate_text(text, translator, source=source, glossary=glossary, keys=keys)
    except TranslateError as error:
        raise error.located(source_path) if error.path is None else error from None
    write_atomic(target_path, output)


__all__ = [
    "Glossary",
    "TranslateError",
    "Translator",
    "__version__",
    "translate_file",
    "translate_text",
]
