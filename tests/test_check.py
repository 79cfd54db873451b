"""`translate check`: each check passes a faithful pair and catches a minimally broken one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SEED

from translate.commands.check import Finding, check_pair, check_site, format_findings
from translate.errors import SiteError
from translate.hugo.settings import Settings, load_settings
from translate.translation.glossary import Glossary

CASES = FIXTURES / "check"
REVIEWED = CASES / "reviewed"
SETTINGS = Settings()
GLOSSARY = Glossary.load(ROOT / "glossary", "de", "en")
# The pairs stand at content/*/post/news/x.md; these are the English tree's pages.
PAGES = {"post/ai-startup-hub/index.md", "post/news/bericht.md"}
SOURCE_NAME = "content/de/post/news/x.md"
TARGET_NAME = "content/en/post/news/x.md"


def check(source: str, target: str, pages: set[str] | None = PAGES) -> list[Finding]:
    """Check an English post against its German source with the repository's glossary."""
    return check_pair(
        source,
        target,
        source_name=SOURCE_NAME,
        target_name=TARGET_NAME,
        settings=SETTINGS,
        glossary=GLOSSARY,
        target_pages=pages,
    )


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def case(name: str, variant: str) -> list[Finding]:
    """Check `tests/fixtures/check/<name>/<variant>.en.md` against the case's `de.md`."""
    folder = CASES / name
    return check(read(folder / "de.md"), read(folder / f"{variant}.en.md"))


def summary(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return [(f.code, f.line, f.severity) for f in findings]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


# --- one case per check: a faithful pair passes, a minimally broken one fails --------------

# case folder -> what its broken English post must give: (code, line in the English, severity)
BROKEN = {
    "front-matter-key-added": [("front-matter-key-added", 6, "error")],
    "front-matter-key-removed": [("front-matter-key-removed", 1, "error")],
    "front-matter-value-changed": [("front-matter-value-changed", 4, "error")],
    "front-matter-format": [("front-matter-format", 1, "error")],
    "translation-key": [("translation-key", 6, "error")],
    "untranslated": [("untranslated", 10, "error")],
    "untranslated-front-matter": [("untranslated", 3, "error")],
    "untranslated-language": [("untranslated-language", 10, "warning")],
    "url-changed": [("url-changed", 9, "error")],
    "url-reordered": [("url-changed", 8, "error")],
    "reference-changed": [("reference-changed", 10, "error")],
    "protected-changed": [("protected-changed", 9, "error")],
    "structure-changed": [("structure-changed", 12, "error")],  # the added item
    "glossary-name": [("glossary-name", 8, "error")],
    "glossary-term": [("glossary-term", 8, "error")],
    "number-missing": [("number-missing", 8, "error")],
    "number-date-changed": [("number-missing", 8, "error")],
    "leftover-marker": [("leftover-marker", 8, "error")],
    "doubled-space": [("doubled-space", 8, "warning")],
    "doubled-punctuation": [("doubled-punctuation", 8, "error")],
    # Changing the shortcode changes protected content too: both are reported.
    # `[text]({{< ref "x" >}})` is a link to Hugo: a changed target is a changed URL.
    "ref-not-found": [("url-changed", 9, "error"), ("ref-not-found", 9, "error")],
    "unparseable": [("unparseable", 3, "error")],
}


def test_every_case_folder_has_an_expectation() -> None:
    folders = {path.name for path in CASES.iterdir() if (path / "de.md").is_file()}
    assert folders == set(BROKEN)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_faithful_pair_passes(name: str) -> None:
    assert case(name, "ok") == []


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_pair_fails_with_its_code_and_line(name: str) -> None:
    assert summary(case(name, "broken")) == BROKEN[name]


def test_findings_name_the_english_post() -> None:
    findings = case("url-changed", "broken")

    assert {f.path for f in findings} == {TARGET_NAME}


def test_unparseable_source_post_is_reported_on_the_source() -> None:
    folder = CASES / "unparseable"

    findings = check(read(folder / "broken.en.md"), read(folder / "ok.en.md"))

    assert [(f.path, f.code, f.line) for f in findings] == [(SOURCE_NAME, "unparseable", 3)]


# --- reviewed translations of the varied posts ---------------------------------------------


@pytest.mark.parametrize(
    "name", sorted(path.name.removesuffix(".en.md") for path in REVIEWED.glob("*.en.md"))
)
def test_reviewed_translation_of_a_varied_post_has_no_findings(name: str) -> None:
    german = read(FIXTURES / "posts" / f"{name}.de.md")
    english = read(REVIEWED / f"{name}.en.md")

    assert check(german, english) == []


def test_hand_translated_sample_post_passes() -> None:
    english = ROOT / "content" / "en" / "post" / "ai-startup-hub" / "index.md"

    assert check(read(SEED), read(english)) == []


def test_repository_site_passes() -> None:
    assert check_site(ROOT, load_settings(ROOT)) == []


def test_copy_of_the_source_post_is_untranslated_throughout() -> None:
    german = read(FIXTURES / "posts" / "lists.de.md")

    findings = check(german, german)

    assert findings
    assert {f.code for f in errors(findings)} <= {"untranslated", "number-missing"}
    assert "untranslated" in {f.code for f in findings}


# --- details of single checks ----------------------------------------------------------------


def test_text_of_capitalised_words_may_stay_as_it_is() -> None:
    german = read(FIXTURES / "posts" / "footnotes.de.md")
    english = read(REVIEWED / "footnotes.en.md").replace(
        'title: "Best Paper Award at EWSN 2023 in Rende"', 'title: "Best Paper Award"'
    )
    german = german.replace(
        'title: "Best Paper Award auf der EWSN 2023 in Rende"', 'title: "Best Paper Award"'
    )

    assert check(german, english) == []


def test_changed_structure_skips_the_per_block_checks() -> None:
    folder = CASES / "structure-changed"
    english = read(folder / "broken.en.md").replace("Please register.", "Bitte melden Sie sich an.")

    assert [f.code for f in check(read(folder / "de.md"), english)] == ["structure-changed"]


def test_changed_structure_still_compares_link_targets() -> None:
    folder = CASES / "structure-changed"
    german = read(folder / "de.md") + "\n[Mehr](https://www.example.org/a)\n"
    english = read(folder / "broken.en.md") + "\n[More](https://www.example.org/b)\n"

    assert [f.code for f in check(german, english)] == ["structure-changed", "url-changed"]


def test_value_changed_in_a_list_item_points_at_that_item() -> None:
    german = read(FIXTURES / "posts" / "images.de.md")
    english = german.replace("image: fussball.jpg", "image: football.jpg")

    changed = [f for f in check(german, english) if f.code == "front-matter-value-changed"]

    assert [(f.line, f.message.split(" ")[0]) for f in changed] == [(23, "gallery_item.1.image")]


def test_value_changed_in_a_toml_array_of_tables_points_at_that_table() -> None:
    german = read(FIXTURES / "posts" / "toml.de.md")
    english = read(REVIEWED / "toml.en.md").replace('src = "images/team.jpg"', 'src = "team.jpg"')

    assert summary(check(german, english)) == [("front-matter-value-changed", 32, "error")]


def test_translatable_key_outside_the_settings_must_stay() -> None:
    german = read(FIXTURES / "posts" / "toml.de.md")
    english = read(REVIEWED / "toml.en.md").replace(
        'title = "Das Projektteam"', 'title = "The project team"'
    )

    assert summary(check(german, english)) == [("front-matter-value-changed", 33, "error")]


@pytest.mark.parametrize(
    ("german", "english"),
    [
        pytest.param("3,8 Millionen", "3.8 million", id="decimal-comma"),
        pytest.param("1.000 Gäste", "1,000 guests", id="thousands"),
        pytest.param("12.500 Euro", "EUR 12,500", id="thousands-moved"),
        pytest.param("am 11. Januar 2022", "on 11 January 2022", id="date-day-first"),
        pytest.param("am 11. Januar 2022", "on January 11, 2022", id="date-month-first"),
        pytest.param("am 1. Mai", "on May 1st", id="ordinal"),
        pytest.param("bis 31.03.2027", "until 31 March 2027", id="numeric-date"),
        pytest.param("um 16:15 Uhr", "at 4:15 pm", id="twelve-hour-clock"),
        pytest.param("von 12 bis 14 Uhr", "from 12 to 2 p.m.", id="pm"),
        pytest.param("mit 3 Partnern", "with three partners", id="spelled-out"),
        pytest.param("Raum E 4.021", "room E 4.021", id="kept-verbatim"),
        pytest.param("Python 3.11.", "Python 3.11.", id="version-at-sentence-end"),
    ],
)
def test_number_in_english_formatting_is_found(german: str, english: str) -> None:
    findings = check_pair(
        f"---\ntitle: x\n---\n\nDas ist {german} gewesen.\n",
        f"---\ntitle: x\n---\n\nThat was {english}.\n",
        source_name="a",
        target_name="b",
        settings=SETTINGS,
        glossary=GLOSSARY,
    )

    assert [f for f in findings if f.code == "number-missing"] == []


def test_number_in_code_is_not_compared_as_prose() -> None:
    findings = check(
        "---\ntitle: x\n---\n\nStarten Sie `netsim --knoten 100` jetzt.\n",
        "---\ntitle: x\n---\n\nStart `netsim --knoten 100` now.\n",
    )

    assert findings == []


def test_marker_the_source_post_has_is_not_a_leftover() -> None:
    findings = check(
        "---\ntitle: x\n---\n\nDie Variable heißt g1> im Beispiel.\n",
        "---\ntitle: x\n---\n\nThe variable is called g1> in the example.\n",
    )

    assert findings == []


@pytest.mark.parametrize(
    "reference",
    [
        pytest.param('"/post/ai-startup-hub"', id="absolute"),
        pytest.param('"post/ai-startup-hub"', id="from-the-content-root"),
        pytest.param('"/post/ai-startup-hub/index.md"', id="with-file"),
        pytest.param('"bericht"', id="relative-without-extension"),
        pytest.param('"bericht.md#ergebnisse"', id="relative-with-anchor"),
        pytest.param('"../ai-startup-hub"', id="relative-parent"),
        pytest.param('"#oben"', id="same-page"),
        pytest.param('path="/post/ai-startup-hub"', id="named-path"),
        pytest.param('"/Post/AI-Startup-Hub"', id="case-insensitive"),
    ],
)
def test_ref_to_a_page_of_the_english_tree_resolves(reference: str) -> None:
    post = f"---\ntitle: x\n---\n\n[Link]({{{{< ref {reference} >}}}})\n"

    assert check(post.replace("Link", "Verweis"), post) == []


def test_ref_to_a_page_missing_from_the_english_tree_is_an_error() -> None:
    folder = CASES / "ref-not-found"

    findings = check(read(folder / "de.md"), read(folder / "ok.en.md"), pages={"post/x.md"})

    assert summary(findings) == [("ref-not-found", 8, "error"), ("ref-not-found", 9, "error")]
    assert "REF_NOT_FOUND" in findings[0].message


def test_escaped_shortcode_is_not_a_ref() -> None:
    post = '---\ntitle: x\n---\n\nSchreiben Sie {{</* ref "fehlt" */>}}.\n'

    assert [f.code for f in check(post, post.replace("Schreiben Sie", "Write"))] == []


# --- the site --------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Return a copy of the repository's site: the sample post in both languages."""
    root = tmp_path / "site"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "glossary", root / "glossary")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_source_post_without_translation_is_missing_its_sibling(site: Path) -> None:
    write(site / "content/de/post/neu/index.md", "---\ntitle: Neu\n---\n\nText.\n")

    findings = check_site(site, SETTINGS)

    assert [(f.path, f.line, f.code, f.severity) for f in findings] == [
        ("content/de/post/neu/index.md", None, "missing-sibling", "error")
    ]


def test_translation_without_source_post_is_an_orphan(site: Path) -> None:
    write(site / "content/en/post/old/index.md", "---\ntitle: Old\n---\n\nText.\n")

    findings = check_site(site, SETTINGS)

    assert [(f.path, f.code, f.severity) for f in findings] == [
        ("content/en/post/old/index.md", "orphan", "warning")
    ]


def test_unparseable_post_is_a_finding_and_the_others_are_still_checked(site: Path) -> None:
    write(site / "content/de/post/kaputt.md", "---\ntitle: [Kaputt\n---\n\nText.\n")
    write(site / "content/en/post/kaputt.md", "---\ntitle: Broken\n---\n\nText.\n")
    english = site / "content/en/post/ai-startup-hub/index.md"
    english.write_text(read(english).replace("3.8 million", "3 million"), encoding="utf-8")

    findings = check_site(site, SETTINGS)

    assert [(f.path, f.code) for f in findings] == [
        ("content/de/post/kaputt.md", "unparseable"),
        ("content/en/post/ai-startup-hub/index.md", "number-missing"),
    ]
    assert findings[0].line == 2


def test_post_that_is_not_utf8_is_unparseable(site: Path) -> None:
    english = site / "content/en/post/ai-startup-hub/index.md"
    english.write_bytes(read(english).encode("latin-1", errors="replace") + b"\xe4\n")

    findings = check_site(site, SETTINGS)

    assert [(f.path, f.code) for f in findings] == [(str(english.relative_to(site)), "unparseable")]


def test_only_limits_the_check_to_the_posts_given(site: Path) -> None:
    write(site / "content/de/post/neu/index.md", "---\ntitle: Neu\n---\n\nText.\n")
    english = site / "content/en/post/ai-startup-hub/index.md"

    assert check_site(site, SETTINGS, only=[english]) == []


def test_only_accepts_a_source_post_relative_to_the_site(site: Path) -> None:
    write(site / "content/de/post/neu/index.md", "---\ntitle: Neu\n---\n\nText.\n")

    findings = check_site(site, SETTINGS, only=[Path("content/de/post/neu/index.md")])

    assert [f.code for f in findings] == ["missing-sibling"]


def test_only_rejects_a_file_outside_the_content_folders(site: Path) -> None:
    outside = write(site / "notes.md", "---\ntitle: x\n---\n")

    with pytest.raises(SiteError):
        check_site(site, SETTINGS, only=[outside])


def test_ref_is_resolved_against_the_english_tree_of_the_site(site: Path) -> None:
    body = '\n[Hub]({{< ref "/post/ai-startup-hub" >}}) und [Neu]({{< ref "neu" >}})\n'
    write(site / "content/de/post/x.md", "---\ntitle: X\n---\n" + body)
    write(site / "content/de/post/neu.md", "---\ntitle: Neu\n---\n\nText.\n")
    write(site / "content/en/post/x.md", "---\ntitle: X\n---\n" + body.replace(" und ", " and "))

    findings = check_site(site, SETTINGS, only=[site / "content/en/post/x.md"])

    assert summary(findings) == [("ref-not-found", 5, "error")]


def test_refs_in_the_file_name_layout_resolve_as_hugo_resolves_them(tmp_path: Path) -> None:
    # Hextra's docs: bundles with `index.de.md` beside `index.md`, refs by page name.
    write(tmp_path / "hugo.toml", "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n")
    page = "---\ntitle: {}\n---\n\n{}\n"
    body = (
        'Siehe [Installation]({{{{< ref "installation" >}}}}) und [Blog]({{{{< ref "/blog" >}}}}).'
    )
    for name in ("installation/index", "usage"):
        write(tmp_path / f"content/docs/{name}.md", page.format("T", "Text."))
        write(tmp_path / f"content/docs/{name}.de.md", page.format("T", "Text."))
    write(tmp_path / "content/blog/_index.md", page.format("Blog", "Text."))
    english = body.replace("Siehe", "See")
    write(tmp_path / "content/docs/guide/usage.md", page.format("Usage", english))
    write(tmp_path / "content/docs/guide/usage.de.md", page.format("Nutzung", body))

    findings = check_site(tmp_path, Settings(source="de", targets=("en",)))

    assert [f for f in findings if f.code == "ref-not-found"] == []


def test_a_ref_the_source_cannot_resolve_either_is_not_the_translation_s(site: Path) -> None:
    body = '\n[Weg]({{< ref "/post/weg" >}})\n'
    write(site / "content/de/post/x.md", "---\ntitle: X\n---\n" + body)
    write(site / "content/en/post/x.md", "---\ntitle: X\n---\n" + body.replace("Weg", "Gone"))

    findings = check_site(site, SETTINGS, only=[site / "content/en/post/x.md"])

    assert [f.code for f in findings] == []


def test_a_finding_is_one_line_even_when_the_post_breaks_a_number_across_lines() -> None:
    source = "---\ntitle: x\n---\n\nAm 28.\nOktober 2024 begann es.\n"
    target = "---\ntitle: x\n---\n\nIt began in\nNovember 2024.\n"

    findings = [f for f in check(source, target) if f.code == "number-missing"]

    assert findings
    assert all("\n" not in f.message for f in findings)
    assert len(format_findings(findings, "text").splitlines()) == len(findings) + 1


# --- output formats --------------------------------------------------------------------------

FINDINGS = [
    Finding("content/en/post/a.md", 12, "error", "url-changed", "link changed"),
    Finding("content/en/post/b.md", None, "warning", "orphan", "no source post"),
]


def test_text_format_has_one_line_per_finding_and_a_summary() -> None:
    assert format_findings(FINDINGS, "text").splitlines() == [
        "content/en/post/a.md:12: error: link changed [url-changed]",
        "content/en/post/b.md: warning: no source post [orphan]",
        "1 error, 1 warning in 2 files.",
    ]


def test_text_format_says_when_nothing_was_found() -> None:
    assert format_findings([], "text") == "No problems found."


def test_json_format_is_a_list_of_objects_with_stable_keys() -> None:
    data = json.loads(format_findings(FINDINGS, "json"))

    assert [list(item) for item in data] == [["path", "line", "severity", "code", "message"]] * 2
    assert data[1] == {
        "path": "content/en/post/b.md",
        "line": None,
        "severity": "warning",
        "code": "orphan",
        "message": "no source post",
    }


def test_json_format_of_no_findings_is_an_empty_list() -> None:
    assert json.loads(format_findings([], "json")) == []


def test_github_format_writes_workflow_commands() -> None:
    assert format_findings(FINDINGS, "github").splitlines() == [
        "::error file=content/en/post/a.md,line=12,title=url-changed::link changed",
        "::warning file=content/en/post/b.md,title=orphan::no source post",
    ]


def test_github_format_escapes_data_and_properties() -> None:
    finding = Finding("content/en/a,b:c.md", 3, "error", "code", "100% sure\r\nreally")

    assert format_findings([finding], "github") == (
        "::error file=content/en/a%2Cb%3Ac.md,line=3,title=code::100%25 sure%0D%0Areally"
    )


def test_translated_link_titles_and_moved_inline_code_are_fine() -> None:
    german = (
        '---\ntitle: "Felder"\n---\n\n'
        "Im Feld `beschreibung` sind auch Abkürzungen wie `z. B.` erlaubt.\n\n"
        '![Blick in den Innenhof](innenhof.png "Der Innenhof am Nachmittag")\n'
    )
    english = (
        '---\ntitle: "Fields"\n---\n\n'
        "Abbreviations such as `z. B.` are also allowed in the field `beschreibung`.\n\n"
        '![View into the courtyard](innenhof.png "The courtyard in the afternoon")\n'
    )
    assert summary(check(german, english)) == []


def test_inline_code_moved_to_another_block_is_reported() -> None:
    german = '---\ntitle: "T"\n---\n\nErst `a` hier.\n\nDann `b` dort.\n'
    english = '---\ntitle: "T"\n---\n\nFirst `b` here.\n\nThen `a` there.\n'
    # Each block has other code than its source: both are named, at their lines.
    assert [(code, line) for code, line, _ in summary(check(german, english))] == [
        ("protected-changed", 5),
        ("protected-changed", 7),
    ]


def test_a_missing_number_is_described_as_the_target_language_writes_it() -> None:
    german = '---\ntitle: "T"\n---\n\nDas Treffen ist am 19. Juli 2024 um 3,8 Uhr.\n'
    english = '---\ntitle: "T"\n---\n\nThe meeting is on July 18, 2024 at 3.8.\n'
    (finding,) = [f for f in check(german, english) if f.code == "number-missing"]
    assert finding.line == 5
    assert "July 19, 2024" in finding.message
    assert "Juli" not in finding.message.split("expected", 1)[1]


@pytest.mark.parametrize(
    ("english", "line", "words"),
    [
        (
            "Erster Absatz hier.\n\nZweiter Absatz, etwas länger.\n\n"
            "Neu und nie da gewesen.\n\nDritter.\n",
            9,
            "that the source post does not have",
        ),
        ("Erster Absatz hier.\n\nDritter.\n", 7, "(line 7) is missing"),
    ],
)
def test_an_added_or_removed_paragraph_is_reported_where_it_is(
    english: str, line: int, words: str
) -> None:
    head = '---\ntitle: "T"\n---\n\n'
    german = head + "Erster Absatz hier.\n\nZweiter Absatz, etwas länger.\n\nDritter.\n"
    (finding,) = [f for f in check(german, head + english) if f.code == "structure-changed"]
    assert (finding.line, words in finding.message) == (line, True)


def test_an_in_page_link_may_follow_its_heading_s_translated_id() -> None:
    source = "---\ntitle: x\n---\n\n## Anforderungen\n\nSiehe [oben](#anforderungen).\n"
    # A reviewer let the heading have its own id and followed it: the link still works.
    followed = "---\ntitle: x\n---\n\n## Requirements\n\nSee [above](#requirements).\n"
    dangling = "---\ntitle: x\n---\n\n## Requirements\n\nSee [above](#setup).\n"

    assert check(source, followed) == []
    assert [f.code for f in check(source, dangling)] == ["url-changed"]
