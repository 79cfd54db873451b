"""The `translate` command: the only place that prints or chooses exit codes."""

from __future__ import annotations

import contextlib
import json
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from translate.backends import BackendOptions, Translator, backend_names, create_backend
from translate.config import CONFIG_FILE, Settings, load_settings
from translate.errors import ConfigError, InternalError, TranslateError
from translate.run import Outcome, RunReport, run_site

if TYPE_CHECKING:
    from translate.memory import MemoryStore

app = typer.Typer(
    help="Translate Hugo posts into sibling posts of another language.",
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
)

_state: dict[str, bool] = {"debug": False}

# Options every command shares.
SiteOption = Annotated[Path, typer.Option("--site", help="The Hugo site root.")]
SourceOption = Annotated[
    str | None, typer.Option("--from", help="Source language (default: de, or translate.toml).")
]
TargetOption = Annotated[
    str | None, typer.Option("--to", help="Target language (default: en, or translate.toml).")
]
# Commands that write records or memory take a lock per site and language pair.
WaitOption = Annotated[
    bool,
    typer.Option("--wait", help="If another translate command is writing the memory, wait for it."),
]


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    _state["debug"] = debug


def _error(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)


@app.command()
def run(
    posts: Annotated[
        list[Path] | None,
        typer.Argument(help="Only these source posts (default: all without a translation)."),
    ] = None,
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    backend: Annotated[
        str | None,
        typer.Option(help=f"Translation engine: {' | '.join(backend_names())} (default: marian)."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            help="Hugging Face model id or local folder (default: Helsinki-NLP/opus-mt-FROM-TO)."
        ),
    ] = None,
    device: Annotated[str | None, typer.Option(help="auto | cpu | cuda (default: auto).")] = None,
    batch_size: Annotated[
        int | None, typer.Option(help="Segments per model call (default: 16).")
    ] = None,
    beams: Annotated[int | None, typer.Option(help="Beam search width (default: 4).")] = None,
    compute_type: Annotated[
        str | None,
        typer.Option(help="CTranslate2 weights: auto (int8 on CPU), int8, float32, ..."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite existing translations.")] = False,
    dry_run: Annotated[
        bool, typer.Option(help="List what would be written; write nothing.")
    ] = False,
    wait: WaitOption = False,
) -> None:
    """Translate every post that has no translation yet and write it at the mirrored path."""
    overrides: dict[str, Any] = {
        "source": source,
        "target": target,
        "backend": backend,
        "model": model,
        "device": device,
        "batch_size": batch_size,
        "beams": beams,
        "compute_type": compute_type,
    }
    bars: list[Any] = []
    try:
        settings = load_settings(site, overrides)
        store = _store(site, settings)
        lock = contextlib.nullcontext() if dry_run else _memory_lock(store, wait)
        with lock, _reading(site, settings):
            report = run_site(
                settings,
                site,
                _translator_factory(settings),
                only=posts or (),
                force=force,
                dry_run=dry_run,
                progress=lambda total: _progress_bar(total, bars),
            )
    except TranslateError as error:
        _fail_with(error)
    finally:
        # Close the bar before any message, or the message lands on the bar's line.
        for bar in bars:
            bar.close()
    _print_report(report, site, dry_run)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def check(
    posts: Annotated[
        list[Path] | None,
        typer.Argument(help="Only these posts, source or translation (default: all)."),
    ] = None,
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text | json | github (workflow annotations).")
    ] = "text",
) -> None:
    """Check that every translation is still a faithful sibling of its source post."""
    from translate.check import check_site, format_findings

    if output_format not in ("text", "json", "github"):
        _fail_with(
            ConfigError(f"unknown format {output_format!r}", hint="use text, json or github")
        )
    try:
        settings = load_settings(site, {"source": source, "target": target})
        with _reading(site, settings):
            findings = check_site(site, settings, only=posts or ())
    except TranslateError as error:
        _fail_with(error)
    typer.echo(format_findings(findings, output_format))  # type: ignore[arg-type]
    if any(finding.severity == "error" for finding in findings):
        raise typer.Exit(1)


@app.command()
def status(
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    strict: Annotated[
        bool,
        typer.Option(help="Exit 1 if a post is missing, outdated, diverged, orphaned or broken."),
    ] = False,
) -> None:
    """Show where each post's translation stands."""
    from translate.status import site_status

    try:
        settings = load_settings(site, {"source": source, "target": target})
        with _reading(site, settings):
            report = site_status(settings, site)
    except TranslateError as error:
        _fail_with(error)
    for warning in report.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    rows = report.rows
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
                "engine": r.engine,
                "older_model": r.older_model,
            }
            for r in rows
        ]
        typer.echo(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        width = max([len(r.label) for r in rows] + [5])
        typer.echo(f"{'STATE':<{width}}  POST")
        for r in rows:
            detail = f"  ({r.detail})" if r.detail else ""
            typer.echo(f"{r.label:<{width}}  {r.source or r.target}{detail}")
    if strict and any(r.state.needs_work for r in rows):
        raise typer.Exit(1)


@app.command()
def learn(
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    wait: WaitOption = False,
) -> None:
    """Learn reviewers' corrections into the translation memory (e.g. in CI after merge)."""
    from translate.glossary import Glossary
    from translate.memory import learn_site

    try:
        settings, store = _memory_store(site, source, target)
        glossary = Glossary.load(site / settings.glossary_dir, settings.source, settings.target)
        with _memory_lock(store, wait), _reading(site, settings):
            report = learn_site(store.site, store, settings.translatable_keys, glossary)
    except TranslateError as error:
        _fail_with(error)
    for failure in report.errors:
        _post_error(failure)
    reviewed = sum(count for _, count in report.learned)
    typer.echo(
        f"Translations read: {len(report.learned)}; reviewed blocks in the memory: {reviewed}."
        + (f" Failed: {len(report.errors)}." if report.errors else "")
    )
    if report.errors:
        raise typer.Exit(1)


memory_app = typer.Typer(help="Export or import the translation memory as TMX.")
app.add_typer(memory_app, name="memory")


@memory_app.command("export")
def memory_export(
    file: Annotated[Path, typer.Argument(help="The TMX file to write (its folder must exist).")],
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
) -> None:
    """Write every reviewed translation (and imported entry) to a TMX file."""
    from translate.tmx import export_tmx
    from translate.writer import write_atomic

    try:
        settings, store = _memory_store(site, source, target)
        entries = store.entries()
        tmx = export_tmx(entries, settings.source, settings.target)
        write_atomic(file, tmx, parents=False)
    except TranslateError as error:
        _fail_with(error)
    typer.echo(f"{len(entries)} entries written to {file}.")


@memory_app.command("import")
def memory_import(
    file: Annotated[Path, typer.Argument(help="The TMX file to read.")],
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    wait: WaitOption = False,
) -> None:
    """Add the entries of a TMX file for this language pair to the translation memory."""
    from translate.tmx import import_tmx

    try:
        settings, store = _memory_store(site, source, target)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise TranslateError(f"cannot read: {error}", path=file) from None
        read = import_tmx(text, settings.source, settings.target, name=str(file))
        with _memory_lock(store, wait):
            added, updated, total = store.add_imported(read.entries)
    except TranslateError as error:
        _fail_with(error)
    for line, reason in read.rejected:
        typer.echo(f"Warning: {file}:{line}: entry skipped: {reason}", err=True)
    skipped = f", {len(read.rejected)} skipped" if read.rejected else ""
    typer.echo(
        f"{len(read.entries)} entries read{skipped}, {added} new, {updated} updated; "
        f"{total} imported entries in all."
    )


def _memory_store(
    site: Path, source: str | None, target: str | None
) -> tuple[Settings, MemoryStore]:
    from translate.memory import MemoryStore
    from translate.site import Site

    settings = load_settings(site, {"source": source, "target": target})
    where = Site(site, settings.source, settings.target, settings.content_dir)
    # Outside a site (no content/<source>/) this fails as every command does, rather than
    # exporting an empty memory or creating one in a folder that is no site.
    where.posts()
    return settings, MemoryStore(where)


@contextlib.contextmanager
def _reading(site: Path, settings: Settings) -> Iterator[None]:
    """Read posts the way this site's Hugo does (its Goldmark options, its shortcodes)."""
    from translate.markdown import use_options
    from translate.site_markup import markdown_options

    with use_options(markdown_options(site, settings.markdown_shortcodes)):
        yield


def _store(site: Path, settings: Settings) -> MemoryStore:
    from translate.memory import MemoryStore
    from translate.site import Site

    where = Site(site, settings.source, settings.target, settings.content_dir)
    if not where.source_root.is_dir():
        where.posts()  # the usual SiteError, before the lock makes any folder
    return MemoryStore(where)


def _memory_lock(store: MemoryStore, wait: bool) -> AbstractContextManager[None]:
    """Return the lock on the store's records and memory, saying so when it waits."""
    from translate.lock import memory_lock

    def waiting() -> None:
        typer.echo("Waiting for another translate command to finish...", err=True)

    return memory_lock(store.folder, wait=wait, on_wait=waiting, name=store.site.show(store.folder))


def _translator_factory(settings: Settings) -> Callable[[], Translator]:
    options = BackendOptions(
        source=settings.source,
        target=settings.target,
        model=settings.model,
        device=settings.device,
        batch_size=settings.batch_size,
        beams=settings.beams,
        compute_type=settings.compute_type,
    )

    def make() -> Translator:
        return create_backend(settings.backend, options)

    return make


def _progress_bar(total: int, bars: list[Any]) -> Callable[[int], None]:
    """Return a tick for a bar of `total` more segments; one bar serves the whole run."""
    from tqdm import tqdm

    if bars:
        bar = bars[0]
        bar.total += total
        bar.refresh()
    else:
        # disable=None: no bar when stderr is not a terminal (CI logs).
        bar = tqdm(
            total=total, unit="seg", desc="Translating", file=sys.stderr, leave=False, disable=None
        )
        bars.append(bar)

    def tick(done: int) -> None:
        # Fallback rounds translate pieces beyond the first count: grow the bar.
        if bar.n + done > bar.total:
            bar.total = bar.n + done
        bar.update(done)

    return tick


def _print_report(report: RunReport, site: Path, dry_run: bool) -> None:
    def show(path: Path) -> str:
        try:
            return str(path.relative_to(site))
        except ValueError:
            return str(path)

    for warning in report.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    for result in report.results:
        for warning in result.warnings:
            typer.echo(f"Warning: {warning}", err=True)
        target = show(result.target)
        if result.outcome is Outcome.WRITTEN:
            typer.echo(f"wrote    {target}")
        elif result.outcome is Outcome.UPDATED:
            typer.echo(f"updated  {target}: re-translated {', '.join(result.retranslated)}")
        elif result.outcome is Outcome.WOULD_WRITE:
            verb = "update" if result.target.exists() else "write"
            typer.echo(f"would {verb} {target}")
        elif result.outcome is Outcome.SKIPPED:
            typer.echo(f"skipped  {target} (up to date)")
        elif result.error is not None:
            _post_error(result.error)
    parts = [
        f"{report.count(Outcome.WRITTEN)} written",
        f"{report.count(Outcome.UPDATED)} updated",
        f"{report.count(Outcome.SKIPPED)} skipped",
        f"{report.count(Outcome.FAILED) + report.count(Outcome.DIVERGED)} failed",
    ]
    if dry_run:
        parts.insert(0, f"{report.count(Outcome.WOULD_WRITE)} would be written (dry run)")
    typer.echo(", ".join(parts) + ".")


def _post_error(error: TranslateError) -> None:
    """Print one post's error line; with --debug, the traceback of a bug first."""
    if isinstance(error, InternalError):
        _debug_traceback(error.cause)
    _error(str(error))


def _debug_traceback(cause: BaseException) -> None:
    if _state["debug"]:
        traceback.print_exception(cause, file=sys.stderr)


def _fail_with(error: TranslateError) -> NoReturn:
    if _state["debug"]:
        traceback.print_exception(error)
    _error(str(error))
    raise typer.Exit(1)


def main() -> None:
    """Run the command line."""
    app()


__all__ = ["CONFIG_FILE", "app", "main"]
