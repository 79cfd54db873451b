"""Hugo's `ref` lookup, modelled by `translate check`, against the real Hugo binary."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from translate.commands.check.refs import PageIndex, references

# A site in the file-name layout: English (default) and German, as Hextra's docs are kept.
PAGES = [
    "_index.md",
    "docs/_index.md",
    "docs/guide/_index.md",
    "docs/guide/installation/index.md",
    "docs/guide/usage.md",
    "docs/guide/faq.md",
    "docs/reference/faq.md",
    "blog/post1/index.md",
    "blog/other.md",
    "about.md",
]
REFS = [
    "installation",
    "installation/index.de.md",
    "installation.de",
    "guide/installation",
    "post1",
    "other",
    "blog/other",
    "/blog/other.md",
    "../../blog/other.md",
    "../other.md",
    "./faq",
    "faq",  # two pages of that name
    "usage",
    "usage.md",
    "../usage",
    "../guide/usage",
    "nothere",
    "guide",
    "docs",
    "/docs/guide/",
    "Docs/Guide/Usage",
    "/",
    "#anchor",
    "about",
    "/about.md#team",
    "reference/faq",
]
CONTEXTS = ["docs/guide/usage.md", "docs/guide/installation/index.md", "docs/guide/_index.md"]


def test_references_skip_other_languages_and_escaped_shortcodes() -> None:
    text = (
        '{{< ref "a" >}} {{% relref path="b" %}} {{< ref path="c" lang="de" >}} {{</* ref "d" */>}}'
    )

    assert [(ref.name, ref.target) for ref in references(text)] == [
        ("ref", "a"),
        ("relref", "b"),
    ]


@pytest.mark.parametrize(
    ("reference", "page", "found"),
    [
        ("installation", "docs/guide/usage.md", True),  # by name, anywhere
        ("installation", None, True),
        ("guide/installation", "blog/other.md", False),  # a slash: no lookup by name
        ("faq", "about.md", False),  # ambiguous: Hugo refuses it
        ("faq", "docs/guide/usage.md", True),  # next to the page first
        ("installation/index.de.md", "docs/guide/usage.md", True),  # German file, English page
        ("../usage", "docs/guide/installation/index.md", False),  # a bundle's page is its folder
        ("usage", "docs/guide/installation/index.md", True),
    ],
)
def test_lookup(reference: str, page: str | None, found: bool) -> None:
    index = PageIndex.of(PAGES, ["en", "de"])

    assert index.finds(reference, page) is found


@pytest.mark.slow
def test_the_lookup_is_hugo_s(tmp_path: Path, hugo_binary: Path) -> None:
    site = tmp_path / "site"
    (site / "layouts/_default").mkdir(parents=True)
    for name in ("single", "list"):
        (site / f"layouts/_default/{name}.html").write_text("{{ .Content }}", encoding="utf-8")
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\nrefLinksErrorLevel = "WARNING"\n'
        'disableKinds = ["taxonomy", "term", "rss", "sitemap"]\n'
        "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n",
        encoding="utf-8",
    )
    body = "\n\n".join(f'{{{{< ref "{ref}" >}}}}' for ref in REFS)
    for page in PAGES:
        path = site / "content" / page
        path.parent.mkdir(parents=True, exist_ok=True)
        text = body if page in CONTEXTS else "Text."
        path.write_text(f"---\ntitle: {page}\n---\n\n{text}\n", encoding="utf-8")
    # The German page that a reference names with its language suffix.
    (site / "content/docs/guide/installation/index.de.md").write_text(
        "---\ntitle: Installation\n---\n", encoding="utf-8"
    )

    built = subprocess.run(
        [str(hugo_binary), "--source", str(site), "--destination", str(tmp_path / "public")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    output = built.stdout + built.stderr
    # `[en] REF_NOT_FOUND: Ref "x": "/…/content/docs/guide/usage.md:12:1": page not found`,
    # or an error that the reference is ambiguous.
    failed = {
        (match.group(2), match.group(1))
        for match in re.finditer(r'Ref "([^"]*)": "[^"]*/content/([^":]*):\d+', output)
    }
    index = PageIndex.of(PAGES, ["en", "de"])
    predicted = {(page, ref) for page in CONTEXTS for ref in REFS if not index.finds(ref, page)}

    assert len(failed) >= 10  # the site has references Hugo cannot find
    assert predicted == failed, output
