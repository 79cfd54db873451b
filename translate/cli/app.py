"""The `translate` command line: its app, the options every command shares, and how errors
are printed. Only the `translate.cli` package prints or chooses exit codes."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption

from translate.errors import InternalError, TranslateError
from translate.files import set_max_file_size
from translate.hugo.root import find_site_root
from translate.hugo.settings import Settings, load_settings, parse_languages
from translate.hugo.site import Project, open_project

if TYPE_CHECKING:
    pass


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

    Absolute from here on, with `..` taken by name as the shell's `cd ..` does: paths found
    under the site are taken relative to its root, and a relative root would be applied
    twice (`mysite/mysite/content/...`: no posts, a silent pass); `--site ..` left as
    `content/..` would have no post below it (records named posts by absolute path). A root
    found above the current folder is named, so a run from `content/` says which site it
    translates.
    """
    if getattr(ctx.get_parameter_source("site"), "name", None) != "DEFAULT":
        return Path(os.path.normpath(given.absolute()))
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


def _project(site: Path, overrides: dict[str, Any]) -> Project:
    """Read the settings (`--to a,b` split) and resolve the run's languages on the site."""
    if isinstance(overrides.get("targets"), str):
        overrides = {**overrides, "targets": parse_languages(overrides["targets"])}
    settings = load_settings(site, overrides)
    set_max_file_size(settings.max_file_size)
    return open_project(site, settings)


def _plural(count: int, one: str, many: str) -> str:
    """Return `1 entry`, `2 entries`: the count with the word in its number."""
    return f"{count} {one if count == 1 else many}"


def _pair_prefix(settings: Settings, pairs: int) -> str:
    """Name the pair before a line, when a command covers several."""
    return f"{settings.source} → {settings.target}: " if pairs > 1 else ""


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
