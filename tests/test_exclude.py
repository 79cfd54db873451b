"""Posts a site leaves untranslated: `exclude` globs and drafts, for every command alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_cli import invoke, messages, write

from translate.hugo.exclude import glob_expression

POST = "---\ntitle: {title}\n{extra}---\n\nEin kurzer Text.\n"
THREE_LANGUAGES = 'defaultContentLanguage = "de"\n' + "".join(
    f'[languages.{code}]\ncontentDir = "content/{code}"\n' for code in ("de", "en", "fr")
)


def post(title: str, extra: str = "") -> str:
    return POST.format(title=title, extra=extra)


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        ("drafts/**", ["drafts/a.md", "drafts/x/y/index.md"], ["drafts.md", "post/drafts/a.md"]),
        ("legal/*.md", ["legal/impressum.md"], ["legal/x/impressum.md", "legal/a.markdown"]),
        ("**/_index.md", ["_index.md", "post/_index.md", "a/b/_index.md"], ["post/index.md"]),
        ("post/202[0-3]-*/**", ["post/2021-x/index.md"], ["post/2024-x/index.md"]),
        ("post/[!a]*.md", ["post/b.md"], ["post/a.md"]),
        ("notiz?.md", ["notiz1.md"], ["notiz12.md", "x/notiz1.md"]),
        ("/about.md", ["about.md"], ["x/about.md"]),
        ("a+b (1).md", ["a+b (1).md"], ["aab (1).md"]),
    ],
)
def test_globs_match_whole_paths_folder_by_folder(
    pattern: str, matches: list[str], misses: list[str]
) -> None:
    expression = re.compile(glob_expression(pattern))
    assert [path for path in matches if not expression.fullmatch(path)] == []
    assert [path for path in misses if expression.fullmatch(path)] == []


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    """Return a site with posts to translate, drafts and legal pages among them."""
    root = tmp_path / "blog"
    for name in ("post/a.md", "drafts/idee.md", "drafts/x/index.md", "legal/impressum.md"):
        write(root / "content/de" / name, post(name))
    write(root / "content/de/legal/team/index.md", post("Team"))
    (root / "content/en").mkdir(parents=True)
    return root


def english(site: Path, language: str = "en") -> list[str]:
    folder = site / "content" / language
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.md"))


def test_excluded_posts_are_neither_translated_nor_reported_missing(blog: Path) -> None:
    write(blog / "translate.toml", 'exclude = ["drafts/**", "legal/*.md"]\n')

    result = invoke("run", "--site", str(blog), "--backend", "pseudo")

    assert result.exit_code == 0, result.stderr
    assert english(blog) == ["legal/team/index.md", "post/a.md"]
    status = invoke("status", "--site", str(blog), "--strict")
    assert status.exit_code == 0, status.stdout
    assert "drafts" not in status.stdout and "impressum" not in status.stdout
    check = invoke("check", "--site", str(blog))
    assert "missing-sibling" not in check.stdout


def test_an_excluded_post_named_on_the_command_line_is_translated(blog: Path) -> None:
    write(blog / "translate.toml", 'exclude = ["drafts/**"]\n')
    named = blog / "content/de/drafts/idee.md"
    folder = blog / "content/de/drafts"

    assert invoke("run", str(named), "--site", str(blog), "--backend", "pseudo").exit_code == 0
    assert english(blog) == ["drafts/idee.md"]
    # A folder stands for the posts below it that are not excluded: here none.
    result = invoke("run", str(folder), "--site", str(blog), "--backend", "pseudo")
    assert result.exit_code == 1 and "no de posts in this folder" in result.stderr


def test_globs_are_relative_to_the_shared_content_folder_of_the_file_layout(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    write(site / "hugo.toml", "defaultContentLanguage = 'de'\n[languages.de]\n[languages.en]\n")
    write(site / "content/post/a.de.md", post("A"))
    write(site / "content/legal/impressum.md", post("Impressum"))  # the default language's
    write(site / "translate.toml", 'exclude = ["legal/**"]\n')

    assert invoke("run", "--site", str(site), "--backend", "pseudo").exit_code == 0

    assert (site / "content/post/a.en.md").is_file()
    assert not (site / "content/legal/impressum.en.md").exists()


@pytest.mark.parametrize(
    "front_matter",
    ["draft: true\n", "Draft: 'true'\n", "draft: TRUE\n"],
)
def test_drafts_are_left_out_when_asked(blog: Path, front_matter: str) -> None:
    write(blog / "content/de/post/entwurf.md", post("Entwurf", front_matter))
    write(blog / "content/de/post/fertig.md", post("Fertig", "draft: false\n"))
    write(blog / "content/de/post/toml.md", "+++\ntitle = 'T'\ndraft = true\n+++\n\nText.\n")

    result = invoke("run", "--site", str(blog), "--backend", "pseudo", "--skip-drafts")

    assert result.exit_code == 0, result.stderr
    assert "post/entwurf.md" not in english(blog) and "post/toml.md" not in english(blog)
    assert "post/fertig.md" in english(blog)


def test_the_setting_skips_drafts_and_the_flag_can_include_them(blog: Path) -> None:
    write(blog / "content/de/post/entwurf.md", post("Entwurf", "draft: true\n"))
    write(blog / "translate.toml", "skip_drafts = true\n")

    invoke("run", "--site", str(blog), "--backend", "pseudo")
    assert "post/entwurf.md" not in english(blog)
    missing = invoke("status", "--site", str(blog), "--include-drafts")
    assert "missing" in missing.stdout and "entwurf" in missing.stdout

    invoke("run", "--site", str(blog), "--backend", "pseudo", "--include-drafts")
    assert "post/entwurf.md" in english(blog)


def test_a_setting_of_the_wrong_type_is_an_error_naming_it(blog: Path) -> None:
    write(blog / "translate.toml", 'skip_drafts = "yes"\n')
    result = invoke("run", "--site", str(blog), "--backend", "pseudo")
    assert result.exit_code == 1
    assert "skip_drafts must be a boolean (true or false), not str" in result.stderr


def test_an_unparseable_post_is_reported_once_for_all_target_languages(blog: Path) -> None:
    write(blog / "hugo.toml", THREE_LANGUAGES)
    write(blog / "content/de/post/kaputt.md", "---\ntitle: [unclosed\n---\n\nText.\n")

    result = invoke("run", "--site", str(blog), "--backend", "pseudo")

    errors = [line for line in messages(result) if "kaputt.md" in line]
    assert len(errors) == 1, errors
    assert result.exit_code == 1
    assert "post/a.md" in english(blog, "fr")  # the other posts are done, in each language
    check = invoke("check", "--site", str(blog))
    assert len([line for line in check.stdout.splitlines() if "kaputt.md" in line]) == 1
