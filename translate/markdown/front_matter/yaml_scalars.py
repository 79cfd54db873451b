"""Writing a new value into a YAML scalar: plain, quoted or block, like the one it replaces."""

from __future__ import annotations

import re

# Characters YAML allows on one line of a quoted scalar. Line breaks are left out: YAML folds
# them (and "\x85", U+2028, U+2029) inside quotes; the BOM is left out to be safe.
_WIDE = r"\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
SINGLE_QUOTABLE = re.compile(rf"[\t\x20-\x7e{_WIDE}]*")
_BLOCK_WRITABLE = re.compile(rf"[\t\n\x20-\x7e{_WIDE}]*")
_PLAIN_WRITABLE = re.compile(rf"[\x20-\x7e{_WIDE}]*")
_NEEDS_ESCAPE = re.compile(rf"[^\x20\x21\x23-\x5b\x5d-\x7e{_WIDE}]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}
# Characters that give a plain scalar a special meaning when they come first.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Plain scalars that YAML 1.1 (Hugo's older Go parser) or 1.2 would not read as a string;
# deliberately broad: anything number-like is quoted.
_LOOKS_TYPED = re.compile(
    r"~|null|Null|NULL"
    r"|[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|[-+]?\.?[0-9][0-9a-zA-Z_.,:+-]*"
    r"|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?"
    r"|<<|="
)
_BLOCK_HEADER = re.compile(r"([|>])([-+]?)([1-9]?)([-+]?)([^\r\n]*)(\r?\n)")


def _lines(text: str) -> list[str]:
    """Split `text` after each "\\n", keeping line ends ("\\r\\n" stays whole)."""
    # Not str.splitlines: it also breaks at "\x1c", "\x85", U+2028 ..., which are no line
    # ends for Hugo and would shift every line number after them.
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def plain_writable(value: str, flow: bool) -> bool:
    """Tell whether `value` can be written unquoted and still read back as this string."""
    if not value or value != value.strip() or not _PLAIN_WRITABLE.fullmatch(value):
        return False
    if value[0] in _INDICATORS or ": " in value or " #" in value or value.endswith(":"):
        return False
    if flow and any(character in value for character in ",[]{}:"):
        return False
    return not _LOOKS_TYPED.fullmatch(value)


def double_quoted(value: str) -> str:
    """Return `value` as a one-line double-quoted YAML scalar, which can hold any string."""

    def escape(match: re.Match[str]) -> str:
        character = match.group()
        if character in _ESCAPES:
            return _ESCAPES[character]
        code = ord(character)
        if code < 0x100:
            return f"\\x{code:02X}"
        return f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"

    return '"' + _NEEDS_ESCAPE.sub(escape, value) + '"'


def block_scalar(source: str, value: str, old: str) -> str | None:
    """Return `value` as a `|` or `>` block scalar written like `source`, or None if it can't.

    `old` is the value `source` holds. The header stays as written (indicators in their
    order, comment); the chomping indicator changes only when the new value's trailing line
    breaks need it. Content lines keep their indentation and line ending; blank lines after
    the content, which are not part of a clipped or stripped value, stay as they were.
    """
    header = _BLOCK_HEADER.match(source)
    if header is None:
        return None
    style, chomp_before, indentation, chomp_after, comment, newline = header.groups()
    chomp = chomp_before or chomp_after
    lines = _lines(source[header.end() :])
    content_count = len(lines)
    while content_count and not lines[content_count - 1].strip(" \t\r\n"):
        content_count -= 1
    if content_count == 0:
        return None
    first = next(line for line in lines if line.strip(" \t\r\n"))
    width = len(first) - len(first.lstrip(" "))
    if indentation:
        # An explicit indentation indicator counts from the parent's indentation, which is
        # not tracked here: the content's indentation is what the first content line has
        # beyond the spaces that belong to the old value.
        old_first = next((line for line in old.split("\n") if line.strip(" \t\r")), "")
        width -= len(old_first) - len(old_first.lstrip(" "))
        if width < 1:
            return None
    indent = " " * width
    trailing = "".join(lines[content_count:])

    body = value.rstrip("\n")
    breaks = len(value) - len(body)
    if not body.strip() or not _BLOCK_WRITABLE.fullmatch(body):
        return None
    if style == "|":
        written = body.split("\n")
        leading = next(line for line in written if line)
        # Without an indicator, the first content line sets the indentation, so it may not
        # start with a space; later ones may.
        if leading[0] == "\t" or (leading[0] == " " and not indentation):
            return None
    else:
        if any(line[:1] in (" ", "\t") for line in body.split("\n")):
            return None  # YAML keeps "more indented" lines of a folded scalar unfolded
        written = _folded_lines(body)

    fits = {"-": breaks == 0, "": breaks == 1, "+": breaks >= 1}
    new_chomp = chomp if fits[chomp] else ("-" if breaks == 0 else "" if breaks == 1 else "+")
    if new_chomp == chomp:
        out = source[: header.end()]
    elif chomp_before:
        out = style + new_chomp + indentation + comment + newline
    else:
        out = style + indentation + new_chomp + comment + newline
    out += "".join((indent + line if line else "") + newline for line in written)
    if new_chomp == "+":
        return out + newline * (breaks - 1)
    # Blank lines after a kept ("+") value belonged to it; any others are only layout.
    return out + ("" if chomp == "+" else trailing)


def _folded_lines(body: str) -> list[str]:
    """Return the source lines of a folded scalar whose value is `body`."""
    lines: list[str] = []
    # A folded scalar joins adjacent lines with a space; k line feeds take k empty lines.
    for index, part in enumerate(re.split(r"(\n+)", body)):
        if index % 2:
            lines += [""] * len(part)
        elif part:
            lines.append(part)
    return lines
