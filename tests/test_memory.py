"""Reviewers' corrections survive: incremental updates, the memory, status, learn, TMX."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate.cli import app
from translate.commands.run import Outcome, run_site
from translate.hugo.settings import Settings
from translate.translation.backends.signature import Signature
from translate.translation.backends.simple import PseudoTranslator

YAML_POST = """---
title: Neues Projekt gestartet
summary: Ein kurzer Überblick.
date: "2022-01-11T00:00:00Z"
---

Der erste Absatz beschreibt das Projekt.

Der zweite Absatz nennt die Partner.

Der dritte Absatz schließt ab.
"""

TOML_POST = """+++
title = "Neues Projekt gestartet"
summary = "Ein kurzer Überblick."
date = "2022-01-11T00:00:00Z"
+++

Der erste Absatz beschreibt das Projekt.

Der zweite Absatz nennt die Partner.

Der dritte Absatz schließt ab.
"""

SOURCE = Path("content/de/post/projekt.md")
TARGET = Path("content/en/post/projekt.md")
RECORD = Path("translation-memory/de-en/records/post/projekt.md.jsonl")


def invoke(site: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--site", str(site)], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def translate(site: Path, *args: str) -> tuple[int, str, str]:
    return invoke(site, "run", "--backend", "pseudo", *args)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(params=["yaml", "toml"])
def post_site(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A site with one German post (YAML or TOML), translated once with `pseudo`."""
    write(tmp_path / SOURCE, YAML_POST if request.param == "yaml" else TOML_POST)
    (tmp_path / "content" / "en").mkdir(parents=True)
    code, _, err = translate(tmp_path)
    assert code == 0, err
    return tmp_path


def english(site: Path) -> str:
    return (site / TARGET).read_text(encoding="utf-8")


def german(site: Path) -> str:
    return (site / SOURCE).read_text(encoding="utf-8")


def review(site: Path, old: str, new: str) -> None:
    """Correct the English post as a reviewer would."""
    text = english(site)
    assert old in text
    write(site / TARGET, text.replace(old, new))


def edit_german(site: Path, old: str, new: str) -> None:
    text = german(site)
    assert old in text
    write(site / SOURCE, text.replace(old, new))


def pseudo(text: str) -> str:
    return PseudoTranslator().translate([text])[0]


FIRST = pseudo("Der erste Absatz beschreibt das Projekt.")
SECOND = pseudo("Der zweite Absatz nennt die Partner.")


def test_first_run_writes_a_record_with_one_line_per_block(post_site: Path) -> None:
    lines = (post_site / RECORD).read_text(encoding="utf-8").splitlines()
    header, *blocks = (json.loads(line) for line in lines)
    assert header["source"] == str(SOURCE)
    assert [block["key"] for block in blocks] == [
        "front_matter:title",
        "front_matter:summary",
        "body:0:paragraph",
        "body:1:paragraph",
        "body:2:paragraph",
    ]
    assert blocks[2]["written"] == FIRST


def test_changed_paragraph_is_retranslated_and_reviewed_blocks_stay(post_site: Path) -> None:
    review(post_site, FIRST, "The first paragraph, corrected by a reviewer.")
    edit_german(
        post_site, "Der zweite Absatz nennt die Partner.", "Der zweite Absatz nennt alle Partner."
    )
    before = english(post_site)

    code, out, _ = translate(post_site)

    after = english(post_site)
    assert code == 0
    assert "updated  content/en/post/projekt.md: re-translated line " in out
    assert "The first paragraph, corrected by a reviewer." in after
    assert pseudo("Der zweite Absatz nennt alle Partner.") in after
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [(SECOND, pseudo("Der zweite Absatz nennt alle Partner."))]


def test_new_paragraph_is_inserted_in_place(post_site: Path) -> None:
    review(post_site, FIRST, "Corrected first.")
    edit_german(post_site, "Der zweite Absatz", "Ein neuer Absatz.\n\nDer zweite Absatz")

    translate(post_site)

    body = english(post_site).split("\n\n")
    new = pseudo("Ein neuer Absatz.")
    assert body.index("Corrected first.") + 1 == body.index(new)
    assert body.index(new) + 1 == body.index(SECOND)


def test_deleted_paragraph_is_removed(post_site: Path) -> None:
    review(post_site, FIRST, "Corrected first.")
    edit_german(post_site, "Der zweite Absatz nennt die Partner.\n\n", "")

    translate(post_site)

    text = english(post_site)
    assert SECOND not in text
    assert "Corrected first." in text
    assert pseudo("Der dritte Absatz schließt ab.") in text


def test_changed_title_is_retranslated_and_the_body_kept(post_site: Path) -> None:
    review(post_site, FIRST, "Corrected first.")
    edit_german(post_site, "Neues Projekt gestartet", "Projekt erfolgreich gestartet")

    code, out, _ = translate(post_site)

    text = english(post_site)
    assert code == 0
    assert pseudo("Projekt erfolgreich gestartet") in text
    assert "Corrected first." in text
    assert "(title)" in out


def test_corrected_title_survives_a_body_change(post_site: Path) -> None:
    review(post_site, pseudo("Neues Projekt gestartet"), "New project launched")
    edit_german(post_site, "schließt ab", "schließt nun ab")

    translate(post_site)

    assert "New project launched" in english(post_site)


def test_unchanged_content_loads_no_model_and_writes_nothing(post_site: Path) -> None:
    review(post_site, FIRST, "Corrected first.")
    before = english(post_site)

    def no_model() -> PseudoTranslator:
        raise AssertionError("the model was loaded")

    report = run_site(Settings(backend="pseudo"), post_site, no_model)

    assert not report.model_loaded
    assert [r.outcome for r in report.results] == [Outcome.SKIPPED]
    assert english(post_site) == before


def test_reviewed_block_is_reused_in_another_post_without_a_model(post_site: Path) -> None:
    review(post_site, FIRST, "The first paragraph, reviewed.")
    invoke(post_site, "learn")
    write(
        post_site / "content/de/post/zweiter.md",
        "---\ntitle: Neues Projekt gestartet\n---\n\nDer erste Absatz beschreibt das Projekt.\n",
    )
    # The title was not reviewed: it needs the model; the paragraph comes from the memory.
    calls: list[list[str]] = []

    class Recorder(PseudoTranslator):
        def translate(self, texts: list[str]) -> list[str]:  # type: ignore[override]
            calls.append(list(texts))
            return super().translate(texts)

    report = run_site(Settings(backend="pseudo"), post_site, Recorder)

    second = (post_site / "content/en/post/zweiter.md").read_text(encoding="utf-8")
    assert "The first paragraph, reviewed." in second
    assert calls == [["Neues Projekt gestartet"]]
    assert any("from memory" in str(line) for r in report.results for line in r.retranslated)


def test_restructured_translation_is_left_alone_while_the_source_is_unchanged(
    post_site: Path,
) -> None:
    review(post_site, f"{FIRST}\n\n{SECOND}", "Both paragraphs, merged by a reviewer.")
    before = english(post_site)

    code, out, _ = translate(post_site)

    assert code == 0
    assert english(post_site) == before
    assert "skipped" in out


def test_restructured_translation_is_reported_as_diverged_when_the_source_changes(
    post_site: Path,
) -> None:
    review(post_site, f"{FIRST}\n\n{SECOND}", "Both paragraphs, merged by a reviewer.")
    edit_german(post_site, "schließt ab", "schließt nun ab")
    before = english(post_site)

    code, _, err = translate(post_site)

    assert code == 1
    assert english(post_site) == before
    assert "no longer line up" in err
    assert "line 11 (paragraph)" in err or "line 12 (paragraph)" in err


def test_deleted_records_lose_no_english_text(post_site: Path) -> None:
    review(post_site, FIRST, "Corrected first.")
    (post_site / RECORD).unlink()
    before = english(post_site)

    code, out, _ = translate(post_site)

    assert code == 0
    assert english(post_site) == before
    assert "skipped" in out
    record = (post_site / RECORD).read_text(encoding="utf-8")
    assert "Corrected first." in record
    _, status, _ = invoke(post_site, "status", "--json")
    assert json.loads(status)[0]["state"] == "reviewed"


def test_corrupt_record_is_an_error_with_file_and_line_and_is_kept(post_site: Path) -> None:
    path = post_site / RECORD
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:-5]
    damaged = "\n".join(lines) + "\n"
    path.write_text(damaged, encoding="utf-8")
    edit_german(post_site, "schließt ab", "schließt nun ab")
    before = english(post_site)

    code, _, err = translate(post_site)

    assert code == 1
    assert f"{RECORD}:3:" in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_text(encoding="utf-8") == damaged
    assert english(post_site) == before


def test_unparseable_english_post_is_an_error_and_kept(post_site: Path) -> None:
    # A shortcode Hugo cannot lex: the post no longer builds.
    broken = english(post_site) + "\n{{< figure src=x\n"
    write(post_site / TARGET, broken)
    edit_german(post_site, "schließt ab", "schließt nun ab")

    code, _, err = translate(post_site)

    assert code == 1
    assert f"{TARGET}" in err and "no longer parses" in err
    assert english(post_site) == broken


def test_deleted_source_post_is_reported_and_its_translation_kept(post_site: Path) -> None:
    (post_site / SOURCE).unlink()
    before = english(post_site)

    translate(post_site)
    code, out, _ = invoke(post_site, "status")

    assert english(post_site) == before
    assert "orphaned" in out
    assert code == 0


def test_two_sources_for_the_same_page_are_both_refused(tmp_path: Path) -> None:
    write(tmp_path / "content/de/post/x.md", YAML_POST)
    write(tmp_path / "content/de/post/x/index.md", YAML_POST)
    (tmp_path / "content/en").mkdir(parents=True)

    code, _, err = translate(tmp_path)

    assert code == 1
    assert err.count("same Hugo page") == 2
    assert not (tmp_path / "content/en/post").exists()


def state_of(site: Path) -> str:
    _, out, _ = invoke(site, "status", "--json")
    return next(row["state"] for row in json.loads(out) if row["source"] == str(SOURCE))


def test_status_shows_each_state(post_site: Path) -> None:
    write(post_site / "content/de/post/neu.md", YAML_POST)
    code, out, _ = invoke(post_site, "status", "--json")
    states = {row["source"]: row["state"] for row in json.loads(out)}
    assert states == {str(SOURCE): "machine-translated", "content/de/post/neu.md": "missing"}
    assert code == 0

    code, _, _ = invoke(post_site, "status", "--strict")
    assert code == 1

    review(post_site, FIRST, "Corrected first.")
    assert state_of(post_site) == "reviewed"

    edit_german(post_site, "schließt ab", "schließt nun ab")
    assert state_of(post_site) == "outdated"

    review(post_site, "Corrected first.\n\n", "Corrected first. ")
    _, out, _ = invoke(post_site, "status")
    assert "diverged" in out


def test_learn_records_corrections_for_ci(post_site: Path) -> None:
    review(post_site, FIRST, "Corrected first.")

    code, out, _ = invoke(post_site, "learn")

    assert code == 0
    assert "reviewed blocks in the memory: 1." in out
    assert '"reviewed": "Corrected first."' in (post_site / RECORD).read_text(encoding="utf-8")


def test_tmx_export_and_import_round_trip(post_site: Path, tmp_path: Path) -> None:
    review(post_site, FIRST, 'Corrected first & "best".')
    invoke(post_site, "learn")
    tmx = tmp_path / "memory.tmx"

    code, out, _ = invoke(post_site, "memory", "export", str(tmx))
    assert code == 0, out
    assert "<tmx" in tmx.read_text(encoding="utf-8")

    other = tmp_path / "other"
    (other / "content/de").mkdir(parents=True)
    code, out, _ = invoke(other, "memory", "import", str(tmx))
    assert code == 0, out
    write(
        other / "content/de/post/a.md",
        "---\ntitle: T\n---\n\nDer erste Absatz beschreibt das Projekt.\n",
    )
    translate(other)
    assert 'Corrected first & "best".' in (other / "content/en/post/a.md").read_text(
        encoding="utf-8"
    )

    again = tmp_path / "again.tmx"
    invoke(other, "memory", "export", str(again))
    assert again.read_text(encoding="utf-8") == tmx.read_text(encoding="utf-8")


def test_broken_tmx_is_an_error_with_a_line(tmp_path: Path) -> None:
    (tmp_path / "content/de").mkdir(parents=True)
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx>\n<body>\n<tu>\n</tmx>\n", encoding="utf-8")

    code, _, err = invoke(tmp_path, "memory", "import", str(bad))

    assert code == 1
    assert "bad.tmx:4:" in err


def test_a_changed_date_outside_the_blocks_is_carried_over(post_site: Path) -> None:
    review(post_site, FIRST, "Corrected first.")
    edit_german(post_site, "2022-01-11", "2022-02-01")

    code, out, _ = translate(post_site)

    text = english(post_site)
    assert code == 0
    assert "2022-02-01" in text and "2022-01-11" not in text
    assert "Corrected first." in text
    assert "updated" in out


def test_corrupt_imported_memory_is_an_error_with_file_and_line(post_site: Path) -> None:
    imported = post_site / "translation-memory/de-en/imported.jsonl"
    write(imported, '{"source": "a", "target": "b"}\n{"source": "c"}\n')
    write(post_site / "content/de/post/neu.md", YAML_POST)

    code, _, err = translate(post_site)

    assert code == 1
    assert "translation-memory/de-en/imported.jsonl:2:" in err
    assert imported.read_text(encoding="utf-8").count("\n") == 2
    assert not (post_site / "content/en/post/neu.md").exists()


def test_a_replaced_reviewed_block_stays_in_the_memory(post_site: Path) -> None:
    review(post_site, FIRST, "Corrected first.")
    edit_german(post_site, "Der erste Absatz beschreibt", "Der erste Absatz erklärt")
    translate(post_site)
    assert "Corrected first." not in english(post_site)
    assert '"retired": true' in (post_site / RECORD).read_text(encoding="utf-8")

    edit_german(post_site, "Der erste Absatz erklärt", "Der erste Absatz beschreibt")
    translate(post_site)

    assert "Corrected first." in english(post_site)


# --- found in review: each a way reviewed text could be lost or a run blocked --------------


def test_force_refuses_a_restructured_translation(post_site: Path) -> None:
    review(post_site, pseudo("Neues Projekt gestartet"), "New project launched")
    review(post_site, f"{FIRST}\n\n{SECOND}", "Both paragraphs, merged by a reviewer.")
    before = english(post_site)

    code, _, err = translate(post_site, "--force")

    assert code == 1
    assert "--force would throw the reviewed text away" in err
    assert english(post_site) == before


def test_swapped_blocks_of_one_kind_are_not_learned_as_pairs(post_site: Path) -> None:
    text = english(post_site)
    write(
        post_site / TARGET, text.replace(FIRST, "@@").replace(SECOND, FIRST).replace("@@", SECOND)
    )

    invoke(post_site, "learn")

    assert '"reviewed"' not in (post_site / RECORD).read_text(encoding="utf-8")
    edit_german(post_site, "schließt ab", "schließt nun ab")
    code, _, err = translate(post_site)
    assert code == 1 and "no longer line up" in err


def test_an_unalignable_translation_without_record_is_kept_and_not_an_error(
    tmp_path: Path,
) -> None:
    write(tmp_path / SOURCE, YAML_POST)
    write(tmp_path / TARGET, "---\ntitle: New project\n---\n\nAll three paragraphs, in one.\n")
    before = english(tmp_path)

    code, _, err = translate(tmp_path)

    assert code == 0
    assert english(tmp_path) == before
    assert "do not line up" in err
    assert state_of(tmp_path) == "human"


def test_a_memory_entry_with_other_links_is_not_used(post_site: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "bad.tmx"
    tmx.write_text(
        '<tmx version="1.4"><header srclang="de"/><body><tu>'
        '<tuv xml:lang="de"><seg>Siehe [den Link](https://example.com/x) hier.</seg></tuv>'
        '<tuv xml:lang="en"><seg>See the link here.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    invoke(post_site, "memory", "import", str(tmx))
    write(
        post_site / "content/de/post/link.md",
        "---\ntitle: L\n---\n\nSiehe [den Link](https://example.com/x) hier.\n",
    )

    code, _, err = translate(post_site)

    assert code == 0, err
    assert "](https://example.com/x)" in (post_site / "content/en/post/link.md").read_text("utf-8")
    assert "translating it instead" in err


def test_blocks_served_by_the_memory_stay_reviewed_after_force(post_site: Path) -> None:
    review(post_site, FIRST, "Corrected first.")

    translate(post_site, "--force")

    assert "Corrected first." in english(post_site)
    assert state_of(post_site) == "reviewed"


def test_a_damaged_record_fails_only_its_own_post(post_site: Path) -> None:
    write(post_site / "content/de/post/zwei.md", YAML_POST.replace("erste", "andere"))
    translate(post_site)
    (post_site / RECORD).write_text("{not json\n", encoding="utf-8")
    edit_german_other = post_site / "content/de/post/zwei.md"
    write(edit_german_other, edit_german_other.read_text("utf-8").replace("schließt ab", "endet"))

    code, out, err = translate(post_site)

    assert code == 1
    assert f"{RECORD}:1:" in err
    assert "updated  content/en/post/zwei.md" in out


def test_a_record_header_without_paths_is_a_one_line_error(post_site: Path) -> None:
    lines = (post_site / RECORD).read_text(encoding="utf-8").splitlines()
    lines[0] = '{"format": "hugo-translate/record/1"}'
    (post_site / RECORD).write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, _, _ = invoke(post_site, "status")

    assert code == 0
    _, out, _ = invoke(post_site, "status", "--json")
    assert "the header is missing or has a bad 'source'" in out


def test_status_reports_two_sources_for_one_page_as_errors(tmp_path: Path) -> None:
    write(tmp_path / "content/de/post/x.md", YAML_POST)
    write(tmp_path / "content/de/post/x/index.md", YAML_POST)

    _, out, _ = invoke(tmp_path, "status", "--json")

    assert [row["state"] for row in json.loads(out)] == ["error", "error"]


def test_a_reviewer_change_outside_the_translatable_keys_stops_the_update(
    post_site: Path,
) -> None:
    text = english(post_site)
    review(post_site, "2022-01-11T00:00:00Z", "2022-01-12T00:00:00Z")
    edit_german(post_site, "schließt ab", "schließt nun ab")

    code, _, err = translate(post_site)

    assert code == 1
    assert "changed outside the translatable keys" in err
    assert english(post_site) == text.replace("2022-01-11T00:00:00Z", "2022-01-12T00:00:00Z")


# --- no change, no report -----------------------------------------------------------------


def test_force_on_an_unchanged_post_reports_nothing_and_adds_no_record_lines(
    post_site: Path,
) -> None:
    review(post_site, FIRST, "Corrected first.")
    edit_german(post_site, "Der zweite Absatz nennt", "Der zweite Absatz nannte")
    translate(post_site)
    review(post_site, pseudo("Der zweite Absatz nannte die Partner."), "Corrected second.")
    translate(post_site)
    record, before = (post_site / RECORD).read_bytes(), english(post_site)
    assert b'"retired": true' not in record

    for _ in range(2):
        code, out, err = translate(post_site, "--force")

        assert code == 0, err
        assert "re-translated" not in out
        assert out.splitlines() == [
            f"skipped  {TARGET} (up to date)",
            "0 written, 0 updated, 1 skipped, 0 failed.",
        ]
        assert (post_site / RECORD).read_bytes() == record
        assert english(post_site) == before


def test_force_still_rewrites_what_would_change(post_site: Path) -> None:
    write(post_site / TARGET, english(post_site).replace("---", "---\n# a comment", 1))
    code, out, _ = translate(post_site, "--force")

    assert code == 0
    assert "updated" in out
    assert "# a comment" not in english(post_site)


# --- status and run say the same -------------------------------------------------------------

TAGGED_POST = YAML_POST.replace('date: "2022', 'tags:\n  - Forschung\n  - Projekt\ndate: "2022')


def test_status_and_run_name_a_changed_value_outside_the_translatable_keys(
    tmp_path: Path,
) -> None:
    write(tmp_path / SOURCE, TAGGED_POST)
    translate(tmp_path)
    review(tmp_path, "  - Projekt", "  - Project")
    edit_german(tmp_path, "schließt ab", "schließt nun ab")

    _, status, _ = invoke(tmp_path, "status", "--json")
    code, _, err = translate(tmp_path)

    row = json.loads(status)[0]
    assert row["state"] == "diverged"
    assert "changed outside the translatable keys: tags.1" in row["detail"]
    assert code == 1
    assert "changed outside the translatable keys: tags.1" in err
    assert 'add "tags.1" to translatable_keys' in err
    assert "  - Project" in english(tmp_path)


def test_status_counts_the_reviewed_blocks(post_site: Path) -> None:
    _, out, _ = invoke(post_site, "status", "--json")
    row = json.loads(out)[0]
    assert (row["state"], row["reviewed_blocks"], row["blocks"]) == ("machine-translated", 0, 5)

    review(post_site, FIRST, "Corrected first.")
    review(post_site, pseudo("Neues Projekt gestartet"), "New project launched")

    _, table, _ = invoke(post_site, "status")
    _, out, _ = invoke(post_site, "status", "--json")
    row = json.loads(out)[0]
    assert (row["state"], row["reviewed_blocks"], row["blocks"]) == ("reviewed", 2, 5)
    assert table.splitlines()[1].split()[:3] == ["reviewed", "2/5", "blocks"]


# --- records that say how a translation was made ----------------------------------------------


def header(site: Path) -> dict[str, object]:
    line = (site / RECORD).read_text(encoding="utf-8").splitlines()[0]
    entry = json.loads(line)
    assert isinstance(entry, dict)
    return entry


def test_the_record_carries_the_engine_signature(post_site: Path) -> None:
    from translate import __version__

    entry = header(post_site)

    assert entry["format"] == "hugo-translate/record/3"
    assert list(entry) == [
        "format",
        "source",
        "target",
        "engine",
        "source_digest",
        "target_digest",
        "reading",
        "target_settings",
        "terms",
    ]
    engine = entry["engine"]
    assert isinstance(engine, str)
    # The pseudo backend uses no model: the record names none (not the pair's default).
    assert Signature.parse(engine).fields == {
        "backend": "pseudo",
        "model": "none",
        "weights": "none",
        "beams": "none",
        "version": __version__,
    }


def test_an_engine_that_describes_itself_signs_the_record(tmp_path: Path) -> None:
    class Signed(PseudoTranslator):
        def signature(self) -> dict[str, str]:
            return {"model": "some/model", "revision": "0123abcd", "beams": "2"}

    write(tmp_path / SOURCE, YAML_POST)
    run_site(Settings(backend="pseudo"), tmp_path, Signed)

    engine = header(tmp_path)["engine"]
    assert isinstance(engine, str)
    fields = Signature.parse(engine).fields
    assert {key: fields[key] for key in ("backend", "model", "revision", "beams")} == {
        "backend": "pseudo",
        "model": "some/model",
        "revision": "0123abcd",
        "beams": "2",
    }


def test_status_shows_posts_made_by_an_older_model(tmp_path: Path) -> None:
    class Model2024(PseudoTranslator):
        # A model backend as it signs its records (no weights are loaded in this test).
        def signature(self) -> dict[str, str]:
            return {"backend": "marian", "model": "lab/model-2024", "weights": "aaaa"}

    write(tmp_path / SOURCE, YAML_POST)
    run_site(Settings(backend="marian", model="lab/model-2024"), tmp_path, Model2024)
    write(tmp_path / "translate.toml", 'backend = "marian"\nmodel = "lab/model-2024"\n')
    _, out, _ = invoke(tmp_path, "status", "--json")
    assert json.loads(out)[0]["older_model"] is False

    write(tmp_path / "translate.toml", 'backend = "marian"\nmodel = "lab/model-2025"\n')
    _, out, _ = invoke(tmp_path, "status", "--json")
    _, table, _ = invoke(tmp_path, "status")

    row = json.loads(out)[0]
    assert row["older_model"] is True
    assert row["state"] == "machine-translated"
    assert "made by an older model: marian lab/model-2024" in table


GLOSSARY = Path("glossary/terms.csv")
OTHER_SOURCE = Path("content/de/post/anderer.md")
OTHER_POST = "---\ntitle: Ein anderer Beitrag\n---\n\nHier steht nichts davon.\n"


@pytest.fixture
def glossary_site(tmp_path: Path) -> Path:
    """Two translated posts; only projekt.md holds the word "Partner"."""
    write(tmp_path / SOURCE, YAML_POST)
    write(tmp_path / OTHER_SOURCE, OTHER_POST)
    write(tmp_path / GLOSSARY, "de,en\nProjektleitung,project management\n")
    write(tmp_path / "translate.toml", 'backend = "pseudo"\n')
    code, _, err = translate(tmp_path)
    assert code == 0, err
    return tmp_path


def states(site: Path) -> dict[str, tuple[str, str]]:
    _, out, _ = invoke(site, "status", "--json")
    return {row["source"]: (row["state"], row["detail"]) for row in json.loads(out)}


def test_a_glossary_term_added_outdates_just_the_posts_and_blocks_that_hold_it(
    glossary_site: Path,
) -> None:
    other = (glossary_site / "content/en/post/anderer.md").read_bytes()
    before = english(glossary_site)
    write(glossary_site / GLOSSARY, "de,en\nProjektleitung,project management\nPartner,partners\n")

    assert states(glossary_site) == {
        str(SOURCE): ("outdated", "glossary changed: 'Partner'"),
        str(OTHER_SOURCE): ("machine-translated", ""),
    }
    code, out, _ = translate(glossary_site)

    assert code == 0
    assert f"updated  {TARGET}: re-translated line 9 (paragraph)" in out.splitlines()
    assert "skipped  content/en/post/anderer.md (up to date)" in out
    changed = [
        (a, b)
        for a, b in zip(before.splitlines(), english(glossary_site).splitlines(), strict=True)
        if a != b
    ]
    assert len(changed) == 1 and "partners" in changed[0][1]
    assert (glossary_site / "content/en/post/anderer.md").read_bytes() == other
    assert states(glossary_site)[str(SOURCE)] == ("machine-translated", "")


def test_a_glossary_term_removed_outdates_the_posts_that_hold_it(glossary_site: Path) -> None:
    write(glossary_site / GLOSSARY, "de,en\nProjektleitung,project management\nPartner,partners\n")
    translate(glossary_site)
    write(glossary_site / GLOSSARY, "de,en\nProjektleitung,project management\n")

    assert states(glossary_site)[str(SOURCE)] == ("outdated", "glossary changed: 'Partner'")
    translate(glossary_site)

    assert "partners" not in english(glossary_site)
    assert SECOND in english(glossary_site)


def test_a_reviewed_block_with_a_changed_term_stays_and_is_reported(glossary_site: Path) -> None:
    review(glossary_site, SECOND, "The second paragraph names the Partner, reviewed.")
    translate(glossary_site)
    before = english(glossary_site)
    write(glossary_site / GLOSSARY, "de,en\nProjektleitung,project management\nPartner,partners\n")

    code, out, err = translate(glossary_site)

    assert code == 0
    assert english(glossary_site) == before
    assert f"{TARGET}:9: reviewed text kept, but the glossary entry of 'Partner'" in err
    assert f"skipped  {TARGET} (up to date)" in out
    assert states(glossary_site)[str(SOURCE)] == ("reviewed", "")


def test_a_changed_glossary_term_that_only_code_holds_outdates_nothing(
    glossary_site: Path,
) -> None:
    write(glossary_site / OTHER_SOURCE, OTHER_POST + "\n```\nPartner\n```\n")
    translate(glossary_site)
    write(glossary_site / GLOSSARY, "de,en\nProjektleitung,project management\nPartner,partners\n")

    assert states(glossary_site)[str(OTHER_SOURCE)] == ("machine-translated", "")


# --- the record format, old and new --------------------------------------------------------


def as_version_1(site: Path) -> str:
    """Rewrite the record as version 1 wrote it; return the new text."""
    from translate.records.fingerprints import settings_digest_v1

    lines = (site / RECORD).read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[0])
    old = {
        "format": "hugo-translate/record/1",
        "source": entry["source"],
        "target": entry["target"],
        "engine": "pseudo Helsinki-NLP/opus-mt-de-en",
        "source_digest": entry["source_digest"],
        "target_settings": settings_digest_v1(english(site), Settings().translatable_keys),
    }
    text = "\n".join([json.dumps(old, ensure_ascii=False), *lines[1:]]) + "\n"
    (site / RECORD).write_text(text, encoding="utf-8")
    return text


def test_a_version_1_record_is_read_and_upgraded_when_learned(post_site: Path) -> None:
    as_version_1(post_site)
    review(post_site, FIRST, "Corrected first.")

    assert state_of(post_site) == "reviewed"
    code, out, _ = invoke(post_site, "learn")

    assert code == 0, out
    entry = header(post_site)
    assert entry["format"] == "hugo-translate/record/3"
    assert entry["engine"] == "pseudo Helsinki-NLP/opus-mt-de-en"
    assert entry["target_settings"] == {"date": entry["target_settings"]["date"]}  # type: ignore[index]
    assert '"reviewed": "Corrected first."' in (post_site / RECORD).read_text(encoding="utf-8")


def test_a_version_1_record_still_stops_an_update_over_a_changed_setting(
    post_site: Path,
) -> None:
    as_version_1(post_site)
    review(post_site, "2022-01-11T00:00:00Z", "2022-01-12T00:00:00Z")
    edit_german(post_site, "schließt ab", "schließt nun ab")

    code, _, err = translate(post_site)

    assert code == 1
    assert "changed outside the translatable keys; an update would replace it" in err


def test_a_version_1_record_updates_as_before(post_site: Path) -> None:
    as_version_1(post_site)
    edit_german(post_site, "schließt ab", "schließt nun ab")

    code, out, _ = translate(post_site)

    assert code == 0
    assert "updated" in out and pseudo("Der dritte Absatz schließt nun ab.") in english(post_site)
    assert header(post_site)["format"] == "hugo-translate/record/3"


# --- an unchanged re-run reads, but parses nothing --------------------------------------------


def test_an_unchanged_site_is_not_parsed_again(post_site: Path) -> None:
    from translate.markdown import post as post_module

    review(post_site, FIRST, "Corrected first.")
    invoke(post_site, "learn")
    parses = post_module.parse_count

    report = run_site(Settings(backend="pseudo"), post_site, PseudoTranslator)
    _, out, _ = invoke(post_site, "status", "--json")

    assert [r.outcome for r in report.results] == [Outcome.SKIPPED]
    assert json.loads(out)[0]["state"] == "reviewed"
    assert post_module.parse_count == parses


def test_a_new_post_is_parsed_once_and_its_translation_once(post_site: Path) -> None:
    from translate.markdown import post as post_module

    write(post_site / "content/de/post/neu.md", YAML_POST.replace("Der erste", "Ein erster"))
    post_module._read.cache_clear()  # readings of the same text by earlier tests
    parses = post_module.parse_count

    report = run_site(Settings(backend="pseudo"), post_site, PseudoTranslator)

    assert [r.outcome for r in report.results] == [Outcome.WRITTEN, Outcome.SKIPPED]
    assert post_module.parse_count - parses == 2  # the source, then the translation


def test_other_translatable_keys_are_noticed_on_an_unchanged_post(post_site: Path) -> None:
    # The posts match their records' digests, but the keys cut them into other blocks: the
    # summary is no longer translated, and comes back from the source.
    write(post_site / "translate.toml", 'translatable_keys = ["title"]\n')

    assert state_of(post_site) == "outdated"
    code, _, err = translate(post_site)
    assert code == 0, err
    assert "Ein kurzer Überblick." in english(post_site)
    assert pseudo("Ein kurzer Überblick.") not in english(post_site)
    assert state_of(post_site) == "machine-translated"


def test_a_reviewers_edit_is_learned_once_then_the_post_is_fresh(post_site: Path) -> None:
    from translate.records.schema import digest

    review(post_site, FIRST, "Corrected first.")
    invoke(post_site, "learn")

    assert header(post_site)["target_digest"] == digest(english(post_site))


# --- memory entries that do not fit a block ---------------------------------------------------


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        pytest.param("", "is empty", id="empty"),
        pytest.param("One paragraph.\n\nAnother one.", "spans several paragraphs", id="two"),
    ],
)
def test_a_memory_entry_that_does_not_fit_its_block_is_named_and_translated(
    post_site: Path, target: str, problem: str
) -> None:
    imported = post_site / "translation-memory/de-en/imported.jsonl"
    entry = {"source": "Der dritte Absatz schließt ab.", "target": target}
    write(imported, json.dumps(entry, ensure_ascii=False) + "\n")
    write(post_site / "content/de/post/neu.md", YAML_POST)

    code, _, err = translate(post_site)

    assert code == 0, err
    assert "the entry for 'Der dritte Absatz schließt ab.'" in err
    assert f"{problem}; translating it instead" in err
    text = (post_site / "content/en/post/neu.md").read_text(encoding="utf-8")
    assert pseudo("Der dritte Absatz schließt ab.") in text


def test_an_adopted_translation_was_made_by_no_model(post_site: Path) -> None:
    (post_site / RECORD).unlink()
    invoke(post_site, "learn")

    _, out, _ = invoke(post_site, "status", "--json")

    row = json.loads(out)[0]
    assert (row["state"], row["older_model"], row["detail"]) == ("reviewed", False, "")
