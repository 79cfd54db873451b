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

import functools
import json
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from translate.commands.marks import needs_review
from translate.errors import PostError, SiteError, TranslateError
from translate.hugo.settings import Settings
from translate.hugo.site import POST_SUFFIXES, Site, open_project, read_post
from translate.markdown.document import Piece, PieceKind
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.markdown.segmenter import inline_pieces
from translate.records.tables import check_tables
from translate.translation.glossary import Glossary
from translate.translation.numbers import NumberRules
from translate.translation.verify import Comparison, compare_posts
from translate.translation.verify import short as _short

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
    "needs-review": "warning",  # an error with --strict
    "url-changed": "error",
    "reference-changed": "error",
    "protected-changed": "error",
    "structure-changed": "error",
    "markup-changed": "error",
    "glossary-name": "error",
    "glossary-term": "error",
    "number-missing": "error",
    "leftover-marker": "error",
    "doubled-space": "warning",
    "doubled-punctuation": "error",
    "ref-not-found": "error",
    # i18n string tables (`translate.records.tables`)
    "i18n-missing": "error",
    "i18n-plural-missing": "warning",
    "i18n-placeholder": "error",
}


# --- the site ----------------------------------------------------------------------------


def check_site(
    site_root: Path, settings: Settings, *, only: Sequence[Path] = (), strict: bool = False
) -> list[Finding]:
    """Check every pair of the site: each source post against its sibling, each sibling's
    source, and the target's i18n string table.

    The pairs are `settings`' source and targets (default: every language of the site).
    `only` limits the check to the posts given, source or target ones (no tables then).
    Raise SiteError when the site has no source folder or a path in `only` is not a post
    of it, ConfigError for languages the site lacks, GlossaryError for a glossary that
    cannot be read: they concern every post. Blocks whose reviewed English an update
    replaced are warnings (`needs-review`), errors when `strict`.
    """
    project = open_project(site_root, settings)
    pairs = project.pairs()
    sites = [project.site(pair) for pair in pairs]
    sites[0].check_layout()
    glossaries = [
        Glossary.load(site_root / pair.glossary_dir, pair.source, pair.target) for pair in pairs
    ]
    selected = _selected(sites, only)
    options = settings.reading(site_root)
    findings: list[Finding] = []
    for site, pair, glossary, (sources, targets) in zip(
        sites, pairs, glossaries, selected, strict=True
    ):
        findings += _check_pair_site(site, pair, glossary, sources, targets, options)
        severity: Severity = "error" if strict else "warning"
        findings += [
            Finding(mark.path, mark.line, severity, "needs-review", mark.message)
            for mark in needs_review(site, sources, options)
        ]
        if not only:
            findings += _check_table(site)
    return sorted(findings, key=lambda f: (f.path, f.line or 0))


def _check_pair_site(
    site: Site,
    settings: Settings,
    glossary: Glossary,
    sources: list[Path],
    targets: list[Path],
    options: ReadingOptions,
) -> list[Finding]:
    """Check one pair's posts: `sources` with their siblings, `targets` for a source."""
    target_pages = {site.key(path).lower() for path in site.translations()}
    findings: list[Finding] = []
    for source in sources:
        target = site.sibling(source)
        if not target.is_file():
            unreadable = _unreadable(site, source, options)
            if unreadable is not None:
                # A post that does not parse has no translation because of that: say so.
                findings.append(unreadable)
                continue
            findings.append(
                _finding(
                    site.show(source),
                    None,
                    "missing-sibling",
                    f"no {settings.target} translation: {site.show(target)} does not exist",
                )
            )
            continue
        findings.extend(
            _check_files(site, source, target, settings, glossary, target_pages, options)
        )
    for target in targets:
        source = site.source_of(target)
        if not source.is_file():
            findings.append(
                _finding(
                    site.show(target),
                    None,
                    "orphan",
                    f"no {settings.source} source post: {site.show(source)} does not exist",
                )
            )
    return findings


def _unreadable(site: Site, source: Path, options: ReadingOptions) -> Finding | None:
    """Return the `unparseable` finding of a source post that cannot be read, if it cannot."""
    try:
        Post.read(read_post(source), options)
    except PostError as error:
        return _finding(site.show(source), error.line, "unparseable", error.message)
    return None


def _check_table(site: Site) -> list[Finding]:
    """Check a pair's target i18n table; one that cannot be read is a finding."""
    try:
        problems = check_tables(site)
    except TranslateError as error:
        name = site.show(error.path) if error.path is not None else str(site.config.i18n_dir)
        return [_finding(name, error.line, "unparseable", error.message)]
    return [_finding(p.path, p.line, p.code, p.message) for p in problems]


def _selected(sites: Sequence[Site], only: Sequence[Path]) -> list[tuple[list[Path], list[Path]]]:
    """Return per pair the source posts to check as pairs and the target posts to check
    for a source.

    Without `only`, all posts of both languages. A source post in `only` is checked
    against every target; a target post that has a source is checked as that pair; one
    without a source is an orphan.
    """
    if not only:
        return [(site.discover()[0], site.translations()) for site in sites]
    chosen: list[tuple[list[Path], list[Path]]] = [([], []) for _ in sites]
    for path in only:
        error: TranslateError | None = None
        found = False
        for site, (sources, targets) in zip(sites, chosen, strict=True):
            try:
                post, is_source = site.locate(path)
            except SiteError as problem:
                error = problem
                continue
            found = True
            source = post if is_source else site.source_of(post)
            if is_source or source.is_file():
                sources.append(source)
            else:
                targets.append(post)
        if not found and error is not None:
            raise error
    return [
        (list(dict.fromkeys(sources)), list(dict.fromkeys(targets))) for sources, targets in chosen
    ]


def _check_files(
    site: Site,
    source: Path,
    target: Path,
    settings: Settings,
    glossary: Glossary,
    target_pages: set[str],
    options: ReadingOptions,
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
        target_page=site.key(target),
        options=options,
    )


# --- one pair of posts --------------------------------------------------------------------


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
    options: ReadingOptions | None = None,
) -> list[Finding]:
    """Compare a translated post with its source post and return every problem found.

    The structural comparison is `verify.compare_posts`, the one `translate run` proves
    its output with, in its reviewer-tolerant form; the rules of this module come on top.
    `target_pages` are the target language's posts relative to its content folder (as
    `check_site` collects them); without them `ref`/`relref` targets are not checked.
    `target_page` is the translation's own path there (its key), for relative references.
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
            problems.append(_finding(name, line, "unparseable", message))
    if problems:
        return problems
    # The rules re-read inline text: in the site's Markdown options, as the posts were read.
    return posts[0].reading(
        lambda: _check_read(
            posts[0], posts[1], target_name, settings, glossary, target_pages, target_page
        )
    )


def _check_read(
    source: Post,
    target: Post,
    target_name: str,
    settings: Settings,
    glossary: Glossary,
    target_pages: set[str] | None,
    target_page: str | None,
) -> list[Finding]:
    comparison = compare_posts(
        source, target, keys=settings.translatable_keys, glossary=glossary, tolerant=True
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
    if target_pages is not None:
        prefix = f"{settings.content_dir}/{settings.target}/"
        page = target_page
        if page is None and target_name.startswith(prefix):
            page = target_name[len(prefix) :]
        pair.check_refs(target_pages, page)
    return sorted(pair.findings, key=lambda f: f.line or 0)


def _finding(path: str, line: int | None, code: str, message: str) -> Finding:
    return Finding(path, line, CODES[code], code, message)


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
        self.findings.append(_finding(self.name, line, code, message))

    # --- blocks ---------------------------------------------------------------------------

    def check_aligned(self, source: _FieldText, target: _FieldText) -> None:
        """Run the rules on one translatable value or body block and its translation."""
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

    def check_refs(self, pages: set[str], page: str | None) -> None:
        """Report `ref`/`relref` shortcodes whose target is no page of the target language."""
        directory = posixpath.dirname(page.lower()) if page is not None else None
        for match in _REF.finditer(self.target.body.text):
            reference = _ref_target(match.group("args"))
            if reference is None or _resolves(reference, directory, pages):
                continue
            line = self.target.offset + 1 + self.target.body.text.count("\n", 0, match.start())
            self.add(
                line,
                "ref-not-found",
                f"{match.group('name')} {_short(reference)} has no page in "
                f"{self.settings.content_dir}/{self.settings.target}/: Hugo fails the build "
                "with REF_NOT_FOUND",
            )


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
