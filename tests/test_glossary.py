"""Loading the CSV glossaries and finding their terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.errors import GlossaryError
from translate.translation import glossary as glossary_module
from translate.translation.glossary import Glossary, Term

SITE = Path(__file__).resolve().parent.parent
SAMPLE_POST = SITE / "content" / "de" / "post" / "ai-startup-hub" / "index.md"


def parse(text: str, source: str = "de", target: str = "en") -> Glossary:
    return Glossary.parse(text, source, target, origin="glossary/x.csv")


def parse_error(text: str, source: str = "de", target: str = "en") -> GlossaryError:
    with pytest.raises(GlossaryError) as caught:
        parse(text, source, target)
    return caught.value


def found(glossary: Glossary, text: str) -> list[str]:
    return [text[match.start : match.end] for match in glossary.find(text)]


# Reading rows


def test_row_with_identical_cells_is_a_name() -> None:
    glossary = parse("de,en\nAI.STARTUP.HUB,AI.STARTUP.HUB\n")
    assert glossary.terms == (Term("AI.STARTUP.HUB", None, "glossary/x.csv:2"),)


def test_row_with_empty_target_is_a_name() -> None:
    assert parse("de,en\nBMWi,\n").terms[0].target is None


def test_row_with_different_target_is_a_fixed_translation() -> None:
    glossary = parse("de,en\nKI-Startups,AI startups\n")
    assert glossary.terms[0].target == "AI startups"


def test_row_with_empty_source_is_ignored() -> None:
    assert len(parse("de,en\n,AI startups\n")) == 0


def test_pair_picks_its_columns_from_many_languages() -> None:
    glossary = parse("en,fr,de\nAI startups,start-up d'IA,KI-Startups\n", "fr", "de")
    assert glossary.terms[0] == Term("start-up d'IA", "KI-Startups", "glossary/x.csv:2")


def test_language_codes_ignore_case_and_separator() -> None:
    glossary = parse("pt-BR,ZH_cn\nolá,你好\n", "pt_br", "zh-CN")
    assert glossary.terms[0].target == "你好"


def test_quoted_cell_may_contain_a_comma() -> None:
    glossary = parse('de,en\n"Forschung, Entwicklung","research, development"\n')
    assert glossary.terms[0].source == "Forschung, Entwicklung"


def test_comments_and_blank_lines_are_skipped_and_lines_still_counted() -> None:
    glossary = parse("# names\n\nde,en\n# more\n\nBMWi,BMWi\n")
    assert glossary.terms[0].origin == "glossary/x.csv:6"


def test_cells_are_stripped() -> None:
    glossary = parse("de, en\n KI-Startups , AI startups \n")
    assert glossary.terms[0] == Term("KI-Startups", "AI startups", "glossary/x.csv:2")


def test_byte_order_mark_is_ignored() -> None:
    assert len(parse("\ufeffde,en\nBMWi,BMWi\n")) == 1


def test_same_term_twice_identically_is_kept_once() -> None:
    assert len(parse("de,en\nBMWi,BMWi\nBMWi,\n")) == 1


# Errors, each one line with its place


def test_header_with_a_non_language_cell_fails_on_its_line() -> None:
    error = parse_error("# comment\nGerman,English\nBMWi,BMWi\n")
    assert (error.line, "'German' is not a language code" in str(error)) == (2, True)


def test_header_with_an_empty_cell_fails_on_line_1() -> None:
    assert parse_error(",\n").line == 1


def test_file_without_a_header_fails_on_line_1() -> None:
    error = parse_error("# only a comment\n")
    assert (error.line, "'de,en'" in str(error)) == (1, True)


def test_duplicated_language_column_fails_on_line_1() -> None:
    error = parse_error("de,en,DE\nBMWi,BMWi,BMWi\n")
    assert (error.line, "two columns" in str(error)) == (1, True)


def test_missing_pair_column_names_the_columns_there_are() -> None:
    error = parse_error("de,en\nBMWi,BMWi\n", "de", "fr")
    assert str(error).startswith("glossary/x.csv:1: no 'fr' column (columns: de, en) — ")


def test_row_with_too_many_cells_fails_on_its_line() -> None:
    error = parse_error("de,en\nBMWi,BMWi\nForschung, Entwicklung,research\n")
    assert (error.line, "3 cells but the header has 2 columns" in str(error)) == (3, True)


def test_row_with_too_few_cells_fails_on_its_line() -> None:
    assert parse_error("de,en,fr\nBMWi,BMWi\n").line == 2


def test_row_with_an_unterminated_quote_fails_on_its_line() -> None:
    assert parse_error('de,en\nBMWi,BMWi\n"KI-Startups,AI startups\n').line == 3


def test_two_translations_of_one_term_name_both_places() -> None:
    error = parse_error("de,en\nKI-Startups,AI startups\nKI-Startups,AI start-ups\n")
    assert (error.line, "glossary/x.csv:2" in str(error)) == (3, True)


def test_name_and_translation_of_one_term_conflict() -> None:
    error = parse_error("de,en\nMLE,MLE\nMLE,machine learning\n")
    assert "kept as a name" in str(error)


def test_errors_are_one_line() -> None:
    texts = ["Deutsch,en\n", "de,en\nBMWi,BMWi,BMWi\n", "de,en\nA,B\nA,C\n"]
    messages = [str(parse_error(text)) for text in texts]
    assert all("\n" not in message for message in messages)


# Loading a folder


def test_missing_folder_is_an_empty_glossary(tmp_path: Path) -> None:
    assert not Glossary.load(tmp_path / "glossary", "de", "en")


def test_folder_files_are_read_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("de,en\nMLE,MLE\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text("de,en\nBMWi,BMWi\n", encoding="utf-8")
    glossary = Glossary.load(tmp_path, "de", "en")
    assert [term.origin for term in glossary.terms] == [
        f"{tmp_path / 'a.csv'}:2",
        f"{tmp_path / 'b.csv'}:2",
    ]


def test_conflict_across_files_names_both_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("de,en\nMLE,MLE\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("de,en\nMLE,machine learning\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        Glossary.load(tmp_path, "de", "en")
    assert str(caught.value).startswith(f"{tmp_path / 'b.csv'}:2: 'MLE' is translated as")
    assert f"{tmp_path / 'a.csv'}:2" in str(caught.value)


def test_file_not_in_utf8_fails_on_the_bad_line(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes("de,en\nBMWi,BMWi\nFörderung,funding\n".encode("latin-1"))
    with pytest.raises(GlossaryError) as caught:
        Glossary.load(tmp_path, "de", "en")
    assert (caught.value.line, "not UTF-8" in str(caught.value)) == (3, True)


def test_file_with_byte_order_mark_loads(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("de,en\nBMWi,BMWi\n", encoding="utf-8-sig")
    assert len(Glossary.load(tmp_path, "de", "en")) == 1


# Finding terms


def test_find_prefers_the_longest_term_at_a_position() -> None:
    glossary = Glossary([Term("Hamburg", None, "t"), Term("Hamburg Innovation GmbH", None, "t")])
    assert found(glossary, "Die Hamburg Innovation GmbH ist in Hamburg.") == [
        "Hamburg Innovation GmbH",
        "Hamburg",
    ]


def test_find_needs_whole_words() -> None:
    glossary = Glossary([Term("Hamburg", None, "t")])
    assert found(glossary, "Ein Hamburger aus Hamburg_2 und 2Hamburg") == []


def test_find_allows_punctuation_around_a_term() -> None:
    glossary = Glossary([Term("BMWi", None, "t"), Term("AI.STARTUP.HUB", None, "t")])
    text = "BMWi-Förderung für „AI.STARTUP.HUB“ und AI.STARTUP.HUB Hamburg"
    assert found(glossary, text) == ["BMWi", "AI.STARTUP.HUB", "AI.STARTUP.HUB"]


def test_find_is_case_sensitive() -> None:
    glossary = Glossary([Term("BMWi", None, "t")])
    assert found(glossary, "https://www.bmwi.de/ BMWI") == []


def test_find_treats_regex_characters_literally() -> None:
    glossary = Glossary([Term("Center Hamburg (ARIC) e.V.", None, "t")])
    assert found(glossary, "Center Hamburg (ARIC) eXV. und Center Hamburg (ARIC) e.V. dazu") == [
        "Center Hamburg (ARIC) e.V."
    ]


def test_find_matches_a_term_across_a_line_break() -> None:
    glossary = Glossary([Term("Metropolregion Hamburg", "Hamburg Metropolitan Region", "t")])
    (match,) = glossary.find("aus der Metropolregion\nHamburg hinsichtlich")
    assert match.term.target == "Hamburg Metropolitan Region"


def test_find_in_empty_glossary_finds_nothing() -> None:
    assert Glossary().find("BMWi") == []


# Digest


def test_digest_ignores_term_order_and_origin() -> None:
    one = Glossary([Term("A", None, "x:1"), Term("B", "b", "x:2")])
    other = Glossary([Term("B", "b", "y:9"), Term("A", None, "y:3")])
    assert one.digest() == other.digest()


def test_digest_changes_with_a_translation() -> None:
    one = Glossary([Term("B", "b", "x:1")])
    other = Glossary([Term("B", "c", "x:1")])
    assert one.digest() != other.digest()


def test_digest_is_16_hex_characters() -> None:
    assert len(Glossary().digest()) == 16 and int(Glossary().digest(), 16) >= 0


# The site's own glossary


def test_site_glossary_finds_the_names_of_the_sample_post() -> None:
    glossary = Glossary.load(SITE / "glossary", "de", "en")
    names = {match.term.source for match in glossary.find(SAMPLE_POST.read_text("utf-8"))}
    assert names >= {
        "AI.STARTUP.HUB",
        "BMWi",
        "MLE",
        "Hamburg Innovation GmbH",
        "Artificial Intelligence Center Hamburg (ARIC) e.V.",
        "AI for Hamburg GmbH (AI.Hamburg)",
    }


def test_site_glossary_finds_names_in_the_summary() -> None:
    glossary = Glossary.load(SITE / "glossary", "de", "en")
    text = "Die MLE-Initiative beteiligt sich am „AI.STARTUP.HUB Hamburg“"
    assert found(glossary, text) == ["MLE", "AI.STARTUP.HUB"]


def test_site_glossary_terms_all_occur_in_the_sample_post() -> None:
    glossary = Glossary.load(SITE / "glossary", "de", "en")
    matches = glossary.find(SAMPLE_POST.read_text("utf-8"))
    translated = {term.source for term in glossary.terms if term.target is not None}
    assert translated <= {match.term.source for match in matches}


# Finding terms: the one-pass pattern against the definition

_TERM_CHARACTERS = "ab.-é_1 "
_TEXT_CHARACTERS = _TERM_CHARACTERS + "\n\t\u00a0("


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def _match_at(source: str, text: str, start: int) -> int | None:
    """Return where `source` ends if it matches `text` at `start`, by the definition."""
    position = start
    for character in source:
        if character == " ":
            if position >= len(text) or not text[position].isspace():
                return None
            while position < len(text) and text[position].isspace():
                position += 1
        elif position < len(text) and text[position] == character:
            position += 1
        else:
            return None
    return position


def reference_find(terms: list[str], text: str) -> list[tuple[int, int, str]]:
    """Find terms the slow way: at each position, the longest term that is a whole word."""
    ordered = sorted(terms, key=lambda source: (-len(source), source))
    found: list[tuple[int, int, str]] = []
    position = 0
    while position < len(text):
        if position == 0 or not _is_word(text[position - 1]):
            for source in ordered:
                end = _match_at(source, text, position)
                if end is not None and (end == len(text) or not _is_word(text[end])):
                    found.append((position, end, source))
                    position = end
                    break
            else:
                position += 1
            continue
        position += 1
    return found


@st.composite
def _sources(draw: st.DrawFn) -> list[str]:
    """Draw term sources, many of them ending inside others (where longest-first matters)."""
    words = draw(st.lists(st.text(alphabet=_TERM_CHARACTERS, min_size=1, max_size=6), max_size=6))
    cuts = [word[: draw(st.integers(1, len(word)))] for word in words]
    return sorted({" ".join(text.split()) for text in [*words, *cuts]} - {""})


@st.composite
def _terms_and_text(draw: st.DrawFn) -> tuple[list[str], str]:
    """Draw term sources and a text made of them (wrapped across lines) and other characters."""
    sources = draw(_sources())
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        if sources and draw(st.booleans()):
            space = draw(st.sampled_from([" ", "\n", " \t "]))
            parts.append(draw(st.sampled_from(sources)).replace(" ", space))
        parts.append(draw(st.text(alphabet=_TEXT_CHARACTERS, min_size=1, max_size=2)))
    return sources, "".join(parts)


@given(_terms_and_text())
def test_find_agrees_with_the_definition(case: tuple[list[str], str]) -> None:
    sources, text = case
    glossary = Glossary(Term(source, None, "t") for source in sources)
    got = [(match.start, match.end, match.term.source) for match in glossary.find(text)]
    assert got == reference_find(sources, text)


@given(_terms_and_text())
def test_find_agrees_with_the_definition_when_deep_terms_are_flattened(
    case: tuple[list[str], str],
) -> None:
    sources, text = case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(glossary_module, "_MAX_NESTING", 0)
        glossary = Glossary(Term(source, None, "t") for source in sources)
    got = [(match.start, match.end, match.term.source) for match in glossary.find(text)]
    assert got == reference_find(sources, text)


def test_find_handles_terms_nested_hundreds_deep() -> None:
    # Each term ends inside the next: one nested group per term would overflow the compiler.
    sources = ["W" * count for count in range(1, 601)]
    glossary = Glossary(Term(source, None, "t") for source in sources)
    text = f"vor {'W' * 700} {'W' * 600}, {'W' * 100}."
    assert [match.term.source for match in glossary.find(text)] == [sources[-1], sources[99]]


def test_find_in_a_glossary_of_ten_thousand_terms() -> None:
    terms = [Term(f"Begriff{index} Nummer", f"term {index}", "t") for index in range(10_000)]
    glossary = Glossary([*terms, Term("Begriff7", None, "t")])
    text = "Der Begriff7 Nummer und Begriff7, dann Begriff9999\nNummer und Begriff10000 Nummer."
    assert found(glossary, text) == ["Begriff7 Nummer", "Begriff7", "Begriff9999\nNummer"]


# --- the case column: fixed translations capitalised at a sentence start, or kept ------------


def test_a_case_column_marks_translations_whose_case_is_fixed() -> None:
    glossary = Glossary.parse(
        "de,case,en\nZivilgesellschaft,,civil society\nSmartphone,fixed,iPhone\n", "de", "en"
    )
    terms = {term.source: (term.target, term.fixed_case) for term in glossary.terms}
    assert terms == {"Zivilgesellschaft": ("civil society", False), "Smartphone": ("iPhone", True)}


def test_a_case_cell_other_than_fixed_is_an_error_with_its_line() -> None:
    with pytest.raises(GlossaryError, match="neither 'fixed' nor empty") as raised:
        Glossary.parse("de,en,case\nA,b,\nC,d,always\n", "de", "en")
    assert raised.value.line == 3


def test_the_digest_of_a_glossary_without_fixed_case_is_what_it_was() -> None:
    plain = Glossary.parse("de,en\nZivilgesellschaft,civil society\n", "de", "en")
    with_column = Glossary.parse("de,en,case\nZivilgesellschaft,civil society,\n", "de", "en")
    fixed = Glossary.parse("de,en,case\nZivilgesellschaft,civil society,fixed\n", "de", "en")
    assert plain.digest() == with_column.digest() != fixed.digest()


def test_a_term_starting_a_sentence_heading_or_title_is_capitalised() -> None:
    from translate import translate_text

    class English:
        """Translates the words around the terms, and nothing else."""

        def translate(self, texts: list[str]) -> list[str]:
            words = {"heute": "today", "mal wieder": "once again", "Die": "The", "lebt": "lives"}
            for german, english in words.items():
                texts = [text.replace(german, english) for text in texts]
            return texts

    glossary = Glossary.parse(
        "de,en,case\nZivilgesellschaft,civil society,\nSmartphone,iPhone,fixed\n", "de", "en"
    )
    text = (
        "---\ntitle: Zivilgesellschaft heute\n---\n## Zivilgesellschaft (mal wieder)\n\n"
        "Die Zivilgesellschaft lebt. Zivilgesellschaft ist da. „Smartphone“ kaufen.\n"
    )
    output = translate_text(text, English(), glossary=glossary)
    assert "title: Civil society today" in output
    assert "## Civil society (once again)" in output
    assert "The civil society lives. Civil society ist da. „iPhone“ kaufen." in output
