"""The rules `translate check` applies to one source post and its translation.

The structural comparison is `verify.compare_posts`, the one `translate run` proves its
output with, in its reviewer-tolerant form; these rules come on top: glossary terms, text
left in the source language, numbers, typography, leftover markers and Hugo references.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from translate.commands.check.findings import Finding, finding
from translate.commands.check.refs import PageIndex, references
from translate.errors import PostError, TranslateError
from translate.hugo.settings import Settings
from translate.markdown.document import Piece, PieceKind, visible
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.markdown.segmenter import inline_pieces
from translate.translation.glossary import Glossary
from translate.translation.language import identify as _identify
from translate.translation.links import NO_LINKS, LinkMap, link_destination, page_headings
from translate.translation.numbers import NumberRules
from translate.translation.verify import Comparison, compare_posts
from translate.translation.verify import short as _short


def check_pair(
    source_text: str,
    target_text: str,
    *,
    source_name: str,
    target_name: str,
    settings: Settings,
    glossary: Glossary,
    target_pages: set[str] | None = None,
    target_page: str | None = None,
    source_pages: set[str] | None = None,
    languages: Sequence[str] = (),
    follow: Callable[[Post], LinkMap] | None = None,
    options: ReadingOptions | None = None,
) -> list[Finding]:
    """Compare a translated post with its source post and return every problem found.

    The structural comparison is `verify.compare_posts`, the one `translate run` proves
    its output with, in its reviewer-tolerant form; the rules of this module come on top.
    `target_pages` are the target language's posts relative to its content folder, without
    language suffix (as `check_site` collects them); without them `ref`/`relref` targets
    are not checked. `target_page` is the translation's own path there (its key), for
    relative references. With `source_pages`, a reference the source post cannot resolve
    either is the source's problem, not reported here. `languages` are the site's codes.
    `follow` gives the source post's links that follow the language (`hugo.links`): the
    translation may point them to the target language's pages, and keep heading ids.
    `options` are the site's reading options (default: Hugo's, with the settings' keys).
    """
    options = options or ReadingOptions(tuple(settings.translatable_keys))
    posts: list[Post] = []
    problems: list[Finding] = []
    for name, text in ((source_name, source_text), (target_name, target_text)):
        try:
            posts.append(Post.read(text, options))
        # ValueError: a TOML value tomlkit parses but cannot locate in the source.
        except (PostError, ValueError) as error:
            line = error.line if isinstance(error, PostError) else None
            message = error.message if isinstance(error, TranslateError) else str(error)
            problems.append(finding(name, line, "unparseable", message))
    if problems:
        return problems
    links = follow(posts[0]) if follow is not None else NO_LINKS
    pages = _References(target_pages, target_page, source_pages, languages)
    # The rules re-read inline text: in the site's Markdown options, as the posts were read.
    return posts[0].reading(
        lambda: _check_read(posts[0], posts[1], target_name, settings, glossary, pages, links)
    )


@dataclass(frozen=True)
class _References:
    """What resolving `ref`/`relref` needs: both languages' pages and the page's own path."""

    target_pages: set[str] | None
    target_page: str | None
    source_pages: set[str] | None
    languages: Sequence[str]


def _check_read(
    source: Post,
    target: Post,
    target_name: str,
    settings: Settings,
    glossary: Glossary,
    pages: _References,
    links: LinkMap,
) -> list[Finding]:
    links = _with_translated_fragments(links, source, target)
    comparison = compare_posts(
        source,
        target,
        keys=settings.translatable_keys,
        glossary=glossary,
        tolerant=True,
        links=links,
    )
    pair = _Pair(comparison, target_name, settings, glossary)
    for difference in comparison.differences:
        pair.add(difference.line, difference.code, difference.message)
    for source_field, target_field in comparison.fields:
        pair.check_aligned(
            _FieldText(source_field.line, source_field.value, inline_pieces(source_field.value)),
            _FieldText(target_field.line, target_field.value, inline_pieces(target_field.value)),
        )
    for source_block, target_block in comparison.blocks:
        pair.check_aligned(
            _FieldText(source_block.line, source_block.source, source_block.pieces),
            _FieldText(target_block.line, target_block.source, target_block.pieces),
        )
    pair.check_markers()
    pair.check_links(links)
    pair.check_fragments()
    if pages.target_pages is not None:
        prefix = f"{settings.content_dir}/{settings.target}/"
        page = pages.target_page
        if page is None and target_name.startswith(prefix):
            page = target_name[len(prefix) :]
        codes = (*pages.languages, settings.source, settings.target)
        source_pages = pages.source_pages
        source_index = PageIndex.of(source_pages, codes) if source_pages is not None else None
        pair.check_refs(PageIndex.of(pages.target_pages, codes), source_index, page)
    return sorted(pair.findings, key=lambda f: f.line or 0)


class _Pair:
    """The rules of one source post and its translation; findings go to `findings`."""

    def __init__(
        self, comparison: Comparison, name: str, settings: Settings, glossary: Glossary
    ) -> None:
        self.source = comparison.source
        self.target = comparison.target
        self.name = name
        self.settings = settings
        self.glossary = glossary
        self.findings: list[Finding] = []

    def add(self, line: int | None, code: str, message: str) -> None:
        """Record a finding in the target post."""
        self.findings.append(finding(self.name, line, code, message))

    # --- blocks ---------------------------------------------------------------------------

    def check_aligned(self, source: _FieldText, target: _FieldText) -> None:
        """Run the rules on one translatable value or body block and its translation."""
        if visible(source.source) and not visible(target.source):
            self.add(
                target.line,
                "invisible-translation",
                "the translation of this text shows nothing (spaces or invisible characters only)",
            )
            return
        source_prose, target_prose = _prose(source.pieces), _prose(target.pieces)
        self._check_terms(source_prose, target_prose, target.line)
        self._check_untranslated(source, target, target_prose)
        self._check_numbers(source_prose, target_prose, source.line, target.line)
        self._check_typography(source.pieces, target.pieces, target.line)

    def _check_terms(self, source: str, target: str, line: int) -> None:
        # Names are compared by `verify`; terms must appear in their fixed translation.
        seen: set[str] = set()
        for match in self.glossary.find(source):
            term = match.term
            if term.target is None or term.source in seen:
                continue
            seen.add(term.source)
            if not _term_pattern(term.target).search(target):
                self.add(
                    line,
                    "glossary-term",
                    f"{_short(term.source)} is translated as {_short(term.target)} "
                    f"in the glossary, which is not here",
                )

    def _check_untranslated(self, source: _FieldText, target: _FieldText, prose: str) -> None:
        words = _words(_without_names(prose, self.glossary))
        if not words:
            return
        languages = (self.settings.source, self.settings.target)
        guess = _identify(" ".join(words), languages) if len(words) >= _LANGID_MIN_WORDS else None
        if _squash(source.source) == _squash(target.source):
            # All-capitalised text reads as names ("Best Paper Award", "Fraunhofer IDMT"),
            # which reviewers keep; text the identifier finds in the target language is a
            # quotation the source already had in that language.
            if not any(word[0].islower() for word in words):
                return
            if guess is not None and guess[0] == self.settings.target:
                return
            self.add(target.line, "untranslated", "identical to the source post: not translated")
            return
        if guess is not None and guess[0] == self.settings.source:
            self.add(
                target.line,
                "untranslated-language",
                f"reads as {self.settings.source!r}, not {self.settings.target!r} "
                f"(language identifier, p={guess[1]:.2f})",
            )

    def _check_numbers(self, source: str, target: str, source_line: int, line: int) -> None:
        # CLDR's rules for the pair: "3,8" is "3.8", "19. Juli 2024" is "July 19, 2024".
        rules = NumberRules.for_pair(self.settings.source, self.settings.target)
        for expected in rules.missing(source, target):
            self.add(
                line,
                "number-missing",
                expected.describe(source_line=source_line + expected.line_offset),
            )

    def _check_typography(
        self, source: Sequence[Piece], target: Sequence[Piece], line: int
    ) -> None:
        before, after = _surface(source), _surface(target)
        for code, pattern in (
            ("doubled-space", _DOUBLED_SPACE),
            ("doubled-punctuation", _DOUBLED_PUNCTUATION),
        ):
            seen = Counter(" ".join(m.group().split()) for m in pattern.finditer(before))
            for match in pattern.finditer(after):
                key = " ".join(match.group().split())
                if seen[key] > 0:
                    seen[key] -= 1
                    continue
                what = "doubled space" if code == "doubled-space" else f"{_short(match.group())}"
                self.add(
                    line + after.count("\n", 0, match.start()),
                    code,
                    f"{what} that the source post does not have",
                )

    # --- whole-post checks ----------------------------------------------------------------

    def check_links(self, links: LinkMap) -> None:
        """Report links that still lead to a source-language page."""
        source = self.settings.source
        for line, destination in _link_destinations(self.target):
            if destination in links.destinations and not destination.startswith("#"):
                self.add(
                    line,
                    "link-not-followed",
                    f"{_short(destination)} leads to the {source} page; its translation is at "
                    f"{_short(links.destinations[destination])}",
                )
            elif destination in links.pending:
                self.add(
                    line,
                    "link-to-source-language",
                    f"{_short(destination)} leads to a {source} page that has no "
                    f"{self.settings.target} translation yet",
                )

    def check_fragments(self) -> None:
        """Report in-page links (`#id`) that lead to no id of the translation, although the
        source post has that id."""
        source_ids = _page_ids(self.source)
        target_ids = _page_ids(self.target)
        for line, destination in _link_destinations(self.target):
            if not destination.startswith("#"):
                continue
            fragment = urllib.parse.unquote(destination[1:])
            if fragment and fragment in source_ids and fragment not in target_ids:
                self.add(
                    line,
                    "fragment-not-found",
                    f"#{_short(fragment)[1:-1]} is an id of the source post but of no heading "
                    f"of this translation; keep it: `## … {{#{fragment}}}`",
                )

    def check_markers(self) -> None:
        """Find translation markers (`<g1>`, `<x1/>`) and their mangled forms in the prose."""
        for field in self.target.fields.values():
            self._find_markers(field.line, inline_pieces(field.value))
        for block in self.target.body.blocks:
            self._find_markers(block.line, block.pieces)

    def _find_markers(self, line: int, pieces: Sequence[Piece]) -> None:
        surface = _surface(pieces, atoms=True)
        for match in _MARKER.finditer(surface):
            if match.group() in self.source.text:
                continue
            self.add(
                line + surface.count("\n", 0, match.start()),
                "leftover-marker",
                f"translation marker {_short(match.group())} left in the text",
            )

    def check_refs(self, pages: PageIndex, source: PageIndex | None, page: str | None) -> None:
        """Report `ref`/`relref` shortcodes whose target is no page of the target language
        (and is one of the source language's, when its pages are known)."""
        for reference in references(self.target.body.text):
            if pages.finds(reference.target, page):
                continue
            if source is not None and not source.finds(reference.target, page):
                continue  # the source post's own problem: Hugo reports it there
            line = self.target.offset + 1 + self.target.body.text.count("\n", 0, reference.start)
            self.add(
                line,
                "ref-not-found",
                f"{reference.name} {_short(reference.target)} has no page in "
                f"{self.settings.target!r}: Hugo fails the build with REF_NOT_FOUND",
            )


def _with_translated_fragments(links: LinkMap, source: Post, target: Post) -> LinkMap:
    """Return `links` with each in-page link to a source heading allowed to lead to the
    id of the same heading in the translation: a reviewer who lets a translated heading get
    its own id (`#anforderungen` for `#requirements`) and follows it keeps the link whole."""
    before, after = page_headings(source.document), page_headings(target.document)
    if len(before) != len(after):
        return links
    fragments = {
        f"#{old.id}": f"#{new.id}"
        for old, new in zip(before, after, strict=True)
        if old.id and new.id and old.id != new.id
    }
    if not fragments:
        return links
    return replace(links, destinations={**fragments, **links.destinations})


def _link_destinations(post: Post) -> list[tuple[int, str]]:
    """Return (line, destination) of each inline link of a post's body."""
    found: list[tuple[int, str]] = []
    for block in post.body.blocks:
        line = block.line
        for piece in block.pieces:
            if piece.kind is PieceKind.CLOSE and piece.what == "link":
                destination = link_destination(piece.raw)
                if destination is not None:
                    found.append((line, destination))
            line += piece.raw.count("\n")
    return found


# An element's id in raw HTML or a shortcode's output written out (`<a id="x">`).
_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']?([^"'\s>]+)""")


def _page_ids(post: Post) -> set[str]:
    """Return the ids a post's page has: its headings' (as Hugo gives them) and any
    written out in HTML."""
    ids = {heading.id for heading in page_headings(post.document) if heading.id}
    return ids | set(_HTML_ID.findall(post.body.text))


@dataclass(frozen=True)
class _FieldText:
    """A front matter value or body block, as far as the block checks need it."""

    line: int
    source: str
    pieces: Sequence[Piece]


# --- prose --------------------------------------------------------------------------------


def _prose(pieces: Iterable[Piece]) -> str:
    """Return the text a reader sees, protected atoms as spaces so words do not merge.

    Line breaks stay line breaks, so that a finding can name the line of the block it is on.
    """
    parts: list[str] = []
    for piece in pieces:
        if piece.kind is PieceKind.TEXT:
            parts.append(piece.raw)
        elif piece.kind is PieceKind.ATOM and piece.what == "escape":
            parts.append(piece.raw[1:])
        elif piece.kind is PieceKind.ATOM:
            parts.append(" ")
        elif piece.kind in (PieceKind.SOFTBREAK, PieceKind.HARDBREAK):
            parts.append("\n")
    return "".join(parts)


def _surface(pieces: Iterable[Piece], *, atoms: bool = False) -> str:
    """Return the prose with markup and atoms as "\\x00" (or their text) and breaks as "\\n".

    The stand-in keeps spaces next to a code span or link visible as doubled spaces.
    """
    parts: list[str] = []
    for piece in pieces:
        if piece.kind is PieceKind.TEXT:
            parts.append(piece.raw)
        elif piece.kind in (PieceKind.SOFTBREAK, PieceKind.HARDBREAK):
            parts.append("\n")
        elif atoms and piece.kind is PieceKind.ATOM:
            parts.append(piece.raw)
        else:
            parts.append("\x00")
    return "".join(parts)


def _squash(text: str) -> str:
    return " ".join(text.split())


_WORD = re.compile(r"[^\W\d_]{2,}")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _without_names(text: str, glossary: Glossary) -> str:
    for match in reversed(glossary.find(text)):
        if match.term.target is None:
            text = text[: match.start] + " " + text[match.end :]
    return text


@functools.cache
def _term_pattern(term: str) -> re.Pattern[str]:
    """Match a glossary translation as a whole word, wrapped or capitalised at a sentence start."""
    first, rest = term[0], term[1:]
    head = f"[{re.escape(first.lower())}{re.escape(first.upper())}]"
    body = r"\s+".join(map(re.escape, rest.split(" ")))
    return re.compile(rf"(?<!\w){head}{body}(?!\w)")


# Fewer words than this are too little evidence for the language identifier.
_LANGID_MIN_WORDS = 4


# --- typography and markers ---------------------------------------------------------------

# Two or more spaces between visible characters (a hard break's trailing spaces end a line).
_DOUBLED_SPACE = re.compile(r"(?<=[^\s]) {2,}(?=[^\s])")
# ".." that is not part of "...", ",,", ";;" and ",." as restoring pieces leaves them.
_DOUBLED_PUNCTUATION = re.compile(r"(?<!\.)\.\.(?!\.)|,\s*,|;\s*;|,\s*\.(?!\.)")
# The pipeline's markers `<g1>…</g1>`, `<x1/>` and what models make of them: `>/g1>`,
# `< g1 >`, `</ g1>`, `<g1` without its bracket.
_MARKER = re.compile(
    r"<\s*/?\s*[gx]\s*\d+\s*/?\s*>"
    r"|(?<![<\w])>?\s*/\s*[gx]\d+\s*>"
    r"|(?<![\w/])[gx]\d+\s*/>"
    r"|<\s*/?\s*[gx]\d+(?![\w>/\s])"
)
