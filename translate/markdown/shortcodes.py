"""Hugo shortcodes, read the way Hugo's page parser reads them: before any Markdown.

Hugo lexes a page's content for `{{< >}}` and `{{% %}}` actions first (`parser/pageparser`,
`pagelexer_shortcode.go`) and hands Goldmark a text in which each shortcode is one opaque
placeholder. Markdown therefore never sees a shortcode's parameters, its line breaks or the
raw inner content of a `{{< >}}` pair. This module does the same: `lex` finds every tag with
Hugo's own rules (and fails where Hugo fails), `shortcode_tree` pairs opening and closing tags,
and `mask` replaces each shortcode by a run of private-use characters of the same length, so
that markdown-it sees one word where Hugo sees one placeholder while every offset and line
number still points into the original text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from translate.errors import PostError

# Hugo's isASCIISpace: what separates the elements inside a shortcode.
_ASCII_SPACE = frozenset("\t\n\v\f\r ")


@dataclass(frozen=True, slots=True)
class Param:
    """One shortcode parameter: a positional value or a `name=value` pair."""

    name: str | None  # None for a positional parameter
    value: str  # as the template sees it: quotes removed, escaping backslashes dropped
    start: int  # span of the value as written, quotes included
    end: int
    quote: str  # '"', '`' or "" (unquoted)


@dataclass(frozen=True, slots=True)
class Tag:
    """One shortcode action as written: `{{< name params >}}`, `{{% /name %}}`, ..."""

    start: int
    end: int
    name: str  # "" for an escaped one, whose name is text
    markdown: bool  # `{{% %}}`: the output is Markdown, rendered with the page
    closing: bool = False  # `{{< /name >}}`
    self_closing: bool = False  # `{{< name />}}`
    escaped: bool = False  # `{{</* name */>}}`: shown as text, never run
    params: tuple[Param, ...] = ()


@dataclass(frozen=True)
class Shortcode:
    """A shortcode on the page: a single tag, or an opening tag with its closing tag."""

    open: Tag
    close: Tag | None = None
    children: tuple[Shortcode, ...] = ()  # shortcodes inside a pair's content

    @property
    def start(self) -> int:
        """Return where the shortcode starts in the text."""
        return self.open.start

    @property
    def end(self) -> int:
        """Return where the shortcode (its closing tag, for a pair) ends."""
        return (self.close or self.open).end

    @property
    def inner(self) -> tuple[int, int] | None:
        """Return the span of a pair's content, or None for a single tag."""
        return (self.open.end, self.close.start) if self.close else None

    @property
    def opaque(self) -> bool:
        """Tell whether Markdown never sees the content: a `{{< >}}` pair's is raw."""
        return self.close is not None and not self.open.markdown


class ShortcodeError(PostError):
    """A shortcode that Hugo cannot parse: Hugo fails the build on it, too."""


# --- the lexer ---------------------------------------------------------------------------


def _alphanumeric(char: str) -> bool:
    # Go's unicode.IsLetter / IsDigit, and the underscore.
    return char == "_" or char.isalpha() or char.isdigit()


def _alphanumeric_or_hyphen(char: str) -> bool:
    return _alphanumeric(char) or char == "-"


@dataclass
class _Lexer:
    """Hugo's shortcode state machine, with one method per state of `pagelexer_shortcode.go`."""

    text: str
    tags: list[Tag] = field(default_factory=list)
    # Lexer-wide state, as in Hugo: names seen so far, the last one, inside an inline one.
    open_names: dict[str, bool] = field(default_factory=dict)
    current_name: str = ""
    inline: bool = False

    def error(self, message: str, position: int) -> ShortcodeError:
        line = self.text.count("\n", 0, position) + 1
        return ShortcodeError(
            f"shortcode: {message}",
            line=line,
            hint="Hugo cannot build this page either; quote parameter values, close every "
            "shortcode, and write {{</* name */>}} to show a shortcode as text",
        )

    def run(self) -> list[Tag]:
        position = 0
        text = self.text
        while True:
            position = text.find("{{", position)
            if position < 0:
                return self.tags
            if not text.startswith(("{{<", "{{%"), position):
                position += 1
                continue
            if self.inline:
                self._check_inline_nesting(position)
            position = self._tag(position)

    def _check_inline_nesting(self, position: int) -> None:
        # Inside an inline shortcode only its own closing tag may follow.
        rest = self.text[position + 3 :].lstrip("".join(_ASCII_SPACE))
        if not rest.startswith("/") or not rest[1:].lstrip().startswith(self.current_name + " "):
            raise self.error("inline shortcodes do not support nesting", position)

    def _tag(self, start: int) -> int:
        markdown = self.text[start + 2] == "%"
        right = "%}}" if markdown else ">}}"
        position = start + 3
        if self.text.startswith("/*", position):
            close = self.text.find("*/" + right, position)
            if close - position <= 1:
                raise self.error("comment must be closed", start)
            end = close + 2 + len(right)
            self.tags.append(Tag(start, end, "", markdown, escaped=True))
            return end
        return _TagLexer(self, start, markdown, right).run(position)


@dataclass
class _TagLexer:
    """The elements of one shortcode action, from after `{{<` to `>}}`."""

    lexer: _Lexer
    start: int
    markdown: bool
    right: str
    name: str = ""
    closing: int = 0  # Hugo's closingState
    closed: bool = False
    steps: int = 0  # Hugo's elementStepNum
    param_elements: int = 0  # 1: positional, 2: named
    params: list[Param] = field(default_factory=list)
    pending_name: str | None = None  # a named parameter waiting for its value

    @property
    def text(self) -> str:
        return self.lexer.text

    def run(self, position: int) -> int:
        text = self.text
        while True:
            if text.startswith(self.right, position):
                end = position + len(self.right)
                self._emit(end)
                return end
            if position >= len(text):
                raise self.lexer.error("unclosed shortcode action", self.start)
            char = text[position]
            if char in _ASCII_SPACE:
                position += 1
            elif char == "=":
                position = self._value(position + 1)
            elif char == "/":
                if not self.lexer.current_name:
                    raise self.lexer.error("got closing shortcode, but none is open", position)
                self.closing += 1
                self.lexer.inline = False
                self.steps = 0
                position += 1
            elif char == "\\":
                position += 1
                if text[position : position + 1] in ('"', "`"):
                    position = self._param(position, escaped_quote=True)
            elif self.steps > 0 and (_alphanumeric_or_hyphen(char) or char in '"`'):
                position = self._param(position, escaped_quote=False)
            elif _alphanumeric(char):
                position = self._identifier(position)
            else:
                raise self.lexer.error(
                    f"unrecognized character in shortcode action: U+{ord(char):04X} {char!r}; "
                    "parameters with non-alphanumeric values must be quoted",
                    position,
                )

    def _emit(self, end: int) -> None:
        closing = self.closed
        self_closing = self.closing > 0 and not closing
        self.lexer.tags.append(
            Tag(
                self.start,
                end,
                self.name,
                self.markdown,
                closing=closing,
                self_closing=self_closing,
                params=tuple(self.params),
            )
        )

    def _identifier(self, position: int) -> int:
        text = self.text
        start = position
        while position < len(text):
            char = text[position]
            if _alphanumeric_or_hyphen(char) or char == "/":
                position += 1
            elif char == ".":
                position += 1
                self.lexer.inline = text.startswith("inline ", position)
                if not self.lexer.inline:
                    raise self.lexer.error(
                        "period in shortcode name only allowed for inline identifiers", start
                    )
            else:
                break
        word = text[start:position]
        look_for_end = False
        if self.closing > 0:
            if not self.lexer.open_names.get(word):
                raise self.lexer.error(
                    f"closing tag for shortcode {word!r} does not match start tag", start
                )
            look_for_end = True
            self.closed = True
        self.closing = 0
        self.lexer.current_name = word
        self.lexer.open_names[word] = True
        self.steps += 1
        self.name = word
        if look_for_end:
            return self._end_of_closing(position)
        return position

    def _end_of_closing(self, position: int) -> int:
        self.lexer.inline = False
        while not self.text.startswith(self.right, position):
            if position >= len(self.text) or self.text[position] not in _ASCII_SPACE:
                raise self.lexer.error("unclosed shortcode", position)
            position += 1
        return position

    def _param(self, position: int, *, escaped_quote: bool) -> int:
        text = self.text
        start = position
        char = text[position] if position < len(text) else ""
        if char == '"' or (char == "`" and not escaped_quote):
            if self.param_elements == 2:
                raise self.lexer.error(
                    "got quoted positional parameter. Cannot mix named and positional parameters",
                    position,
                )
            self.param_elements = 1
            if char == '"':
                return self._quoted(position, None, allow_escaped=not escaped_quote)
            return self._raw(position, None)
        if char == "`":
            raise self.lexer.error("unrecognized escape character", position)
        named = False
        while position < len(text):
            char = text[position]
            if position > start and char == "=":
                named = True
                break
            if not _alphanumeric_or_hyphen(char) and char != ".":
                break
            position += 1
        word = text[start:position]
        if self.param_elements == 0:
            self.param_elements = 2 if named else 1
        elif named and self.param_elements == 1:
            raise self.lexer.error(
                f"got named parameter {word!r}. Cannot mix named and positional parameters", start
            )
        elif not named and self.param_elements == 2:
            raise self.lexer.error(
                f"got positional parameter {word!r}. Cannot mix named and positional parameters",
                start,
            )
        if named:
            self.pending_name = word
        else:
            self.params.append(Param(None, word, start, position, ""))
        return position

    def _value(self, position: int) -> int:
        """Read the value after `=`: quoted, raw or up to the next space (Hugo's rules)."""
        text = self.text
        while position < len(text) and text[position] in _ASCII_SPACE:
            position += 1
        name = self.pending_name
        self.pending_name = None
        if name is None and self.params and self.params[-1].name is None:
            # `key = value`: Hugo reads any parameter followed by a value as that value's name.
            name = self.params.pop().value
        peek = text[position : position + 1]
        if peek in ('"', "\\"):
            return self._quoted(position, name, allow_escaped=peek != "\\")
        if peek == "`":
            return self._raw(position, name)
        start = position
        while position < len(text) and text[position] not in _ASCII_SPACE:
            position += 1
        self.params.append(Param(name, text[start:position], start, position, ""))
        return position

    def _quoted(self, position: int, name: str | None, *, allow_escaped: bool) -> int:
        """Read a double-quoted value; `\\"` inside it is a quote."""
        text = self.text
        start = position
        open_found = False
        escaped_inner = False
        escaped_state = 0
        value_start = position
        while True:
            if position >= len(text) or text[position] == "\n":
                raise self.lexer.error(
                    "unterminated quoted string in shortcode parameter-argument: "
                    f"{text[value_start:position]!r}",
                    start,
                )
            char = text[position]
            position += 1
            if char == "\\":
                peek = text[position : position + 1]
                if peek == '"':
                    if open_found and not allow_escaped:
                        position -= 1
                        break
                    if open_found:
                        escaped_inner = True
                        escaped_state = 1
                elif peek == "`":
                    raise self.lexer.error("unrecognized escape character", position)
            elif char == '"':
                if escaped_state == 0:
                    if open_found:
                        position -= 1
                        break
                    open_found = True
                    value_start = position
                else:
                    escaped_state = 0
        value = text[value_start:position]
        if escaped_inner:
            value = value.replace("\\", "")
        if text.startswith('\\"', position):
            position += 2
        elif text.startswith('"', position):
            position += 1
        self.params.append(Param(name, value, start, position, '"'))
        return position

    def _raw(self, position: int, name: str | None) -> int:
        """Read a backquoted raw value, which may span lines."""
        start = position
        close = self.text.find("`", position + 1)
        if close < 0:
            raise self.lexer.error("unterminated raw string in shortcode parameter-argument", start)
        self.params.append(Param(name, self.text[position + 1 : close], start, close + 1, "`"))
        return close + 1


def lex(text: str) -> list[Tag]:
    """Return every shortcode tag in `text` (a post's content), in order.

    Raise ShortcodeError, with the line, where Hugo's lexer fails: an unclosed action, an
    unquoted value with odd characters, a closing tag for a shortcode never opened, ...
    """
    if "{{" not in text:
        return []
    return _Lexer(text).run()


# --- pairing -----------------------------------------------------------------------------


def shortcode_tree(tags: Sequence[Tag]) -> list[Shortcode]:
    """Pair opening with closing tags; return the top-level shortcodes in order.

    Hugo pairs a tag with a closing tag when the shortcode's template uses `.Inner`; the
    templates are not known here, so a tag is a pair exactly when a matching closing tag
    follows. Escaped tags are text and never pair.
    """
    # Each frame: an opening tag and the shortcodes found inside it so far.
    stack: list[tuple[Tag | None, list[Shortcode]]] = [(None, [])]
    for tag in tags:
        if tag.escaped or tag.self_closing:
            stack[-1][1].append(Shortcode(tag))
        elif not tag.closing:
            stack.append((tag, []))
        else:
            depth = next(
                (
                    index
                    for index in range(len(stack) - 1, 0, -1)
                    if (opener := stack[index][0]) is not None and opener.name == tag.name
                ),
                None,
            )
            if depth is None:
                stack[-1][1].append(Shortcode(tag))  # a stray closing tag: Hugo reports it
                continue
            while len(stack) - 1 > depth:
                _unwind(stack)
            opener, children = stack.pop()
            assert opener is not None
            stack[-1][1].append(Shortcode(opener, tag, tuple(children)))
    while len(stack) > 1:
        _unwind(stack)
    return stack[0][1]


def _unwind(stack: list[tuple[Tag | None, list[Shortcode]]]) -> None:
    """Close the innermost frame as a single tag; its children move up a level."""
    opener, children = stack.pop()
    assert opener is not None
    stack[-1][1].extend([Shortcode(opener), *children])


def walk(shortcodes: Sequence[Shortcode]) -> Iterator[Shortcode]:
    """Yield every shortcode, pairs before their children, in document order."""
    for shortcode in shortcodes:
        yield shortcode
        yield from walk(shortcode.children)


# --- masking -----------------------------------------------------------------------------

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
    Hugo renders it as Markdown wherever it stands.
    """
    regions: list[Shortcode | Tag | Raw] = []
    for shortcode in shortcodes:
        if shortcode.opaque and shortcode.open.name not in markdown:
            regions.extend(_opaque_regions(shortcode, markdown))
        elif shortcode.close is None:
            regions.append(shortcode.open)
        else:
            # A `{{% %}}` pair: its content is Markdown of the page; its tags are placeholders.
            regions.append(shortcode.open)
            regions.extend(masked_regions(shortcode.children, markdown))
            regions.append(shortcode.close)
    return regions


def _opaque_regions(pair: Shortcode, markdown: frozenset[str]) -> list[Shortcode | Tag | Raw]:
    """Mask a `{{< >}}` pair whole, except the Markdown of `{{% %}}` pairs inside it."""
    inside = [child for child in pair.children if _holds_markdown(child, markdown)]
    if not inside:
        return [pair]
    assert pair.close is not None
    regions: list[Shortcode | Tag | Raw] = [pair.open]
    position = pair.open.end
    for child in inside:
        if position < child.start:
            regions.append(Raw(position, child.start))
        regions.extend(masked_regions([child], markdown))
        position = child.end
    if position < pair.close.start:
        regions.append(Raw(position, pair.close.start))
    regions.append(pair.close)
    return regions


def _holds_markdown(shortcode: Shortcode, markdown: frozenset[str]) -> bool:
    if shortcode.close is None:
        return False
    if not shortcode.opaque or shortcode.open.name in markdown:
        return True
    return any(_holds_markdown(child, markdown) for child in shortcode.children)


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
