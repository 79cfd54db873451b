"""The `translate` command in-process: what it writes, what it prints and how it exits."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED
from typer.testing import CliRunner

from translate.cli import app
from translate.hugo.settings import load_settings
from translate.translation.backends.simple import PseudoTranslator

SEED_TARGET = Path("content/en/post/ai-startup-hub/index.md")
# The repository's hand-translated English sample post: it lines up with the German one.
REVIEWED_SEED = (ROOT / SEED_TARGET).read_text(encoding="utf-8")
GOOD_POST = "---\ntitle: Hallo\n---\n\nEin kurzer Text.\n"
# A reviewed translation of GOOD_POST: it lines up with it, so it is adopted and kept.
KEPT = "---\ntitle: Hello, reviewed\n---\n\nA short text, reviewed by hand.\n"

# What tqdm draws: "Translating:  40%|████      | 4/10 [00:00<00:00, 9.1seg/s]".
_BAR = re.compile(r"Translating: +\d+%\|[^|]*\| *\d+/\d+ \[[^\]]*\]")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_URL = re.compile(r"https?://[^\s)\]>\"']+")


@dataclass(frozen=True)
class Ran:
    """What one command line run printed and how it exited."""

    exit_code: int
    stdout: str
    stderr: str


def invoke(*args: str) -> Ran:
    """Run the command line in-process; exceptions it does not handle fail the test."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return Ran(result.exit_code, result.stdout, result.stderr)


def run(site: Path, *args: str) -> Ran:
    """Run `translate run` on `site`."""
    return invoke("run", "--site", str(site), *args)


def messages(result: Ran) -> list[str]:
    """Return the lines stderr leaves on a terminal, progress bar drawings removed.

    A carriage return lets the next text overwrite the line, so only what follows the last
    one counts. The bar itself is checked by a test of its own.
    """
    lines: list[str] = []
    for line in result.stderr.split("\n"):
        shown = _BAR.sub("", _ANSI.sub("", line).rsplit("\r", 1)[-1])
        if shown.strip():
            lines.append(shown)
    return lines


def only_error(result: Ran) -> str:
    """Return the one error line on stderr, failing if there is anything else."""
    assert "Traceback" not in result.stderr
    lines = messages(result)
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ")
    return lines[0]


def write(path: Path, text: str) -> Path:
    """Write `text` to `path`, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def english_files(site: Path) -> list[Path]:
    """Return every file under content/en, relative to it, hidden ones included."""
    root = site / "content" / "en"
    return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())


def assert_nothing_written(site: Path) -> None:
    assert english_files(site) == []


def assert_no_temporary_files(site: Path) -> None:
    assert list((site / "content" / "en").rglob(".*.tmp")) == []


def front_matter_lines(text: str) -> list[str]:
    """Return the lines of a YAML front matter block, the --- lines included."""
    lines = text.split("\n")
    end = lines.index("---", 1)
    return lines[: end + 1]


# --- translating a site -------------------------------------------------------------------


def test_identity_backend_writes_the_post_unchanged(site: Path) -> None:
    result = run(site, "--backend", "identity")

    assert result.exit_code == 0
    assert (site / SEED_TARGET).read_bytes() == SEED.read_bytes()
    assert f"wrote    {SEED_TARGET}" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "1 written, 0 updated, 0 skipped, 0 failed."


def test_pseudo_backend_changes_only_the_translatable_text(site: Path) -> None:
    result = run(site, "--backend", "pseudo")

    assert result.exit_code == 0
    german = SEED.read_text(encoding="utf-8")
    english = (site / SEED_TARGET).read_text(encoding="utf-8")
    assert english != german
    translatable = re.compile(r"\s*(title|summary|caption):")
    german_lines, english_lines = front_matter_lines(german), front_matter_lines(english)
    assert len(english_lines) == len(german_lines)
    for before, after in zip(german_lines, english_lines, strict=True):
        if not translatable.match(before):
            assert after == before
    assert _URL.findall(english) == _URL.findall(german)
    for name in ("AI.STARTUP.HUB", "BMWi", "Hamburg Innovation GmbH"):
        assert english.count(name) == german.count(name), name


def test_existing_translation_is_skipped(site: Path) -> None:
    target = write(site / SEED_TARGET, REVIEWED_SEED)

    result = run(site, "--backend", "identity")

    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == REVIEWED_SEED
    assert any(line.startswith(f"skipped  {SEED_TARGET}") for line in result.stdout.splitlines())
    assert result.stdout.splitlines()[-1] == "0 written, 0 updated, 1 skipped, 0 failed."


def test_force_retranslates_but_the_memory_keeps_reviewed_blocks(site: Path) -> None:
    target = write(site / SEED_TARGET, REVIEWED_SEED)

    result = run(site, "--backend", "identity", "--force")

    assert result.exit_code == 0
    # Every block came back from the memory as it was: nothing changed, nothing to report.
    assert result.stdout.splitlines()[-1] == "0 written, 0 updated, 1 skipped, 0 failed."
    assert "re-translated" not in result.stdout
    assert target.read_text(encoding="utf-8") == REVIEWED_SEED


def test_force_overwrites_a_translation_nobody_reviewed(site: Path) -> None:
    run(site, "--backend", "pseudo")
    target = site / SEED_TARGET

    result = run(site, "--backend", "identity", "--force")

    assert result.exit_code == 0
    assert target.read_bytes() == SEED.read_bytes()


def test_a_post_translated_anew_whole_is_counted_and_its_marked_blocks_named(
    site: Path,
) -> None:
    run(site, "--backend", "pseudo")
    target = site / SEED_TARGET
    english = target.read_text(encoding="utf-8")
    title = next(line for line in english.splitlines() if line.startswith("title:"))
    target.write_text(english.replace(title, "title: 'A reviewed title'"), encoding="utf-8")
    source = site / "content/de/post/ai-startup-hub/index.md"
    german = source.read_text(encoding="utf-8")
    source.write_text(german.replace("MLE ist Partner", "MLE wird Partner"), encoding="utf-8")

    result = run(site, "--backend", "identity", "--force")

    [line] = [line for line in result.stdout.splitlines() if line.startswith("updated")]
    # Every block is named on a short post's line; a whole post is counted, and the block
    # whose reviewed text was replaced is still named.
    assert re.fullmatch(
        rf"updated  {SEED_TARGET}: re-translated \d+ blocks \(lines 2–\d+\); "
        r"line 2 \(title\): replaces reviewed text, needs review",
        line,
    ), line


def test_dry_run_writes_nothing_and_lists_what_it_would_write(site: Path) -> None:
    result = run(site, "--backend", "identity", "--dry-run")

    assert result.exit_code == 0
    assert f"would write {SEED_TARGET}" in result.stdout.splitlines()
    assert_nothing_written(site)


def test_post_arguments_limit_the_run_to_those_posts(site: Path) -> None:
    other = write(site / "content/de/post/other/index.md", GOOD_POST)

    result = run(site, "--backend", "identity", str(other))

    assert result.exit_code == 0
    assert english_files(site) == [Path("post/other/index.md")]


def test_post_argument_outside_the_source_folder_is_an_error(site: Path) -> None:
    outside = write(site / "notes.md", GOOD_POST)

    result = run(site, "--backend", "identity", str(outside))

    assert result.exit_code == 1
    assert "notes.md" in only_error(result)
    assert_nothing_written(site)


@pytest.mark.parametrize(
    "relative",
    [pytest.param("post/plain.md", id="plain-md"), pytest.param("post/_index.md", id="section")],
)
def test_single_file_posts_are_mirrored_to_the_same_path(site: Path, relative: str) -> None:
    write(site / "content/de" / relative, GOOD_POST)

    result = run(site, "--backend", "identity")

    assert result.exit_code == 0
    assert (site / "content/en" / relative).read_text(encoding="utf-8") == GOOD_POST
    assert f"wrote    content/en/{relative}" in result.stdout.splitlines()


def test_settings_file_sets_the_defaults(site: Path) -> None:
    write(site / "translate.toml", 'backend = "pseudo"\n')

    result = run(site)

    assert result.exit_code == 0
    assert (site / SEED_TARGET).read_bytes() != SEED.read_bytes()


def test_flag_wins_over_the_settings_file(site: Path) -> None:
    write(site / "translate.toml", 'backend = "pseudo"\n')

    result = run(site, "--backend", "identity")

    assert result.exit_code == 0
    assert (site / SEED_TARGET).read_bytes() == SEED.read_bytes()


def test_a_model_folder_in_the_settings_file_is_found_from_any_folder(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in the field: `model = "models/m"` was looked for below the current folder."""
    from translate.hugo.settings import load_settings

    (site / "models" / "m").mkdir(parents=True)
    write(
        site / "translate.toml",
        'model = "models/m"\n[models]\n"de-fr" = "models/m"\n"de-it" = "Helsinki-NLP/x"\n',
    )
    monkeypatch.chdir(site / "content" / "de")

    settings = load_settings(site)

    assert settings.model == str(site / "models" / "m")
    assert dict(settings.models) == {"de-fr": str(site / "models/m"), "de-it": "Helsinki-NLP/x"}


def test_unknown_setting_is_an_error_naming_the_settings_file(site: Path) -> None:
    write(site / "translate.toml", 'backend = "identity"\ncolour = "red"\n')

    result = run(site)

    assert result.exit_code == 1
    error = only_error(result)
    assert "translate.toml" in error
    assert "colour" in error
    assert_nothing_written(site)


def test_languages_are_not_fixed_to_german_and_english(tmp_path: Path) -> None:
    site = tmp_path / "site"  # no glossary/: the repository's has de and en columns only
    write(site / "content/fr/post/a.md", "---\ntitle: Bonjour\n---\n\nLe texte.\n")

    result = run(site, "--from", "fr", "--to", "es", "--backend", "identity")

    assert result.exit_code == 0
    assert (site / "content/es/post/a.md").read_bytes() == (
        site / "content/fr/post/a.md"
    ).read_bytes()


def test_unknown_backend_is_an_error_listing_the_backends(site: Path) -> None:
    result = run(site, "--backend", "nope")

    assert result.exit_code == 1
    error = only_error(result)
    assert "nope" in error
    for name in ("identity", "marian", "pseudo"):
        assert name in error
    assert_nothing_written(site)


def test_debug_shows_the_traceback(site: Path) -> None:
    result = invoke("--debug", "run", "--site", str(site), "--backend", "nope")

    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Error: ")


def test_python_m_translate_shows_help() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "translate", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert "run" in completed.stdout


# --- bad input ----------------------------------------------------------------------------


@pytest.fixture
def mixed_site(site: Path) -> Path:
    """Return the site plus a German post whose English sibling exists and must be kept."""
    write(site / "content/de/post/done.md", GOOD_POST)
    write(site / "content/en/post/done.md", KEPT)
    return site


def assert_failed_alone(result: Ran, site: Path, shown: str, line: int | None) -> None:
    """Check one failed post: one error line naming it, the rest of the run done."""
    assert result.exit_code == 1
    error = only_error(result)
    assert f"{shown}:{line}:" in error if line is not None else shown in error
    assert (site / SEED_TARGET).read_bytes() == SEED.read_bytes()
    assert (site / "content/en/post/done.md").read_text(encoding="utf-8") == KEPT
    assert_no_temporary_files(site)
    assert result.stdout.splitlines()[-1] == "1 written, 0 updated, 1 skipped, 1 failed."


@pytest.mark.parametrize(
    ("data", "line"),
    [
        pytest.param(b"---\ntitle: Hallo\nsummary: a: b\n---\nText.\n", 3, id="invalid-yaml"),
        pytest.param(b"+++\ntitle = Hallo\n+++\nText.\n", 2, id="invalid-toml"),
        pytest.param(b"---\ntitle: Hallo\n\nText.\n", 1, id="unterminated-front-matter"),
        pytest.param(b"\xff\xfe---\ntitle: x\n---\n", 1, id="not-utf-8"),
        pytest.param(b"- Punkt\n- Punkt\n", 1, id="invalid-yaml-delimiter"),
        pytest.param(b"---\ntitle: A\ntitle: B\n---\nText.\n", 3, id="duplicate-key"),
        pytest.param(b"Text\n\n{{< figure src=x\n", 3, id="unclosed-shortcode"),
    ],
)
def test_bad_post_fails_alone(mixed_site: Path, data: bytes, line: int) -> None:
    (mixed_site / "content/de/post/bad.md").write_bytes(data)

    result = run(mixed_site, "--backend", "identity")

    assert_failed_alone(result, mixed_site, "content/de/post/bad.md", line)
    assert not (mixed_site / "content/en/post/bad.md").exists()


@pytest.mark.parametrize(
    ("csv", "line"),
    [
        pytest.param('de,en\nBMWi,BMWi\n"AI.STARTUP.HUB,x\n', 3, id="malformed-row"),
        pytest.param("de,en\nBMWi,BMWi,BMWi\n", 2, id="too-many-cells"),
        pytest.param("# Namen\nde,Englisch\nBMWi,BMWi\n", 2, id="unknown-language-column"),
        pytest.param("de,fr\nBMWi,BMWi\n", 1, id="no-target-column"),
    ],
)
def test_glossary_error_stops_the_run_before_writing(mixed_site: Path, csv: str, line: int) -> None:
    write(mixed_site / "glossary/names.csv", csv)

    result = run(mixed_site, "--backend", "identity")

    assert result.exit_code == 1
    assert f"glossary/names.csv:{line}:" in only_error(result)
    assert english_files(mixed_site) == [Path("post/done.md")]
    assert (mixed_site / "content/en/post/done.md").read_text(encoding="utf-8") == KEPT


def test_missing_source_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()

    result = run(tmp_path, "--backend", "identity")

    assert result.exit_code == 1
    assert "content/de/" in only_error(result)


def test_target_folder_that_cannot_be_created_fails_that_post(mixed_site: Path) -> None:
    write(mixed_site / "content/de/post2/a.md", GOOD_POST)
    write(mixed_site / "content/en/post2", "a file where the folder should be\n")

    result = run(mixed_site, "--backend", "identity")

    assert_failed_alone(result, mixed_site, "content/en/post2/a.md", None)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_target_folder_fails_that_post(mixed_site: Path) -> None:
    write(mixed_site / "content/de/blog/a.md", GOOD_POST)
    folder = mixed_site / "content/en/blog"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run(mixed_site, "--backend", "identity")
    finally:
        folder.chmod(0o755)

    assert_failed_alone(result, mixed_site, "content/en/blog/a.md", None)


def test_english_post_that_is_a_folder_fails_alone(mixed_site: Path) -> None:
    write(mixed_site / "content/de/post2/a.md", GOOD_POST)
    (mixed_site / "content/en/post2/a.md").mkdir(parents=True)

    result = run(mixed_site, "--backend", "identity")

    assert_failed_alone(result, mixed_site, "content/en/post2/a.md", None)
    status = invoke("status", "--site", str(mixed_site), "--json")
    rows = {row["source"]: row for row in json.loads(status.stdout)}
    assert rows["content/de/post2/a.md"]["state"] == "error"
    assert "content/en/post2/a.md" in rows["content/de/post2/a.md"]["detail"]
    assert rows["content/de/post/done.md"]["state"] == "reviewed"


def test_record_that_is_a_folder_fails_alone(mixed_site: Path) -> None:
    write(mixed_site / "content/de/post2/a.md", GOOD_POST)
    folder = mixed_site / "translation-memory/de-en/records/post2/a.md.jsonl"
    folder.mkdir(parents=True)

    result = run(mixed_site, "--backend", "identity")

    assert_failed_alone(
        result, mixed_site, "translation-memory/de-en/records/post2/a.md.jsonl", None
    )
    assert not (mixed_site / "content/en/post2/a.md").exists()


def test_unreadable_english_post_fails_alone(
    mixed_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(mixed_site / "content/de/post2/a.md", GOOD_POST)
    unreadable = write(mixed_site / "content/en/post2/a.md", KEPT)
    open_file = os.open

    # Tests may run as root, whom file modes do not stop: refuse the opening itself.
    def refuse(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if Path(path).resolve() == unreadable.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return open_file(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)

    result = run(mixed_site, "--backend", "identity")

    assert_failed_alone(result, mixed_site, "content/en/post2/a.md", None)
    assert "Permission denied" in result.stderr


def test_link_to_a_post_outside_the_site_is_skipped_with_a_warning(
    mixed_site: Path, tmp_path: Path
) -> None:
    outside = write(tmp_path / "elsewhere" / "secret.md", "---\ntitle: Geheim\n---\n\nGeheim.\n")
    link = mixed_site / "content/de/post/secret.md"
    link.symlink_to(outside)

    result = run(mixed_site, "--backend", "identity")

    assert result.exit_code == 0
    warnings = [line for line in messages(result) if line.startswith("Warning: ")]
    assert len(warnings) == 1
    assert "content/de/post/secret.md" in warnings[0] and "skipped" in warnings[0]
    assert result.stdout.splitlines()[-1] == "1 written, 0 updated, 1 skipped, 0 failed."
    assert not (mixed_site / "content/en/post/secret.md").exists()
    assert "Geheim" not in "".join(
        path.read_text("utf-8") for path in (mixed_site / "translation-memory").rglob("*.jsonl")
    )
    status = invoke("status", "--site", str(mixed_site))
    assert "content/de/post/secret.md" in status.stderr
    assert "secret.md" not in status.stdout


def test_link_to_a_post_inside_the_source_folder_is_a_post(mixed_site: Path) -> None:
    (mixed_site / "content/de/post/alias.md").symlink_to("done.md")

    result = run(mixed_site, "--backend", "identity")

    assert result.exit_code == 0
    # Translated as a post of its own: from the memory, which learned done.md's English.
    assert (mixed_site / "content/en/post/alias.md").read_text("utf-8") == KEPT


def _break_on_bad_post(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    """Make one step of the run raise an unexpected exception for bad.md only.

    `step` is a name in the run's module, or `module:name` elsewhere.
    """
    import importlib

    from translate.commands import run as run_module

    if ":" in step:
        module_name, _, step = step.partition(":")
        run_module = importlib.import_module(module_name)
    real = getattr(run_module, step)

    def broken(*args: Any, **kwargs: Any) -> Any:
        if any("post/bad.md" in repr(arg) for arg in (*args, *kwargs.values())):
            raise KeyError("the-bug")
        return real(*args, **kwargs)

    monkeypatch.setattr(run_module, step, broken)


@pytest.mark.parametrize(
    "step",
    [
        "track",
        "translate.commands.posts:prepare_post",
        "translate_posts",
        "render_verified",
        "translate.records.journal:write_atomic",
    ],
)
def test_a_bug_in_one_post_fails_only_that_post(
    mixed_site: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    write(mixed_site / "content/de/post/bad.md", "---\ntitle: Fehler\n---\n\nKaputt.\n")
    _break_on_bad_post(monkeypatch, step)

    result = run(mixed_site, "--backend", "identity")

    assert_failed_alone(result, mixed_site, "content/de/post/bad.md", None)
    assert only_error(result).endswith(
        "internal error: KeyError: 'the-bug' — please report it "
        "(run with --debug for the traceback)"
    )
    assert not (mixed_site / "content/en/post/bad.md").exists()


def test_debug_shows_the_traceback_of_a_bug_in_one_post(
    mixed_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(mixed_site / "content/de/post/bad.md", "---\ntitle: Fehler\n---\n\nKaputt.\n")
    _break_on_bad_post(monkeypatch, "translate.commands.posts:prepare_post")

    result = invoke("--debug", "run", "--site", str(mixed_site), "--backend", "identity")

    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "KeyError: 'the-bug'" in result.stderr
    assert result.stdout.splitlines()[-1] == "1 written, 0 updated, 1 skipped, 1 failed."


def test_a_bug_in_one_post_is_its_status_row(
    mixed_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate.commands import status as status_module

    write(mixed_site / "content/de/post/bad.md", GOOD_POST)
    real = status_module.track

    def broken(*args: Any, **kwargs: Any) -> Any:
        if args[1].name == "bad.md":
            raise RuntimeError("the-bug")
        return real(*args, **kwargs)

    monkeypatch.setattr(status_module, "track", broken)

    result = invoke("status", "--site", str(mixed_site), "--json")
    debug = invoke("--debug", "status", "--site", str(mixed_site))

    rows = {row["source"]: row for row in json.loads(result.stdout)}
    assert rows["content/de/post/bad.md"]["state"] == "error"
    assert "internal error: RuntimeError: the-bug" in rows["content/de/post/bad.md"]["detail"]
    assert rows["content/de/post/done.md"]["state"] == "reviewed"
    assert "Traceback" not in result.stderr
    assert "Traceback" in debug.stderr


def test_a_bug_in_one_post_does_not_stop_learn(
    mixed_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate.records import tracking

    write(mixed_site / "content/de/post/bad.md", GOOD_POST)
    write(mixed_site / "content/en/post/bad.md", KEPT)
    real = tracking.track

    def broken(*args: Any, **kwargs: Any) -> Any:
        if args[1].name == "bad.md":
            raise RuntimeError("the-bug")
        return real(*args, **kwargs)

    monkeypatch.setattr(tracking, "track", broken)

    result = invoke("learn", "--site", str(mixed_site))

    assert result.exit_code == 1
    assert "content/de/post/bad.md: internal error: RuntimeError: the-bug" in only_error(result)
    assert "Translations read: 1; reviewed blocks in the memory: 2. Failed: 1." in result.stdout
    assert (mixed_site / "translation-memory/de-en/records/post/done.md.jsonl").is_file()


def test_missing_model_folder_is_an_error_naming_it(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A path must never be looked up on the hub; offline mode makes a regression fail fast.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))

    result = run(site, "--backend", "marian", "--model", "/nonexistent/folder")

    assert result.exit_code == 1
    error = only_error(result)
    assert "/nonexistent/folder" in error
    assert "not found" in error
    assert_nothing_written(site)


def test_uncached_model_offline_is_an_error_naming_the_model(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))

    result = run(site, "--backend", "marian", "--model", "Helsinki-NLP/opus-mt-xx-yy")

    assert result.exit_code == 1
    error = only_error(result)
    assert "Helsinki-NLP/opus-mt-xx-yy" in error
    assert "HF_HUB_OFFLINE" in error  # says what to change
    assert_nothing_written(site)


def test_with_several_targets_a_model_error_suggests_models_not_the_refused_flag(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    config = 'defaultContentLanguage = "de"\n'
    for code in ("de", "en", "fr"):
        config += f'[languages.{code}]\ncontentDir = "content/{code}"\n'
    write(site / "hugo.toml", config)
    for glossary in (site / "glossary").iterdir():
        glossary.unlink()  # they have no French column

    result = run(site)

    assert result.exit_code == 1
    errors = [line for line in messages(result) if line.startswith("Error: ")]
    assert len(errors) == 2 and all("--model" not in error for error in errors), errors
    assert 'name a local copy in translate.toml: [models] "de-en" = "' in errors[0]
    assert '[models] "de-fr" = "/path/to/a/local/copy"' in errors[1]
    # The flag is then refused, and says so: the two messages agree.
    refused = run(site, "--model", "/models/opus-mt-de-en")
    assert "[models]" in only_error(refused)


def test_a_model_error_of_one_target_suggests_the_flag(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    assert "pass --model /path/to/a/local/copy" in only_error(run(site))
    write(site / "translate.toml", '[models]\n"de-en" = "./no-such-model"\n')
    error = only_error(run(site))
    assert 'check the path of "de-en" under [models] in translate.toml' in error


def test_the_source_languages_default_is_told_as_the_docs_tell_it() -> None:
    help_text = " ".join(invoke("run", "--help").stdout.split())
    assert "Source language (default: translate.toml's source, else the site's" in help_text
    assert "defaultContentLanguage, else de)" in help_text


# --- output ---------------------------------------------------------------------------------


def test_error_line_is_not_glued_to_the_progress_bar(mixed_site: Path) -> None:
    write(mixed_site / "content/de/post2/a.md", GOOD_POST)
    write(mixed_site / "content/en/post2", "a file where the folder should be\n")

    result = run(mixed_site, "--backend", "identity")

    shown = [_ANSI.sub("", line).rsplit("\r", 1)[-1] for line in result.stderr.split("\n")]
    errors = [line for line in shown if "Error: " in line]
    assert errors
    assert all(line.startswith("Error: ") for line in errors), errors


# --- translate check --------------------------------------------------------------------------


def test_a_folder_stands_for_its_posts_in_status_check_and_review(
    site: Path, tmp_path: Path
) -> None:
    """Found in the field: `run` took a folder, `status`, `check` and `review` said "no such
    file"."""
    write(site / SEED_TARGET, REVIEWED_SEED)
    write(site / "content/en/post/notes.txt.md", "---\ntitle: Notes\n---\n\nNo source.\n")

    status = invoke("status", "--site", str(site), "content/en/post")
    check = invoke("check", "--site", str(site), "content/de")
    page = tmp_path / "page.html"
    review = invoke("review", "--site", str(site), "-o", str(page), "content/en")

    assert status.exit_code == 0, status.stderr
    assert "content/de/post/ai-startup-hub/index.md" in status.stdout
    assert check.exit_code == 0 and "No problems found." in check.stdout, check.stdout
    assert review.exit_code == 0, review.stderr
    assert "content/de/post/ai-startup-hub/index.md" in page.read_text(encoding="utf-8")


def test_check_passes_the_reviewed_sample_post(site: Path) -> None:
    write(site / SEED_TARGET, REVIEWED_SEED)

    result = invoke("check", "--site", str(site))

    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1] == "No problems found."


def test_check_fails_a_dropped_link_with_a_github_annotation(site: Path) -> None:
    write(site / SEED_TARGET, REVIEWED_SEED.replace("(https://ai.hamburg/)", ""))

    result = invoke("check", "--site", str(site), "--format", "github")

    assert result.exit_code == 1
    assert f"::error file={SEED_TARGET}" in result.stdout


def test_check_reports_a_missing_translation_as_json(site: Path) -> None:
    result = invoke("check", "--site", str(site), "--format", "json")

    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings] == ["missing-sibling"]


def test_check_rejects_an_unknown_format(site: Path) -> None:
    result = invoke("check", "--site", str(site), "--format", "xml")

    assert result.exit_code == 1
    assert "unknown format 'xml'" in result.stderr


def test_ctranslate2_is_the_default_engine_and_says_when_it_converts_the_model(
    site: Path, tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("ctranslate2")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    converted = tmp_path / "cache" / "hugo-translate" / "ctranslate2"

    result = run(site, "--model", str(tiny_model_dir), "--device", "cpu", "--beams", "1")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "1 written, 0 updated, 0 skipped, 0 failed."
    said = [line for line in messages(result) if "onvert" in line]
    assert len(said) == 2 and said[0].startswith(f"Converting {tiny_model_dir} for CTranslate2")
    assert str(converted) in said[0] and said[1].startswith("Converted in ")
    record = next((site / "translation-memory").rglob("*.jsonl")).read_text(encoding="utf-8")
    assert "backend:ctranslate2|" in record

    (site / SEED_TARGET).unlink()
    again = run(site, "--model", str(tiny_model_dir), "--device", "cpu", "--force")
    assert again.exit_code == 0, again.stderr
    assert not [line for line in messages(again) if "onvert" in line]  # converted once


def test_without_ctranslate2_the_default_engine_is_transformers(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("ctranslate2")
    import importlib.util

    found = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "ctranslate2" else found(name, *args),
    )
    assert load_settings(site).backend == "marian"
    monkeypatch.undo()
    assert load_settings(site).backend == "ctranslate2"
    write(site / "translate.toml", 'backend = "marian"\n')
    assert load_settings(site).backend == "marian"


def test_translatable_keys_must_be_strings(site: Path) -> None:
    write(site / "translate.toml", "translatable_keys = [1]\n")

    result = run(site, "--backend", "identity")

    assert result.exit_code == 1
    assert "translate.toml: translatable_keys must be a list of strings" in only_error(result)


# --- everyday use: output as it goes, wording, help ------------------------------------------


def test_each_post_is_reported_as_soon_as_it_is_written(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import translate.commands.run as run_module

    write(site / "content/de/post/zwei.md", GOOD_POST)
    monkeypatch.setattr(run_module, "SEGMENTS_PER_GROUP", 1)
    events: list[str] = []

    class Listener:
        def pair(self, report: object) -> None:
            events.append("pair")

        def post(self, result: run_module.PostResult) -> None:
            events.append(f"post {result.outcome.value}")

    class Recording:
        def translate(self, texts: list[str]) -> list[str]:
            events.append("translate")
            return list(texts)

    from translate.hugo.site import open_project

    project = open_project(site, load_settings(site, {"backend": "identity"}))
    run_module.run_project(project, lambda settings: Recording(), listener=Listener())
    # Group by group: the first post is reported before the second is translated.
    assert events[0] == "pair"
    first_post = events.index("post written")
    assert "translate" in events[first_post + 1 :]


def test_progress_goes_to_a_log_as_lines_when_stderr_is_no_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from translate.cli.running import _RunPrinter

    printer = _RunPrinter(Path("."), dry_run=False)
    printer._LOG_INTERVAL = 0.0
    tick = printer.progress(10)
    tick(4)
    printer.close()
    assert "Translating: 4/10 steps (40 %)" in capsys.readouterr().err


def test_a_dry_run_counts_new_and_updated_posts_apart(site: Path) -> None:
    write(site / "content/en/post/ai-startup-hub/index.md", "---\ntitle: Old\n---\nOld.\n")
    write(site / "content/de/post/neu.md", GOOD_POST)
    result = invoke("run", "--site", str(site), "--backend", "pseudo", "--dry-run", "--force")
    assert "would write content/en/post/neu.md" in result.stdout
    # Nothing is written in a dry run: no "0 written, 0 updated" beside what would be.
    assert result.stdout.splitlines()[-1] == (
        "1 would be written, 0 would be updated (dry run), 1 skipped, 0 failed."
    )


def test_help_shows_no_type_labels() -> None:
    for command in (["run"], ["check"], ["status"], ["learn"], ["memory", "export"]):
        result = invoke(*command, "--help")
        assert result.exit_code == 0, command
        assert "<" not in result.stdout and "{" not in result.stdout, command
    assert "run [OPTIONS] [POST]...\n" in invoke("run", "--help").stdout
    usage = invoke("memory", "import", "--help").stdout.splitlines()[0]
    assert usage.endswith(" memory import [OPTIONS] FILE")


def test_a_pseudo_run_records_no_model(site: Path) -> None:
    invoke("run", "--site", str(site), "--backend", "pseudo")
    record = next((site / "translation-memory").rglob("*.jsonl")).read_text(encoding="utf-8")
    assert "opus-mt" not in record.splitlines()[0]


def test_check_names_a_source_post_that_does_not_parse(site: Path) -> None:
    write(site / "content/de/post/kaputt.md", "---\ntitle: Hallo\nsummary: a: b\n---\nText.\n")
    result = invoke("check", "--site", str(site), "content/de/post/kaputt.md")
    assert "content/de/post/kaputt.md:3:" in result.stdout
    assert "[unparseable]" in result.stdout and "missing-sibling" not in result.stdout


def test_a_folder_as_post_means_its_bundle_or_every_post_below(site: Path) -> None:
    write(site / "content/de/post/kurz.md", GOOD_POST)
    bundle = invoke(
        "run",
        "--site",
        str(site),
        "--backend",
        "pseudo",
        "--dry-run",
        str(site / "content/de/post/ai-startup-hub"),
    )
    assert bundle.stdout.splitlines()[:1] == ["would write content/en/post/ai-startup-hub/index.md"]
    below = invoke(
        "run",
        "--site",
        str(site),
        "--backend",
        "pseudo",
        "--dry-run",
        str(site / "content/de/post"),
    )
    assert "would write content/en/post/kurz.md" in below.stdout
    assert "would write content/en/post/ai-startup-hub/index.md" in below.stdout


def test_a_relative_site_is_the_same_site_for_every_command(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--site mysite` from the folder above: found posts, found problems, a failing gate."""
    monkeypatch.chdir(site.parent)
    relative = site.name
    assert "1 written" in invoke("run", "--site", relative, "--backend", "pseudo").stdout
    english = site / SEED_TARGET
    # A dropped link: every gate must see it through the relative path too.
    english.write_text(english.read_text(encoding="utf-8").replace("](", "(", 1), encoding="utf-8")
    assert invoke("check", "--site", relative).exit_code == 1
    (site / "content" / "de" / "neu.md").write_text(GOOD_POST, encoding="utf-8")
    status = invoke("status", "--site", relative, "--strict")
    assert status.exit_code == 1
    assert "missing" in status.stdout
    # The reviewer's edit (the dropped link) is learned: learn found the post as well.
    assert "reviewed blocks in the memory: 1" in invoke("learn", "--site", relative).stdout
    nested = site / "content"
    monkeypatch.chdir(nested)
    assert "1 written" in invoke("run", "--site", "..", "--backend", "pseudo").stdout


def test_a_post_named_from_a_subfolder_is_recorded_by_its_path_in_the_site(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(site / "content/de/post/neu.md", GOOD_POST)
    monkeypatch.chdir(site / "content")

    ran = invoke("run", "--site", "..", "--backend", "pseudo", "de/post/neu.md")

    assert ran.stdout.splitlines()[0] == "wrote    content/en/post/neu.md"
    # Records are committed: they must name posts as the site does, whoever ran the tool where.
    record = site / "translation-memory/de-en/records/post/neu.md.jsonl"
    header = json.loads(record.read_text(encoding="utf-8").splitlines()[0])
    assert (header["source"], header["target"]) == (
        "content/de/post/neu.md",
        "content/en/post/neu.md",
    )


# --- work is never lost to Ctrl-C; progress is counted up front --------------------------


def _posts(site: Path, count: int) -> None:
    for n in range(count):
        write(site / f"content/de/post/p{n}.md", f"---\ntitle: Titel {n}\n---\n\nSatz {n}.\n")


def test_an_interrupted_run_keeps_what_it_wrote_and_a_rerun_continues(site: Path) -> None:
    import translate.commands.run as run_module
    from translate.hugo.site import open_project

    _posts(site, 4)
    stop = threading.Event()
    written: list[str] = []

    class Listener:
        def pair(self, report: object) -> None:
            pass

        def post(self, result: run_module.PostResult) -> None:
            if result.outcome is run_module.Outcome.WRITTEN:
                written.append(result.source.name)
                stop.set()  # Ctrl-C while the first post is being written

    project = open_project(site, load_settings(site, {"backend": "pseudo"}))
    report = run_module.run_project(
        project, lambda settings: PseudoTranslator(), listener=Listener(), stop=stop
    )

    assert report.interrupted and len(written) == 1
    assert len(list((site / "content/en").rglob("*.md"))) == 1
    records = site / "translation-memory/de-en/records"
    assert len(list(records.rglob("*.jsonl"))) == 1
    again = run(site, "--backend", "pseudo")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1] == "4 written, 0 updated, 1 skipped, 0 failed."


def test_sigint_stops_the_run_after_a_post_says_so_and_exits_130(tmp_path: Path) -> None:
    """A real process, a real SIGINT: the posts written stay, the message says how many."""
    site = tmp_path / "site"
    _posts(site, 40)
    (site / "content" / "en").mkdir(parents=True)
    slow = (
        "import sys, time\n"
        "from translate.translation.backends.simple import PseudoTranslator\n"
        "class Slow(PseudoTranslator):\n"
        "    def translate(self, texts):\n"
        "        time.sleep(0.01)\n"
        "        return super().translate(texts)\n"
        "import translate.cli.running as cli\n"
        "cli._make_translator = lambda pair, **kwargs: Slow()\n"
        "sys.argv = ['translate', 'run', '--site', sys.argv[1], '--batch-size', '1']\n"
        "import translate.cli\ntranslate.cli.main()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", slow, str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # the first post written
    assert first.startswith("wrote"), first
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)

    assert process.returncode == 130, err
    done = len(list((site / "content/en").rglob("*.md")))
    assert 1 <= done < 40
    assert f"Interrupted: {done} post{'s' * (done != 1)} written." in err
    assert "Run the same command again to continue" in err
    assert "Traceback" not in err
    assert not list(site.rglob("*.tmp")) and not list(site.rglob("*.pending"))


def test_the_progress_never_passes_its_total_when_segments_are_translated_again(
    site: Path,
) -> None:
    """Found in the field: `Translating: 426/329 steps (129 %)` with a model that drops
    markers: the pieces translated again were counted as steps of their own."""
    import translate.commands.run as run_module
    from translate.hugo.site import open_project

    write(site / "content/de/post/a.md", "---\ntitle: A\n---\n\nSiehe `code` und [hier](/x/).\n")
    totals: list[int] = []
    ticks: list[int] = []

    class DroppingMarkers(PseudoTranslator):
        def translate(self, texts: Sequence[str]) -> list[str]:
            return [re.sub(r"</?[xg]\d+/?>", "", text) for text in super().translate(texts)]

    def progress(total: int) -> Callable[[int], None]:
        totals.append(total)
        return ticks.append

    project = open_project(site, load_settings(site, {"backend": "pseudo"}))
    report = run_module.run_project(project, lambda settings: DroppingMarkers(), progress=progress)

    assert report.ok
    assert sum(ticks) == totals[0]


def test_the_progress_total_is_known_before_the_first_step(site: Path) -> None:
    import translate.commands.run as run_module
    from translate.hugo.site import open_project

    _posts(site, 3)
    totals: list[int] = []
    ticks: list[int] = []

    def progress(total: int) -> Callable[[int], None]:
        totals.append(total)
        return ticks.append

    project = open_project(site, load_settings(site, {"backend": "pseudo"}))
    run_module.run_project(project, lambda settings: PseudoTranslator(), progress=progress)

    assert len(totals) == 1  # one total for the pair, given once
    assert sum(ticks) == totals[0]  # and reached exactly with the last post
