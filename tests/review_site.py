"""A small two-language Hugo site for the review page's tests, translated with `pseudo`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from translate.cli import app
from translate.commands.review.model import Page, PostView, Row
from translate.translation.backends.simple import PseudoTranslator

HUGO_TOML = """\
baseURL = "https://example.org/"
defaultContentLanguage = "de"
[languages.de]
weight = 1
contentDir = "content/de"
[languages.{target}]
weight = 2
contentDir = "content/{target}"
"""

GLOSSARY = """\
de,{target}
AI.STARTUP.HUB,
Metropolregion Hamburg,Hamburg Metropolitan Region
"""

PROJECT = """\
---
title: Neues Projekt im AI.STARTUP.HUB
summary: Ein kurzer Überblick über die Metropolregion Hamburg.
date: 2024-01-11
---

Der erste Absatz beschreibt das Projekt mit `code` und einem [Link](https://example.org/a).

## Partner {#partner}

Der zweite Absatz nennt die Partner: <script>alert(1)</script> und "><img src=x onerror=alert(2)>.

- Erster Punkt
- Zweiter Punkt mit {{< ref "post/notiz.md" >}}

Der dritte Absatz schließt ab.
"""

NOTE = """\
+++
title = "Eine kurze Notiz"
+++

Die Notiz hat nur einen Absatz.
"""

PROJECT_SOURCE = "content/de/post/projekt.md"
NOTE_SOURCE = "content/de/post/notiz.md"


def target_of(source: str, language: str = "en") -> str:
    return source.replace("content/de/", f"content/{language}/")


def invoke(site: Path, *args: str) -> tuple[int, str, str]:
    """Run `translate ARGS --site SITE` in-process; return the exit code, stdout and stderr."""
    result = CliRunner().invoke(app, [*args, "--site", str(site)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def make_site(root: Path, target: str = "en") -> Path:
    """Write the site under `root` and translate it once; return `root`."""
    write(root / "hugo.toml", HUGO_TOML.format(target=target))
    write(root / "glossary" / "names.csv", GLOSSARY.format(target=target))
    write(root / PROJECT_SOURCE, PROJECT)
    write(root / NOTE_SOURCE, NOTE)
    (root / "content" / target).mkdir(parents=True, exist_ok=True)
    code, _, err = invoke(root, "run", "--backend", "pseudo")
    assert code == 0, err
    return root


def copy_site(template: Path, root: Path) -> Path:
    """Copy a site made once (posts, records) to `root` for one test; return `root`."""
    shutil.copytree(template, root)
    return root


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    """Change a post as a person would: one piece of text for another."""
    text = read(path)
    assert old in text, f"{old!r} not in {path}"
    write(path, text.replace(old, new))


def pseudo(text: str) -> str:
    return PseudoTranslator().translate([text])[0]


def post_of(page: Page, source: str) -> PostView:
    return next(post for post in page.posts if post.source_path == source)


def row_of(post: PostView, key: str) -> Row:
    return next(row for row in post.rows if row.key == key)


def item(post: PostView, row: Row, action: str, text: str | None = None) -> dict[str, Any]:
    """Return a review item for a row, as the page's "Download review" writes it."""
    entry: dict[str, Any] = {
        "post": post.source_path,
        "target": post.target_path,
        "language": post.target_language,
        "block": row.key,
        "line": row.target_line,
        "source_hash": row.source_hash,
        "target_hash": row.target_hash,
        "action": action,
    }
    if text is not None:
        entry["text"] = text
    return entry


def review_file(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": "hugo-translate/review/1", "page": "test", "site": "site", "items": items}
