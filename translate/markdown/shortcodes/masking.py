"""Hide shortcodes from Markdown: each region becomes a run of one private-use character.

Markdown then sees one word where Hugo sees one placeholder, while every offset and line
number still points into the original text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from translate.markdown.shortcodes.lexer import ShortcodeError, Tag, lex
from translate.markdown.shortcodes.tree import Shortcode, shortcode_tree

# Private-use characters, one per masked region, so that a region can be told apart from its
# neighbours wherever markdown-it puts it: planes 15 and 16, which text does not use (the
# BMP's private-use area does occur, in icon fonts).
_PLANES = ((0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
MAX_REGIONS = sum(high - low + 1 for low, high in _PLANES)
MASK_CHARACTER = re.compile("[\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def mask_char(index: int) -> str:
    """Return the character that stands for masked region `index`."""
    for low, high in _PLANES:
        if index <= high - low:
            return chr(low + index)
        index -= high - low + 1
    raise ValueError("too many shortcodes to mask")


def region_of(char: str) -> int | None:
    """Return the region a mask character stands for, or None for any other character."""
    code = ord(char)
    offset = 0
    for low, high in _PLANES:
        if low <= code <= high:
            return offset + code - low
        offset += high - low + 1
    return None


def is_masked(char: str) -> bool:
    """Tell whether `char` is part of a masked shortcode."""
    return region_of(char) is not None


def has_mask(text: str) -> bool:
    """Tell whether `text` holds any part of a masked shortcode."""
    return MASK_CHARACTER.search(text) is not None


# Parameters whose values are prose, by shortcode name: (name or position) -> translatable.
TranslatableParams = frozenset[tuple[str, str]]


def canonical_tag(tag: Tag, translatable: TranslatableParams = frozenset()) -> str:
    """Write a tag the way Hugo reads it: re-wrapping or re-quoting it changes nothing.

    The values of translatable parameters are left out: they are prose.
    """
    if tag.escaped:
        return "{{" + ("%" if tag.markdown else "<") + "/* escaped */}}"
    parts = ["/" + tag.name if tag.closing else tag.name]
    for position, param in enumerate(tag.params):
        key = param.name if param.name is not None else str(position)
        value = "…" if (tag.name, key) in translatable else json.dumps(param.value)
        parts.append(f"{param.name}={value}" if param.name is not None else value)
    if tag.self_closing:
        parts.append("/")
    left, right = ("{{%", "%}}") if tag.markdown else ("{{<", ">}}")
    return f"{left} {' '.join(parts)} {right}"


@dataclass(frozen=True)
class Masked:
    """A text with its shortcodes masked: `text` has the same length and lines as `original`."""

    original: str
    text: str
    regions: tuple[tuple[int, int], ...]  # (start, end) of each masked region, in order
    shortcodes: tuple[Shortcode, ...]  # the top-level shortcodes
    # What each region is: a single tag, or a `{{< >}}` pair with its raw content.
    contents: tuple[Shortcode | Tag | Raw, ...] = ()

    def canonical(self, region: int, translatable: TranslatableParams = frozenset()) -> str:
        """Return region `region` as Hugo parses it (see `canonical_tag`)."""
        content = self.contents[region]
        if isinstance(content, Raw):
            return self.original[content.start : content.end]
        if isinstance(content, Tag):
            if content.escaped:
                return " ".join(self.original[content.start : content.end].split())
            return canonical_tag(content, translatable)
        assert content.close is not None and content.inner is not None
        start, end = content.inner
        return (
            canonical_tag(content.open, translatable)
            + self.original[start:end]
            + canonical_tag(content.close, translatable)
        )

    def unmask_regions(self, masked: str) -> str:
        """Return `masked` (a part of the masked text) with each whole region put back.

        A region cut in two by the parser (at a blank line inside it) stays masked.
        """
        if not has_mask(masked):
            return masked
        out: list[str] = []
        position = 0
        for start, end, index in region_runs(masked):
            region_start, region_end = self.regions[index]
            if end - start == region_end - region_start:
                out += [masked[position:start], self.original[region_start:region_end]]
                position = end
        out.append(masked[position:])
        return "".join(out)


def region_runs(text: str) -> Iterator[tuple[int, int, int]]:
    """Yield (start, end, region) for each run of one region's mask characters in `text`.

    Line breaks inside a run belong to it when the same region goes on after them.
    """
    match = MASK_CHARACTER.search(text)
    length = len(text)
    while match is not None:
        position = match.start()
        char = text[position]
        region = region_of(char)
        assert region is not None
        end = position + 1
        while end < length:
            if text[end] == char:
                end += 1
                continue
            after = end
            while after < length and text[after] in "\r\n":
                after += 1
            if after > end and after < length and text[after] == char:
                end = after
                continue
            break
        yield position, end, region
        match = MASK_CHARACTER.search(text, end)


# `{{< >}}` pairs whose content their template renders as Markdown (`.Inner | markdownify`,
# `.Page.RenderString`): Hugo's built-in `details` does.
MARKDOWN_SHORTCODES = frozenset({"details"})


@dataclass(frozen=True)
class Raw:
    """Raw content of a `{{< >}}` pair between its Markdown children: passed on as it is."""

    start: int
    end: int


def masked_regions(
    shortcodes: Sequence[Shortcode], markdown: frozenset[str] = MARKDOWN_SHORTCODES
) -> list[Shortcode | Tag | Raw]:
    """Return what Markdown never sees: tags, and `{{< >}}` pairs with their content.

    The content of a pair named in `markdown` is prose in Markdown, read with the page; so
    is that of a `{{% %}}` pair, also inside a `{{< >}}` pair (tabs holding `{{% tab %}}`):
    Hugo renders it as Markdown wherever it stands. A `{{< >}}` pair is masked whole except
    the Markdown of such pairs inside it. Iterative: pairs nest as deep as a post likes.
    """
    holders = _markdown_holders(shortcodes, markdown)
    regions: list[Shortcode | Tag | Raw] = []
    # What is left to do, last first: a shortcode to cut into regions, or a region.
    todo: list[Shortcode | Tag | Raw] = list(reversed(shortcodes))
    while todo:
        item = todo.pop()
        if not isinstance(item, Shortcode):
            regions.append(item)
            continue
        steps: list[Shortcode | Tag | Raw]
        if item.close is None:
            steps = [item.open]
        elif item.opaque and item.open.name not in markdown:
            inside = [child for child in item.children if id(child) in holders]
            if not inside:
                regions.append(item)
                continue
            steps = [item.open]
            position = item.open.end
            for child in inside:
                if position < child.start:
                    steps.append(Raw(position, child.start))
                steps.append(child)
                position = child.end
            if position < item.close.start:
                steps.append(Raw(position, item.close.start))
            steps.append(item.close)
        else:
            # A `{{% %}}` pair: its content is Markdown of the page; its tags are placeholders.
            steps = [item.open, *item.children, item.close]
        todo.extend(reversed(steps))
    return regions


def _markdown_holders(shortcodes: Sequence[Shortcode], markdown: frozenset[str]) -> set[int]:
    """Return the ids of the pairs whose content holds Markdown, at any depth."""
    holders: set[int] = set()
    # Children before their parent: (shortcode, whether its children are done).
    stack: list[tuple[Shortcode, bool]] = [(shortcode, False) for shortcode in shortcodes]
    while stack:
        shortcode, done = stack.pop()
        if shortcode.close is None:
            continue
        if not done:
            stack.append((shortcode, True))
            stack.extend((child, False) for child in shortcode.children)
            continue
        if (
            not shortcode.opaque
            or shortcode.open.name in markdown
            or any(id(child) in holders for child in shortcode.children)
        ):
            holders.add(id(shortcode))
    return holders


def mask(text: str, markdown: frozenset[str] = MARKDOWN_SHORTCODES) -> Masked:
    """Lex `text` and replace each shortcode region by its mask character, keeping line breaks.

    Raise ShortcodeError where Hugo would fail to parse the shortcodes.
    """
    reserved = MASK_CHARACTER.search(text)
    if reserved is not None:
        raise ShortcodeError(
            f"the private-use character U+{ord(reserved.group()):X} cannot be read",
            line=text.count("\n", 0, reserved.start()) + 1,
            hint="this tool reserves U+F0000 to U+10FFFD; remove the character",
        )
    tree = shortcode_tree(lex(text))
    contents = masked_regions(tree, markdown)
    regions = [(content.start, content.end) for content in contents]
    if len(regions) > MAX_REGIONS:
        raise ShortcodeError(f"more than {MAX_REGIONS} shortcodes in one post")
    parts: list[str] = []
    position = 0
    for index, (start, end) in enumerate(regions):
        parts.append(text[position:start])
        char = mask_char(index)
        # Line breaks stay, so that markdown-it's line numbers are the file's.
        parts.append("".join(c if c in "\r\n" else char for c in text[start:end]))
        position = end
    parts.append(text[position:])
    return Masked(text, "".join(parts), tuple(regions), tuple(tree), tuple(contents))
