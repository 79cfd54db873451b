"""Language codes as Hugo uses them: names of folders and files, matched without case.

Hugo lowercases the keys of its configuration, so `[languages.zh-Hans]` is the language
`zh-hans`, and a file `post.zh-Hans.md` or a folder `content/zh-Hans/` belongs to it. A code
also becomes part of paths (`content/<code>/`, `i18n/<code>.toml`, `public/<code>/`, the
records' `translation-memory/de-<code>/`), so a code is only letters, digits, `-` and `_`.
Hugo itself refuses only upper case and spaces (v0.168: "must be all lower case and no
spaces") and builds `[languages."a/b"]` into `public/a/b/`; a site with such a code is refused
here, because the tool would write through the separator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from translate.errors import ConfigError

# Letters and digits of any script, `-` and `_`; never a separator, a dot or a space.
_CODE = re.compile(r"[^\W_][\w-]*")


def language_code(
    value: object,
    *,
    what: str = "",
    path: Path | str | None = None,
    line: int | None = None,
    hint: str | None = None,
) -> str:
    """Return `value` as a language code, lowercased as Hugo does.

    Raise ConfigError, naming `what` it is (`defaultContentLanguage`) and `path` and `line`
    where it was read, for anything else than letters, digits, `-` and `_` starting with a
    letter or digit.
    """
    code = value.strip() if isinstance(value, str) else value
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise ConfigError(
            f"{what + ' ' if what else ''}{value!r} is not a language code",
            path=path,
            line=line,
            hint=hint or "a language code is letters, digits, - and _ only (de, pt-br, zh-hans)",
        )
    return code.lower()


def is_language_code(value: str) -> bool:
    """Tell whether `value` could name a language (see `language_code`)."""
    return _CODE.fullmatch(value) is not None


def same_code(first: str, second: str) -> bool:
    """Tell whether two language codes name the same language (Hugo ignores case)."""
    return first.lower() == second.lower()


def find_folder(parent: Path, code: str) -> Path:
    """Return the folder of `parent` named `code` in any case, or `parent / code` if none is.

    `content/zh-Hans/` is the folder of `zh-hans`: a run must use it rather than make a
    second one beside it (on a case-insensitive file system they would be one folder).
    """
    exact = parent / code
    if exact.is_dir():
        return exact
    return next(_named(parent, code, folders=True), exact)


def find_file(parent: Path, name: str) -> Path | None:
    """Return the file of `parent` named `name` without regard to case, or None."""
    exact = parent / name
    if exact.is_file():
        return exact
    return next(_named(parent, name, folders=False), None)


def _named(parent: Path, name: str, *, folders: bool) -> Iterator[Path]:
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return
    wanted = name.lower()
    for entry in entries:
        if entry.name.lower() == wanted and (entry.is_dir() if folders else entry.is_file()):
            yield entry
