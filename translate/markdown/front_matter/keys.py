"""Which front matter values are prose: dotted key patterns and shortcode parameters."""

from __future__ import annotations

import re
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]

DEFAULT_TRANSLATABLE_KEYS: tuple[str, ...] = (
    "title",
    "subtitle",
    "summary",
    "description",
    "linktitle",
    # A page's own menu entries (`menu: {main: {name: …}}`): the label and its tooltip.
    "menu.*.name",
    "menu.*.title",
    "menus.*.name",
    "menus.*.title",
    "**.caption",
    "**.alt",
    # Shortcode parameters whose values are prose, as `{{name}}.param` (a position as
    # `{{name}}.0`): Hugo's own figure renders these as text.
    "{{figure}}.caption",
    "{{figure}}.title",
    "{{figure}}.alt",
    "{{figure}}.attr",
)

_SHORTCODE_KEY = re.compile(r"\{\{(?P<name>[^{}]+)\}\}\.(?P<param>[^.]+)")


def shortcode_params(patterns: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Return the shortcode parameters among translatable keys: name -> parameters."""
    found: dict[str, tuple[str, ...]] = {}
    for pattern in patterns:
        match = _SHORTCODE_KEY.fullmatch(pattern)
        if match is not None:
            name = match.group("name")
            found[name] = (*found.get(name, ()), match.group("param"))
    return found


def key_matches(path: KeyPath, patterns: Sequence[str]) -> bool:
    """Tell whether `path` matches any of the dotted `patterns`.

    `*` stands for exactly one element (a key or a list index), `**` for zero or more, so
    `title` is only the top-level title and `**.caption` is a caption at any depth. Keys
    match without regard to case, as Hugo reads them: `linktitle` is `linkTitle`.
    """
    return any(
        _path_matches(path, tuple(pattern.split(".")))
        for pattern in patterns
        if not pattern.startswith("{{")
    )


def _path_matches(path: KeyPath, parts: tuple[str, ...]) -> bool:
    if not parts:
        return not path
    head, rest = parts[0], parts[1:]
    if head == "**":
        return any(_path_matches(path[skip:], rest) for skip in range(len(path) + 1))
    if not path:
        return False
    return (head == "*" or head.lower() == str(path[0]).lower()) and _path_matches(path[1:], rest)
