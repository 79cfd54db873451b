"""Hugo's shortcode lexer: every `{{< >}}` and `{{% %}}` tag of a page, by Hugo's rules.

A port of the shortcode states of Hugo's `parser/pageparser/pagelexer_shortcode.go`: it
fails where Hugo fails, with the line.
"""

from __future__ import annotations

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
