"""`translate check`, `status` and `review`: what the gate, the table and the review page
say."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from translate.errors import ConfigError, TranslateError

if TYPE_CHECKING:
    from translate.commands.status import PostStatus
from translate.cli.app import (
    DraftsOption,
    SiteOption,
    SourceOption,
    TargetOption,
    WaitOption,
    _debug_traceback,
    _fail_with,
    _PlainArguments,
    _plural,
    _project,
    app,
)
from translate.cli.memory import _memory_lock, _stores


@app.command(cls=_PlainArguments)
def check(
    posts: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="POST",
            help="Only these posts, source or translation, or folders of them (default: all).",
        ),
    ] = None,
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", metavar="FORMAT", help="text | json | github (workflow annotations)."
        ),
    ] = "text",
    skip_drafts: DraftsOption = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Fail on blocks that need review too (not just warn)."),
    ] = False,
) -> None:
    """Check that every translation is still a faithful sibling of its source post."""
    from translate.commands.check import check_site, format_findings

    if output_format not in ("text", "json", "github"):
        _fail_with(
            ConfigError(f"unknown format {output_format!r}", hint="use text, json or github")
        )
    try:
        languages = {"source": source, "targets": target, "skip_drafts": skip_drafts}
        settings = _project(site, languages).settings
        findings = check_site(site, settings, only=posts or (), strict=strict)
    except TranslateError as error:
        _fail_with(error)
    # A source post that does not parse is the same finding for every target language.
    findings = list(dict.fromkeys(findings))
    typer.echo(format_findings(findings, output_format))  # type: ignore[arg-type]
    if any(finding.severity == "error" for finding in findings):
        raise typer.Exit(1)


@app.command(cls=_PlainArguments)
def status(
    posts: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="POST",
            help="Only these posts, source or translation, or folders of them (default: every post "
            "and i18n table).",
        ),
    ] = None,
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Exit 1 if a post is missing, outdated, diverged, orphaned or broken."
        ),
    ] = False,
    skip_drafts: DraftsOption = None,
) -> None:
    """Show where each post's translation (and each i18n table) stands."""
    from translate.commands.status import site_status

    try:
        languages = {"source": source, "targets": target, "skip_drafts": skip_drafts}
        settings = _project(site, languages).settings
        report = site_status(settings, site)
    except TranslateError as error:
        _fail_with(error)
    for warning in report.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    rows = report.rows
    if posts:
        rows = _rows_of(rows, posts, site)
    for row in rows:
        if row.cause is not None:
            _debug_traceback(row.cause)
    if as_json:
        items = [
            {
                "source": r.source,
                "target": r.target,
                "state": r.state.value,
                "detail": r.detail,
                "reviewed_blocks": r.reviewed,
                "blocks": r.blocks,
                "from_memory": r.from_memory,
                "needs_review": r.needs_review,
                "engine": r.engine,
                "older_model": r.older_model,
                "language": r.language,
                "kind": r.kind,
            }
            for r in rows
        ]
        typer.echo(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        width = max([len(r.label) for r in rows] + [5])
        several = len(report.pairs) > 1
        # As wide as the longest code (`zh-hans`), and a space after it.
        to_width = max([len(r.language) for r in rows] + [4]) + 2
        typer.echo(f"{'STATE':<{width}}  {'TO'.ljust(to_width) if several else ''}POST")
        for r in rows:
            detail = f"  ({r.detail})" if r.detail else ""
            language = f"{r.language:<{to_width}}" if several else ""
            shown = r.target if r.kind == "i18n" else r.source or r.target
            typer.echo(f"{r.label:<{width}}  {language}{shown}{detail}")
    if strict and any(r.state.needs_work for r in rows):
        raise typer.Exit(1)


def _rows_of(rows: list[PostStatus], posts: list[Path], site: Path) -> list[PostStatus]:
    """Return the rows of the posts named (source or translation, from here or the root).

    A file that is no post of any pair, or one left out (`exclude`), has no row: a
    pre-commit hook passes every changed Markdown file. One that does not exist is an error.
    """
    from translate.files import relative_path
    from translate.hugo.site import expand_folders, given_paths

    wanted: set[Path] = set()
    quiet: set[Path] = set()  # files of a folder named: those that are no post go unsaid
    for post, in_folder in expand_folders(posts, site):
        found = [path.resolve() for path in given_paths(post, site) if path.is_file()]
        if not found:
            _fail_with(TranslateError("no such file", path=post, hint="check the path"))
        wanted.update(found)
        if in_folder:
            quiet.update(found)
    chosen = [
        row
        for row in rows
        if row.kind != "i18n"
        and any(name and (site / name).resolve() in wanted for name in (row.source, row.target))
    ]
    shown = {(site / name).resolve() for row in chosen for name in (row.source, row.target) if name}
    for path in sorted(wanted - shown - quiet):
        name = relative_path(path, site.resolve())
        typer.echo(f"Warning: {name}: not a post of this site's languages, or left out", err=True)
    return chosen


@app.command("review", cls=_PlainArguments)
def review(
    posts: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="POST",
            help="Only these posts, source or translation, or folders of them (default: those "
            "with machine-translated or outdated text).",
        ),
    ] = None,
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar="FILE", help="The page to write."),
    ] = Path("review.html"),
    since: Annotated[
        str | None,
        typer.Option(
            metavar="REF",
            help="The posts whose source or translation changed since this git revision "
            "(a pull request's base).",
        ),
    ] = None,
    apply: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Write the edits of a review saved from the page into the posts."
        ),
    ] = None,
    skip_drafts: DraftsOption = None,
    wait: WaitOption = False,
) -> None:
    """Write a review page: source and translation side by side, to edit and approve."""
    from translate.commands.review import apply_review, collect_page, read_review, render_page
    from translate.files import write_atomic

    try:
        languages = {"source": source, "targets": target, "skip_drafts": skip_drafts}
        project = _project(site, languages)
        if apply is not None:
            if posts or since:
                raise ConfigError("--apply takes no POST or --since", hint="give the file alone")
            items = read_review(apply)
            with contextlib.ExitStack() as locks:
                for _, store in _stores(project):
                    locks.enter_context(_memory_lock(store, wait))
                report = apply_review(project, items)
        else:
            page = collect_page(project, only=posts or (), since=since)
            write_atomic(output, render_page(page, output), parents=False)
            typer.echo(str(output))
            return
    except TranslateError as error:
        _fail_with(error)
    for outcome in report.outcomes:
        where = f"{outcome.path}:{outcome.line}" if outcome.line else outcome.path
        if outcome.done:
            typer.echo(f"{outcome.status:<8} {where} ({outcome.message})")
        else:
            typer.echo(f"Refused: {where}: {outcome.message}", err=True)
    done = sum(outcome.status in ("edited", "approved") for outcome in report.outcomes)
    unchanged = sum(outcome.status == "unchanged" for outcome in report.outcomes)
    already = f" ({unchanged} already so)" if unchanged else ""
    typer.echo(
        f"Applied {done} of {_plural(len(report.outcomes), 'item', 'items')}{already}; "
        f"wrote {_plural(len(report.written), 'post', 'posts')}."
    )
    if report.refused:
        raise typer.Exit(1)
