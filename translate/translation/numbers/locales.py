"""Babel locales for Hugo language codes, and CLDR's date and time patterns read into parts.

Language codes are Hugo's (`de`, `pt-br`, `zh-cn`). A code Babel does not know falls back to
its language part (`de-xx` -> `de`), then to CLDR's root locale.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError


def locale_for(code: str) -> tuple[Locale, bool]:
    """Return the Babel locale of a Hugo language code, and whether it fell back to root.

    `pt-br` is `pt_BR`, `zh-cn` is `zh_Hans_CN`; an unknown region falls back to its
    language (`de-xx` -> `de`), an unknown language to CLDR's root locale.
    """
    tag = code.strip().replace("_", "-")
    for candidate in (tag, tag.split("-")[0]):
        try:
            return Locale.parse(candidate, sep="-"), False
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("root"), True


def pattern_parts(pattern: str) -> list[tuple[bool, str]]:
    """Split a CLDR date/time pattern into (is_field, text) parts: `d. MMMM y`."""
    parts: list[tuple[bool, str]] = []
    index = 0
    while index < len(pattern):
        character = pattern[index]
        if character == "'":
            end = pattern.find("'", index + 1)
            end = len(pattern) if end == -1 else end
            parts.append((False, pattern[index + 1 : end] or "'"))
            index = end + 1
        elif character.isascii() and character.isalpha():
            end = index
            while end < len(pattern) and pattern[end] == character:
                end += 1
            parts.append((True, pattern[index:end]))
            index = end
        else:
            end = index
            while end < len(pattern) and not (
                pattern[end] == "'" or (pattern[end].isascii() and pattern[end].isalpha())
            ):
                end += 1
            parts.append((False, pattern[index:end]))
            index = end
    return parts
