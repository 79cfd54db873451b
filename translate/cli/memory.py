"""`translate learn`, `approve` and `memory export|import`: the commands that write records
and memory, each under the pair's lock."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from translate.errors import ConfigError, RecordError, TranslateError
from translate.hugo.settings import Settings
from translate.hugo.site import Project

if TYPE_CHECKING:
    from translate.records.store import RecordStore
from translate.cli.app import (
    SiteOption,
    SourceOption,
    TargetOption,
    WaitOption,
    _fail_with,
    _pair_prefix,
    _PlainArguments,
    _plural,
    _post_error,
    _project,
    app,
)


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
        Path,
        typer.Argument(
            metavar="FILE",
            help="The TMX file to write (its folder must exist), or - for standard output.",
        ),
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
    memory-de-en.tmx, memory-de-fr.tmx, ... Only a regular file is written (through a
    symbolic link to one); a device or FIFO is refused, never replaced.
    """
    from translate.files import printable, write_atomic
    from translate.records.memory import export_entries
    from translate.records.tmx import export_tmx

    try:
        stores = _memory_stores(site, source, target)
        if str(file) == "-" and len(stores) > 1:
            raise ConfigError(
                "- writes one pair's TMX to the standard output, and there are several",
                hint="name the pair with --to, or name a file",
            )
        for settings, store in stores:
            entries = export_entries(store, blocks=blocks)
            tmx = export_tmx(entries, settings.source, settings.target)
            written = _plural(len(entries), "entry", "entries")
            if str(file) == "-":
                sys.stdout.write(tmx)
                typer.echo(f"{written} written to the standard output.", err=True)
                continue
            path = _pair_file(file, settings, len(stores))
            # The user names the file: a link to one is followed wherever it leads.
            write_atomic(path, tmx, parents=False, follow_links_within=Path("/"))
            typer.echo(f"{written} written to {printable(path)}.")
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
    from translate.records.memory import import_entries
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
