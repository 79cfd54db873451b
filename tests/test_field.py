"""The field test as a test: small multilingual sites in the shapes real sites use, built
with the real Hugo before and after a `pseudo` run (twice), then checked.

- `dir`: a content folder per language (Docsy), the default language at the site root;
- `file`: file-name suffixes with a capitalised code (`index.zh-Hans.md`, Hextra's docs);
- `config-dir`: `config/_default/` with per-language files, German beside English (a blog
  theme's example site);
- `module`: the theme a Hugo module in `_vendor/`, its shortcodes and i18n tables.

After the run every page of the source language has its translation, with the same HTML
element tree; no file that was there changed; no fragment dangles; Hugo finds every `ref`.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_multilingual import invoke

FIELD = Path(__file__).parent / "fixtures" / "field"
# site -> (source, target, where each language's pages are in public/)
SITES = {
    "dir": ("de", "en", {"de": "", "en": "en/"}),
    "file": ("en", "zh-hans", {"en": "", "zh-hans": "zh-hans/"}),
    "config-dir": ("de", "en", {"en": "", "de": "de/"}),
    "module": ("de", "en", {"de": "de/", "en": "en/"}),
}

pytestmark = pytest.mark.slow


class _Tree(HTMLParser):
    """The element tree of an HTML page: tags with their attribute names, ids and hrefs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[str, ...]]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.depth = 0
        self.in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))
        if tag == "article":
            self.in_article += 1
        if self.in_article:
            self.elements.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_endtag(self, tag: str) -> None:
        if self.in_article:
            self.elements.append((f"/{tag}", ()))
        if tag == "article":
            self.in_article -= 1


def tree(path: Path) -> _Tree:
    parsed = _Tree()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file() and "public" not in path.relative_to(root).parts[:1]
    }


def build(site: Path, binary: Path, destination: Path) -> str:
    done = subprocess.run(
        [str(binary), "--source", str(site), "--destination", str(destination)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HUGO_CACHEDIR": str(site.parent / "cache")},
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def pages(public: Path, prefix: str, others: list[str]) -> set[str]:
    """Return a language's pages: paths of `index.html` files below its prefix."""
    root = public / prefix
    found = set()
    for path in root.rglob("index.html"):
        relative = path.relative_to(root).as_posix()
        if not prefix and relative.split("/", 1)[0] in others:
            continue  # another language's folder below the root
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue  # an alias Hugo writes (`/de/` for the default language at the root)
        found.add(relative)
    return found


@pytest.fixture(params=sorted(SITES))
def field_site(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    name = str(request.param)
    site = Path(shutil.copytree(FIELD / name, tmp_path / name))
    if name != "module":
        shutil.copytree(FIELD / "layouts", site / "layouts")
    return name, site


def test_a_pseudo_run_keeps_every_site_whole(
    field_site: tuple[str, Path], hugo_binary: Path, tmp_path: Path
) -> None:
    name, site = field_site
    source, target, prefixes = SITES[name]
    others = [prefix.rstrip("/") for prefix in prefixes.values() if prefix]
    before = digests(site)
    build(site, hugo_binary, tmp_path / "before")
    source_before = pages(tmp_path / "before", prefixes[source], others)
    target_before = pages(tmp_path / "before", prefixes[target], others)

    code, out, err = invoke(site, "run", "--backend", "pseudo", "--from", source)
    assert code == 0, out + err
    code, again, err = invoke(site, "run", "--backend", "pseudo", "--from", source)
    assert code == 0 and "0 written, 0 updated" in again, again + err
    output = build(site, hugo_binary, tmp_path / "after")
    public = tmp_path / "after"

    # No file that was there changed (people's translations, configuration, the theme); the
    # target's i18n table only gained the entries it lacked.
    after = digests(site)
    table = f"i18n/{target}.toml"
    assert {path: after.get(path) for path in before if path != table} == {
        path: digest for path, digest in before.items() if path != table
    }
    if table in before:
        assert only_added(FIELD / name / table, site / table)
    # The same pages per language, and every source page translated.
    assert pages(public, prefixes[source], others) == source_before
    translated = pages(public, prefixes[target], others)
    assert translated == source_before | target_before
    # Hugo found every reference.
    assert "REF_NOT_FOUND" not in output
    # Each new page has its source page's element tree, and its fragments lead somewhere.
    for page in sorted(source_before - target_before):
        original = tree(public / prefixes[source] / page)
        translation = tree(public / prefixes[target] / page)
        assert translation.elements == original.elements, page
        for href in translation.hrefs:
            path, _, fragment = href.partition("#")
            if not fragment or "://" in path:
                continue
            linked = translation if not path else tree(_page_file(public, path))
            assert fragment in linked.ids, (page, href)
    code, report, _ = invoke(site, "check", "--from", source)
    assert not [line for line in report.splitlines() if ": error:" in line], report


def only_added(before: Path, after: Path) -> bool:
    """Tell whether `after` holds every line of `before`, in order."""
    remaining = iter(after.read_text(encoding="utf-8").splitlines())
    return all(line in remaining for line in before.read_text(encoding="utf-8").splitlines())


def _page_file(public: Path, path: str) -> Path:
    return public / path.lstrip("/") / "index.html"
