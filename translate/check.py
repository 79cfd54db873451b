"""Check that every translated post is still a faithful sibling of its source post.

`translate run` verifies its own output before writing it; reviewers then edit the English
posts by hand. This is the gate before merge: it compares each target-language post with its
source the way translation QA tools (Translate Toolkit's pofilter, Weblate's checks) compare
strings, but on whole Hugo posts, and reports each problem with a file, a line and a code.

Reviewers may reword freely. Only invariants count: the front matter outside the
translatable keys, link targets, code, shortcodes, HTML, math, entities, the block structure,
glossary names and terms, numbers and Hugo references; plus the typical traces of machine
translation (text left in the source language, leftover markers, doubled spaces or
punctuation).
"""

from __future__ import annotations

import difflib
import functools
import json
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from markdown_it.token import Token

from translate.config import Settings
from translate.document import Block, Piece, PieceKind
from translate.errors import PostError, TranslateError
from translate.front_matter import (
    FrontMatter,
    FrontMatterField,
    KeyPath,
    key_matches,
    split_front_matter,
)
from translate.glossary import Glossary
from translate.pipeline import link_targets
from translate.segmenter import inline_pieces, markdown_parser, parse_body
from translate.site import POST_SUFFIXES, Site, read_post

Severity = Literal["error", "warning"]
Format = Literal["text", "json", "github"]


@dataclass(frozen=True)
class Finding:
    """One problem with a post: where it is, how bad it is, and what it is."""

    path: str  # relative to the site root, e.g. "content/en/post/x/index.md"
    line: int | None  # 1-based in that file
    severity: Severity
    code: str  # a stable id such as "url-changed"; see CODES
    message: str  # short, one line


# Every finding code with its severity. Warnings are what a reviewer may have a reason for
# (English-only pages, a quotation left in German, deliberate spacing); errors break an
# invariant of the translation or the Hugo build.
CODES: dict[str, Severity] = {
    "unparseable": "error",
    "missing-sibling": "error",
    "orphan": "warning",
    "front-matter-format": "error",
    "front-matter-key-added": "error",
    "front-matter-key-removed": "error",
    "front-matter-value-changed": "error",
    "translation-key": "error",
    "untranslated": "error",
    "untranslated-language": "warning",
    "url-changed": "error",
    "reference-changed": "error",
    "protected-changed": "error",
    "structure-changed": "error",
    "glossary-name": "error",
    "glossary-term": "error",
    "number-missing": "error",
    "leftover-marker": "error",
    "doubled-space": "warning",
    "doubled-punctuation": "error",
    "ref-not-found": "error",
}


# --- the site ----------------------------------------------------------------------------


def check_site(site_root: Path, settings: Settings, *, only: Sequence[Path] = ()) -> list[Finding]:
    """Check every source post of the site against its sibling, and every sibling's source.

    `only` limits the check to the posts given, source or target ones. Raise SiteError when
    the site has no source folder or a path in `only` is not a post of it, GlossaryError for
    a glossary that cannot be read: both concern every post.
    """
    site = Site(site_root, settings.source, settings.target, settings.content_dir)
    if not site.source_root.is_dir():
        site.posts()  # raises the SiteError that explains the expected layout
    glossary = Glossary.load(site_root / settings.glossary_dir, settings.source, settings.target)
    target_pages = _pages(site.target_root)
    sources, targets = _selected(site, only)
    findings: list[Finding] = []
    for source in sources:
        target = site.sibling(source)
        if not target.is_file():
            findings.append(
                _finding(
                    site.show(source),
                    None,
                    "missing-sibling",
                    f"no {settings.target} translation: {site.show(target)} does not exist",
                )
            )
            continue
        findings.extend(_check_files(site, source, target, settings, glossary, target_pages))
    for target in targets:
        source = site.source_root / target.relative_to(site.target_root)
        if not source.is_file():
            findings.append(
                _finding(
                    site.show(target),
                    None,
                    "orphan",
                    f"no {settings.source} source post: {site.show(source)} does not exist",
                )
            )
    return sorted(findings, key=lambda f: (f.path, f.line or 0))


def _pages(root: Path) -> set[str]:
    """Return the posts under `root` as lower-case paths relative to it, as Hugo looks them up."""
    return {path.relative_to(root).as_posix().lower() for path in _posts_under(root)}


def _posts_under(root: Path) -> list[Path]:
    """Return the posts under `root`, sorted; none if it does not exist."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.suffix in POST_SUFFIXES and p.is_file())


def _selected(site: Site, only: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Return the source posts to check as pairs and the target posts to check for a source.

    Without `only`, all posts of both languages. A target post in `only` that has a source
    is checked as that pair; one without a source is an orphan.
    """
    if not only:
        return _posts_under(site.source_root), _posts_under(site.target_root)
    sources: list[Path] = []
    targets: list[Path] = []
    for path in only:
        post, is_source = site.locate(path)
        source = post if is_source else site.source_root / post.relative_to(site.target_root)
        if is_source or source.is_file():
            sources.append(source)
        else:
            targets.append(post)
    return list(dict.fromkeys(sources)), list(dict.fromkeys(targets))


def _check_files(
    site: Site,
    source: Path,
    target: Path,
    settings: Settings,
    glossary: Glossary,
    target_pages: set[str],
) -> list[Finding]:
    """Read a pair of posts and check them; a post that cannot be read is a finding."""
    texts: list[str] = []
    for path in (source, target):
        try:
            texts.append(read_post(path))
        except PostError as error:
            return [_finding(site.show(path), error.line, "unparseable", error.message)]
    return check_pair(
        texts[0],
        texts[1],
        source_name=site.show(source),
        target_name=site.show(target),
        settings=settings,
        glossary=glossary,
        target_pages=target_pages,
    )


# --- one pair of posts --------------------------------------------------------------------


@dataclass(frozen=True)
class _Post:
    """A parsed post: its front matter, body blocks and body tokens."""

    name: str
    text: str
    front_matter: FrontMatter
    body: str
    offset: int  # file lines before the body
    blocks: list[Block]
    tokens: list[Token]
    fields: dict[KeyPath, FrontMatterField]  # the translatable string values
    strings: dict[KeyPath, FrontMatterField]  # every string value


def check_pair(
    source_text: str,
    target_text: str,
    *,
    source_name: str,
    target_name: str,
    settings: Settings,
    glossary: Glossary,
    target_pages: set[str] | None = None,
) -> list[Finding]:
    """Compare a translated post with its source post and return every problem found.

    `target_pages` are the target language's posts relative to its content folder (as
    `check_site` collects them); without them `ref`/`relref` targets are not checked.
    """
    posts: list[_Post] = []
    problems: list[Finding] = []
    for name, text in ((source_name, source_text), (target_name, target_text)):
        try:
            posts.append(_parse(name, text, settings.translatable_keys))
        # ValueError: a TOML value tomlkit parses but cannot locate in the source.
        except (PostError, ValueError) as error:
            line = error.line if isinstance(error, PostError) else None
            message = error.message if isinstance(error, TranslateError) else str(error)
            problems.append(_finding(name, line, "unparseable", message))
    if problems:
        return problems
    source, target = posts
    pair = _Pair(source, target, settings, glossary)
    pair.check_front_matter()
    aligned = pair.check_structure()
    pair.check_protected()
    if aligned:
        pair.check_blocks(aligned)
    else:
        pair.check_names_in_body()
    pair.check_markers()
    if target_pages is not None:
        prefix = f"{settings.content_dir}/{settings.target}/"
        page = target_name[len(prefix) :] if target_name.startswith(prefix) else None
        pair.check_refs(target_pages, page)
    return sorted(pair.findings, key=lambda f: f.line or 0)


def _parse(name: str, text: str, keys: Sequence[str]) -> _Post:
    front_matter, body = split_front_matter(text)
    offset = front_matter.text.count("\n")
    strings = {_norm_path(f.path): f for f in front_matter.fields(("**",))}
    fields = {path: f for path, f in strings.items() if key_matches(path, keys)}
    blocks = parse_body(body, line_offset=offset).blocks
    tokens = [t for t in markdown_parser().parse(body) if t.type != "inline"]
    return _Post(name, text, front_matter, body, offset, blocks, tokens, fields, strings)


def _norm_path(path: KeyPath) -> KeyPath:
    return tuple(part if isinstance(part, int) else str(part) for part in path)


def _dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


def _finding(path: str, line: int | None, code: str, message: str) -> Finding:
    return Finding(path, line, CODES[code], code, message)


def _short(value: object, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Pair:
    """The checks of one source post and its translation; findings go to `findings`."""

    def __init__(self, source: _Post, target: _Post, settings: Settings, glossary: Glossary):
        self.source = source
        self.target = target
        self.settings = settings
        self.glossary = glossary
        self.findings: list[Finding] = []

    def add(self, line: int | None, code: str, message: str) -> None:
        """Record a finding in the target post."""
        self.findings.append(_finding(self.target.name, line, code, message))

    # --- front matter ---------------------------------------------------------------------

    def check_front_matter(self) -> None:
        """Compare keys and values; translatable values get the block checks."""
        source_fm, target_fm = self.source.front_matter, self.target.front_matter
        if source_fm.format != target_fm.format:
            self.add(
                target_fm.first_line,
                "front-matter-format",
                f"front matter is {target_fm.format.upper()} here but "
                f"{source_fm.format.upper()} in the source post",
            )
        source_data, target_data = source_fm.data(), target_fm.data()
        self._check_translation_key(source_data, target_data)
        self._compare_values((), source_data, target_data)

    def _check_translation_key(self, source: Any, target: Any) -> None:
        before, after = source.get("translationKey"), target.get("translationKey")
        if before == after:
            return
        if after is None:
            what = f"translationKey {_short(before)} of the source post is missing"
        elif before is None:
            what = f"translationKey {_short(after)} is not in the source post"
        else:
            what = f"translationKey is {_short(after)} here but {_short(before)} in the source post"
        # Hugo pairs translations by this key: a different one unlinks the two pages.
        self.add(
            self._key_line(("translationKey",)) or self.target.front_matter.first_line,
            "translation-key",
            f"{what}; Hugo would not link the two as translations",
        )

    def _compare_values(self, path: KeyPath, source: Any, target: Any) -> None:
        if path == ("translationKey",):
            return
        if isinstance(source, Mapping) and isinstance(target, Mapping):
            for key in source:
                if key not in target:
                    self.add(
                        self._key_line(path) if path else self.target.front_matter.first_line,
                        "front-matter-key-removed",
                        f"front matter key {_dotted((*path, key))} of the source post is missing",
                    )
            for key in target:
                if key not in source:
                    self.add(
                        self._key_line((*path, key)),
                        "front-matter-key-added",
                        f"front matter key {_dotted((*path, key))} is not in the source post",
                    )
                else:
                    self._compare_values((*path, key), source[key], target[key])
            return
        if isinstance(source, list) and isinstance(target, list) and len(source) == len(target):
            for index, (before, after) in enumerate(zip(source, target, strict=True)):
                self._compare_values((*path, index), before, after)
            return
        normal = _norm_path(path)
        if (
            isinstance(source, str)
            and isinstance(target, str)
            and key_matches(normal, self.settings.translatable_keys)
        ):
            source_field = self.source.fields.get(normal)
            target_field = self.target.fields.get(normal)
            if source_field and target_field:
                self._check_aligned(
                    _FieldText(source_field.line, source, inline_pieces(source)),
                    _FieldText(target_field.line, target, inline_pieces(target)),
                )
            return
        if source != target:
            self.add(
                self._key_line(path),
                "front-matter-value-changed",
                f"{_dotted(path)} is {_short(target)} here but {_short(source)} in the source "
                "post; only translatable keys may differ",
            )

    def _key_line(self, path: KeyPath) -> int | None:
        """Return the line of the key at `path` in the target's front matter, roughly.

        Parsers do not report where non-string values stand; following the keys down the
        lines is enough to point a reviewer at the right place.
        """
        field = self.target.strings.get(_norm_path(path))
        if field is not None:
            return field.line
        front_matter = self.target.front_matter
        lines = front_matter.text.split("\n")
        found: int | None = None
        position = 1
        for part in path:
            if isinstance(part, int):
                found = _item_line(lines, found, part)
                position = found + 1 if found is not None else position
                continue
            pattern = re.compile(
                r"^\s*(?:-\s+)*\[{0,2}\s*(?:[\w\"'-]+\.)*[\"']?"
                + re.escape(str(part))
                + r"[\"']?\s*(?:[:=.]|\]{1,2})"
            )
            for index in range(position, len(lines) - 1):
                if pattern.match(lines[index]):
                    found, position = index, index + 1
                    break
        return None if found is None else front_matter.first_line + found

    # --- body structure -------------------------------------------------------------------

    def check_structure(self) -> list[tuple[Block, Block]]:
        """Compare block token sequences; return the aligned blocks, or [] if they differ."""
        before = [_signature(t) for t in self.source.tokens]
        after = [_signature(t) for t in self.target.tokens]
        if before == after and len(self.source.blocks) == len(self.target.blocks):
            return list(zip(self.source.blocks, self.target.blocks, strict=True))
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for tag, i1, _, j1, _ in matcher.get_opcodes():
            if tag == "equal":
                continue
            line = _token_line(self.target.tokens, j1, self.target.offset)
            source_line = _token_line(self.source.tokens, i1, self.source.offset)
            if tag == "insert":
                what = f"{_describe(self.target.tokens[j1])} that the source post does not have"
            elif tag == "delete":
                what = (
                    f"{_describe(self.source.tokens[i1])} of the source post "
                    f"(line {source_line}) is missing"
                )
            else:
                what = (
                    f"{_describe(self.target.tokens[j1])} where the source post has "
                    f"{_describe(self.source.tokens[i1])} (line {source_line})"
                )
            self.add(line, "structure-changed", f"structure differs: {what}")
            break
        return []

    # --- protected content ----------------------------------------------------------------

    def check_protected(self) -> None:
        """Compare URLs, reference definitions and protected spans, each as a sequence."""
        before = _protected(self.source)
        after = _protected(self.target)
        references = [
            [item for item in items if item.category == "reference"] for items in (before, after)
        ]
        self._compare_sequence("reference-changed", *references)
        # A changed reference definition moves every link that uses it: report it once.
        changed = {item.href for item in references[0]} ^ {item.href for item in references[1]}
        self._compare_sequence(
            "url-changed",
            *[
                [item for item in items if item.category == "url" and item.value not in changed]
                for items in (before, after)
            ],
        )
        # Inline code or a shortcode may move within its sentence (English word order is
        # not German): compare them block by block, in any order inside a block.
        self._compare_sequence(
            "protected-changed",
            *[
                sorted(
                    (item for item in items if item.category == "protected"),
                    key=lambda item: (item.block, item.value),
                )
                for items in (before, after)
            ],
        )

    def _compare_sequence(
        self, code: str, before: Sequence[_Protected], after: Sequence[_Protected]
    ) -> None:
        old = [item.value for item in before]
        new = [item.value for item in after]
        if old == new:
            return
        if Counter(old) == Counter(new):
            index = next(i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
            self.add(
                after[index].line,
                code,
                f"{after[index].what} {_short(new[index])} comes where the source post has "
                f"{_short(old[index])}: same {after[index].what}s in a different order",
            )
            return
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        end_line = after[-1].line if after else None
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "insert"):
                for index in range(j1, j2):
                    item = after[index]
                    counterpart = i1 + index - j1
                    if tag == "replace" and counterpart < i2:
                        message = (
                            f"{item.what} {_short(item.value)} where the source post has "
                            f"{_short(before[counterpart].value)} (line {before[counterpart].line})"
                        )
                    else:
                        message = f"{item.what} {_short(item.value)} is not in the source post"
                    self.add(item.line, code, message)
            if tag == "delete" or (tag == "replace" and i2 - i1 > j2 - j1):
                for index in range(i1 + (j2 - j1 if tag == "replace" else 0), i2):
                    item = before[index]
                    line = after[j1].line if j1 < len(after) else end_line
                    self.add(
                        line,
                        code,
                        f"{item.what} {_short(item.value)} of the source post "
                        f"(line {item.line}) is missing",
                    )

    # --- blocks ---------------------------------------------------------------------------

    def check_blocks(self, aligned: Iterable[tuple[Block, Block]]) -> None:
        """Run the per-block checks on body blocks aligned one to one."""
        for source, target in aligned:
            self._check_aligned(
                _FieldText(source.line, source.source, source.pieces),
                _FieldText(target.line, target.source, target.pieces),
            )

    def _check_aligned(self, source: _FieldText, target: _FieldText) -> None:
        source_prose, target_prose = _prose(source.pieces), _prose(target.pieces)
        self._check_glossary(source_prose, target_prose, target.line)
        self._check_untranslated(source, target, target_prose)
        self._check_numbers(source_prose, target_prose, source.line, target.line)
        self._check_typography(source.pieces, target.pieces, target.line)

    def _check_glossary(self, source: str, target: str, line: int) -> None:
        names_before, names_after = _names(source, self.glossary), _names(target, self.glossary)
        for name in sorted(names_before | names_after):
            if names_before[name] != names_after[name]:
                self.add(
                    line,
                    "glossary-name",
                    f"glossary name {_short(name)} appears {names_after[name]}× here but "
                    f"{names_before[name]}× in the source post; names are kept exactly",
                )
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

    def check_names_in_body(self) -> None:
        """Compare glossary names over the whole body when its blocks cannot be aligned."""
        before = _names(" ".join(_prose(b.pieces) for b in self.source.blocks), self.glossary)
        after = _names(" ".join(_prose(b.pieces) for b in self.target.blocks), self.glossary)
        for name in sorted(before | after):
            if before[name] != after[name]:
                self.add(
                    self.target.offset + 1,
                    "glossary-name",
                    f"glossary name {_short(name)} appears {after[name]}× in the body but "
                    f"{before[name]}× in the source post's",
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
        available = _number_forms(target, self.settings.target)
        reported: set[str] = set()
        for number in _numbers(source, self.settings.source):
            if number.raw in reported:
                continue
            if not any(forms <= available for forms in number.alternatives):
                reported.add(number.raw)
                self.add(
                    line,
                    "number-missing",
                    f"{_short(number.raw)} of the source post (line {source_line}) is not here",
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

    def check_markers(self) -> None:
        """Find translation markers (`<g1>`, `<x1/>`) and their mangled forms in the prose."""
        for field in self.target.fields.values():
            self._find_markers(field.line, inline_pieces(field.value))
        for block in self.target.blocks:
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

    def check_refs(self, pages: set[str], page: str | None) -> None:
        """Report `ref`/`relref` shortcodes whose target is no page of the target language."""
        directory = posixpath.dirname(page.lower()) if page is not None else None
        for match in _REF.finditer(self.target.body):
            reference = _ref_target(match.group("args"))
            if reference is None or _resolves(reference, directory, pages):
                continue
            line = self.target.offset + 1 + self.target.body.count("\n", 0, match.start())
            self.add(
                line,
                "ref-not-found",
                f"{match.group('name')} {_short(reference)} has no page in "
                f"{self.settings.content_dir}/{self.settings.target}/: Hugo fails the build "
                "with REF_NOT_FOUND",
            )


def _item_line(lines: Sequence[str], key_line: int | None, index: int) -> int | None:
    """Return the line where item `index` of the list at `key_line` starts, roughly.

    TOML repeats a `[[key]]` header per item; YAML starts each item with `-`.
    """
    if key_line is None:
        return None
    header = lines[key_line].strip()
    if header.startswith("[["):
        matches = [n for n in range(key_line, len(lines)) if lines[n].strip() == header]
    else:
        indent_of = [len(line) - len(line.lstrip()) for line in lines]
        dashes: list[int] = []
        for n in range(key_line + 1, len(lines) - 1):
            text = lines[n].strip()
            if not text or text.startswith("#"):
                continue
            if not text.startswith("-") and indent_of[n] <= indent_of[key_line]:
                break  # the next key: the list has ended
            if text.startswith("-"):
                dashes.append(n)
        indent = min((indent_of[n] for n in dashes), default=0)
        matches = [n for n in dashes if indent_of[n] == indent]
    return matches[index] if index < len(matches) else key_line


@dataclass(frozen=True)
class _FieldText:
    """A front matter value or body block, as far as the block checks need it."""

    line: int
    source: str
    pieces: Sequence[Piece]


# --- structure ----------------------------------------------------------------------------


def _signature(token: Token) -> tuple[str, str, int, str]:
    # Footnote labels are not inline text: they belong to the structure.
    label = str(token.meta.get("label", "")) if token.type == "footnote_open" else ""
    return (token.type, token.markup, token.level, label)


def _token_line(tokens: Sequence[Token], index: int, offset: int) -> int:
    """Return the file line of `tokens[index]`, or of the nearest token before it with one."""
    for position in range(min(index, len(tokens) - 1), -1, -1):
        token_map = tokens[position].map
        if token_map is not None:
            return token_map[0] + offset + 1
    return offset + 1


_NAMES = {
    "paragraph": "paragraph",
    "bullet_list": "bulleted list",
    "ordered_list": "numbered list",
    "list_item": "list item",
    "blockquote": "block quote",
    "table": "table",
    "thead": "table head",
    "tbody": "table body",
    "tr": "table row",
    "th": "table cell",
    "td": "table cell",
    "fence": "code block",
    "code_block": "code block",
    "html_block": "HTML block",
    "math_block": "math block",
    "shortcode_block": "shortcode block",
    "hr": "thematic break",
    "footnote_block": "footnote section",
    "footnote": "footnote",
    "footnote_anchor": "footnote back link",
}


def _describe(token: Token) -> str:
    """Name a block token for a reviewer: "heading (h2)", "end of list item"."""
    kind = token.type.removesuffix("_open").removesuffix("_close")
    if kind == "heading":
        name = f"heading (h{token.tag[1:]})" if token.tag else "heading"
    else:
        name = _NAMES.get(kind, kind.replace("_", " "))
    return f"end of {name}" if token.type.endswith("_close") else f"a {name}"


# --- protected content -------------------------------------------------------------------


@dataclass(frozen=True)
class _Protected:
    """Something that must survive translation unchanged, and where it stands."""

    category: Literal["url", "reference", "protected"]
    what: str  # for messages: "link", "image", "inline code", "shortcode", ...
    value: str
    line: int
    href: str = ""  # reference definitions: where they point
    block: int = 0  # which block of the body it stands in


_VERBATIM = {
    "fence": "code block",
    "code_block": "code block",
    "html_block": "HTML block",
    "math_block": "math block",
    "shortcode_block": "shortcode",
}
_ATOM_NAMES = {
    "code": "inline code",
    "html": "HTML",
    "math": "math",
    "shortcode": "shortcode",
    "entity": "entity",
    "footnote": "footnote reference",
}


def _protected(post: _Post) -> list[_Protected]:
    """List a post body's protected content in order, each item with its file line.

    Link and image titles and alt texts are prose a reviewer may translate: only where
    links point is compared. Whitespace runs count as one space, since re-wrapping a
    paragraph may move a line break into a code span or shortcode.
    """
    env: dict[str, Any] = {}
    tokens = markdown_parser().parse(post.body, env)
    found: list[_Protected] = []
    for block, token in enumerate(t for t in tokens if t.map is not None):
        assert token.map is not None
        line = token.map[0] + post.offset + 1
        if token.type in _VERBATIM:
            value = token.info + "\n" + token.content
            found.append(_Protected("protected", _VERBATIM[token.type], value, line, block=block))
        elif token.type == "inline":
            found.extend(replace(p, block=block) for p in _inline_protected(token, env, line))
    for label, reference in sorted(env.get("references", {}).items()):
        line = _reference_line(post, label)
        href = str(reference["href"])
        found.append(_Protected("reference", "reference", f"[{label}]: {href}", line, href))
    return found


def _inline_protected(token: Token, env: Mapping[str, Any], line: int) -> Iterator[_Protected]:
    content = token.content
    position = 0
    for piece in inline_pieces(content, env):
        here = line + content.count("\n", 0, position)
        position += len(piece.raw)
        if piece.kind is not PieceKind.ATOM or piece.what not in _ATOM_NAMES:
            continue
        if piece.what == "html" and _MARKER.fullmatch(piece.raw):
            continue  # a leftover marker: reported as such, not as changed HTML
        yield _Protected("protected", _ATOM_NAMES[piece.what], " ".join(piece.raw.split()), here)
    # Where links point, as markdown-it resolved them (reference links included); the
    # inline token knows only its block's first line.
    for kind, href, _title in link_targets(token.children or []):  # a title is prose
        yield _Protected("url", kind, href, _line_of(content, href, line))


def _line_of(content: str, needle: str, line: int) -> int:
    index = content.find(needle)
    return line + content.count("\n", 0, index) if index >= 0 else line


def _reference_line(post: _Post, label: str) -> int:
    """Return the line of a reference definition (markdown-it keeps no position for it)."""
    pattern = re.compile(r"^ {0,3}\[" + r"\s+".join(map(re.escape, label.split())) + r"\]:", re.I)
    for index, text in enumerate(post.body.split("\n")):
        if pattern.match(text):
            return post.offset + index + 1
    return post.offset + 1


# --- prose --------------------------------------------------------------------------------


def _prose(pieces: Iterable[Piece]) -> str:
    """Return the text a reader sees, protected atoms as spaces so words do not merge."""
    parts: list[str] = []
    for piece in pieces:
        if piece.kind is PieceKind.TEXT:
            parts.append(piece.raw)
        elif piece.kind is PieceKind.ATOM and piece.what == "escape":
            parts.append(piece.raw[1:])
        elif piece.kind in (PieceKind.ATOM, PieceKind.SOFTBREAK, PieceKind.HARDBREAK):
            parts.append(" ")
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


def _names(text: str, glossary: Glossary) -> Counter[str]:
    return Counter(m.term.source for m in glossary.find(text) if m.term.target is None)


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


# --- language identification --------------------------------------------------------------

# Fewer words than this are too little evidence for the identifier.
_LANGID_MIN_WORDS = 4
_LANGID_CONFIDENCE = 0.9


def _identify(text: str, languages: tuple[str, str]) -> tuple[str, float] | None:
    """Return the more likely of two languages for `text` and its probability, if confident."""
    identifier = _identifier(languages)
    if identifier is None:
        return None
    language, probability = identifier.classify(text)
    return (str(language), float(probability)) if probability >= _LANGID_CONFIDENCE else None


@functools.cache
def _identifier(languages: tuple[str, str]) -> Any:
    """Load py3langid's model once, restricted to the pair; None for languages it lacks."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # py3langid 0.4 renamed the loader; 0.3 ships a pickled model.
    load = getattr(LanguageIdentifier, "from_model_file", None)
    if load is None:
        load = LanguageIdentifier.from_pickled_model
    identifier = load(MODEL_FILE, norm_probs=True)
    try:
        identifier.set_languages([code.split("-")[0].lower() for code in languages])
    except ValueError:
        return None
    return identifier


# --- numbers ------------------------------------------------------------------------------

# Month names per language code, January first, separated by spaces.
MONTHS: dict[str, str] = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "en": "January February March April May June July August September October November December",
}
# (decimal separator, thousands separator) per language code.
SEPARATORS: dict[str, tuple[str, str]] = {"de": (",", "."), "en": (".", ",")}
# Numbers a translation may spell out ("3 Partner" -> "three partners"), from zero.
NUMBER_WORDS: dict[str, str] = {
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
    "en": "zero one two three four five six seven eight nine ten eleven twelve",
}
# What may follow a day number before a month name: "11. Januar", "11th of January".
ORDINAL_SUFFIXES: dict[str, str] = {"de": r"\.", "en": r"st|nd|rd|th"}
# Numeric dates: German "24.01.2024" and "20.07.", English "1/24/2024".
NUMERIC_DATES: dict[str, re.Pattern[str]] = {
    "de": re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})?(?![\d])"),
    "en": re.compile(r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
}
# Twelve-hour clock suffixes: "4:15 pm" is 16:15.
PM_SUFFIXES: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"\s*(?:p\.\s?m\.|pm\b|PM\b)"),
}

# A number as written: digits, maybe grouped or with a decimal part; not inside a word
# ("IPv6", "H2O"), but "1st" and "5G" count.
_NUMBER = re.compile(r"(?<![^\W\d_])\d+(?:[.,]\d+)*")
_TIME = re.compile(r"(?<![\d.:])(?P<h>\d{1,2}):(?P<min>\d{2})(?![\d:])")


@dataclass(frozen=True)
class _Number:
    """A number in the source text and the forms any one of which the translation must show."""

    raw: str
    alternatives: tuple[frozenset[str], ...]


def _canonical(raw: str, language: str) -> str | None:
    """Return `raw` as a plain decimal, read with the language's separators, if it fits them."""
    decimal, thousands = SEPARATORS.get(language, (".", ","))
    grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+"
    match = re.fullmatch(rf"(?P<int>{grouped}|\d+)(?:{re.escape(decimal)}(?P<frac>\d+))?", raw)
    if match is None:
        return None
    digits = match.group("int").replace(thousands, "")
    if match.group("frac"):
        digits += "." + match.group("frac")
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    return format(value.normalize(), "f") if value else "0"


def _date_parts(match: re.Match[str]) -> frozenset[str]:
    parts = [match.group("d"), match.group("m"), match.group("y")]
    return frozenset(str(int(part)) for part in parts if part)


def _valid_date(match: re.Match[str]) -> bool:
    return 1 <= int(match.group("d")) <= 31 and 1 <= int(match.group("m")) <= 12


def _numbers(text: str, language: str) -> list[_Number]:
    """Find the numbers in source-language prose, each with its acceptable renderings."""
    found: list[tuple[int, _Number]] = []
    masked = text
    date = NUMERIC_DATES.get(language)
    for match in date.finditer(text) if date else ():
        if _valid_date(match):
            raw = match.group().rstrip(".")
            found.append((match.start(), _Number(raw, (frozenset({raw}), _date_parts(match)))))
            masked = _mask(masked, match.start(), match.end())
    for match in _TIME.finditer(masked):
        hour, minute = int(match.group("h")), int(match.group("min"))
        if hour < 24 and minute < 60:
            found.append(
                (match.start(), _Number(match.group(), (frozenset({f"{hour}:{minute:02d}"}),)))
            )
            masked = _mask(masked, match.start(), match.end())
    for match in _NUMBER.finditer(masked):
        raw = match.group()
        options: list[frozenset[str]] = [frozenset({raw})]
        canonical = _canonical(raw, language)
        if canonical is not None:
            options.append(frozenset({canonical}))
        found.append((match.start(), _Number(raw, tuple(options))))
    ordinal = ORDINAL_SUFFIXES.get(language, "")
    for month, name in enumerate(MONTHS.get(language, "").split(), start=1):
        pattern = re.compile(
            rf"(?:(?<=\d)(?:{ordinal})?\s*{name}\b|(?<!\w){name}\s+(?=\d))"
            if ordinal
            else rf"(?:(?<=\d)\s*{name}\b|(?<!\w){name}\s+(?=\d))"
        )
        for match in pattern.finditer(text):
            found.append((match.start(), _Number(name, (frozenset({str(month)}),))))
    return [number for _, number in sorted(found, key=lambda item: item[0])]


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _number_forms(text: str, language: str) -> set[str]:
    """Return every form in which target-language prose shows a number."""
    forms: set[str] = set()
    date = NUMERIC_DATES.get(language)
    for match in date.finditer(text) if date else ():
        if _valid_date(match):
            forms |= _date_parts(match)
    pm = PM_SUFFIXES.get(language)
    for match in re.finditer(r"(?<![\d.:])(?P<h>\d{1,2})(?::(?P<min>\d{2}))?(?![\d:])", text):
        hour, minute = int(match.group("h")), int(match.group("min") or 0)
        if match.group("min"):
            forms.add(f"{hour}:{minute:02d}")
            forms.add(str(minute))
        if pm is not None and pm.match(text, match.end()) and hour < 12:
            forms |= {str(hour + 12), f"{hour + 12}:{minute:02d}"}
    for match in _NUMBER.finditer(text):
        raw = match.group()
        forms.add(raw)
        forms |= {part for part in re.split(r"[.,]", raw) if part}
        canonical = _canonical(raw, language)
        if canonical is not None:
            forms.add(canonical)
    forms |= {str(int(part)) for part in list(forms) if part.isdigit()}
    for month, name in enumerate(MONTHS.get(language, "").split(), start=1):
        if re.search(rf"(?<!\w){name}(?!\w)", text):
            forms.add(str(month))
    for value, word in enumerate(NUMBER_WORDS.get(language, "").split()):
        if re.search(rf"(?<!\w){word}(?!\w)", text, re.IGNORECASE):
            forms.add(str(value))
    return forms


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


# --- Hugo references ----------------------------------------------------------------------

# `{{< ref "path" >}}`, `{{% relref path="x" %}}`; not the escaped `{{</* ref */>}}`.
_REF = re.compile(r"\{\{[<%]\s*(?P<name>ref|relref)\s+(?P<args>.*?)\s*[>%]\}\}", re.DOTALL)
_ARG = re.compile(
    r"""(?:(?P<key>\w+)=)?(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|`(?P<bq>[^`]*)`|(?P<bare>\S+))"""
)


def _ref_target(args: str) -> str | None:
    """Return the page a `ref` shortcode names, or None if it names another language's."""
    positional: list[str] = []
    named: dict[str, str] = {}
    for match in _ARG.finditer(args):
        value = next(v for v in match.group("dq", "sq", "bq", "bare") if v is not None)
        if match.group("key"):
            named[match.group("key").lower()] = value
        else:
            positional.append(value)
    if "lang" in named:
        return None  # resolved in that language's tree, which this check does not know
    return named.get("path", positional[0] if positional else None)


def _resolves(reference: str, directory: str | None, pages: set[str]) -> bool:
    """Tell whether Hugo finds a page for `reference`, the way its `ref` looks pages up.

    A leading slash starts at the language's content folder; otherwise the path is first
    tried relative to the current page's folder, then to the content folder. The `.md`
    extension is optional and a folder means its bundle (`index.md`) or section (`_index.md`).
    """
    path = reference.split("#", 1)[0].strip().lower()
    if not path:
        return True  # "#anchor": the current page
    if path.startswith("/"):
        bases = [path.lstrip("/")]
    else:
        bases = ([posixpath.join(directory, path)] if directory is not None else []) + [path]
    for base in bases:
        base = posixpath.normpath(base).strip("/")
        if base in ("", "."):
            return True  # the home page exists whether or not it has a file
        candidates = {base, *(base + suffix for suffix in POST_SUFFIXES)}
        candidates |= {
            f"{base}/{index}{suffix}" for index in ("index", "_index") for suffix in POST_SUFFIXES
        }
        if candidates & pages:
            return True
        # A top-level folder is a section even without an _index.md.
        if "/" not in base and any(page.startswith(base + "/") for page in pages):
            return True
    return False


# --- output -------------------------------------------------------------------------------


def format_findings(findings: Sequence[Finding], fmt: Format) -> str:
    """Render findings as text lines with a summary, a JSON list, or GitHub annotations."""
    if fmt == "json":
        return json.dumps(
            [
                {
                    "path": f.path,
                    "line": f.line,
                    "severity": f.severity,
                    "code": f.code,
                    "message": f.message,
                }
                for f in findings
            ],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "github":
        return "\n".join(_annotation(f) for f in findings)
    lines = [
        f"{f.path}:{f.line}: {f.severity}: {f.message} [{f.code}]"
        if f.line is not None
        else f"{f.path}: {f.severity}: {f.message} [{f.code}]"
        for f in findings
    ]
    lines.append(_summary(findings))
    return "\n".join(lines)


def _summary(findings: Sequence[Finding]) -> str:
    if not findings:
        return "No problems found."
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    files = len({f.path for f in findings})
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} file{'s' * (files != 1)}."
    )


def _annotation(finding: Finding) -> str:
    """Write a GitHub Actions workflow command that annotates the file at the line."""
    properties = [f"file={_escape_property(finding.path)}"]
    if finding.line is not None:
        properties.append(f"line={finding.line}")
    properties.append(f"title={_escape_property(finding.code)}")
    return f"::{finding.severity} {','.join(properties)}::{_escape_data(finding.message)}"


def _escape_data(text: str) -> str:
    # The escapes of @actions/core's command.ts: "%" first, so the others stay intact.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
