"""Links follow the language, headings keep their ids, and the proof accepts exactly that."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES
from test_multilingual import invoke, translate

from translate.hugo.links import SiteLinks
from translate.markdown.front_matter import split_front_matter
from translate.markdown.goldmark import parse_document
from translate.markdown.post import Post
from translate.translation.backends.simple import PseudoTranslator
from translate.translation.links import LinkMap, auto_id, heading_ids, page_headings
from translate.translation.pipeline import translate_posts
from translate.translation.prepared import prepare_post
from translate.translation.proving import render_verified
from translate.translation.verify import verify_post

HEADINGS = """\
## Einrichtung
## Hello *world*
## Use `code` here
## [Link](http://x.org) text
## Ä ö ü ß é Ñ
## Tom &amp; Jerry
## Hello   World -- x
## Einrichtung
## Einrichtung
## Explicit {#einrichtung-2}
## Einrichtung
## 1. Schritt: Los!
## C++ & C#
## 日本語 見出し
## snake_case and CamelCase
## Über uns ###
Setext heading
---
## <span>html</span> tag
## a\\*b --- c
"""


def pseudo(text: str) -> str:
    return PseudoTranslator().translate([text])[0]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- heading ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        ("Hello   World – x", "github", "hello---world--x"),
        ("Über uns", "github", "über-uns"),
        ("Über uns", "github-ascii", "uber-uns"),
        ("Hello, World -- x!", "blackfriday", "hello-world-x"),
    ],
)
def test_auto_id(text: str, style: str, expected: str) -> None:
    assert auto_id(text, style) == expected


def test_repeated_ids_are_numbered_and_explicit_ones_count() -> None:
    headings = [("A", None), ("A", None), ("X", "a-2"), ("A", None), ("", None)]

    assert heading_ids(headings) == ["a", "a-1", "a-2", "a-3", ""]


@pytest.mark.slow
def test_heading_ids_are_hugo_s(tmp_path: Path, hugo_binary: Path) -> None:
    # The headings above and every heading of the fixture corpus, built by Hugo (posts with
    # shortcodes need their theme's templates: left out).
    corpus = [
        split_front_matter(path.read_text(encoding="utf-8"))[1]
        for path in sorted((FIXTURES / "posts").rglob("*.de.md"))
    ]
    bodies = [HEADINGS] + [body for body in corpus if "{{" not in body]
    site = tmp_path / "site"
    write(site / "hugo.toml", 'baseURL = "https://example.org/"\n')
    write(site / "layouts/_default/single.html", "{{ .Content }}")
    expected: dict[str, list[str]] = {}
    for number, body in enumerate(bodies):
        document = parse_document(body)
        headings = [h for h in page_headings(document) if not h.shortcode]
        if len(headings) != len(page_headings(document)):
            continue  # a shortcode's output is in a heading: Hugo's id is the output's
        write(site / f"content/p{number}.md", f"---\ntitle: P{number}\n---\n{body}")
        expected[f"p{number}"] = [h.id for h in headings if h.id]
    built = subprocess.run(
        [str(hugo_binary), "--source", str(site), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert built.returncode == 0, built.stderr

    for name, ids in expected.items():
        html = (site / f"public/{name}/index.html").read_text(encoding="utf-8")
        assert re.findall(r'<h[1-6][^>]* id="([^"]*)"', html) == ids, name


def test_headings_where_an_id_cannot_be_written_keep_none(tmp_path: Path) -> None:
    from translate.hugo.site import Site

    write(tmp_path / "content/de/a.md", "x")
    site = Site.open(tmp_path, "de", "en")
    body = (
        '## Frei\n\n## Mit Klasse {class="x"}\n\n## Fest {#fest}\n\n## Geschlossen ##\n\n'
        "## Kurz {{< badge >}}\n"
    )

    kept = SiteLinks(site).kept_ids(Post.read("---\ntitle: A\n---\n" + body))

    assert kept == {4: "frei"}


# --- the proof accepts exactly the mapped links and kept ids --------------------------------

POST = """---
title: Seite
---

## Einrichtung

Siehe [unten](#einrichtung) und [Kontakt](/de/kontakt/ "Titel").
"""
LINKS = LinkMap({"/de/kontakt/": "/en/kontakt/"}, {5: "einrichtung"})


def translated(text: str, links: LinkMap) -> str:
    post = prepare_post(text, language="de", links=links)
    translate_posts([post], PseudoTranslator())
    assert post.kept == []
    return render_verified(post).text


def test_a_mapped_link_is_followed_and_the_heading_keeps_its_id() -> None:
    out = translated(POST, LINKS)

    assert f"## {pseudo('Einrichtung')} {{#einrichtung}}\n" in out
    assert '(/en/kontakt/ "Titel")' in out and "(#einrichtung)" in out
    assert verify_post(POST, out, links=LINKS) == []


def test_the_proof_refuses_what_the_map_does_not_say() -> None:
    out = translated(POST, LINKS)

    assert verify_post(POST, out) != []  # without the map: a changed link, an added id
    other = out.replace("/en/kontakt/", "/fr/kontakt/")
    assert [d.code for d in verify_post(POST, other, links=LINKS)] == ["url-changed"]
    renamed = out.replace("{#einrichtung}", "{#setup}")
    assert [d.code for d in verify_post(POST, renamed, links=LINKS)] == ["structure-changed"]
    # What a reviewer kept as it was (the source's link, no id) is accepted too.
    assert verify_post(POST, POST, links=LINKS) == []


# --- on a site ------------------------------------------------------------------------------


def linked_site(root: Path) -> Path:
    """German at the site root (the default language), English under /en/."""
    write(
        root / "hugo.toml",
        'baseURL = "https://example.org/docs/"\ndefaultContentLanguage = "de"\n'
        '[languages.de]\ncontentDir = "content/de"\nweight = 1\n'
        '[languages.en]\ncontentDir = "content/en"\nweight = 2\n',
    )
    write(
        root / "content/de/post/a.md",
        "---\ntitle: A\n---\n\n## Einrichtung\n\n"
        "[Oben](#einrichtung), [Kontakt](/kontakt/), [absolut](https://example.org/docs/kontakt/#form),\n"
        "[B](/post/b/), [Impressum](/impressum/), [fremd](https://example.com/kontakt/),\n"
        "[relativ](../b/) und [Bild](/kontakt/bild.png).\n",
    )
    write(root / "content/de/kontakt.md", "---\ntitle: Kontakt\nslug: kontakt\n---\n\nText.\n")
    write(root / "content/de/post/b.md", "---\ntitle: B\n---\n\nText.\n")
    write(root / "content/de/impressum.md", "---\ntitle: Impressum\n---\n\nText.\n")
    return root


def test_links_to_source_pages_lead_to_their_translations(tmp_path: Path) -> None:
    site = linked_site(tmp_path)
    # Only the pages named in the run (and those translated before) count.
    write(site / "content/en/kontakt.md", "---\ntitle: Contact\nslug: kontakt\n---\n\nText.\n")

    code, _, err = translate(site, "content/de/post/a.md", "content/de/post/b.md")
    out = (site / "content/en/post/a.md").read_text(encoding="utf-8")

    assert code == 0, err
    assert "](/en/kontakt/)" in out
    assert "](https://example.org/docs/en/kontakt/#form)" in out
    assert "](/en/post/b/)" in out
    assert "](/impressum/)" in out  # not translated: stays, and check says so
    assert "](https://example.com/kontakt/)" in out and "](../b/)" in out
    assert "{#einrichtung}" in out
    code, report, _ = invoke(site, "check", "content/en/post/a.md")
    assert "[link-to-source-language]" in report and "/impressum/" in report
    assert "[fragment-not-found]" not in report and "url-changed" not in report


def test_following_links_can_be_turned_off(tmp_path: Path) -> None:
    site = linked_site(tmp_path)
    write(site / "translate.toml", "follow_links = false\n")

    code, _, err = translate(site)

    assert code == 0, err
    out = (site / "content/en/post/a.md").read_text(encoding="utf-8")
    assert "](/kontakt/)" in out and "{#einrichtung}" in out


def test_check_finds_old_translations_whose_links_and_fragments_dangle(tmp_path: Path) -> None:
    site = linked_site(tmp_path)
    code, _, err = translate(site)
    assert code == 0, err
    post = site / "content/en/post/a.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(
        text.replace(" {#einrichtung}", "").replace("(/en/kontakt/)", "(/kontakt/)"),
        encoding="utf-8",
    )

    _, report, _ = invoke(site, "check")

    assert 'content/en/post/a.md:7: warning: "/kontakt/" leads to the de page' in report
    assert "[fragment-not-found]" in report
    assert "structure-changed" not in report


def test_an_update_keeps_the_ids_of_headings_it_does_not_translate_again(tmp_path: Path) -> None:
    """Found in the field: an update laid kept headings out without their `{#id}`."""
    source = write(
        tmp_path / "content/de/p.md",
        "---\ntitle: Test\n---\n\n## Referenz\n\nText.\n\n## Material\n\nLetzter Absatz.\n",
    )
    (tmp_path / "content/en").mkdir()
    assert translate(tmp_path)[0] == 0
    target = tmp_path / "content/en/p.md"
    reviewed = target.read_text(encoding="utf-8").replace(pseudo("Material"), "Equipment")
    target.write_text(reviewed, encoding="utf-8")
    source.write_text(
        source.read_text(encoding="utf-8").replace("Letzter Absatz.", "Der letzte Absatz."),
        encoding="utf-8",
    )

    code, out, _ = translate(tmp_path)

    assert code == 0 and "re-translated line 11 (paragraph)" in out
    english = target.read_text(encoding="utf-8")
    assert f"## {pseudo('Referenz')} {{#referenz}}\n" in english
    assert "## Equipment {#material}\n" in english  # the reviewer's heading, its id kept
    assert translate(tmp_path)[1].splitlines()[-1] == "0 written, 0 updated, 1 skipped, 0 failed."
