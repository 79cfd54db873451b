"""Every command that README.md and docs/*.md show still runs, and prints what they show.

Fenced blocks marked `sh` hold commands, one a line, with `# comments`; `console` blocks hold
`$ command` lines, each followed by what it prints. The commands of one page run in order, in
one copy of this repository's sample site: `translate ...` and `./run ...` in-process through
typer's CliRunner, with the pseudo backend where a model would be loaded; `./test ...` by
letting pytest collect with those arguments; `python -m benchmarks.X ...` by its `--help`,
which must name every option used. What a `console` block shows must be what the command
prints now, apart from the set-up's own lines. A command this file does not know how to try
fails the test: teach `_try` about it rather than leaving it untried. A `toml` block that
starts with `# translate.toml` must be settings the tool accepts.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from translate.cli import app
from translate.hugo.settings import CONFIG_FILE, load_settings

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# What `./setup-venv` prints before the tool's own output.
SETUP_LINES = ("Creating ", "Installing ", "Keeping the GPU build")
# The parts of this repository that make its sample site.
SITE_PARTS = ("content", "glossary", "hugo.toml", "layouts", "translation-memory")
MODEL_BACKENDS = ("marian", "ctranslate2")


@dataclass
class Command:
    """One command of a page, with the output its page shows (None: not shown)."""

    page: Path
    line: int
    text: str
    shown: list[str] | None = None

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}: {self.text}"


@dataclass
class Session:
    """Where a page's commands run: a copy of the sample site, and the current folder in it."""

    site: Path
    cwd: Path
    runner: CliRunner = field(default_factory=CliRunner)


def fences(page: Path) -> list[tuple[str, str, int]]:
    """Return each fenced block of a page: its language, its text, its first line's number."""
    tokens = MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8"))
    return [
        (token.info.strip(), token.content, token.map[0] + 2)
        for token in tokens
        if token.type == "fence" and token.map is not None
    ]


def commands(page: Path) -> list[Command]:
    """Return the commands of a page's `sh` and `console` blocks, in order."""
    found: list[Command] = []
    for language, text, first in fences(page):
        for offset, line in enumerate(text.splitlines()):
            number = first + offset
            if language == "sh" and line.strip() and not line.lstrip().startswith("#"):
                found.append(Command(page, number, line.strip()))
            elif language == "console" and line.startswith("$ "):
                found.append(Command(page, number, line[2:].strip(), shown=[]))
            elif language == "console" and found and found[-1].shown is not None:
                found[-1].shown.append(line)
    return found


def sample_site(folder: Path) -> Path:
    """Copy this repository's sample site into `folder`."""
    for name in SITE_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy2(source, folder / name)
    return folder


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_command_of_a_page_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = commands(page)
    if page.name in ("README.md", "configuration.md", "reviewers.md", "checks.md"):
        assert found, f"{page.name} shows no command any more"
    session = Session(site=sample_site(tmp_path / "site"), cwd=tmp_path / "site")
    for command in found:
        monkeypatch.chdir(session.cwd)
        _try(command, session)


def _try(command: Command, session: Session) -> None:
    """Run one command the cheapest way that still fails when it no longer works."""
    words = shlex.split(command.text, comments=True)
    program, arguments = words[0], words[1:]
    if program == "translate":
        _translate(command, arguments, session)
    elif program == "./run":
        _translate(command, ["run", *arguments], session)
    elif program == "./test":
        _collect(command, arguments)
    elif program == "." and arguments == [".venv/bin/activate"]:
        # The environment these tests run in is the one `./setup-venv` makes.
        assert (Path(sys.prefix) / "bin" / "activate").is_file(), command.where
    elif program == "python" and arguments[:1] == ["-m"] and arguments[1].startswith("benchmarks."):
        _benchmark_options(command, arguments[1], arguments[2:])
    elif program == "cd":
        session.cwd = (session.cwd / arguments[0]).resolve()
        assert session.cwd.is_dir(), command.where
    else:
        pytest.fail(f"{command.where}: no way to try this command; teach tests/test_docs.py")


def _translate(command: Command, arguments: list[str], session: Session) -> None:
    """Run `translate ARGS` in-process, with the pseudo backend where it would load a model."""
    if arguments[:1] == ["run"] and "--dry-run" not in arguments:
        arguments = _without_model(arguments)
    result = session.runner.invoke(app, arguments)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(command.where) from result.exception
    printed = result.output.splitlines()
    expect_failure = command.shown is not None and any(
        line.startswith("Error:") for line in command.shown
    )
    assert (result.exit_code != 0) == expect_failure, f"{command.where}\n{result.output}"
    if command.shown is not None:
        shown = [line for line in command.shown if not line.startswith(SETUP_LINES)]
        assert printed == shown, f"{command.where}: the page shows other output"


def _without_model(arguments: list[str]) -> list[str]:
    """Return `run` arguments with the pseudo backend in place of a model's."""
    kept: list[str] = []
    words = iter(arguments)
    for word in words:
        if word == "--backend":
            name = next(words)
            kept += ["--backend", "pseudo" if name in MODEL_BACKENDS else name]
        elif word.startswith("--backend="):
            name = word.partition("=")[2]
            kept.append(f"--backend={'pseudo' if name in MODEL_BACKENDS else name}")
        else:
            kept.append(word)
    if not any(word.startswith("--backend") for word in kept):
        kept += ["--backend", "pseudo"]
    return kept


def _collect(command: Command, arguments: list[str]) -> None:
    """Let pytest collect with the arguments `./test` passes on, in one process.

    Collection reads every option and marker expression; a page's bare `./test` collects one
    small file, not the whole suite again.
    """
    named_files = [word for word in arguments if word.startswith("tests/")]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            *arguments,
            "-n",
            "0",
            *([] if named_files else ["tests/test_hugo_site.py"]),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{command.where}\n{result.stdout}\n{result.stderr}"


def _benchmark_options(command: Command, module: str, arguments: list[str]) -> None:
    """Check that a benchmark exists and takes every option the page gives it."""
    result = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{command.where}\n{result.stderr}"
    for option in (word.partition("=")[0] for word in arguments if word.startswith("--")):
        assert re.search(rf"{re.escape(option)}\b", result.stdout), f"{command.where}: {option}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_a_translate_toml_shown_is_accepted(page: Path, tmp_path: Path) -> None:
    for language, text, line in fences(page):
        if language == "toml" and text.startswith(f"# {CONFIG_FILE}"):
            site = sample_site(tmp_path / f"site-{line}")
            (site / CONFIG_FILE).write_text(text, encoding="utf-8")
            load_settings(site)  # raises ConfigError, naming the line, if it is refused


def test_the_readme_links_every_docs_page_and_every_link_resolves() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        assert f"](docs/{page.name})" in readme, f"README.md does not link {page.name}"
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


def test_the_readmes_first_screen_holds_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 130, "the README should fit on one or two screens"
    first_screen = "\n".join(lines[:60])
    assert "\n./run " in first_screen and "\n./test " in first_screen


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    readme = [c.text for c in commands(ROOT / "README.md") if c.text.startswith("./test")]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    last = [line for line in ci if line.strip() and not line.startswith("#")][-1]
    assert [shlex.split(text, comments=True) for text in readme] == [shlex.split(last)]
