"""Lay a translated block's words out on the lines its source held, and rebuild the body."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from translate.markdown.document import LINE_BREAK
from translate.markdown.placement import EOL, Placement, strip_eol

if TYPE_CHECKING:
    from translate.markdown.segmenter import Body

# A word that would open a block if it started a line: a list item, quote, heading,
# thematic break, setext underline, fence, HTML block, table row or definition; and a
# shortcode, whose output may be a block when it stands on a line of its own.
_BLOCK_START = re.compile(r"^(?:[-+*>#=|<]|:$|\{\{|[`~]{3}|\d{1,9}[.)]$|\d{1,9}[.)]\s)")


def _last_line(text: str) -> str:
    return text.rsplit("\n", 1)[-1]


def wrap_words(words: Sequence[str], widths: Callable[[int], int]) -> list[str]:
    """Fill lines greedily with `words`; line `n` may hold `widths(n)` characters.

    A word that Markdown would read as the start of a block never begins a line, and
    a line never ends in a backslash (which would make a hard break). A word may hold line
    breaks of its own (a shortcode written over several lines): they are kept.
    """
    return [text for text, _ in _wrap(words, widths)]


def _wrap(words: Sequence[str], widths: Callable[[int], int]) -> list[tuple[str, bool]]:
    """Return `wrap_words`'s lines, each with whether a forced break (or nothing) precedes it."""
    lines: list[tuple[str, bool]] = []
    current: list[str] = []
    forced = True  # the line being filled follows a forced break
    length = 0  # of the current line's last physical line, which the next word extends
    for word in words:
        if word == LINE_BREAK:
            lines.append((" ".join(current), forced))
            current, length, forced = [], 0, True
            continue
        if not current:
            current, length = [word], len(_last_line(word))
            continue
        head = word.split("\n", 1)[0]
        fits = length + 1 + len(head) <= widths(len(lines))
        if fits or _BLOCK_START.match(word) or current[-1].endswith("\\"):
            current.append(word)
            length = length + 1 + len(word) if "\n" not in word else len(_last_line(word))
        else:
            lines.append((" ".join(current), forced))
            current, length, forced = [word], len(_last_line(word)), False
    lines.append((" ".join(current), forced))
    return lines


def newline_of(text: str) -> str:
    """Return the line ending `text` uses first, or "\\n"."""
    match = EOL.search(text)
    return match.group() if match else "\n"


def render_body(body: Body, translations: Mapping[int, Sequence[str]]) -> str:
    """Return the body with each translated block's words in place of its text.

    `translations` maps a block index to its words; blocks not in it keep their text.
    Everything outside the blocks' text is copied byte for byte.
    """
    lines = list(body.lines)
    newline = newline_of(body.text)
    # Work bottom-up and right-to-left so earlier positions stay valid.
    order = sorted(
        (
            index
            for index in translations
            if index not in body.skipped and index not in body.embedded
        ),
        key=lambda index: (body.placements[index].start, body.placements[index].column or 0),
        reverse=True,
    )
    for index in order:
        placement = body.placements[index]
        words = translations[index]
        if placement.column is not None:
            lines[placement.start] = _replace_cell(
                lines[placement.start], placement.column, body.blocks[index].source, words
            )
            continue
        lines[placement.start : placement.end] = _block_lines(
            lines, placement, body.blocks[index].wrap_width, words, newline
        )
    return "".join(lines)


def _replace_cell(line: str, column: int, source: str, words: Sequence[str]) -> str:
    text = " ".join(word for word in words if word != LINE_BREAK)
    return line[:column] + text + line[column + len(source) :]


def _block_lines(
    lines: Sequence[str],
    placement: Placement,
    width: int | None,
    words: Sequence[str],
    newline: str,
) -> list[str]:
    prefixes = _continuation_prefixes(placement.prefixes)

    def prefix(n: int) -> str:
        return prefixes[min(n, len(prefixes) - 1)]

    if width is None:
        text_lines = _wrap(words, lambda n: 1 << 30)
    else:
        text_lines = _wrap(words, lambda n: width - len(prefix(n)))
    source = lines[placement.start : placement.end]
    anchored = _anchored_prefixes(source, placement.prefixes, text_lines)
    for n in _lazy_lines(source, placement.prefixes, text_lines):
        anchored.setdefault(n, "")
    endings = [strip_eol(line)[1] for line in source]
    out: list[str] = []
    for n, (text, _) in enumerate(text_lines):
        last = n == len(text_lines) - 1
        ending = endings[-1] if last else (endings[n] if n < len(endings) - 1 else newline)
        # Line breaks inside a word (a shortcode over several lines) take the file's ending.
        text = text.replace("\n", newline) if newline != "\n" else text
        lead = anchored.get(n, prefix(n))
        out.append(lead + text + (placement.suffix if last else "") + ending)
    return out


def _anchored_prefixes(
    source: Sequence[str], prefixes: Sequence[str], text_lines: Sequence[tuple[str, bool]]
) -> dict[int, str]:
    """Return the source's own prefix for each output line that starts with a line-anchored
    shortcode or HTML tag, by output line.

    Such a line is copied from the source, and what its template renders may be a block:
    `{{% /columns %}}` at column 0 after a list item closes the columns, indented it would
    close them inside the item. So it keeps its indentation, lazy or not.
    """
    found: dict[int, str] = {}
    position = 0
    for n, (text, forced) in enumerate(text_lines):
        if n == 0 or not forced or not text.startswith(("{{", "<")):
            continue
        head = text.split(" ", 1)[0].split("\n", 1)[0]
        for index in range(max(position, 1), len(source)):
            body = strip_eol(source[index])[0]
            if body[len(prefixes[index]) :].startswith(head):
                found[n] = prefixes[index]
                position = index + 1
                break
    return found


def _lazy_lines(
    source: Sequence[str], prefixes: Sequence[str], text_lines: Sequence[tuple[str, bool]]
) -> list[int]:
    """Return the output lines that stand where the source has lazy lines after a break.

    In `> Zitat` / `{{% /tab %}}` / `{{% tab %}}` / `Text`, the last lines carry no `>`:
    Markdown reads them as the quote's paragraph going on, but Hugo renders each tab's
    content apart, and there `Text` is no quote. Such a line keeps going without the
    container's marker. The lines after forced breaks (a hard break, a line-anchored
    shortcode or tag) are matched with the source's in order, when both have as many.
    """
    if not prefixes or not _indent_of(prefixes[0]):
        return []
    contents = [
        strip_eol(line)[0][len(prefix) :] for line, prefix in zip(source, prefixes, strict=True)
    ]
    starts = [
        index
        for index in range(1, len(contents))
        if _ends_line_group(contents[index - 1]) or contents[index].startswith(("{{", "<"))
    ]
    forced = [n for n, (_, is_forced) in enumerate(text_lines) if n and is_forced]
    if len(starts) != len(forced):
        return []
    lazy: list[int] = []
    bounds = [*forced, len(text_lines)]
    for group, index in enumerate(starts):
        if prefixes[index] == "":
            lazy.extend(range(bounds[group], bounds[group + 1]))
    return lazy


def _ends_line_group(content: str) -> bool:
    """Tell whether a source line ends with a hard break or holds only a shortcode or tag."""
    stripped = content.strip()
    return (
        content.endswith(("  ", "\\"))
        or (stripped.startswith("{{") and stripped.endswith("}}"))
        or (stripped.startswith("<") and stripped.endswith(">"))
    )


def _continuation_prefixes(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """Return the prefixes to lay new lines out with.

    A line that continued inside a multi-line shortcode has no prefix of its own (the
    shortcode's text carries it); a re-wrapped line in its place takes the prefix of the
    line before, so that a list item or quote goes on.
    """
    out: list[str] = []
    for prefix in prefixes:
        out.append(_indent_of(out[-1]) if out and not prefix else prefix)
    return tuple(out)


def _indent_of(prefix: str) -> str:
    """Return the prefix a continuation line of a block whose first line has `prefix` takes."""
    # `> ` stays a quote; a list marker (`- `, `1. `) or a definition's `: ` becomes spaces
    # of its width.
    return re.sub(r"(?:[-+*:]|\d{1,9}[.)])(?=\s)", lambda m: " " * len(m.group()), prefix)
