"""Loading TOML, YAML and JSON data: one set of bounds, and errors that name the line.

Hugo's configuration, translate.toml, i18n tables and front matter are all read through
here (front matter and tables with their own round-trip parsers, but the same bounds and
error messages). Before a recursive parser sees a text, its brackets are counted: nothing
nested deeper than `MAX_DEPTH` levels is parsed; YAML is composed within the same bounds,
aliases counted (`translate.files.yaml_reading`). What is loaded is checked once more, without
recursion: no value deeper than the bound, no string that is half a UTF-16 pair (`"\\ud800"`
in JSON or YAML), which no file can hold.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from tomlkit.exceptions import TOMLKitError

from translate.errors import ConfigError, TranslateError
from translate.files.paths import printable
from translate.files.reading import read_text
from translate.files.yaml_reading import (
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    LimitError,
    yaml_parser,
    yaml_problem,
)

__all__ = [
    "EXTENSIONS",
    "MAX_ALIAS_VALUES",
    "MAX_DEPTH",
    "DataFormat",
    "check_nesting",
    "check_values",
    "format_of",
    "load_data",
    "read_data",
    "syntax_error",
]

DataFormat = Literal["toml", "yaml", "json"]
# The extensions Hugo reads data in, in the order it prefers them.
EXTENSIONS: dict[str, DataFormat] = {"toml": "toml", "yaml": "yaml", "yml": "yaml", "json": "json"}

# What may hold brackets that are not structure: strings and comments. TOML's multi-line
# strings come before its one-line ones; a JSON text is read with the TOML strings, which
# are a superset of its own.
_TOML_TOKENS = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
    re.DOTALL,
)
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")

_HINTS = {
    "toml": "check the syntax there: strings need quotes, and a key or table may be defined "
    "only once",
    "json": "check the syntax there: keys and strings need double quotes, and items are "
    "separated by commas",
}


def format_of(path: Path) -> DataFormat | None:
    """Return the data format a file's extension names, or None."""
    return EXTENSIONS.get(path.suffix.lower().lstrip("."))


def read_data(path: Path, *, error: type[TranslateError] = ConfigError) -> Any:
    """Read and load a TOML, YAML or JSON file, its format by its extension.

    The file is read as `translate.files.read_text` reads (a regular file, within the size
    limit); a leading byte order mark is dropped. Raise `error` with the file and line.
    """
    fmt = format_of(path)
    if fmt is None:
        raise error(f"unknown format {path.suffix!r}", path=printable(path))
    text = read_text(path, error=error)
    return load_data(text.removeprefix("\ufeff"), fmt, path=path, error=error)


def load_data(
    text: str,
    fmt: DataFormat,
    *,
    path: Path | str | None = None,
    error: type[TranslateError] = ConfigError,
    first_line: int = 1,
) -> Any:
    """Load TOML (tomllib), YAML (safe) or JSON text into plain values, within the bounds.

    An empty YAML or JSON text is None. Raise `error` naming `path` and the line (counted
    from `first_line`) for a syntax error, nesting deeper than `MAX_DEPTH`, YAML aliases
    that expand beyond `MAX_ALIAS_VALUES` values, and a lone surrogate.
    """
    check_nesting(text, fmt, path=path, error=error, first_line=first_line)
    try:
        if fmt == "toml":
            data: Any = tomllib.loads(text)
        elif fmt == "yaml":
            data = yaml_parser().load(text)
        else:
            data = json.loads(text) if text.strip() else None
    except (ValueError, YAMLError, TOMLKitError) as problem:
        raise syntax_error(
            problem, text, fmt, path=path, error=error, first_line=first_line
        ) from None
    except RecursionError:  # not reached within the bounds; a last line of defence
        raise error(
            f"nested too deeply (more than {MAX_DEPTH} levels)", path=path, line=first_line
        ) from None
    check_values(data, text, path=path, error=error, first_line=first_line)
    return data


def syntax_error(
    problem: Exception,
    text: str,
    fmt: DataFormat,
    *,
    path: Path | str | None = None,
    error: type[TranslateError] = ConfigError,
    first_line: int = 1,
    parser: YAML | None = None,
) -> TranslateError:
    """Return `error` for a TOML (tomllib or tomlkit), YAML or JSON parser's exception.

    The line is the file's: the parser's line, counted from `first_line`; without one, the
    line before `first_line` (a front matter delimiter), if any. `parser` is the YAML parser
    that failed, to find a value it could not convert.
    """
    hint = _HINTS.get(fmt, "")
    line: int | None
    prefix = f"invalid {fmt.upper()}: "
    if isinstance(problem, json.JSONDecodeError):
        message, line = problem.msg, problem.lineno
    elif fmt == "yaml":
        message, offset, hint = yaml_problem(problem, text, parser)
        line = None if offset is None else text.count("\n", 0, offset) + 1
        if isinstance(problem, LimitError):
            prefix = ""
    else:
        # tomllib and tomlkit say "... (at line 3, column 7)" or "... at line 3 col 7".
        message = str(problem)
        found = re.search(r"line (\d+)", message)
        line = int(found.group(1)) if found else None
        message = re.sub(r"\s*\(?at line \d+,? col(?:umn)? \d+\)?", "", message)
    return error(
        " ".join(f"{prefix}{message}".split()),
        path=path,
        line=first_line - 1 + line if line is not None else (first_line - 1 or None),
        hint=hint,
    )


def check_nesting(
    text: str,
    fmt: DataFormat,
    *,
    path: Path | str | None = None,
    error: type[TranslateError] = ConfigError,
    first_line: int = 1,
) -> None:
    """Raise `error` if TOML or JSON text nests brackets deeper than `MAX_DEPTH` levels.

    Counted on the text, strings and comments aside, before any recursive parser sees it.
    (YAML is bounded as it is composed.)
    """
    if fmt == "yaml" or text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    tokens = _TOML_TOKENS if fmt == "toml" else _JSON_TOKENS
    depth = 0
    for token in tokens.finditer(text):
        character = token.group()
        if character in "[{":
            depth += 1
            if depth > MAX_DEPTH + 1:  # the outermost JSON bracket is the document itself
                raise _too_deep(text, token.start(), path, error, first_line)
        elif character in "]}":
            depth -= 1


def check_values(
    data: Any,
    text: str,
    *,
    path: Path | str | None = None,
    error: type[TranslateError] = ConfigError,
    first_line: int = 1,
) -> None:
    """Raise `error` if loaded values nest deeper than `MAX_DEPTH` or hold a lone surrogate.

    Walked without recursion; `text` is the source, to find the line of a lone surrogate.
    """
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise _surrogate(value, text, path, error, first_line)
            continue
        if depth > MAX_DEPTH:
            raise error(
                f"nested more than {MAX_DEPTH} levels deep",
                path=path,
                line=first_line,
                hint="flatten the nesting",
            )
        if isinstance(value, Mapping):
            stack.extend((key, depth + 1) for key in value if isinstance(key, str))
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _too_deep(
    text: str, offset: int, path: Path | str | None, error: type[TranslateError], first_line: int
) -> TranslateError:
    return error(
        f"nested more than {MAX_DEPTH} levels deep",
        path=path,
        line=first_line + text.count("\n", 0, offset),
        hint="flatten the nesting",
    )


def _surrogate(
    value: str, text: str, path: Path | str | None, error: type[TranslateError], first_line: int
) -> TranslateError:
    code = ord(_SURROGATE.findall(value)[0])
    found = _SURROGATE_ESCAPE.search(text)
    line = first_line + text.count("\n", 0, found.start()) if found else None
    return error(
        f"a value holds U+{code:04X}, half of a UTF-16 surrogate pair, which is no character",
        path=path,
        line=line,
        hint="write the character itself, or both halves of the pair (\\ud83d\\ude00)",
    )
