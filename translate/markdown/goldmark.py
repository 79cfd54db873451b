"""Read a post's body the way Hugo does: shortcodes first, then Markdown as Goldmark reads it.

Hugo hands Goldmark a text in which every shortcode is one placeholder word; `shortcodes.mask`
does the same with same-length runs of private-use characters, so markdown-it's line
numbers and offsets stay the file's. The parser is configured for what Hugo's Goldmark
renders by default: CommonMark, GFM tables and strikethrough, footnotes, definition lists,
Goldmark's Linkify (URLs with a scheme or `www.`, and e-mail addresses, not bare domains),
heading attributes (`## Title {#id .class}`) and blockquote alerts (`> [!NOTE]`), plus
`$…$` math as Hugo Academic sites write it.
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from translate.markdown.shortcodes import MARKDOWN_SHORTCODES, Masked, mask

# --- Goldmark's Linkify ------------------------------------------------------------------
# The patterns of goldmark/extension/linkify.go: a URL needs a scheme or `www.`; an e-mail
# address needs a dot in its domain. A bare domain ("Hide.me", "lesson-1.md") is text.

_URL = re.compile(
    r"(?:http|https|ftp)://[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+(?::\d+)?"
    r"(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=();,'\">^{}\[\]`]*)?"
)
_WWW = re.compile(
    r"www\.[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+"
    r"(?:[/#?][-a-zA-Z0-9@:%_+.~#!?&/=();,'\">^{}\[\]`]*)?"
)
_EMAIL_LOCAL = re.compile(r"[!#$%&'*+\-./0-9=?A-Z^_`a-z{|}~]+")
_EMAIL_DOMAIN = re.compile(
    r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
# Where Goldmark tries Linkify: at a line head and after a space, `*`, `_`, `~` or `(`.
_LINK_START = re.compile(
    r"(?:^|(?<=[ \t\n*_~(]))(?=(?:https?|ftp)://|www\.|[!#$%&'*+\-./0-9=?A-Z^_`a-z{|}~]+@)"
)
_LONGEST_LINK = 4096
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _link_starts(state: StateInline) -> list[int]:
    """Return every position of the source where Goldmark's Linkify would look for a link.

    Kept on the state, for its source: a cache keyed by the text would compare two equal
    texts of a megabyte on every call.
    """
    cached: tuple[str, list[int]] | None = state.__dict__.get("_link_starts")
    if cached is None or cached[0] is not state.src:
        cached = (state.src, [match.start() for match in _LINK_START.finditer(state.src)])
        state.__dict__["_link_starts"] = cached
    return cached[1]


def find_link(line: str) -> tuple[int, str] | None:
    """Return (length, destination) of a Linkify link at the start of `line`, as Goldmark."""
    match = _URL.match(line) if line.startswith(("http:", "https:", "ftp:")) else None
    www = False
    if match is None and line.startswith("www."):
        match = _WWW.match(line)
        www = True
    email = False
    if match is not None:
        end = match.end()
        last = line[end - 1]
        if last == ".":
            end -= 1
        elif last == ")":
            closing = 0
            for char in line[:end]:
                closing += {")": 1, "(": -1}.get(char, 0)
            if closing > 0:
                end -= closing
        elif last == ";":
            index = end - 2
            while index >= 0 and line[index].isascii() and line[index].isalnum():
                index -= 1
            if index != end - 2 and line[index] == "&":
                end = index
    else:
        if not line or line[0] in _ASCII_PUNCT:
            return None
        local = _EMAIL_LOCAL.match(line)
        if local is None or not line.startswith("@", local.end()):
            return None
        domain = _EMAIL_DOMAIN.match(line, local.end() + 1)
        if domain is None:
            return None
        end = domain.end()
        if "." not in line[local.end() : end - 1]:
            return None
        if line[end - 1] == ".":
            end -= 1
        if end < len(line) and line[end] in "-_":
            return None
        email = True
    # Trailing punctuation belongs to the sentence, not the link.
    while end > 1 and line[end - 1] in "?!.,:*_~":
        end -= 1
    text = line[:end]
    destination = "mailto:" + text if email else "http://" + text if www else text
    return end, destination


def _linkify(state: StateInline, silent: bool) -> bool:
    """Recognise a bare URL or e-mail address as Goldmark's Linkify extension does."""
    pos = state.pos
    if state.linkLevel > 0:
        return False
    starts = _link_starts(state)
    index = bisect.bisect_left(starts, pos)
    if index >= len(starts) or starts[index] != pos:
        return False
    # No address is longer than this; looking further on a long line would cost its square.
    limit = min(state.posMax, pos + _LONGEST_LINK)
    line_end = state.src.find("\n", pos, limit)
    line = state.src[pos : limit if line_end < 0 else line_end]
    found = find_link(line)
    if found is None:
        return False
    length, destination = found
    href = state.md.normalizeLink(destination)
    if not state.md.validateLink(href):
        return False
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(line[:length])
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += length
    return True


def _text(state: StateInline, silent: bool) -> bool:
    """Take plain text up to the next character a rule may start at, or a Linkify position."""
    pos = state.pos
    stop = state.posMax
    starts = _link_starts(state)
    index = bisect.bisect_left(starts, pos)
    if index < len(starts) and starts[index] == pos:
        return False  # a link may start here: Linkify's turn (the next rule)
    if index < len(starts) and starts[index] < stop:
        stop = starts[index]
    # Search only up to there: a search to the end of a long line on every call would make
    # a paragraph's cost grow with its square.
    terminator = state.md.inline.terminator_re.search(state.src, pos, stop)
    if terminator is not None:
        stop = terminator.start()
    if stop == pos:
        return False
    if not silent:
        state.append_pending(state.src[pos:stop])
    state.pos = stop
    return True


# --- Goldmark's strikethrough ----------------------------------------------------------------
# goldmark/extension/strikethrough.go: a run of one or two tildes delimits (three or more
# are text, as is a tilde right after another), and an opener and a closer of different
# widths still pair, over the narrower width: `~x~~` is <del>x</del>~. markdown-it's own
# rule wants two tildes on both sides.


def _tilde_tokenize(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if silent or state.src[start] != "~":
        return False
    scanned = state.scanDelims(start, True)
    length = scanned.length
    token = state.push("text", "", 0)
    token.content = "~" * length
    state.pos += length
    if length > 2 or (start > 0 and state.src[start - 1] == "~"):
        return True  # text
    state.delimiters.append(
        Delimiter(
            marker=ord("~"),
            length=0,  # no "rule of 3"
            token=len(state.tokens) - 1,
            end=-1,
            open=scanned.can_open,
            close=scanned.can_close,
        )
    )
    return True


def _tilde_pairs(state: StateInline, delimiters: list[Delimiter]) -> None:
    """Turn paired tilde runs into s_open/s_close; the wider run's extra tildes stay text."""
    for opener in delimiters:
        if opener.marker != ord("~") or opener.end == -1:
            continue
        closer = delimiters[opener.end]
        open_token, close_token = state.tokens[opener.token], state.tokens[closer.token]
        width = min(len(open_token.content), len(close_token.content))
        sides: tuple[tuple[Token, Literal[1, -1]], ...] = ((open_token, 1), (close_token, -1))
        for token, nesting in sides:
            extra = len(token.content) - width
            start, end = token.meta.get("span", (0, 0))
            if extra:
                # Outside the pair: before an opener, after a closer.
                token.meta["extra"] = ("before" if nesting == 1 else "after", extra)
                start, end = (start + extra, end) if nesting == 1 else (start, end - extra)
            token.type = "s_open" if nesting == 1 else "s_close"
            token.tag = "s"
            token.nesting = nesting
            token.markup = "~" * width
            token.content = ""
            token.meta["span"] = (start, end)


def _tilde_post_process(state: StateInline) -> None:
    _tilde_pairs(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _tilde_pairs(state, meta["delimiters"])
    # Extra tildes of a wider run become text tokens of their own, next to the tag.
    index = 0
    while index < len(state.tokens):
        token = state.tokens[index]
        extra = token.meta.pop("extra", None)
        if extra is not None:
            side, count = extra
            text = Token("text", "", 0)
            text.content = "~" * count
            start, end = token.meta["span"]
            if side == "before":
                text.meta["span"] = (start - count, start)
                state.tokens.insert(index, text)
                index += 1
            else:
                text.meta["span"] = (end, end + count)
                state.tokens.insert(index + 1, text)
        index += 1


# --- Goldmark's typographer ---------------------------------------------------------------


def _guillemets(state: StateInline, silent: bool) -> bool:
    """Read `<<` as text, as Hugo's typographer does («) before it looks for HTML.

    In `a <</kbd>` the second `<` then opens no tag: Hugo renders `a «/kbd>`.
    """
    if not state.src.startswith("<<", state.pos):
        return False
    if not silent:
        state.pending += "<<"
    state.pos += 2
    return True


# --- heading attributes and alerts ---------------------------------------------------------

_ALERT = re.compile(r"\[!([a-zA-Z]+)\]([-+])?")


@dataclass(frozen=True)
class Attribute:
    """One Goldmark attribute: `#id` is ("id", "x"), `.c` is ("class", "c"), or `key=value`."""

    name: str
    value: str


def parse_attributes(text: str, start: int) -> tuple[list[Attribute], int] | None:
    """Parse a Goldmark attribute block `{#id .class key=value}` at `start`.

    Return the attributes and the position after `}`, or None if there is none.
    """
    if not text.startswith("{", start):
        return None
    position = start + 1
    attributes: list[Attribute] = []
    while True:
        while position < len(text) and text[position] in " \t":
            position += 1
        if position >= len(text):
            return None
        if text[position] == "}":
            return attributes, position + 1
        parsed = _attribute(text, position)
        if parsed is None:
            return None
        attribute, position = parsed
        existing = next((a for a in attributes if a.name == "class"), None)
        if attribute.name == "class" and existing is not None:
            merged = Attribute("class", f"{existing.value} {attribute.value}")
            attributes[attributes.index(existing)] = merged
        else:
            attributes.append(attribute)


def _attribute(text: str, position: int) -> tuple[Attribute, int] | None:
    char = text[position]
    if char in "#.":
        end = position + 1
        while end < len(text) and not text[end].isspace():
            c = text[end]
            if c in _ASCII_PUNCT and c not in "_-:.":
                break
            end += 1
        if end == position + 1:
            return None
        return Attribute("id" if char == "#" else "class", text[position + 1 : end]), end
    if char.isspace() or char in "=/}":
        return None
    end = position
    while end < len(text) and not text[end].isspace() and text[end] not in "=/}":
        end += 1
    name = text[position:end]
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if not text.startswith("=", after):
        return Attribute(name, name), end
    after += 1
    while after < len(text) and text[after] in " \t":
        after += 1
    if after >= len(text):
        return None
    quote = text[after]
    if quote in "\"'":
        close = text.find(quote, after + 1)
        if close < 0:
            return None
        return Attribute(name, text[after + 1 : close]), close + 1
    value_end = after
    while value_end < len(text) and not text[value_end].isspace() and text[value_end] != "}":
        value_end += 1
    return Attribute(name, text[after:value_end]), value_end


def heading_attributes(content: str) -> tuple[int, list[Attribute]] | None:
    """Find Goldmark heading attributes at the end of a heading's last line.

    Return where the attribute block starts in `content` and the attributes, or None.
    """
    line_start = content.rfind("\n") + 1
    position = line_start
    while position < len(content):
        char = content[position]
        if char == "\\":
            position += 2 if content[position + 1 : position + 2] in _ASCII_PUNCT else 1
            continue
        if char == "{":
            parsed = parse_attributes(content, position)
            if parsed is not None and not content[parsed[1] :].strip():
                return position, parsed[0]
        position += 1
    return None


def _hugo_blocks(state: StateCore) -> None:
    """Take heading attributes out of headings' text and mark blockquote alerts.

    Goldmark removes `{#id .class}` from a heading's text and sets them as attributes; Hugo
    renders a blockquote whose first line is `[!TYPE]` as an alert.
    """
    tokens = state.tokens
    if _OPTIONS.get().block_attributes:
        _block_attributes(tokens, state.src)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            found = heading_attributes(inline.content)
            if found is not None:
                start, attributes = found
                kept = inline.content[:start].rstrip(" \t")
                token.meta["attributes"] = attributes
                token.meta["attribute_source"] = inline.content[len(kept) :]
                for attribute in attributes:
                    token.attrSet(attribute.name, attribute.value)
                inline.content = kept
        elif token.type == "blockquote_open" and index + 2 < len(tokens):
            paragraph, inline = tokens[index + 1], tokens[index + 2]
            if paragraph.type != "paragraph_open":
                continue
            match = _ALERT.match(inline.content)
            if match is None:
                continue
            first_line = inline.content.split("\n", 1)[0]
            title = first_line[match.end() :].strip()
            token.meta["alert"] = (match.group(1).lower(), match.group(2) or "", bool(title))
            inline.meta["alert"] = match.end()


# --- what the site's configuration changes -----------------------------------------------


@dataclass(frozen=True)
class MarkdownOptions:
    """What a site's configuration changes in how Hugo reads Markdown.

    Hugo's defaults, unless the site says otherwise: no block attributes, no passthrough,
    and of the `{{< >}}` pairs only `details` holds Markdown.
    """

    # `markup.goldmark.parser.attribute.block`: `{.class}` on the line after a block.
    block_attributes: bool = False
    # `markup.goldmark.extensions.passthrough.delimiters`: (open, close) pairs whose
    # content Goldmark passes through untouched (math, usually).
    passthrough: tuple[tuple[str, str], ...] = ()
    # `{{< >}}` pairs whose template renders their content as Markdown.
    markdown_shortcodes: frozenset[str] = MARKDOWN_SHORTCODES


# The options are frozen: one default instance is safe to share.
_OPTIONS: contextvars.ContextVar[MarkdownOptions] = contextvars.ContextVar(
    "markdown_options",
    default=MarkdownOptions(),  # noqa: B039
)


def current_options() -> MarkdownOptions:
    """Return the options posts are read with now."""
    return _OPTIONS.get()


@contextlib.contextmanager
def use_options(options: MarkdownOptions) -> Iterator[None]:
    """Read posts with `options` inside the block (a site's configuration, for a command)."""
    token = _OPTIONS.set(options)
    try:
        yield
    finally:
        _OPTIONS.reset(token)


# --- passthrough and block attributes -------------------------------------------------------


def _passthrough(state: StateInline, silent: bool) -> bool:
    """Take text between passthrough delimiters as one untouched token (Hugo's math)."""
    delimiters = _OPTIONS.get().passthrough
    if not delimiters:
        return False
    pos = state.pos
    for opening, closing in delimiters:
        if not state.src.startswith(opening, pos):
            continue
        end = state.src.find(closing, pos + len(opening), state.posMax)
        if end < 0 or end == pos + len(opening):
            continue
        if not silent:
            token = state.push("passthrough", "", 0)
            token.content = state.src[pos : end + len(closing)]
            token.markup = opening
        state.pos = end + len(closing)
        return True
    return False


def _block_attributes(tokens: list[Token], source: str) -> None:
    """Take a paragraph's last line `{.class #id}` off its text, as Goldmark's attributes.

    After a table, markdown-it reads such a line as one more row; Goldmark as the table's
    attributes: its cells are marked as attributes, not prose.
    """
    lines = source.split("\n")
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            _table_attributes(tokens, index, lines)
        if token.type != "paragraph_open":
            continue
        inline = tokens[index + 1]
        head, _, last = inline.content.rpartition("\n")
        parsed = parse_attributes(last.strip(), 0) if last.strip().startswith("{") else None
        if parsed is None or parsed[1] != len(last.strip()):
            continue
        token.meta["attributes"] = parsed[0]
        for attribute in parsed[0]:
            token.attrSet(attribute.name, attribute.value)
        if head:
            inline.content = head
            token.meta["attribute_line"] = True
        else:
            token.meta["attribute_only"] = True


def _first_footnote_wins(state: StateCore) -> None:
    """Drop the later definitions of a footnote label: Goldmark renders the first one.

    (markdown-it's footnote plugin keeps the last.)
    """
    seen: set[str] = set()
    kept: list[Token] = []
    dropping = False
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            label = str(token.meta.get("label"))
            dropping = label in seen
            seen.add(label)
        if not dropping:
            kept.append(token)
        if token.type == "footnote_reference_close":
            dropping = False
    state.tokens = kept


def _table_attributes(tokens: list[Token], table: int, lines: Sequence[str]) -> None:
    last_row = None
    index = table
    while tokens[index].type != "table_close":
        if tokens[index].type == "tr_open":
            last_row = index
        index += 1
    row_map = tokens[last_row].map if last_row is not None else None
    if row_map is None:
        return
    text = lines[row_map[0]].strip()
    parsed = parse_attributes(text, 0) if text.startswith("{") else None
    if parsed is None or parsed[1] != len(text):
        return
    tokens[table].meta["attributes"] = parsed[0]
    for token in tokens[last_row:index]:
        if token.type == "inline":
            token.meta["attribute_only"] = True


# --- the parser ----------------------------------------------------------------------------


def _record_spans(
    tokens: list[Token], first: int, pending_start: int, start: int, end: int
) -> None:
    """Give each token a rule call just pushed its `(start, end)` in the inline source."""
    new = tokens[first:]
    raw_start = start
    if start > pending_start and new and new[0].type == "text" and "span" not in new[0].meta:
        # The rule flushed pending text first; rules may have trimmed it (newline drops
        # trailing spaces), so it spans only its content.
        flushed = new[0]
        raw_start = pending_start + len(flushed.content)
        flushed.meta["span"] = (pending_start, raw_start)
        new = new[1:]
    elif start > pending_start:
        raw_start = pending_start  # the rule consumed all pending text itself
    rest = [token for token in new if "span" not in token.meta]
    if (
        rest
        and all(t.type == "text" for t in rest)
        and (sum(len(t.content) for t in rest) == end - raw_start)
    ):
        # Emphasis and strikethrough push one text token per delimiter: tile them.
        pos = raw_start
        for token in rest:
            token.meta["span"] = (pos, pos + len(token.content))
            pos += len(token.content)
    else:
        for token in rest:
            token.meta["span"] = (raw_start, end)


def _tracking_tokenize(parser: ParserInline, state: StateInline) -> None:
    """Tokenize like `ParserInline.tokenize`, recording each token's source span in `meta`.

    Tokens know their block's lines but not where they stand inside it; these spans let
    the segmenter cut the original inline source at token boundaries instead of
    re-rendering Markdown from tokens (which would change `_` to `*`, escapes, etc.).
    """
    rules = parser.ruler.getRules("")
    end = state.posMax
    max_nesting = state.md.options["maxNesting"]
    while state.pos < end:
        pos = state.pos
        pending_start = pos - len(state.pending)
        first = len(state.tokens)
        ok = False
        if state.level < max_nesting:
            for rule in rules:
                ok = rule(state, False)
                if ok:
                    if state.pos <= pos:
                        raise RuntimeError("inline rule didn't increment state.pos")
                    break
        if ok:
            _record_spans(state.tokens, first, pending_start, pos, state.pos)
            if state.pos >= end:
                break
            continue
        state.append_pending(state.src[state.pos])
        state.pos += 1
    if state.pending:
        token = state.pushPending()
        token.meta["span"] = (end - len(token.content), end)


@functools.cache
def markdown_parser() -> MarkdownIt:
    """Return the parser for post bodies, configured as Hugo's Goldmark renders by default.

    Every inline token carries `meta["span"]`: where it stands in its inline source.
    """
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.inline.ruler.at("strikethrough", _tilde_tokenize)
    md.inline.ruler2.at("strikethrough", _tilde_post_process)
    md.use(footnote_plugin, inline=False)
    md.use(deflist_plugin)
    # Digits next to `$` are prices ("5 $ und 10 $"), not math.
    md.use(dollarmath_plugin, allow_digits=False, allow_space=False)
    md.inline.ruler.at("text", _text)
    md.inline.ruler.after("text", "goldmark_linkify", _linkify)
    md.inline.ruler.before("escape", "passthrough", _passthrough)
    md.inline.ruler.before("html_inline", "guillemets", _guillemets)
    md.core.ruler.after("block", "hugo_blocks", _hugo_blocks)
    md.core.ruler.before("footnote_tail", "first_footnote_wins", _first_footnote_wins)
    # Escapes and entities stay separate tokens so they can be protected byte for byte;
    # unused emphasis delimiters stay separate so their source spans stay exact.
    md.disable("text_join")
    md.inline.ruler2.disable("fragments_join")
    tokenize: Callable[[StateInline], None] = functools.partial(_tracking_tokenize, md.inline)
    md.inline.tokenize = tokenize  # type: ignore[method-assign,assignment]
    return md


@dataclass
class Document:
    """A post body as Hugo reads it: the text, its masked shortcodes and markdown-it's tokens."""

    text: str
    masked: Masked
    tokens: list[Token]
    # markdown-it's environment: reference definitions and footnotes.
    env: dict[str, Any] = field(default_factory=dict)


def parse_document(text: str) -> Document:
    """Parse a post body: lex its shortcodes, mask them, and parse the Markdown around them.

    Raise ShortcodeError (with the line in `text`) where Hugo fails on a shortcode.
    """
    masked = mask(text, _OPTIONS.get().markdown_shortcodes)
    env: dict[str, Any] = {}
    tokens = markdown_parser().parse(masked.text, env)
    return Document(text, masked, tokens, env)


def parse_inline(text: str, env: dict[str, Any] | None = None) -> list[Token]:
    """Parse inline Markdown `text` (already masked); return the inline token's children."""
    tokens = markdown_parser().parseInline(text, dict(env or {}))
    return list(tokens[0].children or []) if tokens else []


def block_tokens(tokens: Sequence[Token]) -> list[Token]:
    """Return the block-level tokens, without the inline ones."""
    return [token for token in tokens if token.type != "inline"]
