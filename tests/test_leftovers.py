"""Source-language prose that nothing says to translate is named by run and by check."""

from __future__ import annotations

from pathlib import Path

from test_multilingual import invoke, translate

from translate.hugo.leftovers import Leftover, leftovers

POST = """---
title: Seite
meta:
  description: Diese Seite beschreibt die Einrichtung des Servers und die ersten Schritte.
author:
  name: Anna Schmidt
next: /docs/guide/organize-your-files
tags: [Server, Einrichtung und Betrieb des Systems]
---

Ein Absatz.

{{< callout >}}
Achtung: Bitte sichern Sie vorher alle Daten auf dem Server.
{{< /callout >}}

{{< raw >}}
Bitte sichern Sie vorher alle Daten auf dem Server.
{{< /raw >}}
"""
KEYS = ("title", "description")


def test_prose_outside_the_translatable_keys_and_unknown_pairs_is_found() -> None:
    found = leftovers(POST, ("de", "en"), KEYS, knows_shortcode={"raw"})

    assert found == [
        Leftover("front-matter", "meta.description", 4),
        Leftover("shortcode", "callout", 13),
    ]


def test_names_tags_and_pairs_read_as_markdown_are_not_leftovers() -> None:
    found = leftovers(POST, ("de", "en"), (*KEYS, "meta.description"), {"raw"}, {"callout"})

    assert found == []
    # Without Hugo configuration no theme can be looked in: shortcodes are not judged.
    assert [item.kind for item in leftovers(POST, ("de", "en"), KEYS)] == ["front-matter"]


def site(root: Path) -> Path:
    (root / "content/de").mkdir(parents=True)
    (root / "hugo.toml").write_text(
        'defaultContentLanguage = "de"\n[languages.de]\ncontentDir = "content/de"\n'
        '[languages.en]\ncontentDir = "content/en"\n',
        encoding="utf-8",
    )
    (root / "layouts/_shortcodes").mkdir(parents=True)
    (root / "layouts/_shortcodes/raw.html").write_text("<pre>{{ .Inner }}</pre>", "utf-8")
    for name in ("a", "b"):
        (root / f"content/de/{name}.md").write_text(POST, encoding="utf-8")
    return root


def test_run_names_each_key_and_shortcode_once_with_the_setting(tmp_path: Path) -> None:
    code, _, err = translate(site(tmp_path))

    assert code == 0, err
    assert err.count("'meta.description' holds de prose in 2 posts") == 1
    assert 'add "meta.description" to translatable_keys' in err
    assert err.count("shortcode 'callout': no template found") == 1
    assert "'raw'" not in err


def test_check_reports_each_place_in_a_translation(tmp_path: Path) -> None:
    root = site(tmp_path)
    translate(root)

    _, out, _ = invoke(root, "check")

    assert "content/en/a.md:4: warning: meta.description reads as 'de'" in out
    assert "[untranslated-front-matter]" in out
    assert "content/en/a.md:13: warning: the content of shortcode 'callout'" in out
    assert out.count("[untranslated-shortcode]") == 2


def test_the_setting_named_translates_it(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "translate.toml").write_text(
        'translatable_keys = ["title", "description", "meta.description"]\n'
        'markdown_shortcodes = ["callout"]\n',
        encoding="utf-8",
    )

    code, _, err = translate(root)
    _, out, _ = invoke(root, "check")

    assert code == 0, err
    assert "holds de prose" not in err and "no template found" not in err
    assert "untranslated-" not in out
