"""The pre-commit hooks and the GitHub Action do what they declare, run as their hosts run them.

Each test makes a git repository of a small site (this repository's sample site), changes a
post as a contributor would, and then runs what `.pre-commit-hooks.yaml` and `action.yml`
declare: a hook's `entry` with the changed files pre-commit would pass it (its `files` and
`types` filters applied; in-process, as typer's CliRunner runs the command line), and the
action's shell steps in order, as the runner runs them
(`bash -eo pipefail`, the `${{ }}` expressions filled in, `GITHUB_OUTPUT` and the like set).
`pip` is a stand-in that records its command line; `translate` is this environment's.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import ROOT
from ruamel.yaml import YAML
from typer.testing import CliRunner

from translate.cli import app

HOOKS = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
ACTION = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
SITE_PARTS = ("content", "glossary", "hugo.toml", "translation-memory")
SOURCE = "content/de/post/ai-startup-hub/index.md"
TARGET = "content/en/post/ai-startup-hub/index.md"
NEW_POST = "---\ntitle: Neuigkeiten\n---\n\nDas Projekt beginnt im [Mai](https://example.org/).\n"
# The file types pre-commit's `identify` gives a Markdown file.
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Records `python -m pip ...` in $CALLS; runs anything else with the real interpreter.
FAKE_PYTHON = f"""#!/bin/sh
if [ "$1" = -m ] && [ "$2" = pip ]; then
    shift
    printf '%s\\n' "$*" >> "$CALLS"
    exit 0
fi
exec "{sys.executable}" "$@"
"""


def git(repository: Path, *args: str) -> str:
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.org"]
    return subprocess.run(
        ["git", *identity, *args], cwd=repository, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """Return a git repository holding the sample site, committed."""
    root = tmp_path / "site"
    root.mkdir()
    for name in SITE_PARTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
        else:
            shutil.copy2(ROOT / name, root / name)
    (root / "README.md").write_text("# A site\n", encoding="utf-8")
    git(root, "init", "--quiet")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "the site")
    return root


def environment(**more: str) -> dict[str, str]:
    """Return the environment a hook or step runs in: this environment's `translate` first."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path, "HF_HUB_OFFLINE": "1", **more}


# --- pre-commit ---------------------------------------------------------------------------


def hook(name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(entry for entry in HOOKS if entry["id"] == name)
    return found


def files_for(entry: dict[str, Any], changed: list[str]) -> list[str]:
    """Return the changed files pre-commit passes a hook: its `files` and `types` applied."""
    pattern = re.compile(entry.get("files", ""))
    assert entry.get("types") == ["markdown"], "teach files_for the hook's types"
    return [
        name
        for name in changed
        if pattern.search(name) and name.lower().endswith(MARKDOWN_SUFFIXES)
    ]


def run_hook(repository: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Result | None:
    """Run a hook on the staged changes as pre-commit does; None when it would not run.

    In-process: the entry's `translate` is the console script of `translate.cli:main`.
    """
    entry = hook(name)
    changed = git(repository, "diff", "--cached", "--name-only").split()
    files = files_for(entry, changed)
    if not files and not entry.get("always_run"):
        return None
    arguments = files if entry.get("pass_filenames", True) else []
    program, *options = shlex.split(entry["entry"])
    assert program == "translate"
    monkeypatch.chdir(repository)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return CliRunner().invoke(app, [*options, *arguments])


def test_the_hooks_are_well_formed() -> None:
    assert [entry["id"] for entry in HOOKS] == ["translate-check", "translate-status"]
    for entry in HOOKS:
        assert {"id", "name", "entry", "language"} <= set(entry)
        assert entry["language"] == "python"  # pre-commit installs this repository for it
        assert shlex.split(entry["entry"])[0] == "translate"  # the console script it installs


def test_a_reworded_translation_passes_both_hooks(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = repository / TARGET
    target.write_text(
        target.read_text(encoding="utf-8").replace("is taking part in", "takes part in"),
        encoding="utf-8",
    )
    git(repository, "add", TARGET)
    for name in ("translate-check", "translate-status"):
        result = run_hook(repository, name, monkeypatch)
        assert result is not None and result.exit_code == 0, (name, result.output)


def test_a_changed_link_fails_the_check_hook_naming_the_file(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = repository / TARGET
    text = target.read_text(encoding="utf-8").replace("https://ai.hamburg/", "https://ai.de/")
    target.write_text(text, encoding="utf-8")
    git(repository, "add", TARGET)

    result = run_hook(repository, "translate-check", monkeypatch)

    assert result is not None and result.exit_code == 1
    assert f"{TARGET}:" in result.stdout and "[url-changed]" in result.stdout


def test_a_new_post_without_translation_fails_both_hooks(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = repository / "content/de/post/neu.md"
    new.write_text(NEW_POST, encoding="utf-8")
    git(repository, "add", "content/de/post/neu.md")

    status = run_hook(repository, "translate-status", monkeypatch)
    check = run_hook(repository, "translate-check", monkeypatch)

    assert status is not None and status.exit_code == 1
    assert "missing" in status.stdout and "content/de/post/neu.md" in status.stdout
    assert "ai-startup-hub" not in status.stdout  # only the changed posts
    assert check is not None and check.exit_code == 1 and "[missing-sibling]" in check.stdout


def test_a_change_outside_the_content_runs_no_hook(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repository / "README.md").write_text("# Another title\n", encoding="utf-8")
    (repository / "hugo.toml").write_text("# touched\n", encoding="utf-8")
    git(repository, "add", "README.md", "hugo.toml")
    assert run_hook(repository, "translate-check", monkeypatch) is None
    assert run_hook(repository, "translate-status", monkeypatch) is None


# --- the GitHub Action --------------------------------------------------------------------

_EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


def fill(text: str, context: dict[str, str]) -> str:
    """Replace each `${{ name }}` as the runner would; a name the test does not know fails."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in context, f"action.yml uses {name}: teach tests/test_hooks.py about it"
        return context[name]

    return _EXPRESSION.sub(value, text)


def run_action(
    repository: Path, tmp_path: Path, inputs: dict[str, str]
) -> tuple[dict[str, subprocess.CompletedProcess[str]], Path]:
    """Run the action's shell steps in order; return each step's result and the calls file.

    A failing step stops the rest unless its `if` runs it anyway (`!cancelled()`), as on a
    runner. `uses:` steps (setup-python, the cache, the upload) belong to GitHub.
    """
    declared = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    context = {f"inputs.{name}": value for name, value in {**declared, **inputs}.items()}
    temporary = tmp_path / "runner-temp"
    temporary.mkdir()
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    fake = bin_folder / "python"
    fake.write_text(FAKE_PYTHON, encoding="utf-8")
    fake.chmod(0o755)
    calls = tmp_path / "calls"
    output = tmp_path / "github-output"
    variables = environment(
        GITHUB_ACTION_PATH=str(ROOT),
        RUNNER_TEMP=str(temporary),
        GITHUB_OUTPUT=str(output),
        CALLS=str(calls),
    )
    variables["PATH"] = f"{bin_folder}{os.pathsep}{variables['PATH']}"
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    failed = False
    for step in ACTION["runs"]["steps"]:
        if "run" not in step:
            continue
        condition = str(step.get("if", "success()"))
        if failed and "cancelled()" not in condition and "always()" not in condition:
            continue
        script = tmp_path / "step.sh"
        script.write_text(fill(step["run"], context), encoding="utf-8")
        step_env = {name: fill(str(value), context) for name, value in step.get("env", {}).items()}
        folder = repository / fill(step.get("working-directory", "."), context)
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=folder,
            env={**variables, **step_env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        results[step.get("id") or step["name"]] = result
        failed = failed or result.returncode != 0
        if output.is_file() and step.get("id"):
            for line in output.read_text(encoding="utf-8").splitlines():
                name, _, value = line.partition("=")
                context[f"steps.{step['id']}.outputs.{name}"] = value
    return results, calls


def has_review_command() -> bool:
    from translate.cli import app

    return any(command.name == "review" for command in app.registered_commands)


def test_the_action_translates_a_new_post_checks_it_and_writes_the_review_page(
    repository: Path, tmp_path: Path
) -> None:
    base = git(repository, "rev-parse", "HEAD").strip()
    (repository / "content/de/post/neu.md").write_text(NEW_POST, encoding="utf-8")
    git(repository, "add", "--all")
    git(repository, "commit", "--quiet", "-m", "a new post")

    results, calls = run_action(
        repository, tmp_path, {"run-args": "--backend pseudo --skip-drafts", "since": base}
    )

    install = results["install"]
    assert install.returncode == 0, install.stderr
    assert calls.read_text(encoding="utf-8").splitlines() == [
        "pip install --quiet --index-url https://download.pytorch.org/whl/cpu torch",
        f"pip install --quiet {ROOT}[ctranslate2]",
    ]
    translated = results["Translate new posts"]
    assert translated.returncode == 0, translated.stderr
    assert "wrote    content/en/post/neu.md" in translated.stdout
    assert (repository / "content/en/post/neu.md").is_file()
    checked = results["Check the translations"]
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "::error" not in checked.stdout
    review = results["review"]
    if not has_review_command():
        assert "No such command 'review'" in review.stderr  # lands with the review helper
        return
    assert review.returncode == 0, review.stderr
    page = tmp_path / "runner-temp" / "review.html"
    assert page.is_file() and "neu.md" in page.read_text(encoding="utf-8")


def test_the_action_annotates_a_broken_translation_and_fails(
    repository: Path, tmp_path: Path
) -> None:
    target = repository / TARGET
    text = target.read_text(encoding="utf-8").replace("https://ai.hamburg/", "https://ai.de/")
    target.write_text(text, encoding="utf-8")

    results, _ = run_action(repository, tmp_path, {"run-args": "--backend pseudo"})

    checked = results["Check the translations"]
    assert checked.returncode == 1
    assert f"::error file={TARGET}," in checked.stdout
    assert "review" in results  # the review page is still written, for the reviewer to fix it


def test_the_action_declares_what_its_steps_use() -> None:
    steps = ACTION["runs"]["steps"]
    assert ACTION["runs"]["using"] == "composite"
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses == ["actions/setup-python", "actions/cache", "actions/upload-artifact"]
    for step in steps:
        assert "uses" in step or step.get("shell") == "bash"  # composite run steps need one
    assert ACTION["outputs"]["review-page"]["value"] == "${{ steps.review.outputs.page }}"
