"""Which source posts a site leaves untranslated: `exclude` globs, and drafts if asked.

The globs are relative to the source language's content folder (`content/de/` by content
directory, `content/` by file name) and use `/` whatever the system: `*` and `?` stay within
one folder name, `**` as a whole name stands for any number of folders (`drafts/**` is all
below `drafts/`, `**/_index.md` every section page), `[abc]` is one of those characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from translate.errors import TranslateError
from translate.markdown.front_matter import split_front_matter

# Returns a post's text, or raises TranslateError: `translate.hugo.site.read_post`.
PostReader = Callable[[Path], str]


@dataclass(frozen=True)
class PostFilter:
    """The source posts to leave out: those matching `patterns`, and drafts if `skip_drafts`."""

    patterns: tuple[str, ...] = ()
    skip_drafts: bool = False

    @cached_property
    def _expression(self) -> re.Pattern[str] | None:
        if not self.patterns:
            return None
        return re.compile("|".join(f"(?:{glob_expression(pattern)})" for pattern in self.patterns))

    def excludes(self, post: Path, content_root: Path, read: PostReader) -> bool:
        """Tell whether `post`, under `content_root`, is left out; `read` reads its text."""
        if self._expression is not None:
            try:
                name = post.relative_to(content_root).as_posix()
            except ValueError:
                name = None
            if name is not None and self._expression.fullmatch(name):
                return True
        return self.skip_drafts and is_draft(post, read)


def is_draft(post: Path, read: PostReader) -> bool:
    """Tell whether a post's front matter says `draft: true`, as Hugo reads it.

    Hugo takes the value as a boolean or the strings "true"/"false", and keys in any case.
    A post that cannot be read is no draft: its error is reported where it is translated.
    """
    try:
        text = read(post)
        if "draft" not in text.lower():
            return False  # most posts: no need to parse the front matter
        data = split_front_matter(text)[0].data()
    except (TranslateError, ValueError):
        return False
    if not isinstance(data, dict):
        return False
    for key, value in data.items():
        if str(key).lower() == "draft":
            return value is True or (isinstance(value, str) and value.strip().lower() == "true")
    return False


def glob_expression(pattern: str) -> str:
    """Return a regular expression that matches the paths `pattern` matches, whole."""
    parts: list[str] = []
    names = pattern.strip().strip("/").split("/")
    for index, name in enumerate(names):
        last = index == len(names) - 1
        if name == "**":
            # Any number of folders (none included); at the end, everything below.
            parts.append(".*" if last else "(?:[^/]+/)*")
            continue
        parts.append(_name_expression(name) + ("" if last else "/"))
    return "".join(parts)


def _name_expression(name: str) -> str:
    """Return the expression of one path component: `*`, `?` and `[...]` within it."""
    out: list[str] = []
    i = 0
    while i < len(name):
        char = name[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (end := name.find("]", i + 2)) != -1:
            inside = name[i + 1 : end]
            negated = inside.startswith(("!", "^"))
            body = re.escape(inside[1:] if negated else inside).replace("\\-", "-")
            out.append(f"[{'^' if negated else ''}{body}]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)
