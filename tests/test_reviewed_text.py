"""Reviewed text is never lost, and a stranger's text is never taken for a translation.

Each case of issue "Reviewed text is never lost" with its minimal posts: sentence-level
corrections, the needs-review state and how it clears, adoption of existing pages only where
they provably translate their source, settings that change, the direction of a run, posts
that claim one translation, sentence-level memory, and the machine-translation label.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from translate.cli import app
from translate.commands.run import run_site
from translate.hugo.settings import Settings
from translate.translation.backends.simple import PseudoTranslator

SOURCE = Path("content/de/post/projekt.md")
TARGET = Path("content/en/post/projekt.md")
RECORD = Path("translation-memory/de-en/records/post/projekt.md.jsonl")
POST = (
    "---\ntitle: Ein neues Projekt\n---\n\n"
    "Der erste Satz beschreibt das Projekt. Der zweite Satz nennt die Partner. "
    "Der dritte Satz schließt ab.\n\n"
    "Ein zweiter Absatz folgt hier.\n"
)


def pseudo(text: str) -> str:
    return PseudoTranslator().translate([text])[0]


def invoke(site: Path, *args: str) -> tuple[int, str, str]:
    head = 2 if args[0] == "memory" else 1
    result = CliRunner().invoke(app, [*args[:head], "--site", str(site), *args[head:]])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def translate(site: Path, *args: str) -> tuple[int, str, str]:
    return invoke(site, "run", "--backend", "pseudo", *args)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    text = read(path)
    assert old in text, (old, text)
    write(path, text.replace(old, new))


def blocks(site: Path) -> list[dict[str, object]]:
    """Return the record's block entries (not the header)."""
    return [json.loads(line) for line in read(site / RECORD).splitlines()[1:]]


def status(site: Path) -> list[dict[str, object]]:
    _, out, _ = invoke(site, "status", "--json")
    rows: list[dict[str, object]] = json.loads(out)
    return rows


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site with one German post of three sentences in a paragraph, translated."""
    write(tmp_path / SOURCE, POST)
    (tmp_path / "content" / "en").mkdir(parents=True)
    code, _, err = translate(tmp_path)
    assert code == 0, err
    return tmp_path


FIRST = pseudo("Der erste Satz beschreibt das Projekt.")
THIRD = pseudo("Der dritte Satz schließt ab.")
CORRECTED = "The first sentence, corrected by a reviewer."


# --- 1. a correction survives a change to another sentence of its block ------------------


def test_a_corrected_sentence_survives_a_change_to_another_sentence(site: Path) -> None:
    replace_in(site / TARGET, FIRST, CORRECTED)
    replace_in(site / SOURCE, "Der dritte Satz schließt ab.", "Der dritte Satz endet hier.")

    code, out, _ = translate(site)

    english = read(site / TARGET)
    assert code == 0
    assert CORRECTED in english
    assert pseudo("Der dritte Satz endet hier.") in english
    assert THIRD not in english
    assert "needs review" not in out
    row = status(site)[0]
    assert (row["state"], row["needs_review"]) == ("reviewed", 0)


def test_a_reviewed_sentence_whose_german_changed_is_marked_and_kept(site: Path) -> None:
    replace_in(site / TARGET, FIRST, CORRECTED)
    replace_in(site / SOURCE, "Der erste Satz beschreibt", "Der erste Satz erklärt")

    _, dry, _ = translate(site, "--dry-run")
    assert "re-translate line 5 (paragraph): replaces reviewed text, needs review" in dry
    assert CORRECTED in read(site / TARGET)  # a dry run writes nothing
    code, out, _ = translate(site)

    assert code == 0
    assert "re-translated line 5 (paragraph): replaces reviewed text, needs review" in out
    assert "1 block replaced reviewed text (needs review)" in out
    assert CORRECTED not in read(site / TARGET)
    block = blocks(site)[1]
    assert block["needs_review"] is True
    assert CORRECTED in str(block["replaced"])
    row = status(site)[0]
    assert (row["state"], row["needs_review"]) == ("needs review", 1)
    # The replaced English is still a reviewer's: the German back, the English back.
    replace_in(site / SOURCE, "Der erste Satz erklärt", "Der erste Satz beschreibt")
    translate(site)
    assert CORRECTED in read(site / TARGET)


def test_check_warns_of_blocks_that_need_review_and_fails_with_strict(site: Path) -> None:
    replace_in(site / TARGET, FIRST, CORRECTED)
    replace_in(site / SOURCE, "Der erste Satz beschreibt", "Der erste Satz erklärt")
    translate(site)

    _, out, _ = invoke(site, "check", "--format", "json")
    strict, _, _ = invoke(site, "check", "--strict")

    needs = [f for f in json.loads(out) if f["code"] == "needs-review"]
    assert [(f["path"], f["line"], f["severity"]) for f in needs] == [(str(TARGET), 5, "warning")]
    assert strict == 1


def test_an_edit_clears_the_mark(site: Path) -> None:
    replace_in(site / TARGET, FIRST, CORRECTED)
    replace_in(site / SOURCE, "Der erste Satz beschreibt", "Der erste Satz erklärt")
    translate(site)

    replace_in(site / TARGET, pseudo("Der erste Satz erklärt das Projekt."), "Explained again.")
    invoke(site, "learn")

    assert blocks(site)[1].get("needs_review") is None
    assert status(site)[0]["state"] == "reviewed"


def test_approve_clears_the_mark_and_counts_the_block_reviewed(site: Path) -> None:
    replace_in(site / TARGET, FIRST, CORRECTED)
    replace_in(site / SOURCE, "Der erste Satz beschreibt", "Der erste Satz erklärt")
    translate(site)
    before = read(site / TARGET)

    code, out, err = invoke(site, "approve", str(site / TARGET), "--line", "5")

    assert code == 0, err
    assert out == f"approved {TARGET}: line 5 (paragraph)\n"
    assert read(site / TARGET) == before  # only the record changes
    block = blocks(site)[1]
    assert (block.get("needs_review"), block.get("approved")) == (None, True)
    assert status(site)[0]["state"] == "reviewed"


def test_approve_refuses_a_line_that_holds_no_block(site: Path) -> None:
    """Found in the field: a blank line, or one past the end, approved the block above it."""
    before = read(site / RECORD)
    for line in ("6", "9999"):  # the blank line after the paragraph; past the end
        code, _, err = invoke(site, "approve", str(site / TARGET), "--line", line)
        assert code == 1
        assert f"no translated block at line {line}" in err
    assert read(site / RECORD) == before
    code, out, _ = invoke(site, "approve", str(site / TARGET), "--line", "7")
    assert (code, out) == (0, f"approved {TARGET}: line 7 (paragraph)\n")


def test_approving_a_whole_post_lists_its_blocks_in_file_order(tmp_path: Path) -> None:
    write(
        tmp_path / SOURCE,
        POST.replace("Ein zweiter", '<img src="a.jpg" alt="Bild">\n\nEin zweiter'),
    )
    (tmp_path / "content" / "en").mkdir(parents=True)
    translate(tmp_path)

    code, out, err = invoke(tmp_path, "approve", str(tmp_path / SOURCE))

    assert code == 0, err
    # Raw HTML blocks come last in a post's record; the message follows the file.
    assert out == (
        f"approved {TARGET}: line 2 (front matter), line 5 (paragraph), line 7 (html), "
        "line 9 (paragraph)\n"
    )


def test_a_reviewed_title_replaced_is_marked_too(site: Path) -> None:
    replace_in(site / TARGET, pseudo("Ein neues Projekt"), "A new project")
    replace_in(site / SOURCE, "title: Ein neues Projekt", "title: Ein neueres Projekt")

    _, out, _ = translate(site)

    assert "re-translated line 2 (title): replaces reviewed text, needs review" in out
    assert blocks(site)[0]["replaced"] == "A new project"


def test_a_sentence_appended_keeps_the_reviewed_one_before_it(site: Path) -> None:
    replace_in(site / TARGET, pseudo("Ein zweiter Absatz folgt hier."), "A second paragraph.")
    second = "Ein zweiter Absatz folgt hier."
    replace_in(site / SOURCE, second, f"{second} Noch einer.")

    _, out, _ = translate(site)

    assert "A second paragraph. " + pseudo("Noch einer.") in read(site / TARGET)
    assert "needs review" not in out


# --- 2. a stranger's page is never adopted as a translation ------------------------------


def test_an_unrelated_existing_page_is_neither_learned_nor_used(tmp_path: Path) -> None:
    write(tmp_path / "content/de/a.md", "Platzhalter.\n")
    write(tmp_path / "content/en/a.md", "Something else entirely.\n\n- One\n- Two\n- Three\n")
    write(tmp_path / "content/de/c.md", "Platzhalter.\n")

    code, _, _ = translate(tmp_path)
    _, exported, _ = invoke(tmp_path, "memory", "export", str(tmp_path / "m.tmx"))

    assert code == 0
    assert read(tmp_path / "content/en/c.md") == pseudo("Platzhalter.") + "\n"
    assert "0 entries written" in exported
    assert read(tmp_path / "content/en/a.md").startswith("Something else")  # never overwritten
    rows = {row["source"]: row for row in status(tmp_path)}
    assert rows["content/de/a.md"]["state"] == "human"


def test_an_existing_translation_that_lines_up_is_learned_where_it_proves_itself(
    tmp_path: Path,
) -> None:
    german = "Ein Satz mit einem [Link](https://example.org/).\n\nNoch ein ganz anderer Absatz.\n"
    english = (
        "A sentence with a [link](https://example.org/).\n\n"
        "Noch ein ganz anderer Absatz.\n"  # left in German: not a translation
    )
    write(tmp_path / "content/de/a.md", german)
    write(tmp_path / "content/en/a.md", english)

    invoke(tmp_path, "learn")

    record = read(tmp_path / "translation-memory/de-en/records/a.md.jsonl")
    entries = [json.loads(line) for line in record.splitlines()[1:]]
    assert [entry.get("proven", True) for entry in entries] == [True, False]


# --- 3. settings may change at any time --------------------------------------------------


def test_a_key_made_translatable_is_translated_in_place(site: Path) -> None:
    replace_in(
        site / SOURCE,
        "title: Ein neues Projekt\n",
        "title: Ein neues Projekt\nmeta:\n  description: Eine Beschreibung.\n",
    )
    translate(site)
    replace_in(site / TARGET, FIRST, CORRECTED)
    write(site / "translate.toml", 'translatable_keys = ["title", "meta.description"]\n')

    assert status(site)[0]["state"] == "outdated"
    code, _, err = translate(site)

    assert code == 0, err
    english = read(site / TARGET)
    assert pseudo("Eine Beschreibung.") in english
    assert CORRECTED in english
    assert status(site)[0]["state"] == "reviewed"


def test_a_shortcode_made_markdown_has_its_text_translated(tmp_path: Path) -> None:
    write(
        tmp_path / SOURCE,
        "---\ntitle: T\n---\n\n{{< box >}}\nIm Kasten.\n{{< /box >}}\n\nDraußen.\n",
    )
    translate(tmp_path)
    assert "Im Kasten." in read(tmp_path / TARGET)
    write(tmp_path / "translate.toml", 'markdown_shortcodes = ["box"]\n')

    assert status(tmp_path)[0]["state"] == "outdated"
    code, _, err = translate(tmp_path)

    assert code == 0, err
    assert pseudo("Im Kasten.") in read(tmp_path / TARGET)
    assert status(tmp_path)[0]["state"] == "machine-translated"


# --- 4. the direction of a run -----------------------------------------------------------


def test_the_reverse_direction_is_refused(site: Path) -> None:
    code, _, err = invoke(site, "run", "--backend", "pseudo", "--from", "en", "--to", "de")

    assert code == 1
    assert "translations from 'de'" in err and "--from de" in err
    assert not (site / "translation-memory/en-de/records").exists()


ENGLISH_POST = (
    "---\ntitle: A post\n---\n\nThis post is written in English, not in German at all. "
    "It tells about the project and its partners, and how the work went this year.\n"
)


def test_posts_mostly_in_another_language_are_refused(tmp_path: Path) -> None:
    for n in range(3):
        write(tmp_path / f"content/de/p{n}.md", ENGLISH_POST)

    code, _, err = translate(tmp_path)

    assert code == 1
    assert "read as 'en', not 'de' (3 of 3)" in err
    assert not (tmp_path / "content/en/p0.md").exists()


def test_one_post_in_another_language_is_a_warning(tmp_path: Path) -> None:
    dutch = (
        "Dit bericht is in het Nederlands geschreven en niet in het Duits. Het vertelt over "
        "het project en de partners, en hoe het werk dit jaar ging."
    )
    write(tmp_path / "content/de/nl.md", ENGLISH_POST.replace(ENGLISH_POST.split("\n")[4], dutch))
    for n in range(3):
        write(tmp_path / f"content/de/p{n}.md", POST)

    code, _, err = translate(tmp_path)

    assert code == 0
    assert "content/de/nl.md: reads as 'nl', not 'de'" in err


# --- 5. two posts claiming one translation ----------------------------------------------


def test_two_posts_with_one_translation_key_are_both_refused(tmp_path: Path) -> None:
    write(tmp_path / "content/de/a.md", "---\ntitle: A\ntranslationKey: same\n---\n\nErster.\n")
    translate(tmp_path)
    write(tmp_path / "content/de/b.md", "---\ntitle: B\ntranslationKey: same\n---\n\nZweiter.\n")
    before = read(tmp_path / "content/en/a.md")

    code, _, err = translate(tmp_path)

    assert code == 1
    assert err.count("claim the same translation") == 2
    assert "content/de/a.md and content/de/b.md" in err
    assert read(tmp_path / "content/en/a.md") == before
    assert not (tmp_path / "content/en/b.md").exists()


# --- 6. the memory sentence by sentence ------------------------------------------------


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="de" segtype="sentence" datatype="plaintext"
 o-tmf="test" adminlang="en" creationtool="test" creationtoolversion="1"/><body>
<tu><tuv xml:lang="de"><seg>Der zweite Satz nennt die Partner.</seg></tuv>
<tuv xml:lang="en"><seg>The second sentence names the partners.</seg></tuv></tu>
</body></tmx>
"""


def test_sentence_entries_from_a_tmx_serve_paragraphs(tmp_path: Path) -> None:
    write(tmp_path / SOURCE, POST)
    write(tmp_path / "memory.tmx", TMX)
    invoke(tmp_path, "memory", "import", str(tmp_path / "memory.tmx"))

    translate(tmp_path)

    english = read(tmp_path / TARGET)
    assert f"{FIRST} The second sentence names the partners. {THIRD}" in english


def test_export_writes_reviewed_sentences_never_unreviewed_output(site: Path) -> None:
    replace_in(site / TARGET, FIRST, CORRECTED)
    invoke(site, "learn")

    _, _, _ = invoke(site, "memory", "export", str(site / "s.tmx"))
    _, _, _ = invoke(site, "memory", "export", str(site / "b.tmx"), "--blocks")

    sentences, whole = read(site / "s.tmx"), read(site / "b.tmx")
    assert "<seg>Der erste Satz beschreibt das Projekt.</seg>" in sentences
    assert CORRECTED in sentences and THIRD not in sentences
    assert f"{CORRECTED} " in whole and THIRD in whole


# --- the machine-translation label (opt-in) ----------------------------------------------


def test_the_label_is_set_on_machine_text_and_goes_once_all_is_approved(tmp_path: Path) -> None:
    write(tmp_path / "translate.toml", 'machine_translated_key = "machineTranslated"\n')
    write(tmp_path / SOURCE, POST)
    translate(tmp_path)
    assert "machineTranslated: true\n" in read(tmp_path / TARGET)
    code, out, _ = invoke(tmp_path, "check")
    assert code == 0 or "front-matter-key-added" not in out

    invoke(tmp_path, "approve", str(tmp_path / TARGET))

    assert "machineTranslated" not in read(tmp_path / TARGET)
    _, again, _ = translate(tmp_path)
    assert "skipped" in again  # the label's removal is not a change to translate


# --- the property: no corrected sentence disappears without a mark -----------------------

_WORDS = ["Hund", "Katze", "Brücke", "Straße", "Partner", "Projekt", "Bahnhof", "Garten"]
_VERBS = ["beschreibt", "nennt", "sucht", "findet"]


@st.composite
def reviewed_changes(draw: st.DrawFn) -> tuple[list[list[str]], set[int], set[int], set[int]]:
    """Draw paragraphs of distinct sentences, which of them a reviewer corrects, and which
    of them change in German afterwards (by index over all sentences), plus where a new
    sentence is added (after the sentence with that index)."""
    count = draw(st.integers(2, 7))
    sentences = [
        f"Satz {n} {draw(st.sampled_from(_VERBS))} den {draw(st.sampled_from(_WORDS))}."
        for n in range(count)
    ]
    cuts = sorted(draw(st.sets(st.integers(1, count - 1), max_size=2)))
    paragraphs = [sentences[a:b] for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
    corrected = draw(st.sets(st.integers(0, count - 1), min_size=1))
    changed = draw(st.sets(st.integers(0, count - 1)))
    added = draw(st.sets(st.integers(0, count - 1), max_size=1))
    return paragraphs, corrected, changed, added


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reviewed_changes())
def test_no_corrected_sentence_disappears_without_a_mark(
    tmp_path_factory: pytest.TempPathFactory,
    case: tuple[list[list[str]], set[int], set[int], set[int]],
) -> None:
    paragraphs, corrected, changed, added = case
    site = tmp_path_factory.mktemp("site")
    flat = [sentence for paragraph in paragraphs for sentence in paragraph]
    german = "---\ntitle: T\n---\n\n" + "\n\n".join(" ".join(p) for p in paragraphs) + "\n"
    write(site / SOURCE, german)
    run_site(Settings(backend="pseudo"), site, PseudoTranslator)
    english = read(site / TARGET)
    fixes = {n: f"Corrected number {n} here." for n in corrected}
    for n, fix in fixes.items():
        english = english.replace(pseudo(flat[n]), fix)
    write(site / TARGET, english)
    edited = [
        sentence.replace("Satz", "Neuer Satz") if n in changed else sentence
        for n, sentence in enumerate(flat)
    ]
    text = german
    for n, (old, new) in enumerate(zip(flat, edited, strict=True)):
        extra = " Ein ganz neuer Satz." if n in added else ""
        text = text.replace(old, new + extra)
    write(site / SOURCE, text)

    report = run_site(Settings(backend="pseudo"), site, PseudoTranslator)

    assert all(r.error is None for r in report.results), report.results
    after = read(site / TARGET)
    entries = blocks(site)
    replaced = " ".join(str(b.get("replaced", "")) for b in entries if b.get("needs_review"))
    for n, fix in fixes.items():
        if n in changed:
            assert fix not in after and fix in replaced, (n, after, entries)
        else:
            # Kept in the post, or (its block's alignment uncertain) marked and recorded.
            assert fix in after or fix in replaced, (n, after, entries)


def test_an_emptied_paragraph_is_kept_but_never_learned(site: Path) -> None:
    replace_in(site / TARGET, pseudo("Ein zweiter Absatz folgt hier."), "\u200b")
    invoke(site, "learn")
    other = "---\ntitle: Zwei\n---\n\nEin zweiter Absatz folgt hier.\n"
    write(site / "content/de/post/zwei.md", other)

    translate(site)

    assert "\u200b" in read(site / TARGET)  # a person's, even if odd: never overwritten
    assert pseudo("Ein zweiter Absatz folgt hier.") in read(site / "content/en/post/zwei.md")


def test_a_translation_that_links_inside_the_site_is_written_through(site: Path) -> None:
    real = site / "content/en/shared/projekt.md"
    real.parent.mkdir(parents=True)
    (site / TARGET).rename(real)
    (site / TARGET).symlink_to(real)
    replace_in(site / SOURCE, "Ein zweiter Absatz folgt hier.", "Ein zweiter Absatz endet hier.")

    code, _, err = translate(site)

    assert code == 0, err
    assert (site / TARGET).is_symlink()
    assert pseudo("Ein zweiter Absatz endet hier.") in read(real)


def test_check_names_an_invisible_translation_and_a_fifo_target(site: Path) -> None:
    import os

    replace_in(site / TARGET, pseudo("Ein zweiter Absatz folgt hier."), "\u200b")
    write(site / "content/de/post/fifo.md", "---\ntitle: F\n---\n\nText.\n")
    os.mkfifo(site / "content/en/post/fifo.md")

    code, out, _ = invoke(site, "check", "--format", "json")

    found = {(f["path"], f["code"]) for f in json.loads(out)}
    assert code == 1
    assert (str(TARGET), "invisible-translation") in found
    assert ("content/en/post/fifo.md", "unparseable") in found
