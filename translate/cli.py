"""The `translate` command: the only place that prints or chooses exit codes."""

from __future__ import annotations

import contextlib
import json
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption

from translate.commands.run import Outcome, PostResult, ProjectReport, RunReport, run_project
from translate.errors import ConfigError, InternalError, RecordError, TranslateError
from translate.files import relative_path, set_max_file_size
from translate.hugo.settings import CONFIG_FILE, Settings, load_settings, parse_languages
from translate.hugo.site import Project, open_project
from translate.translation.backends import BackendOptions, Translator, backend_names, create_backend

if TYPE_CHECKING:
    from translate.records.memory import MemoryStore

app = typer.Typer(
    help="Translate Hugo posts into sibling posts of another language.",
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
    # Plain help, as click writes it: no boxes, no `<bool>`/`<str>` type labels.
    rich_markup_mode=None,
)

_state: dict[str, bool] = {"debug": False}


class _PlainArguments(TyperCommand):
    """A command whose help shows its arguments as click writes them: `[POST]...`, `FILE`.

    Typer labels each argument with its type (`POST <list[Path]>`) and writes a required one
    as `{file}`, even in plain help; the help text already says what the argument is.
    Contexts and formatters are typed `Any`: newer typer versions bring their own copy of
    click, older ones use click itself.
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [_argument_metavar(param) for param in self._arguments(ctx)]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments = [(_argument_metavar(param), param.help or "") for param in self._arguments(ctx)]
        options = [
            record
            for param in self.get_params(ctx)
            if isinstance(param, TyperOption) and (record := param.get_help_record(ctx))
        ]
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def _arguments(self, ctx: Any) -> list[TyperArgument]:
        return [
            param
            for param in self.get_params(ctx)
            if isinstance(param, TyperArgument) and not param.hidden
        ]


def _argument_metavar(argument: TyperArgument) -> str:
    name = argument.metavar or (argument.name or "").upper()
    if not argument.required:
        name = f"[{name}]"
    return f"{name}..." if argument.nargs != 1 else name


# Options every command shares.
# Absolute from here on: paths found under the site are taken relative to its root, and a
# relative root would be applied twice (`mysite/mysite/content/...`: no posts, a silent pass).
SiteOption = Annotated[
    Path,
    typer.Option("--site", metavar="DIR", help="The Hugo site root.", callback=Path.absolute),
]
SourceOption = Annotated[
    str | None,
    typer.Option(
        "--from", metavar="LANG", help="Source language (default: de, or translate.toml)."
    ),
]
TargetOption = Annotated[
    str | None,
    typer.Option(
        "--to",
        metavar="LANGS",
        help="Target languages, comma-separated: en,fr (default: translate.toml's targets, "
        "else every language of the site but the source).",
    ),
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


@app.command(cls=_PlainArguments)
def run(
    posts: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="POST",
            help="Only these source posts, or folders of them (default: all without a "
            "translation).",
        ),
    ] = None,
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    backend: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help=f"Translation engine: {' | '.join(backend_names())} (default: marian).",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            metavar="MODEL",
            help="Hugging Face model id or local folder (default: Helsinki-NLP/opus-mt-FROM-TO).",
        ),
    ] = None,
    device: Annotated[
        str | None, typer.Option(metavar="DEVICE", help="auto | cpu | cuda (default: auto).")
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option(metavar="N", help="Segments per model call (default: 16).")
    ] = None,
    beams: Annotated[
        int | None, typer.Option(metavar="N", help="Beam search width (default: 4).")
    ] = None,
    compute_type: Annotated[
        str | None,
        typer.Option(
            metavar="TYPE", help="CTranslate2 weights: auto (int8 on CPU), int8, float32, ..."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Translate again, even posts that are up to date.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be written; write nothing.")
    ] = False,
    wait: WaitOption = False,
) -> None:
    """Translate every post that has no translation yet into each target language."""
    overrides: dict[str, Any] = {
        "source": source,
        "targets": target,
        "backend": backend,
        "model": model,
        "device": device,
        "batch_size": batch_size,
        "beams": beams,
        "compute_type": compute_type,
    }
    printer = _RunPrinter(site, dry_run)
    try:
        project = _project(site, overrides)
        if (used := project.describe()) is not None:
            typer.echo(used)
        printer.several = len(project.pairs()) > 1
        with contextlib.ExitStack() as locks:
            if not dry_run:
                for _, store in _stores(project):
                    locks.enter_context(_memory_lock(store, wait))
            locks.enter_context(_reading(site, project.settings))
            report = run_project(
                project,
                _make_translator,
                only=posts or (),
                force=force,
                dry_run=dry_run,
                progress=printer.progress,
                listener=printer,
            )
    except TranslateError as error:
        printer.close()
        _fail_with(error)
    printer.close()
    _print_report(report, dry_run)
    if not report.ok:
        raise typer.Exit(1)


def _project(site: Path, overrides: dict[str, Any]) -> Project:
    """Read the settings (`--to a,b` split) and resolve the run's languages on the site."""
    if isinstance(overrides.get("targets"), str):
        overrides = {**overrides, "targets": parse_languages(overrides["targets"])}
    settings = load_settings(site, overrides)
    set_max_file_size(settings.max_file_size)
    return open_project(site, settings)


@app.command(cls=_PlainArguments)
def check(
    posts: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="POST", help="Only these posts, source or translation (default: all)."
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
) -> None:
    """Check that every translation is still a faithful sibling of its source post."""
    from translate.commands.check import check_site, format_findings

    if output_format not in ("text", "json", "github"):
        _fail_with(
            ConfigError(f"unknown format {output_format!r}", hint="use text, json or github")
        )
    try:
        settings = _project(site, {"source": source, "targets": target}).settings
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
        typer.Option(
            "--strict", help="Exit 1 if a post is missing, outdated, diverged, orphaned or broken."
        ),
    ] = False,
) -> None:
    """Show where each post's translation (and each i18n table) stands."""
    from translate.commands.status import site_status

    try:
        settings = _project(site, {"source": source, "targets": target}).settings
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
                "language": r.language,
                "kind": r.kind,
            }
            for r in rows
        ]
        typer.echo(json.dumps(items, indent=2, ensure_ascii=False))
    else:
        width = max([len(r.label) for r in rows] + [5])
        several = len(report.pairs) > 1
        typer.echo(f"{'STATE':<{width}}  {'TO    ' if several else ''}POST")
        for r in rows:
            detail = f"  ({r.detail})" if r.detail else ""
            language = f"{r.language:<6}" if several else ""
            shown = r.target if r.kind == "i18n" else r.source or r.target
            typer.echo(f"{r.label:<{width}}  {language}{shown}{detail}")
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
    from translate.records.memory import learn_site
    from translate.translation.glossary import Glossary

    failed = False
    try:
        stores = _memory_stores(site, source, target)
        for settings, store in stores:
            glossary = Glossary.load(site / settings.glossary_dir, settings.source, settings.target)
            with _memory_lock(store, wait), _reading(site, settings):
                report = learn_site(store.site, store, settings.translatable_keys, glossary)
            for failure in report.errors:
                _post_error(failure)
            reviewed = sum(count for _, count in report.learned)
            typer.echo(
                _pair_prefix(settings, len(stores))
                + f"Translations read: {len(report.learned)}; reviewed blocks in the memory: "
                f"{reviewed}." + (f" Failed: {len(report.errors)}." if report.errors else "")
            )
            failed = failed or bool(report.errors)
    except TranslateError as error:
        _fail_with(error)
    if failed:
        raise typer.Exit(1)


memory_app = typer.Typer(
    help="Export or import the translation memory as TMX.", rich_markup_mode=None
)
app.add_typer(memory_app, name="memory")


@memory_app.command("export", cls=_PlainArguments)
def memory_export(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The TMX file to write (its folder must exist), or - for standard output.",
        ),
    ],
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
) -> None:
    """Write every reviewed translation (and imported entry) to a TMX file, one per pair.

    With several target languages, FILE names one file per pair: memory.tmx becomes
    memory-de-en.tmx, memory-de-fr.tmx, ... Only a regular file is written (through a
    symbolic link to one); a device or FIFO is refused, never replaced.
    """
    from translate.files import printable, write_atomic
    from translate.records.tmx import export_tmx

    try:
        stores = _memory_stores(site, source, target)
        if str(file) == "-" and len(stores) > 1:
            raise ConfigError(
                "- writes one pair's TMX to the standard output, and there are several",
                hint="name the pair with --to, or name a file",
            )
        for settings, store in stores:
            entries = store.entries()
            tmx = export_tmx(entries, settings.source, settings.target)
            if str(file) == "-":
                sys.stdout.write(tmx)
                typer.echo(f"{len(entries)} entries written to the standard output.", err=True)
                continue
            path = _pair_file(file, settings, len(stores))
            # The user names the file: a link to one is followed wherever it leads.
            write_atomic(path, tmx, parents=False, follow_links_within=Path("/"))
            typer.echo(f"{len(entries)} entries written to {printable(path)}.")
    except TranslateError as error:
        _fail_with(error)


@memory_app.command("import", cls=_PlainArguments)
def memory_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The TMX file to read.")],
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    wait: WaitOption = False,
) -> None:
    """Add the entries of a TMX file to the translation memory of each pair it holds."""
    from translate.files import read_text
    from translate.records.tmx import import_tmx

    try:
        stores = _memory_stores(site, source, target)
        text = read_text(file, error=RecordError)
        # A TMX file usually holds one pair: of several, only those it holds are reported.
        lacking: list[TranslateError] = []
        for settings, store in stores:
            try:
                read = import_tmx(text, settings.source, settings.target, name=str(file))
            except RecordError as error:
                if len(stores) == 1 or not error.message.startswith("no "):
                    raise
                lacking.append(error)
                continue
            with _memory_lock(store, wait):
                added, updated, total = store.add_imported(read.entries)
            for line, reason in read.rejected:
                typer.echo(f"Warning: {file}:{line}: entry skipped: {reason}", err=True)
            skipped = f", {len(read.rejected)} skipped" if read.rejected else ""
            typer.echo(
                _pair_prefix(settings, len(stores))
                + f"{len(read.entries)} entries read{skipped}, {added} new, {updated} updated; "
                f"{total} imported entries in all."
            )
        if len(lacking) == len(stores):
            raise lacking[0]
    except TranslateError as error:
        _fail_with(error)


def _memory_stores(
    site: Path, source: str | None, target: str | None
) -> list[tuple[Settings, MemoryStore]]:
    """Return each pair's settings and memory, for `learn` and `memory`."""
    return _stores(_project(site, {"source": source, "targets": target}))


def _stores(project: Project) -> list[tuple[Settings, MemoryStore]]:
    """Return each pair's settings and memory store.

    Outside a site (no content/<source>/) this fails as every command does, before a lock
    creates any folder, rather than exporting an empty memory or creating one in a folder
    that is no site.
    """
    from translate.records.memory import MemoryStore

    pairs = project.pairs()
    project.site(pairs[0]).check_layout()
    return [(pair, MemoryStore(project.site(pair))) for pair in pairs]


def _pair_prefix(settings: Settings, pairs: int) -> str:
    """Name the pair before a line, when a command covers several."""
    return f"{settings.source} → {settings.target}: " if pairs > 1 else ""


def _pair_file(file: Path, settings: Settings, pairs: int) -> Path:
    """Return the TMX file of one pair: FILE itself, or FILE-de-fr.tmx for several."""
    if pairs == 1:
        return file
    return file.with_name(f"{file.stem}-{settings.pair_name}{file.suffix}")


@contextlib.contextmanager
def _reading(site: Path, settings: Settings) -> Iterator[None]:
    """Read posts the way this site's Hugo does (its Goldmark options, its shortcodes)."""
    from translate.hugo.markup import markdown_options
    from translate.markdown.goldmark import use_options

    with use_options(markdown_options(site, settings.markdown_shortcodes)):
        yield


def _memory_lock(store: MemoryStore, wait: bool) -> AbstractContextManager[None]:
    """Return the lock on the store's records and memory, saying so when it waits."""
    from translate.records.lock import memory_lock

    def waiting() -> None:
        typer.echo("Waiting for another translate command to finish...", err=True)

    return memory_lock(store.folder, wait=wait, on_wait=waiting, name=store.site.show(store.folder))


def _make_translator(pair: Settings) -> Translator:
    """Return the translator of a direct language pair, as its settings describe it."""
    options = BackendOptions(
        source=pair.source,
        target=pair.target,
        model=pair.model,
        device=pair.device,
        batch_size=pair.batch_size,
        beams=pair.beams,
        compute_type=pair.compute_type,
    )
    return create_backend(pair.backend, options)


class _RunPrinter:
    """Print a run as it goes: each post's line when it is done, and one progress display.

    On a terminal the display is a tqdm bar on stderr, which lines are written around; in a
    log (CI), a line of progress every half minute instead, so that no bar's control
    characters land in it.
    """

    _LOG_INTERVAL = 30.0

    def __init__(self, site: Path, dry_run: bool) -> None:
        self.site = site
        self.dry_run = dry_run
        self.several = False
        self.total = 0
        self.done = 0
        self.bar: Any = None
        # A log hears of progress after half a minute at the earliest: short runs say nothing.
        self.logged = time.monotonic()
        self.header: str | None = None  # the pair's, printed before its first line

    def pair(self, report: RunReport) -> None:
        """Say which pair begins (before its first line), when the run has several."""
        if self.several:
            via = f" (via {report.pivot})" if report.pivot else ""
            self.header = f"{report.source} → {report.target}{via}:"

    def post(self, result: PostResult) -> None:
        """Print one post's line (and its warnings) as soon as it is done."""
        for warning in result.warnings:
            self._print(f"Warning: {warning}", err=True)
        for line in _post_lines(result, self.site):
            self._print(line, err=result.error is not None)
        if isinstance(result.error, InternalError):
            _debug_traceback(result.error.cause)

    def progress(self, total: int) -> Callable[[int], None]:
        """Return a tick for `total` more segments; one display serves the whole run."""
        self.total += total
        if sys.stderr.isatty():
            from tqdm import tqdm

            if self.bar is None:
                self.bar = tqdm(
                    total=self.total, unit="seg", desc="Translating", file=sys.stderr, leave=False
                )
            else:
                self.bar.total = self.total
                self.bar.refresh()

        def tick(count: int) -> None:
            self.done += count
            # Fallback rounds translate pieces beyond the first count: the total grows.
            self.total = max(self.total, self.done)
            if self.bar is not None:
                self.bar.total = self.total
                self.bar.update(count)
            elif time.monotonic() - self.logged >= self._LOG_INTERVAL:
                self.logged = time.monotonic()
                percent = 100 * self.done // max(self.total, 1)
                typer.echo(
                    f"Translating: {self.done}/{self.total} segments ({percent} %)", err=True
                )

        return tick

    def close(self) -> None:
        """Take the bar away before the summary."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _print(self, line: str, *, err: bool = False) -> None:
        if self.header is not None:
            self._write(self.header, err=False)
            self.header = None
        self._write(line, err=err)

    def _write(self, line: str, *, err: bool) -> None:
        if self.bar is not None:
            from tqdm import tqdm

            tqdm.write(line, file=sys.stderr if err else sys.stdout)
        else:
            typer.echo(line, err=err)


def _post_lines(result: PostResult, site: Path) -> list[str]:
    """Return the line that says what was done with a post (its error's, if it failed)."""
    target = relative_path(result.target, site)
    if result.outcome is Outcome.WRITTEN:
        return [f"wrote    {target}"]
    if result.outcome is Outcome.UPDATED:
        return [f"updated  {target}: re-translated {', '.join(result.retranslated)}"]
    if result.outcome is Outcome.WOULD_WRITE:
        verb = "update" if result.target.exists() else "write"
        return [f"would {verb} {target}"]
    if result.outcome is Outcome.SKIPPED:
        return [f"skipped  {target} (up to date)"]
    if result.error is not None:
        return [f"Error: {result.error}"]
    return []


def _print_report(report: ProjectReport, dry_run: bool) -> None:
    """Print what the posts' lines did not say: warnings, tables, errors, the counts."""
    warnings = [*report.warnings, *(w for pair in report.pairs for w in pair.warnings)]
    for warning in dict.fromkeys(warnings):
        typer.echo(f"Warning: {warning}", err=True)
    several = len(report.pairs) > 1
    for pair in report.pairs:
        table = pair.table
        if table is not None and table.error is not None:
            _post_error(table.error)
        elif table is not None and table.added:
            keys = f"{len(table.added)} key{'s' * (len(table.added) != 1)}"
            verb = "added   " if table.written else "would add"
            typer.echo(f"{verb} {keys} to {table.target}")
        elif table is not None:
            typer.echo(f"skipped  {table.target} (complete)")
        via = f" (via {pair.pivot})" if pair.pivot else ""
        name = f"{pair.source} → {pair.target}{via}: " if several else ""
        if pair.error is not None:
            if _state["debug"]:
                typer.echo(pair.trace, err=True, nl=False)
            _error(str(pair.error))
            typer.echo(f"{name}not translated: see the error above")
            continue
        typer.echo(name + _counts(pair, dry_run) + ".")
    if several:
        stopped = sum(1 for pair in report.pairs if pair.error is not None)
        typer.echo(
            "Total: "
            + _counts(report, dry_run)
            + (f"; {stopped} language pair(s) not translated" if stopped else "")
            + "."
        )


def _counts(report: RunReport | ProjectReport, dry_run: bool) -> str:
    parts = [
        f"{report.count(Outcome.WRITTEN)} written",
        f"{report.count(Outcome.UPDATED)} updated",
        f"{report.count(Outcome.SKIPPED)} skipped",
        f"{report.count(Outcome.FAILED) + report.count(Outcome.DIVERGED)} failed",
    ]
    if dry_run:
        update = report.would_update
        write = report.count(Outcome.WOULD_WRITE) - update
        parts.insert(0, f"{write} would be written, {update} would be updated (dry run)")
    if report.kept:
        parts.append(f"{report.kept} block{'s' * (report.kept != 1)} kept untranslated")
    return ", ".join(parts)


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
