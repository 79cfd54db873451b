"""Prose in the source language that a translation keeps, because nothing says to translate it.

Two places hold such prose on real sites: front matter values outside the translatable keys
(`meta.description`, `author.description`, a theme's `params.subtitle`), and the content of
a `{{< name >}}…{{< /name >}}` pair whose template is nowhere to be found (a theme that is
neither in `themes/` nor vendored), so that nothing says it is Markdown. `translate run`
names each key and shortcode once, with the number of posts and the setting that would
translate it; `translate check` reports each place in a translation
(`untranslated-front-matter`, `untranslated-shortcode`).

A value or content counts when it has a few words and the language identifier reads it as
the source language rather than the target: names, dates, paths and identifiers do not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from translate.errors import TranslateError
from translate.markdown.front_matter import key_matches, split_front_matter
from translate.markdown.shortcodes import lex, shortcode_tree, walk
from translate.translation.language import identify

Kind = Literal["front-matter", "shortcode"]
# Fewer words than this say too little about a language.
MIN_WORDS = 4
# Front matter keys that are never prose to translate, whatever they hold.
_NOT_PROSE = frozenset(
    {"aliases", "categories", "keywords", "layout", "series", "slug", "tags", "type", "url"}
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_ADDRESS = re.compile(r"\w+://|@\w|\w\.\w{2,4}/")


@dataclass(frozen=True)
class Leftover:
    """One place where a post keeps prose of the source language."""

    kind: Kind
    name: str  # the dotted front matter key (`meta.description`) or the shortcode's name
    line: int  # 1-based, in the post


def leftovers(
    text: str,
    languages: tuple[str, str],
    keys: Sequence[str],
    knows_shortcode: Collection[str] | None = None,
    markdown_shortcodes: Collection[str] = (),
) -> list[Leftover]:
    """Return the prose of language `languages[0]` (rather than `languages[1]`) that `text`
    holds outside what a run translates.

    `keys` are the translatable keys; `knows_shortcode` the shortcodes the site has a
    template for (None: every shortcode's is known); a pair named in `markdown_shortcodes`
    is translated whatever its template.
    """
    try:
        front_matter, body = split_front_matter(text)
        fields = front_matter.fields(("**",))
    except (TranslateError, ValueError):
        return []  # the post's own problem, reported where it is read
    found: list[Leftover] = []
    for field in fields:
        path = tuple(str(part) for part in field.path)
        if key_matches(field.path, keys) or any(part.lower() in _NOT_PROSE for part in path):
            continue
        if _reads_as(field.value, languages):
            dotted = ".".join("*" if part.isdigit() else part for part in path)
            found.append(Leftover("front-matter", dotted, field.line))
    if knows_shortcode is None:
        return found
    offset = front_matter.text.count("\n")
    try:
        tree = shortcode_tree(lex(body))
    except TranslateError:
        return found
    for shortcode in walk(tree):
        name = shortcode.open.name
        inner = shortcode.inner
        if (
            inner is None
            or shortcode.open.markdown
            or name in markdown_shortcodes
            or name in knows_shortcode
        ):
            continue
        content = _without_tags(body[inner[0] : inner[1]])
        if _reads_as(content, languages):
            line = offset + body.count("\n", 0, shortcode.start) + 1
            found.append(Leftover("shortcode", name, line))
    return found


def _without_tags(text: str) -> str:
    return re.sub(r"\{\{[<%].*?[%>]\}\}|<[^>]+>", " ", text, flags=re.DOTALL)


def _reads_as(text: str, languages: tuple[str, str]) -> bool:
    """Tell whether `text` is prose that reads as the first of `languages`."""
    if _ADDRESS.search(text):
        text = _ADDRESS.sub(" ", text)
    # Words between spaces: a path (`/docs/guide/organize-files`) is one, not prose.
    if sum(1 for token in text.split() if _WORD.search(token)) < MIN_WORDS:
        return False
    words = _WORD.findall(text)
    guess = identify(" ".join(words), languages)
    return guess is not None and guess[0] == languages[0].split("-")[0].lower()


def summary(found: Iterable[tuple[str, Leftover]], source: str) -> list[str]:
    """Say once per key and shortcode where prose of `source` stays untranslated: in how
    many posts, and which setting of `translate.toml` would translate it.

    `found` pairs each leftover with the post it is in.
    """
    posts: dict[tuple[Kind, str], set[str]] = {}
    for post, leftover in found:
        posts.setdefault((leftover.kind, leftover.name), set()).add(post)
    lines: list[str] = []
    counts = Counter({key: len(names) for key, names in posts.items()})
    for (kind, name), count in sorted(counts.items()):
        several = f"{count} post{'s' * (count != 1)}"
        if kind == "front-matter":
            lines.append(
                f"front matter {name!r} holds {source} prose in {several} and is not "
                f'translated; to translate it, add "{name}" to translatable_keys in '
                "translate.toml"
            )
        else:
            lines.append(
                f"shortcode {name!r}: no template found, so its content stays {source} in "
                f"{several}; if its template renders the content as Markdown, add "
                f'"{name}" to markdown_shortcodes in translate.toml'
            )
    return lines
