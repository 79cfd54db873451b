"""Files from outside as commands meet them: devices, FIFOs, odd names and odd values.

Each gives a one-line error naming the file, the other posts are still done, and no
command blocks, reads without end, or reports an internal error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate.cli import app
from translate.files import max_file_size, set_max_file_size

POST = "---\ntitle: Titel\n---\n\nEin Absatz.\n"
COMMANDS = [["run", "--backend", "pseudo"], ["status"], ["learn"], ["check"]]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site with two German posts, `a` and `b`, and an English folder."""
    root = tmp_path / "site"
    (root / "content" / "de" / "post").mkdir(parents=True)
    (root / "content" / "en" / "post").mkdir(parents=True)
    for name in ("a", "b"):
        (root / "content" / "de" / "post" / f"{name}.md").write_text(POST, encoding="utf-8")
    return root


def invoke(site: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--site", str(site)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def assert_no_internal_error(output: str) -> None:
    assert "internal error" not in output and "Traceback" not in output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_a_target_post_that_is_a_fifo_blocks_no_command(site: Path, command: list[str]) -> None:
    fifo = site / "content" / "en" / "post" / "a.md"
    os.mkfifo(fifo)

    code, out, err = invoke(site, *command)

    assert code == (0 if command[0] == "status" else 1)  # status reports, without --strict
    assert_no_internal_error(out + err)
    if command[0] != "check":  # check names it a missing translation: not a post to check
        assert "not a regular file but a FIFO" in out + err
    if command[0] == "run":
        assert (site / "content" / "en" / "post" / "b.md").is_file()
    assert fifo.exists() and not fifo.is_file()


@pytest.mark.parametrize("command", COMMANDS[:3], ids=lambda command: command[0])
def test_a_target_post_linked_to_dev_zero_is_never_read(site: Path, command: list[str]) -> None:
    (site / "content" / "en" / "post" / "a.md").symlink_to("/dev/zero")

    code, out, err = invoke(site, *command)

    assert "a.md: not a regular file but a character device; not read" in out + err
    assert_no_internal_error(out + err)
    assert code == (0 if command[0] == "status" else 1)


@pytest.fixture
def restored_limit() -> Iterator[None]:
    """Put the size limit back after a test whose settings change it for the process."""
    before = max_file_size()
    yield
    set_max_file_size(before)


def test_a_post_over_the_size_limit_is_refused_with_the_setting_named(
    site: Path, restored_limit: None
) -> None:
    (site / "translate.toml").write_text("max_file_size = 1_000\n", encoding="utf-8")
    (site / "content" / "de" / "post" / "b.md").write_text(POST + "Text. " * 200, "utf-8")

    code, _, err = invoke(site, "run", "--backend", "pseudo")

    assert code == 1
    assert "content/de/post/b.md: the file is 1,234 bytes, more than the limit of 1,000" in err
    assert "max_file_size" in err
    assert (site / "content" / "en" / "post" / "a.md").is_file()


def test_a_file_name_that_is_not_utf8_is_a_clear_per_post_error(site: Path) -> None:
    bad = Path(os.fsdecode(bytes(site / "content" / "de" / "post") + b"/bad\xff.md"))
    bad.write_text(POST, encoding="utf-8")

    for command in COMMANDS:
        code, out, err = invoke(site, *command)
        assert code == (0 if command[0] == "status" else 1)
        assert_no_internal_error(out + err)
        assert "bad\\xff.md" in out + err and "not valid UTF-8" in out + err
    assert (site / "content" / "en" / "post" / "a.md").is_file()


def test_a_lone_surrogate_in_front_matter_is_a_clear_per_post_error(site: Path) -> None:
    post = site / "content" / "de" / "post" / "b.md"
    post.write_text('---\ntitle: "\\ud800"\n---\n\nText.\n', encoding="utf-8")

    code, _, err = invoke(site, "run", "--backend", "pseudo")

    assert code == 1
    assert "content/de/post/b.md:2: a value holds U+D800" in err
    assert_no_internal_error(err)
    assert (site / "content" / "en" / "post" / "a.md").is_file()


@pytest.mark.parametrize("command", COMMANDS[1:], ids=lambda command: command[0])
def test_a_hugo_yaml_alias_bomb_stops_no_command(site: Path, command: list[str]) -> None:
    lines = ["languages:", "  de: {weight: 1}", "  en: {weight: 2}", "a: &a [x, x, x, x, x]"]
    for name, previous in zip("bcdefghijk", "abcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 5) + "]")
    (site / "hugo.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, out, err = invoke(site, *command)

    assert code == 1
    assert "hugo.yaml:" in err and "aliases here expand to more than 10,000 values" in err
    assert_no_internal_error(out + err)
