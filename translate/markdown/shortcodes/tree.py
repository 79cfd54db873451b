"""Pair opening and closing shortcode tags into a tree, as Hugo's page parser does."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from translate.markdown.shortcodes.lexer import Tag


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
    # Iterative: pairs nest as deep as a post likes.
    stack = list(reversed(shortcodes))
    while stack:
        shortcode = stack.pop()
        yield shortcode
        stack.extend(reversed(shortcode.children))
