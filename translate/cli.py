"""The `translate` command: the only place that prints or chooses exit codes."""

from __future__ import annotations

import contextlib
import functools
import json
import signal
import sys
import threading
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
from translate.hugo.root import find_site_root
from translate.hugo.settings import CONFIG_FILE, Settings, load_settings, parse_languages
from translate.hugo.site import Project, open_project
from translate.translation.backends import BackendOptions, Translator, backend_names, create_backend

if TYPE_CHECKING:
    from translate.commands.status import PostStatus
    from translate.records.store import RecordStore

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
def _site_root(ctx: typer.Context, given: Path) -> Path:
    """Return the site to work on: `--site`, else the site the current folder lies in.

    Absolute from here on: paths found under the site are taken relative to its root, and a
    relative root would be applied twice (`mysite/mysite/content/...`: no posts, a silent
    pass). A root found above the current folder is named, so a run from `content/` says
    which site it translates.
    """
    if getattr(ctx.get_parameter_source("site"), "name", None) != "DEFAULT":
        return given.absolute()
    here = Path.cwd()
    found = find_site_root(here)
    if found is None:
        return here  # no site: the command's own error explains what it looked for
    if found.path != here:
        typer.echo(f"using the site at {found.path} (found {found.marker})", err=True)
    return found.path


SiteOption = Annotated[
    Path,
    typer.Option(
        "--site",
        metavar="DIR",
        help="The Hugo site root (default: the site the current folder is in).",
        callback=_site_root,
    ),
]
SourceOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="LANG",
        help="Source language (default: translate.toml's source, else the site's "
        "defaultContentLanguage, else de).",
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
# Leave drafts out, as `hugo` does unless --buildDrafts; None keeps translate.toml's choice.
DraftsOption = Annotated[
    bool | None,
    typer.Option(
        "--skip-drafts/--include-drafts",
        help="Leave out posts whose front matter says draft: true (default: include them, "
        "or translate.toml's skip_drafts).",
        show_default=False,
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
            help=f"Translation engine: {' | '.join(backend_names())} (default: ctranslate2 "
            "where it is installed, else marian).",
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
    skip_drafts: DraftsOption = None,
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
        "skip_drafts": skip_drafts,
    }
    printer = _RunPrinter(site, dry_run)
    stop = threading.Event()
    try:
        project = _project(site, overrides)
        if (used := project.describe()) is not None:
            typer.echo(used)
        printer.several = len(project.pairs()) > 1
        with contextlib.ExitStack() as locks:
            if not dry_run:
                for _, store in _stores(project):
                    locks.enter_context(_memory_lock(store, wait))
            with _stopping_on_signals(stop):
                report = run_project(
                    project,
                    functools.partial(
                        _make_translator, notify=printer.note, several=printer.several
                    ),
                    only=posts or (),
                    force=force,
                    dry_run=dry_run,
                    progress=printer.progress,
                    listener=printer,
                    stop=stop,
                )
    except TranslateError as error:
        printer.close()
        _fail_with(error)
    printer.close()
    _print_report(report, dry_run)
    if report.interrupted:
        written = report.count(Outcome.WRITTEN) + report.count(Outcome.UPDATED)
        typer.echo(
            f"Interrupted: {written} post{'s' * (written != 1)} written. Run the same command "
            "again to continue where this run stopped.",
            err=True,
        )
        raise typer.Exit(130)
    if not report.ok:
        raise typer.Exit(1)


@contextlib.contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """On Ctrl-C or SIGTERM, set `stop`: the run ends after the post being written.

    A second Ctrl-C interrupts at once (what a first one did before).
    """

    def request(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        typer.echo("Stopping after the post being written (Ctrl-C again to quit now)...", err=True)

    if threading.current_thread() is not threading.main_thread():
        yield  # signals go to the main thread only (a test runner may use another)
        return
    previous = {sig: signal.signal(sig, request) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _project(site: Path, overrides: dict[str, Any]) -> Project:
    """Read the settings (`--to a,b` split) and resolve the run's languages on the site."""
    if isinstance(overrides.get("targets"), str):
        overrides = {**overrides, "targets": parse_languages(overrides["targets"])}
    return open_project(site, load_settings(site, overrides))


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
            help="Only these posts, source or translation (default: every post and i18n table).",
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
        typer.echo(f"{'STATE':<{width}}  {'TO    ' if several else ''}POST")
        for r in rows:
            detail = f"  ({r.detail})" if r.detail else ""
            language = f"{r.language:<6}" if several else ""
            shown = r.target if r.kind == "i18n" else r.source or r.target
            typer.echo(f"{r.label:<{width}}  {language}{shown}{detail}")
    if strict and any(r.state.needs_work for r in rows):
        raise typer.Exit(1)


def _rows_of(rows: list[PostStatus], posts: list[Path], site: Path) -> list[PostStatus]:
    """Return the rows of the posts named (source or translation, from here or the root).

    A file that is no post of any pair, or one left out (`exclude`), has no row: a
    pre-commit hook passes every changed Markdown file. One that does not exist is an error.
    """
    wanted: set[Path] = set()
    for post in posts:
        candidates = [post] if post.is_absolute() else [post, site / post]
        found = [path.resolve() for path in candidates if path.is_file()]
        if not found:
            _fail_with(TranslateError("no such file", path=post, hint="check the path"))
        wanted.update(found)
    chosen = [
        row
        for row in rows
        if row.kind != "i18n"
        and any(name and (site / name).resolve() in wanted for name in (row.source, row.target))
    ]
    shown = {(site / name).resolve() for row in chosen for name in (row.source, row.target) if name}
    for path in sorted(wanted - shown):
        typer.echo(f"Warning: {path}: not a post of this site's languages, or left out", err=True)
    return chosen


@app.command()
def learn(
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    wait: WaitOption = False,
) -> None:
    """Learn reviewers' corrections into the translation memory (e.g. in CI after merge)."""
    from translate.records.tracking import Pairing, learn_site
    from translate.translation.glossary import Glossary

    failed = False
    try:
        stores = _memory_stores(site, source, target)
        for settings, store in stores:
            glossary = Glossary.load(site / settings.glossary_dir, settings.source, settings.target)
            pairing = Pairing(store.site, store, settings.reading(site), glossary)
            with _memory_lock(store, wait):
                report = learn_site(pairing)
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


@app.command(cls=_PlainArguments)
def approve(
    posts: Annotated[
        list[Path],
        typer.Argument(metavar="POST", help="The posts (source or translation) to approve."),
    ],
    line: Annotated[
        list[int] | None,
        typer.Option(
            "--line",
            metavar="N",
            help="Only the block at this line of the translation (repeatable).",
        ),
    ] = None,
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    wait: WaitOption = False,
) -> None:
    """Approve a translation's blocks as they are: clears 'needs review', marks them reviewed."""
    from translate.commands.approve import approve as approve_post
    from translate.records.tracking import Pairing
    from translate.translation.glossary import Glossary

    try:
        stores = _memory_stores(site, source, target)
        for settings, store in stores:
            glossary = Glossary.load(site / settings.glossary_dir, settings.source, settings.target)
            pairing = Pairing(store.site, store, settings.reading(site), glossary)
            with _memory_lock(store, wait):
                for path in posts:
                    found, is_source = store.site.locate(path)
                    post = found if is_source else store.site.source_of(found)
                    label = settings.machine_translated_key
                    done = approve_post(pairing, post, lines=line or (), label=label)
                    shown = store.site.show(done.target)
                    what = ", ".join(done.approved) or "nothing left to approve"
                    typer.echo(f"approved {shown}: {what}")
    except TranslateError as error:
        _fail_with(error)


memory_app = typer.Typer(
    help="Export or import the translation memory as TMX.", rich_markup_mode=None
)
app.add_typer(memory_app, name="memory")


@memory_app.command("export", cls=_PlainArguments)
def memory_export(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The TMX file to write (its folder must exist).")
    ],
    site: SiteOption = Path("."),
    source: SourceOption = None,
    target: TargetOption = None,
    blocks: Annotated[
        bool,
        typer.Option(
            "--blocks", help="Whole reviewed blocks (paragraphs), not reviewed sentences."
        ),
    ] = False,
) -> None:
    """Write every reviewed translation (and imported entry) to a TMX file, one per pair.

    Entries are the sentences reviewers corrected or approved (a block of one sentence
    counts as one); `--blocks` writes whole reviewed blocks instead.

    With several target languages, FILE names one file per pair: memory.tmx becomes
    memory-de-en.tmx, memory-de-fr.tmx, ...
    """
    from translate.files import write_atomic
    from translate.records.memory import export_entries
    from translate.records.tmx import export_tmx

    try:
        stores = _memory_stores(site, source, target)
        for settings, store in stores:
            path = _pair_file(file, settings, len(stores))
            entries = export_entries(store, blocks=blocks)
            tmx = export_tmx(entries, settings.source, settings.target)
            write_atomic(path, tmx, parents=False)
            typer.echo(f"{_plural(len(entries), 'entry', 'entries')} written to {path}.")
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
    from translate.records.memory import import_entries
    from translate.records.tmx import import_tmx

    try:
        stores = _memory_stores(site, source, target)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise TranslateError(f"cannot read: {error}", path=file) from None
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
                added, updated, total = import_entries(store, read.entries)
            for line, reason in read.rejected:
                typer.echo(f"Warning: {file}:{line}: entry skipped: {reason}", err=True)
            skipped = f", {len(read.rejected)} skipped" if read.rejected else ""
            typer.echo(
                _pair_prefix(settings, len(stores))
                + f"{_plural(len(read.entries), 'entry', 'entries')} read{skipped}, {added} new, "
                f"{updated} updated; {_plural(total, 'imported entry', 'imported entries')} in all."
            )
        if len(lacking) == len(stores):
            raise lacking[0]
    except TranslateError as error:
        _fail_with(error)


def _memory_stores(
    site: Path, source: str | None, target: str | None
) -> list[tuple[Settings, RecordStore]]:
    """Return each pair's settings and memory, for `learn` and `memory`."""
    return _stores(_project(site, {"source": source, "targets": target}))


def _stores(project: Project) -> list[tuple[Settings, RecordStore]]:
    """Return each pair's settings and memory store.

    Outside a site (no content/<source>/) this fails as every command does, before a lock
    creates any folder, rather than exporting an empty memory or creating one in a folder
    that is no site.
    """
    from translate.records.store import RecordStore

    pairs = project.pairs()
    project.site(pairs[0]).check_layout()
    return [(pair, RecordStore(project.site(pair))) for pair in pairs]


def _plural(count: int, one: str, many: str) -> str:
    """Return `1 entry`, `2 entries`: the count with the word in its number."""
    return f"{count} {one if count == 1 else many}"


def _pair_prefix(settings: Settings, pairs: int) -> str:
    """Name the pair before a line, when a command covers several."""
    return f"{settings.source} → {settings.target}: " if pairs > 1 else ""


def _pair_file(file: Path, settings: Settings, pairs: int) -> Path:
    """Return the TMX file of one pair: FILE itself, or FILE-de-fr.tmx for several."""
    if pairs == 1:
        return file
    return file.with_name(f"{file.stem}-{settings.pair_name}{file.suffix}")


def _memory_lock(store: RecordStore, wait: bool) -> AbstractContextManager[None]:
    """Return the lock on the store's records and memory, saying so when it waits."""
    from translate.records.lock import memory_lock

    def waiting() -> None:
        typer.echo("Waiting for another translate command to finish...", err=True)

    return memory_lock(store.folder, wait=wait, on_wait=waiting, name=store.site.show(store.folder))


def _make_translator(
    pair: Settings, notify: Callable[[str], None] | None = None, several: bool = False
) -> Translator:
    """Return the translator of a direct language pair, as its settings describe it.

    `notify` hears of slow one-time work, such as converting a model for CTranslate2.
    `several`: the run has several pairs, so `--model` cannot name this one's model; hints
    name its place in translate.toml instead.
    """
    options = BackendOptions(
        source=pair.source,
        target=pair.target,
        model=pair.model,
        device=pair.device,
        batch_size=pair.batch_size,
        beams=pair.beams,
        compute_type=pair.compute_type,
        notify=notify,
        model_in_settings=several or pair.pair_name in pair.models,
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
        # Errors already printed: a source post that does not parse fails every pair alike.
        self.errors: set[str] = set()

    def pair(self, report: RunReport) -> None:
        """Say which pair begins (before its first line), when the run has several.

        Each pair has a progress display of its own, counted before it begins.
        """
        self.close()
        self.total = self.done = 0
        if self.several:
            via = f" (via {report.pivot})" if report.pivot else ""
            self.header = f"{report.source} → {report.target}{via}:"

    def post(self, result: PostResult) -> None:
        """Print one post's line (and its warnings) as soon as it is done."""
        for warning in result.warnings:
            self._print(f"Warning: {warning}", err=True)
        for line in _post_lines(result, self.site):
            if result.error is not None:
                if line in self.errors:
                    continue
                self.errors.add(line)
            self._print(line, err=result.error is not None)
        if isinstance(result.error, InternalError):
            _debug_traceback(result.error.cause)

    def note(self, line: str) -> None:
        """Print a line about the run's own work (a model being converted) on stderr."""
        self._write(line, err=True)

    def progress(self, total: int) -> Callable[[int], None]:
        """Return a tick for the `total` steps of a pair's work (segments, then posts).

        The total is known before the first step: the display reaches 100 % with the last
        post written, never before.
        """
        self.total += total
        if sys.stderr.isatty():
            from tqdm import tqdm

            if self.bar is None:
                self.bar = tqdm(
                    total=self.total, unit="step", desc="Translating", file=sys.stderr, leave=False
                )
            else:
                self.bar.total = self.total
                self.bar.refresh()

        def tick(count: int) -> None:
            self.done += count
            if self.bar is not None:
                self.bar.update(count)
            elif time.monotonic() - self.logged >= self._LOG_INTERVAL:
                self.logged = time.monotonic()
                percent = 100 * self.done // max(self.total, 1)
                typer.echo(f"Translating: {self.done}/{self.total} steps ({percent} %)", err=True)

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
    try:
        target = str(result.target.relative_to(site))
    except ValueError:
        target = str(result.target)
    if result.outcome is Outcome.WRITTEN:
        return [f"wrote    {target}"]
    if result.outcome is Outcome.UPDATED and not result.retranslated:
        return [f"updated  {target}: {result.note or 'brought up to date'}"]
    if result.outcome is Outcome.UPDATED:
        return [f"updated  {target}: re-translated {', '.join(result.retranslated)}"]
    if result.outcome is Outcome.WOULD_WRITE:
        if result.target.exists():
            changes = ", ".join(result.retranslated)
            detail = f"re-translate {changes}" if changes else result.note
            return [f"would update {target}" + (f": {detail}" if detail else "")]
        return [f"would write {target}"]
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
            keys = _plural(len(table.added), "key", "keys")
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
        parts.append(f"{_plural(report.kept, 'block', 'blocks')} kept untranslated")
    if report.needs_review:
        blocks = _plural(report.needs_review, "block", "blocks")
        verb = "would replace" if dry_run else "replaced"
        parts.append(f"{blocks} {verb} reviewed text (needs review)")
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
