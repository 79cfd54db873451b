"""Reading JSON Lines (one JSON value a line), each line within the bounds, errors by line.

A record or memory file is read line by line; a damaged line, or a hostile one (a hundred
thousand `[`), must give an error that names its line, not a RecursionError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from translate.errors import RecordError, TranslateError
from translate.files.data import check_nesting, check_values
from translate.files.paths import printable
from translate.files.reading import read_text


def read_json_lines(
    path: Path,
    *,
    error: type[TranslateError] = RecordError,
    name: Path | str | None = None,
    hint: str | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each line of a JSON Lines file; blank lines skipped.

    The file is read as `read_text` reads. Raise `error`, naming `name` (default: `path`)
    and the line, with `hint`, for a line that is not a JSON object, is nested deeper than
    the bound or holds a lone surrogate.
    """
    text = read_text(path, error=error)
    yield from parse_json_lines(
        text, error=error, name=printable(path) if name is None else name, hint=hint
    )


def parse_json_lines(
    text: str,
    *,
    error: type[TranslateError] = RecordError,
    name: Path | str | None = None,
    hint: str | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each line of JSON Lines text; see `read_json_lines`."""
    # Only "\n" ends a line: JSON strings may hold U+2028 and friends, which splitlines cuts.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            check_nesting(line, "json", path=name, error=error, first_line=number)
            value = json.loads(line)
        except json.JSONDecodeError as problem:
            raise error(
                f"not valid JSON: {problem.msg} (column {problem.colno})",
                path=name,
                line=number,
                hint=hint,
            ) from None
        except ValueError as problem:  # a number too long to convert, say
            raise error(f"not valid JSON: {problem}", path=name, line=number, hint=hint) from None
        except TranslateError as problem:
            raise error(problem.message, path=name, line=number, hint=hint) from None
        if not isinstance(value, dict):
            raise error("a line must be a JSON object", path=name, line=number, hint=hint)
        try:
            check_values(value, line, path=name, error=error, first_line=number)
        except TranslateError as problem:
            raise error(problem.message, path=name, line=number, hint=hint) from None
        yield number, value
