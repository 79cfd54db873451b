"""Translate Hugo posts into sibling posts of another language.

The pipeline is usable without the command line: hand `translate_text` a post's text and
any object with ``translate(list[str]) -> list[str]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

# Imported where they are used: `import translate.errors` (every command, at start-up) must
# not load the whole parsing stack through this package's __init__.
if TYPE_CHECKING:
    from translate.markdown.options import ReadingOptions
    from translate.translation.backends import Translator
    from translate.translation.glossary import Glossary

__version__ = "0.1.0"


def translate_text(
    text: str,
    translator: Translator,
    *,
    source: str = "de",
    glossary: Glossary | None = None,
    keys: Sequence[str] | None = None,
    batch_size: int = 16,
    options: ReadingOptions | None = None,
) -> str:
    """Return the translation of one post's text (front matter and Markdown body).

    `options` say how the post is read (a site's: `Settings.reading(site_root)`); by
    default Hugo's defaults with `keys` (default: the usual prose keys) as the translatable
    keys. Raises `PostError` if the post cannot be parsed, or if its translation would differ
    from it in more than prose (blocks whose translation would are kept in the source
    language).
    """
    from translate.markdown.options import ReadingOptions
    from translate.markdown.post import Post
    from translate.translation.pipeline import translate_posts
    from translate.translation.prepared import prepare_post
    from translate.translation.proving import render_verified

    if options is None:
        options = ReadingOptions() if keys is None else ReadingOptions(tuple(keys))
    post = prepare_post(Post.read(text, options), language=source, glossary=glossary)
    translate_posts([post], translator, batch_size=batch_size)
    return render_verified(post).text


def translate_file(
    source_path: Path,
    target_path: Path,
    translator: Translator,
    *,
    source: str = "de",
    glossary: Glossary | None = None,
    keys: Sequence[str] | None = None,
    options: ReadingOptions | None = None,
) -> None:
    """Translate the post at `source_path` and write it atomically to `target_path`."""
    from translate.errors import TranslateError
    from translate.files import write_atomic
    from translate.hugo.site import read_post

    text = read_post(source_path)
    try:
        output = translate_text(
            text, translator, source=source, glossary=glossary, keys=keys, options=options
        )
    except TranslateError as error:
        raise error.located(source_path) if error.path is None else error from None
    write_atomic(target_path, output)


_LAZY = {
    "Glossary": "translate.translation.glossary",
    "TranslateError": "translate.errors",
    "Translator": "translate.translation.backends",
}


def __getattr__(name: str) -> object:
    """Import the public names of other modules when first used (PEP 562)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'translate' has no attribute {name!r}")


__all__ = [
    "Glossary",
    "TranslateError",
    "Translator",
    "__version__",
    "translate_file",
    "translate_text",
]
