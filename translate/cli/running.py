"""`translate run` on the command line: signals, the progress display, each post's line and
the summary."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from translate.commands.reports import Retranslated
from translate.commands.run import Outcome, PostResult, ProjectReport, RunReport, run_project
from translate.errors import InternalError, TranslateError
from translate.files import relative_path
from translate.hugo.settings import Settings
from translate.translation.backends import BackendOptions, Translator, backend_names, create_backend

if TYPE_CHECKING:
    pass
from translate.cli.app import (
    DraftsOption,
    SiteOption,
    SourceOption,
    TargetOption,
    WaitOption,
    _debug_traceback,
    _error,
    _fail_with,
    _PlainArguments,
    _plural,
    _post_error,
    _project,
    _state,
    app,
)
from translate.cli.memory import _memory_lock, _stores


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
    target = relative_path(result.target, site)
    if result.outcome is Outcome.WRITTEN:
        return [f"wrote    {target}"]
    if result.outcome is Outcome.UPDATED and not result.retranslated:
        return [f"updated  {target}: {result.note or 'brought up to date'}"]
    if result.outcome is Outcome.UPDATED:
        return [f"updated  {target}: re-translated {_blocks(result.retranslated)}"]
    if result.outcome is Outcome.WOULD_WRITE:
        if result.target.exists():
            changes = _blocks(result.retranslated)
            detail = f"re-translate {changes}" if changes else result.note
            return [f"would update {target}" + (f": {detail}" if detail else "")]
        return [f"would write {target}"]
    if result.outcome is Outcome.SKIPPED:
        return [f"skipped  {target} (up to date)"]
    if result.error is not None:
        return [f"Error: {result.error}"]
    return []


# Blocks a post's line names one by one; more are counted (a post translated anew whole
# would otherwise be a line of a hundred), except those a reviewer must look at.
_NAMED_BLOCKS = 6


def _blocks(blocks: Sequence[Retranslated]) -> str:
    """Name the blocks translated anew: each, or how many and where, and each one marked."""
    if len(blocks) <= _NAMED_BLOCKS:
        return ", ".join(map(str, blocks))
    counted = f"{len(blocks)} blocks (lines {blocks[0].line}–{blocks[-1].line})"
    marked = [block for block in blocks if block.note]
    return counted + "".join(f"; {block}" for block in marked)


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
    if dry_run:  # nothing is written: what would be takes the place of what was
        update = report.would_update
        write = report.count(Outcome.WOULD_WRITE) - update
        done = [f"{write} would be written", f"{update} would be updated (dry run)"]
    else:
        done = [
            f"{report.count(Outcome.WRITTEN)} written",
            f"{report.count(Outcome.UPDATED)} updated",
        ]
    parts = [
        *done,
        f"{report.count(Outcome.SKIPPED)} skipped",
        f"{report.count(Outcome.FAILED) + report.count(Outcome.DIVERGED)} failed",
    ]
    if report.kept:
        parts.append(f"{_plural(report.kept, 'block', 'blocks')} kept untranslated")
    if report.needs_review:
        blocks = _plural(report.needs_review, "block", "blocks")
        verb = "would replace" if dry_run else "replaced"
        parts.append(f"{blocks} {verb} reviewed text (needs review)")
    return ", ".join(parts)
