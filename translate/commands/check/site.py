"""`translate check` over a site: every pair of posts, orphans, and the i18n string tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from translate.commands.check.findings import Finding, Severity, finding
from translate.commands.check.pair import check_pair
from translate.commands.marks import needs_review
from translate.errors import PostError, SiteError, TranslateError
from translate.hugo.leftovers import leftovers
from translate.hugo.links import SiteLinks
from translate.hugo.settings import Settings
from translate.hugo.site import Site, expand_folders, open_project, read_post, shortcode_knowledge
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.records.tables import check_tables
from translate.translation.glossary import Glossary


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
    return SiteCheck(site_root, settings).check(only, strict=strict)


class SiteCheck:
    """`check_site` prepared once: the site's pairs, glossaries, pages, links and shortcodes.

    The review page checks its posts a few at a time, while their parses are cached; each
    time, finding every page and template of the site again cost more than the checks.
    """

    def __init__(self, site_root: Path, settings: Settings) -> None:
        project = open_project(site_root, settings)
        pairs = project.pairs()
        self.sites = [project.site(pair) for pair in pairs]
        self.sites[0].check_layout()
        self.pairs = [_pair_site(site, pair) for site, pair in zip(self.sites, pairs, strict=True)]
        self.options = settings.reading(site_root)

    def check(self, only: Sequence[Path] = (), *, strict: bool = False) -> list[Finding]:
        """Check the posts `only` names (default: every post and the string tables)."""
        findings: list[Finding] = []
        for pair, (sources, targets) in zip(self.pairs, _selected(self.sites, only), strict=True):
            findings += _check_pair_site(pair, sources, targets, self.options)
            severity: Severity = "error" if strict else "warning"
            findings += [
                Finding(mark.path, mark.line, severity, "needs-review", mark.message)
                for mark in needs_review(pair.site, sources, self.options)
            ]
            if not only:
                findings += _check_table(pair.site)
        return sorted(findings, key=lambda f: (f.path, f.line or 0))


@dataclass(frozen=True)
class _PairSite:
    """What checking any post of one pair needs to know of the whole site."""

    site: Site
    settings: Settings
    glossary: Glossary
    pages: _Pages
    links: SiteLinks
    knows: frozenset[str] | None
    markdown: frozenset[str]


def _pair_site(site: Site, settings: Settings) -> _PairSite:
    """Learn what checking the posts of one pair needs to know of the whole site."""
    glossary = Glossary.load(site.root / settings.glossary_dir, settings.source, settings.target)
    pages = _Pages(
        {site.key(path).lower() for path in site.translations()},
        {site.key(path).lower() for path in site.discover()[0]},
        tuple(language.code for language in site.config.languages),
    )
    configured = site.config if site.config.files else None
    knows, markdown = shortcode_knowledge(site.root, configured, settings)
    return _PairSite(site, settings, glossary, pages, SiteLinks(site), knows, markdown)


def _check_pair_site(
    pair: _PairSite, sources: list[Path], targets: list[Path], options: ReadingOptions
) -> list[Finding]:
    """Check one pair's posts: `sources` with their siblings, `targets` for a source."""
    site, settings, glossary = pair.site, pair.settings, pair.glossary
    pages, links, knows, markdown = pair.pages, pair.links, pair.knows, pair.markdown
    findings: list[Finding] = []
    for source in sources:
        try:
            target = site.target_of(source)
        except PostError as error:
            findings.append(finding(str(error.path), None, "target-outside", error.message))
            continue
        if target.exists() and not target.is_file():
            # A folder, FIFO or device where the translation should be: never read.
            what = "a folder" if target.is_dir() else "not a regular file"
            message = f"{site.show(target)} is {what}: the translation must be a Markdown file"
            findings.append(finding(site.show(target), None, "unparseable", message))
            continue
        if not target.is_file():
            unreadable = _unreadable(site, source, options)
            if unreadable is not None:
                # A post that does not parse has no translation because of that: say so.
                findings.append(unreadable)
                continue
            findings.append(
                finding(
                    site.show(source),
                    None,
                    "missing-sibling",
                    f"no {settings.target} translation: {site.show(target)} does not exist",
                )
            )
            continue
        findings.extend(
            _check_files(site, source, target, settings, glossary, pages, links, options)
        )
        findings.extend(_leftovers(site, target, settings, knows, markdown))
    for target in targets:
        source = site.source_of(target)
        if not source.is_file():
            findings.append(
                finding(
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
        return finding(site.show(source), error.line, "unparseable", error.message)
    return None


def _check_table(site: Site) -> list[Finding]:
    """Check a pair's target i18n table; one that cannot be read is a finding."""
    try:
        problems = check_tables(site)
    except TranslateError as error:
        name = site.show(error.path) if error.path is not None else str(site.config.i18n_dir)
        return [finding(name, error.line, "unparseable", error.message)]
    return [finding(p.path, p.line, p.code, p.message) for p in problems]


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
    for path, in_folder in expand_folders(only, sites[0].root):
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
        if not found and error is not None and not in_folder:
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
    pages: _Pages,
    links: SiteLinks,
    options: ReadingOptions,
) -> list[Finding]:
    """Read a pair of posts and check them; a post that cannot be read is a finding."""
    texts: list[str] = []
    for path in (source, target):
        try:
            texts.append(read_post(path))
        except PostError as error:
            return [finding(site.show(path), error.line, "unparseable", error.message)]
    return check_pair(
        texts[0],
        texts[1],
        source_name=site.show(source),
        target_name=site.show(target),
        settings=settings,
        glossary=glossary,
        target_pages=pages.target,
        target_page=site.key(target),
        source_pages=pages.source,
        languages=pages.languages,
        follow=partial(links.link_map, source, follow=settings.follow_links),
        options=options,
    )


def _leftovers(
    site: Site,
    target: Path,
    settings: Settings,
    knows: frozenset[str] | None,
    markdown: frozenset[str],
) -> list[Finding]:
    """Report source-language prose a translation keeps where no setting translates it."""
    try:
        text = read_post(target)
    except PostError:
        return []  # reported as unparseable
    found = []
    languages = (settings.source, settings.target)
    for leftover in leftovers(text, languages, settings.translatable_keys, knows, markdown):
        if leftover.kind == "front-matter":
            message = (
                f"{leftover.name} reads as {settings.source!r}: add it to translatable_keys "
                "in translate.toml to have it translated"
            )
            code = "untranslated-front-matter"
        else:
            message = (
                f"the content of shortcode {leftover.name!r} reads as {settings.source!r}: "
                "no template says it is Markdown (markdown_shortcodes in translate.toml)"
            )
            code = "untranslated-shortcode"
        found.append(finding(site.show(target), leftover.line, code, message))
    return found


@dataclass(frozen=True)
class _Pages:
    """The pages of a pair's languages, for references: paths in the content folder."""

    target: set[str]
    source: set[str]
    languages: tuple[str, ...]
