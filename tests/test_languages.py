"""Language codes: matched without case as Hugo does, and never a way out of the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_multilingual import invoke, translate

from translate.errors import ConfigError, SiteError
from translate.hugo.config import load_hugo_config
from translate.hugo.languages import language_code

GERMAN = "---\ntitle: Notiz\n---\n\nEin kurzer Text über die Dinge.\n"
ENGLISH = "---\ntitle: Note\n---\n\nA short text about things.\n"
CHINESE = "---\ntitle: 笔记\n---\n\n关于事物的简短文字。\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


# --- codes --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["de", "zh-Hans", "pt_BR", "x-klingon", "é"])
def test_a_language_code_is_letters_digits_hyphens_and_underscores(code: str) -> None:
    assert language_code(code) == code.lower()


@pytest.mark.parametrize("code", ["", "../x", "a/b", "a\\b", ".", "..", "a.b", "a b", "-x", "\x00"])
def test_anything_else_is_refused(code: str) -> None:
    with pytest.raises(ConfigError, match="is not a language code"):
        language_code(code)


@pytest.mark.parametrize("key", ['"../../x"', '"a/b"', '"a.b"'])
def test_a_configured_language_that_is_a_path_is_refused_naming_the_file(
    tmp_path: Path, key: str
) -> None:
    write(tmp_path / "hugo.toml", f"[languages.de]\n[languages.{key}]\n")

    with pytest.raises(ConfigError, match="is not a language code") as error:
        load_hugo_config(tmp_path, hugo=False)

    assert error.value.path == tmp_path / "hugo.toml"


def test_a_target_that_is_a_path_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site / "content/de/a.md", GERMAN)

    code, _, err = translate(site, "--to", "../../../elsewhere/x")

    assert code != 0
    assert "Error: '../../../elsewhere/x' is not a language code" in err
    assert "Traceback" not in err
    assert files(tmp_path) == ["site/content/de/a.md"]


def test_a_source_that_is_a_path_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "content/de/a.md", GERMAN)

    code, _, err = invoke(tmp_path, "check", "--from", "de/../..")

    assert code != 0
    assert "is not a language code" in err


# --- case -----------------------------------------------------------------------------------


def capitalised_site(root: Path) -> Path:
    """A site in the file-name layout whose Chinese pages are `*.zh-Hans.md`, as people write."""
    write(
        root / "hugo.toml",
        'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n'
        "[languages.zh-Hans]\nweight = 2\n",
    )
    write(root / "content/post.md", ENGLISH)
    write(root / "content/post.zh-Hans.md", CHINESE)
    write(root / "content/other.md", ENGLISH)
    return root


def test_a_capitalised_suffix_is_the_translation_and_no_second_one_is_written(
    tmp_path: Path,
) -> None:
    site = capitalised_site(tmp_path)

    code, out, err = translate(site, "--from", "en")

    assert code == 0, err
    assert "skipped  content/post.zh-Hans.md" in out
    assert files(site / "content") == [
        "other.md",
        "other.zh-hans.md",
        "post.md",
        "post.zh-Hans.md",
    ]
    assert (site / "content/post.zh-Hans.md").read_text(encoding="utf-8") == CHINESE


def test_status_finds_the_capitalised_translation(tmp_path: Path) -> None:
    site = capitalised_site(tmp_path)

    code, out, _ = invoke(site, "status", "--from", "en", "--to", "ZH-hans")

    assert code == 0
    post = next(line for line in out.splitlines() if line.endswith("content/post.md"))
    assert not post.startswith("missing")


def test_a_language_folder_in_another_case_is_that_language_s(tmp_path: Path) -> None:
    # Without Hugo configuration the folders are `content/<language>/`: any case.
    write(tmp_path / "content/de/a.md", GERMAN)
    write(tmp_path / "content/zh-Hans/a.md", CHINESE)

    code, _, err = translate(tmp_path, "--to", "zh-hans")

    assert code == 0, err
    assert not (tmp_path / "content/zh-hans").exists()
    assert (tmp_path / "content/zh-Hans/a.md").read_text(encoding="utf-8") == CHINESE


# --- containment ----------------------------------------------------------------------------


def test_a_target_folder_linked_outside_the_site_is_never_written(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    write(site / "content/de/a.md", GERMAN)
    write(site / "content/de/post/b.md", GERMAN)
    outside.mkdir()
    (site / "content/en").mkdir(parents=True)
    (site / "content/en/post").symlink_to(outside, target_is_directory=True)

    code, out, err = translate(site)

    assert code == 1
    assert "wrote    content/en/a.md" in out
    assert "content/en/post/b.md: a symbolic link leads this translation outside" in err
    assert list(outside.iterdir()) == []


def test_a_target_file_linked_outside_is_neither_adopted_nor_exported(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside.md"
    write(site / "content/de/a.md", GERMAN)
    write(outside, "---\ntitle: Secret\n---\n\nA secret text from elsewhere.\n")
    (site / "content/en").mkdir(parents=True)
    (site / "content/en/a.md").symlink_to(outside)

    code, _, err = translate(site)
    exported = invoke(site, "memory", "export", str(tmp_path / "out.tmx"))

    assert code == 1
    assert "not read or written" in err
    assert outside.read_text(encoding="utf-8").startswith("---\ntitle: Secret")
    assert "secret" not in (tmp_path / "out.tmx").read_text(encoding="utf-8").lower()
    assert exported[0] == 0


def test_content_outside_the_site_is_allowed_and_said_once(tmp_path: Path) -> None:
    site, german = tmp_path / "site", tmp_path / "shared-de"
    write(german / "post/a.md", GERMAN)
    write(
        site / "hugo.toml",
        f'defaultContentLanguage = "de"\n[languages.de]\ncontentDir = "{german}"\n'
        '[languages.en]\ncontentDir = "content/en"\n',
    )

    code, out, err = translate(site)

    assert code == 0, err
    assert (site / "content/en/post/a.md").is_file()
    assert err.count(f"content for de lives outside the site: {german}") == 1
    assert "wrote    " in out


def test_dot_dot_in_a_post_s_path_never_leads_out_of_its_folder(tmp_path: Path) -> None:
    write(tmp_path / "hugo.toml", "[languages.de]\n[languages.en]\n")
    write(tmp_path / "content/a.md", GERMAN)
    write(tmp_path / "x.md", GERMAN)
    config = load_hugo_config(tmp_path, hugo=False)
    assert config is not None

    with pytest.raises(SiteError, match="not in a content directory"):
        config.page_key(tmp_path / "content/../x.md")
    code, _, err = translate(tmp_path, str(tmp_path / "content/../x.md"))
    assert code != 0
    assert "not a post of this site" in err
    assert not (tmp_path / "x.en.md").exists()


def test_the_status_table_fits_a_long_language_code(tmp_path: Path) -> None:
    write(tmp_path / "content/de/a.md", GERMAN)

    code, out, _ = invoke(tmp_path, "status", "--to", "en,zh-hans")

    assert code == 0
    header, *rows = out.splitlines()
    column = header.index("POST")
    assert rows and all(row[column:].startswith("content/de/a.md") for row in rows), out


# --- what is not translated is said ---------------------------------------------------------


def test_pages_that_are_not_markdown_are_named(tmp_path: Path) -> None:
    write(tmp_path / "content/de/a.md", GERMAN)
    write(tmp_path / "content/de/impressum.html", "---\ntitle: Impressum\n---\n<p>Text</p>\n")
    # A leaf bundle's HTML file is a resource of the page, not a page.
    write(tmp_path / "content/de/post/index.md", GERMAN)
    write(tmp_path / "content/de/post/embed.html", "<p>Eingebettet</p>\n")

    code, _, err = translate(tmp_path)

    assert code == 0, err
    assert "1 de page not in Markdown (.html, e.g. content/de/impressum.html)" in err


def test_data_kept_per_language_is_named_until_the_target_has_its_own(tmp_path: Path) -> None:
    write(tmp_path / "content/de/a.md", GERMAN)
    write(tmp_path / "data/de/team.yaml", "- name: Ana\n  role: Leitung\n")
    write(tmp_path / "data/links.yaml", "- url: https://example.org\n")

    _, _, err = translate(tmp_path)
    assert "1 data file kept for de (e.g. data/de/team.yaml): not translated" in err

    write(tmp_path / "data/en/team.yaml", "- name: Ana\n  role: Head\n")
    _, _, err = translate(tmp_path)
    assert "data file" not in err


@pytest.mark.parametrize("ask_hugo", [False, True], ids=["without-hugo", "hugo"])
def test_content_a_module_mounts_is_named(
    tmp_path: Path, ask_hugo: bool, request: pytest.FixtureRequest
) -> None:
    if ask_hugo:
        request.getfixturevalue("hugo_binary")
    else:
        request.getfixturevalue("monkeypatch").setenv("TRANSLATE_HUGO", "off")
    write(
        tmp_path / "hugo.toml",
        'theme = "docs"\ndefaultContentLanguage = "de"\n'
        '[languages.de]\ncontentDir = "content/de"\n[languages.en]\ncontentDir = "content/en"\n',
    )
    write(tmp_path / "content/de/a.md", GERMAN)
    write(tmp_path / "themes/docs/content/anleitung.md", GERMAN)

    code, _, err = translate(tmp_path)

    assert code == 0, err
    assert "themes/docs/content is mounted into content/ by docs: its pages are not" in err


def test_a_tmx_language_that_is_a_path_leads_nowhere(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site / "content/de/a.md", GERMAN)
    tmx = write(
        tmp_path / "m.tmx",
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="de"/>'
        '<body><tu><tuv xml:lang="../../x"><seg>Hallo.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Hello.</seg></tuv></tu></body></tmx>\n',
    )

    code, _, err = invoke(site, "memory", "import", str(tmx))
    refused = invoke(site, "memory", "import", str(tmx), "--from", "../../x")

    assert code != 0 and refused[0] != 0
    assert "is not a language code" in refused[2]
    assert "Traceback" not in err + refused[2]
    assert files(tmp_path) == ["m.tmx", "site/content/de/a.md"]
