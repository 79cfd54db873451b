"""Splitting a post into front matter and body, as Hugo's page lexer does."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from translate.errors import FrontMatterError
from translate.markdown.front_matter.block import Format, FrontMatter

_DELIMITERS: dict[str, Format] = {"---": "yaml", "+++": "toml"}


# Hugo's isASCIISpace and line ends, and a byte order mark: what may precede front matter.
_LEADING = frozenset("\t\n\v\f\r \ufeff")


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """Split a post into its front matter and its body; `fm.text + body == text`.

    Read as Hugo's page lexer reads a page's start (`pagelexer_intro.go`): a byte order
    mark, spaces and blank lines may come first; then `---` opens YAML, `+++` TOML and `{`
    JSON front matter; anything else starts a body without front matter. The closing
    delimiter is a line that starts with `---` (`+++`). Raise FrontMatterError (with the
    line, without the path) where Hugo fails too.
    """
    start = 0
    while start < len(text) and text[start] in _LEADING:
        start += 1
    if start == len(text) or text[start] not in "-+{":
        if text.startswith("#+", start):
            raise FrontMatterError(
                "Org-mode front matter is not supported",
                line=text.count("\n", 0, start) + 1,
                hint="convert it to YAML between --- lines or TOML between +++ lines",
            )
        return FrontMatter("none", ""), text
    line = text.count("\n", 0, start) + 1
    if text[start] == "{":
        end = _json_end(text, start, line)
        front_matter = FrontMatter("json", text[: _after_line_end(text, end)], line, start, end)
    else:
        delimiter = text[start : start + 3]
        fmt: Format = "yaml" if text[start] == "-" else "toml"
        if delimiter not in _DELIMITERS:
            raise FrontMatterError(
                f"invalid {fmt.upper()} delimiter: a post that starts with "
                f"{text[start]!r} must open its front matter with {text[start] * 3}",
                line=line,
                hint="start the post with --- (YAML) or +++ (TOML) on a line of its own",
            )
        content_start = _after_line_end(text, start + 3)
        close = _closing_line(text, content_start, delimiter)
        if close < 0:
            raise FrontMatterError(
                f"the front matter opened here is never closed: the closing {delimiter} line "
                "is missing",
                line=line,
                hint=f"add a line with only {delimiter} after the last front matter line",
            )
        end = _after_line_end(text, close + 3)
        front_matter = FrontMatter(fmt, text[:end], line, content_start, close)
    _check_mapping(front_matter)
    return front_matter, text[len(front_matter.text) :]


def _after_line_end(text: str, position: int) -> int:
    """Return `position` moved past a line end right there (Hugo's consumeCRLF)."""
    if text.startswith("\r", position):
        position += 1
    if text.startswith("\n", position):
        position += 1
    return position


def _closing_line(text: str, start: int, delimiter: str) -> int:
    """Return where the first line from `start` on that starts with `delimiter` begins, or -1."""
    if text.startswith(delimiter, start):
        return start
    position = text.find("\n" + delimiter, start)
    return position + 1 if position >= 0 else -1


def _json_end(text: str, start: int, line: int) -> int:
    """Return the end of JSON front matter starting at `start`, balancing braces as Hugo does."""
    level = 0
    in_quote = False
    position = start
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == '"':
            in_quote = not in_quote
        elif not in_quote and char == "{":
            level += 1
        elif not in_quote and char == "}":
            level -= 1
            if level == 0:
                return position + 1
        position += 1
    raise FrontMatterError(
        "unexpected end of file in JSON front matter: a { is never closed",
        line=line,
        hint="close every { with a }",
    )


# Hugo's date fields (page_frontmatter.go), matched case-insensitively: a value there that
# is no date fails the build ("not a parsable date").
_DATE_KEYS = frozenset(
    (
        "date",
        "publishdate",
        "pubdate",
        "published",
        "lastmod",
        "modified",
        "expirydate",
        "unpublishdate",
    )
)
_ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?![\d])")


def _check_dates(front_matter: FrontMatter, data: Mapping[Any, Any]) -> None:
    """Raise FrontMatterError for a date field Hugo cannot read as a date.

    Only what certainly is no date is refused: an impossible calendar date (2022-15-11) or
    text without a digit; Hugo reads many other layouts.
    """
    for key, value in data.items():
        if str(key).lower() not in _DATE_KEYS or not isinstance(value, str) or not value:
            continue
        match = _ISO_DATE.match(value.strip())
        impossible = False
        if match is not None:
            try:
                datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                impossible = True
        if impossible or not any(char.isdigit() for char in value):
            found = re.search(
                rf"^[ \t]*[\"']?{re.escape(str(key))}[\"']?[ \t]*[:=]",
                front_matter.text,
                re.MULTILINE,
            )
            line = front_matter.text.count("\n", 0, found.start()) + 1 if found else None
            raise FrontMatterError(
                f"the {key!r} front matter field is not a parsable date: {value!r}",
                line=line,
                hint="write it as 2024-07-19 (or 2024-07-19T10:00:00+02:00); Hugo fails on it too",
            )


def _check_mapping(front_matter: FrontMatter) -> None:
    """Raise FrontMatterError unless the block parses to a mapping of keys to values."""
    data = front_matter.data()
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise FrontMatterError(
            f"the front matter is {kind}, not a mapping of keys to values",
            line=front_matter.first_line + 1,
            hint="write it as `key: value` lines",
        )
    _check_dates(front_matter, data)
