"""TMX export and import: what is read, what is refused, and that importing is idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate.cli import app
from translate.errors import RecordError
from translate.records.tmx import export_tmx, import_tmx

IMPORTED = Path("translation-memory/de-en/imported.jsonl")


def tmx(*units: str, head: str = "") -> str:
    """Return a TMX document, one line per unit, the first unit on line 4 (without `head`)."""
    body = "\n".join(units)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{head}<tmx version="1.4">\n'
        f'<header srclang="de"/><body>\n{body}\n</body></tmx>\n'
    )


def unit(source: str, target: str, languages: tuple[str, str] = ("de", "en")) -> str:
    return (
        f'<tu><tuv xml:lang="{languages[0]}"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="{languages[1]}"><seg>{target}</seg></tuv></tu>'
    )


def read(text: str) -> list[tuple[str, str]]:
    return import_tmx(text, "de", "en", name="m.tmx").entries


def refused(text: str) -> RecordError:
    with pytest.raises(RecordError) as caught:
        import_tmx(text, "de", "en", name="m.tmx")
    return caught.value


def invoke(site: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--site", str(site)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def import_units(site: Path, file: Path, *units: str) -> tuple[int, str, str]:
    """Write `units` as the TMX file `file` and import it into `site`."""
    file.write_text(tmx(*units), encoding="utf-8")
    return invoke(site, "memory", "import", str(file))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "de").mkdir(parents=True)
    return root


# Reading


def test_export_reads_back_as_the_same_entries() -> None:
    entries = [
        ("Erster & „bester“ <Absatz>.", 'First & "best" <paragraph>.'),
        ("Zeile eins\n\nZeile zwei", "Line one\n\nline two"),  # a front matter value
    ]
    assert read(export_tmx(entries, "de", "en")) == sorted(entries)


def test_region_subtags_and_case_match_the_pair() -> None:
    assert read(tmx(unit("Hallo.", "Hello.", ("DE-de", "en_GB")))) == [("Hallo.", "Hello.")]


def test_inline_tags_of_other_tools_keep_their_text() -> None:
    text = tmx(unit("Text <ph>{1}</ph> mehr.", "Text <ph>{1}</ph> more."))
    assert read(text) == [("Text {1} mehr.", "Text {1} more.")]


def test_units_of_other_languages_are_skipped_when_some_are_the_pairs() -> None:
    text = tmx(unit("Bonjour.", "Hello.", ("fr", "en")), unit("Hallo.", "Hello."))
    assert read(text) == [("Hallo.", "Hello.")]


def test_a_document_without_units_has_no_entries() -> None:
    assert read(export_tmx([], "de", "en")) == []


def test_a_file_of_other_languages_names_them_and_the_expected_ones() -> None:
    french = unit("Bonjour.", "Ciao.", ("fr-FR", "it")), unit("Oui.", "Sì.", ("fr", "it"))
    error = refused(tmx(*french))

    assert "languages are fr, it, expected de and en" in str(error)
    assert str(error).startswith("m.tmx:4: ")


def test_an_empty_translation_is_rejected_with_its_line() -> None:
    result = import_tmx(tmx(unit("Gut.", "Good."), unit("Leer.", "  ")), "de", "en", name="m.tmx")
    assert result.entries == [("Gut.", "Good.")]
    assert result.rejected == [(5, "the translation is empty")]


def test_a_translation_of_several_paragraphs_for_one_is_rejected() -> None:
    result = import_tmx(
        tmx(unit("Ein Absatz.", "One paragraph.\n\nAnd another.")), "de", "en", name="m.tmx"
    )
    assert result.entries == []
    ((line, reason),) = result.rejected
    assert line == 4
    assert "2 paragraphs, the source 1" in reason


def test_a_unit_over_several_lines_is_named_by_its_first_line() -> None:
    text = tmx(
        "<tu>\n<tuv xml:lang='de'><seg>Satz.</seg></tuv>\n<tuv xml:lang='en'><seg/></tuv>\n</tu>"
    )
    assert import_tmx(text, "de", "en", name="m.tmx").rejected == [(4, "the translation is empty")]


def test_broken_xml_names_the_line() -> None:
    error = refused("<tmx>\n<body>\n<tu>\n</tmx>\n")
    assert str(error).startswith("m.tmx:4: not valid XML: mismatched tag")


def test_a_document_that_is_not_tmx_is_refused() -> None:
    assert "not a TMX document" in str(refused("<html><body></body></html>"))
    assert "not a TMX document" in str(refused("<tmx><header/></tmx>"))


def test_an_entity_declaration_is_refused() -> None:
    bomb = '<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
    error = refused(tmx(unit("&b;", "x"), head=bomb))
    assert str(error).startswith("m.tmx:3: declares an XML entity")


def test_an_external_entity_is_refused() -> None:
    head = '<!DOCTYPE tmx [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
    assert "declares an XML entity" in str(refused(tmx(unit("&secret;", "x"), head=head)))


def test_a_doctype_naming_the_tmx_dtd_is_read() -> None:
    text = tmx(unit("Hallo.", "Hello."), head='<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
    assert read(text) == [("Hallo.", "Hello.")]


# The commands


def test_import_of_other_languages_fails(site: Path, tmp_path: Path) -> None:
    code, _, err = import_units(site, tmp_path / "fr.tmx", unit("Bonjour.", "Ciao.", ("fr", "it")))

    assert code == 1
    assert "languages are fr, it, expected de and en" in err
    assert not (site / IMPORTED).exists()


def test_import_skips_unusable_entries_naming_file_and_line(site: Path, tmp_path: Path) -> None:
    file = tmp_path / "m.tmx"

    code, out, err = import_units(site, file, unit("Gut.", "Good."), unit("Leer.", ""))

    assert code == 0
    assert f"Warning: {file}:5: entry skipped: the translation is empty" in err
    assert "1 entry read, 1 skipped, 1 new" in out
    assert (site / IMPORTED).read_text(encoding="utf-8") == (
        json.dumps({"source": "Gut.", "target": "Good."}) + "\n"
    )


def test_reimporting_an_export_adds_nothing(site: Path, tmp_path: Path) -> None:
    import_units(site, tmp_path / "first.tmx", unit("Eins.", "One."), unit("Zwei.", "Two."))
    before = (site / IMPORTED).read_bytes()
    exported = tmp_path / "export.tmx"
    assert invoke(site, "memory", "export", str(exported))[0] == 0

    code, out, _ = invoke(site, "memory", "import", str(exported))

    assert code == 0
    assert "2 entries read, 0 new, 0 updated; 2 imported entries in all." in out
    assert (site / IMPORTED).read_bytes() == before


def test_reimporting_reviewed_blocks_of_the_records_adds_nothing(tmp_path: Path) -> None:
    root = tmp_path / "site"
    post = root / "content" / "de" / "post" / "a.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntitle: Titel\n---\n\nEin Absatz.\n", encoding="utf-8")
    (root / "content" / "en").mkdir()
    invoke(root, "run", "--backend", "pseudo")
    english = root / "content" / "en" / "post" / "a.md"
    text = english.read_text(encoding="utf-8")
    english.write_text(text.rsplit("\n\n", 1)[0] + "\n\nOne paragraph, reviewed.\n", "utf-8")
    invoke(root, "learn")
    exported = tmp_path / "export.tmx"
    invoke(root, "memory", "export", str(exported))

    code, out, _ = invoke(root, "memory", "import", str(exported))

    assert code == 0
    assert "1 entry read, 0 new, 0 updated" in out
    assert not (root / IMPORTED).exists()


def test_a_changed_translation_replaces_the_imported_one(site: Path, tmp_path: Path) -> None:
    file = tmp_path / "m.tmx"
    import_units(site, file, unit("Eins.", "One."))

    _, out, _ = import_units(site, file, unit("Eins.", "Number one."), unit("Zwei.", "Two."))

    assert "2 entries read, 1 new, 1 updated; 2 imported entries in all." in out
    lines = (site / IMPORTED).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"source": "Eins.", "target": "Number one."},
        {"source": "Zwei.", "target": "Two."},
    ]


def test_export_outside_a_site_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "m.tmx"

    code, _, err = invoke(tmp_path, "memory", "export", str(file))

    assert code == 1
    assert "no content/de/ folder" in err
    assert not file.exists()


def test_import_outside_a_site_is_refused(tmp_path: Path) -> None:
    code, _, err = import_units(tmp_path, tmp_path / "m.tmx", unit("Eins.", "One."))

    assert code == 1
    assert "no content/de/ folder" in err
    assert not (tmp_path / "translation-memory").exists()


def test_export_into_a_missing_folder_is_an_error(site: Path, tmp_path: Path) -> None:
    file = tmp_path / "missing" / "m.tmx"

    code, _, err = invoke(site, "memory", "export", str(file))

    assert code == 1
    assert "no folder" in err
    assert not (tmp_path / "missing").exists()


def test_a_damaged_imported_file_gives_its_own_hint(site: Path, tmp_path: Path) -> None:
    imported = site / IMPORTED
    imported.parent.mkdir(parents=True)
    imported.write_text('{"source": "a", "target": "b"}\n{"source": "c"\n', encoding="utf-8")

    code, _, err = invoke(site, "memory", "export", str(tmp_path / "m.tmx"))

    assert code == 1
    assert "translation-memory/de-en/imported.jsonl:2: not valid JSON" in err
    assert "imported entries" in err
    assert "reviewed" not in err  # the hint for a post's record
