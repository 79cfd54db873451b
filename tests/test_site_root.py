"""Every command works from any folder of a site: the root is found upward, and named."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import SEED_TARGET, invoke, write

from translate.hugo.root import SiteRoot, find_site_root


@pytest.mark.parametrize(
    "marker",
    ["hugo.toml", "hugo.yaml", "config.json", "translate.toml", "config/_default/", "content/"],
)
def test_the_nearest_folder_with_a_site_marker_is_the_root(tmp_path: Path, marker: str) -> None:
    root = tmp_path / "site"
    if marker.endswith("/"):
        (root / marker).mkdir(parents=True)
    else:
        write(root / marker, "")
    deep = root / "content" / "de" / "post" / "x"
    deep.mkdir(parents=True)
    assert find_site_root(deep) == SiteRoot(root, marker)
    assert find_site_root(root) == SiteRoot(root, marker)


def test_a_configuration_file_is_named_before_the_content_folder(tmp_path: Path) -> None:
    write(tmp_path / "content" / "de" / "a.md", "Text.\n")
    write(tmp_path / "hugo.toml", "")
    assert find_site_root(tmp_path / "content" / "de") == SiteRoot(tmp_path, "hugo.toml")


def test_the_search_stops_at_the_top_of_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()  # a site above the repository is not the repository's
    repository = tmp_path / "notes"
    (repository / ".git").mkdir(parents=True)
    (repository / "docs").mkdir()
    assert find_site_root(repository / "docs") is None
    site = repository / "site"
    write(site / "hugo.toml", "")
    (site / "content").mkdir()
    assert find_site_root(site / "content") == SiteRoot(site, "hugo.toml")


def test_run_from_a_folder_of_posts_translates_the_whole_site_and_names_its_root(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = 'defaultContentLanguage = "de"\n'
    for code in ("de", "en"):
        config += f'[languages.{code}]\ncontentDir = "content/{code}"\n'
    write(site / "hugo.toml", config)
    write(site / "content" / "de" / "post" / "other.md", "---\ntitle: Zweiter\n---\n\nText.\n")
    monkeypatch.chdir(site / "content" / "de" / "post")

    result = invoke("run", "--backend", "pseudo")

    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"using the site at {site} (found hugo.toml)"
    assert result.stdout.splitlines()[0] == "using hugo.toml"
    assert (site / SEED_TARGET).is_file()
    assert (site / "content" / "en" / "post" / "other.md").is_file()
    assert not (site / "content" / "de" / "post" / "content").exists()


def test_status_from_the_content_folder_reads_the_same_site(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site)
    at_root = invoke("status")
    monkeypatch.chdir(site / "content")
    below = invoke("status", "--json")
    assert at_root.stderr == ""  # run at the root, nothing to name
    assert below.stderr == f"using the site at {site} (found content/)\n"
    assert '"state": "missing"' in below.stdout and "missing" in at_root.stdout


def test_site_wins_over_the_folder_it_is_run_in(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    write(other / "hugo.toml", "")
    (other / "content").mkdir()
    monkeypatch.chdir(other / "content")
    result = invoke("run", "--backend", "pseudo", "--site", str(site))
    assert result.exit_code == 0, result.stderr
    assert "using the site" not in result.stderr
    assert (site / SEED_TARGET).is_file()


def test_outside_any_site_the_error_names_the_folder_it_looked_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = invoke("run", "--backend", "pseudo")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path}: no content/de/ folder")
