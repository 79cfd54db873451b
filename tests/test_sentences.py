"""Sentence splitting as spans of the original text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate import sentences
from translate.sentences import split_sentences


def split(text: str, language: str = "de") -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, language)]


def test_two_sentences_split() -> None:
    assert split("Die Stadt wächst. Der Hafen auch.") == ["Die Stadt wächst.", "Der Hafen auch."]


def test_question_and_exclamation_end_sentences() -> None:
    assert split("Kommen Sie? Ja! Gut.") == ["Kommen Sie?", "Ja!", "Gut."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Partner ist der Artificial Intelligence Center Hamburg (ARIC) e.V. und die Stadt.",
        "Es gibt z. B. Äpfel und Birnen.",
        "Die Veranstaltung ist am 11. Januar 2022 in Hamburg.",
        "Das Projekt wird mit 3,8 Millionen Euro gefördert.",
        "Dr. Müller hält einen Vortrag.",
        "Partner sind u.a. die Stadt und die Universität.",
        "Wir treffen uns am 3. Oktober in Berlin.",
    ],
)
def test_german_abbreviations_and_numbers_do_not_end_a_sentence(sentence: str) -> None:
    assert split(f"{sentence} Das ist gut.") == [sentence, "Das ist gut."]


def test_spans_keep_the_original_whitespace_inside_a_sentence() -> None:
    text = "  Erster  Satz.\t Zweiter\u00a0Satz.  "
    assert split(text) == ["Erster  Satz.", "Zweiter\u00a0Satz."]


def test_single_line_break_is_a_space() -> None:
    text = "Die Initiative beteiligt sich am „AI.STARTUP.HUB\nHamburg“. Das ist gut."
    assert split(text) == [
        "Die Initiative beteiligt sich am „AI.STARTUP.HUB\nHamburg“.",
        "Das ist gut.",
    ]


def test_blank_line_ends_a_sentence() -> None:
    assert split("Erster Teil\n\nzweiter Teil") == ["Erster Teil", "zweiter Teil"]


def test_whitespace_only_text_has_no_sentences() -> None:
    assert split_sentences(" \n\t ", "de") == []


def test_region_subtag_uses_the_language_list() -> None:
    # "Sr." is in the Portuguese list of abbreviations.
    assert split("O Sr. Silva chegou. Tudo bem.", "pt-BR") == ["O Sr. Silva chegou.", "Tudo bem."]


def test_unsupported_language_falls_back_to_the_english_list() -> None:
    assert split("Mr. Smith arrived. All good.", "zh_CN") == ["Mr. Smith arrived.", "All good."]


def test_misaligned_splitter_output_gives_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    class Garbled:
        def split(self, text: str) -> list[str]:
            return ["Etwas", "anderes."]

    monkeypatch.setattr(sentences, "_splitter", lambda language: Garbled())
    assert split_sentences("  Ein Satz. Noch einer. ", "de") == [(2, 23)]


_PROSE = st.text(
    alphabet=st.sampled_from(list('aZ.?!,“„"() 3\n\t\u00a0\u2009')) | st.characters(),
    max_size=80,
)


@given(text=_PROSE, language=st.sampled_from(["de", "en", "fr", "xx", "pt-BR"]))
def test_spans_cover_every_non_whitespace_character_once(text: str, language: str) -> None:
    spans = split_sentences(text, language)
    ends = [0, *(bound for span in spans for bound in span), len(text)]
    assert ends == sorted(ends)
    assert all(start < end for start, end in spans)
    assert all(text[start:end] == text[start:end].strip() for start, end in spans)
    gaps = [text[ends[i] : ends[i + 1]] for i in range(0, len(ends), 2)]
    assert all(not gap.strip() for gap in gaps)
