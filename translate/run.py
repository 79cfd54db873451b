"""One `translate run` over a site: find posts, translate what is missing, write siblings.

Every problem with a single post is recorded and the other posts go on; problems that
concern all posts (no content folder, a broken glossary, a model that cannot be loaded)
stop the run before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from translate.backends import Translator
from translate.config import Settings
from translate.errors import PostError, TranslateError
from translate.glossary import Glossary
from translate.pipeline import (
    PreparedPost,
    count_segments,
    prepare_post,
    render_post,
    translate_posts,
    verify_post,
)
from translate.site import Site, read_post
from translate.writer import write_atomic


class Outcome(Enum):
    """What happened to one post."""

    WRITTEN = "written"
    WOULD_WRITE = "would write"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass
class PostResult:
    """The outcome for one source post, with its target and any messages."""

    source: Path
    target: Path
    outcome: Outcome
    error: TranslateError | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    """Everything a run did, for the CLI to print."""

    results: list[PostResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """Return how many posts had `outcome`."""
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def ok(self) -> bool:
        """Tell whether no post failed."""
        return self.count(Outcome.FAILED) == 0


TranslatorFactory = Callable[[], Translator]
ProgressFactory = Callable[[int], Callable[[int], None]]


def run_site(
    settings: Settings,
    site_root: Path,
    make_translator: TranslatorFactory,
    *,
    only: Sequence[Path] = (),
    force: bool = False,
    dry_run: bool = False,
    progress: ProgressFactory | None = None,
) -> RunReport:
    """Translate the site's posts that have no sibling yet (all of them with `force`)."""
    site = Site(site_root, settings.source, settings.target, settings.content_dir)
    posts = site.posts(only)
    glossary = Glossary.load(site_root / settings.glossary_dir, settings.source, settings.target)
    report = RunReport()
    prepared: list[tuple[PostResult, PreparedPost]] = []
    for path in posts:
        result = PostResult(path, site.sibling(path), Outcome.WOULD_WRITE)
        report.results.append(result)
        if result.target.exists() and not force:
            result.outcome = Outcome.SKIPPED
            continue
        try:
            text = read_post(path)
            post = prepare_post(
                text,
                language=settings.source,
                glossary=glossary,
                keys=settings.translatable_keys,
                name=site.show(path),
            )
        except TranslateError as error:
            _fail(result, error, site)
            continue
        prepared.append((result, post))
    if dry_run or not prepared:
        return report

    translator = make_translator()
    posts_only = [post for _, post in prepared]
    tick = progress(count_segments(posts_only)) if progress else None
    translate_posts(posts_only, translator, batch_size=settings.batch_size, progress=tick)
    for result, post in prepared:
        _finish(result, post, glossary, site)
    return report


def _finish(result: PostResult, post: PreparedPost, glossary: Glossary, site: Site) -> None:
    """Render, verify and write one translated post."""
    name = site.show(result.source)
    for block in post.kept:
        result.warnings.append(
            f"{name}:{block.line}: kept untranslated: the translation lost protected text"
        )
    try:
        output = render_post(post)
        problems = verify_post(post.text, output, glossary)
        if problems:
            raise PostError(
                f"translation not written: {'; '.join(problems)}",
                hint="report this with the post attached; run with --backend identity to compare",
            )
        write_atomic(result.target, output)
    except (TranslateError, ValueError) as error:
        located = error if isinstance(error, TranslateError) else PostError(str(error))
        _fail(result, located, site)
        return
    result.outcome = Outcome.WRITTEN


def _fail(result: PostResult, error: TranslateError, site: Site) -> None:
    """Record a post's error, naming its file relative to the site root."""
    result.outcome = Outcome.FAILED
    result.error = error.located(site.show(error.path or result.source))
