"""Sentence splitting as spans of the original text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.markdown import sentences
from translate.markdown.sentences import split_sentences


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


# Long text: bounded work, the same sentences


_WORD = st.text(alphabet=st.sampled_from(list('aZÄß.?!,;:“„"()3-')), min_size=1, max_size=12)
_GAP = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", "\u00a0", " \n "])


@st.composite
def _long_prose(draw: st.DrawFn) -> str:
    """Words with short gaps: a window never ends in a whitespace run longer than a sentence."""
    words = draw(st.lists(_WORD, max_size=80))
    return draw(_GAP) + "".join(word + draw(_GAP) for word in words)


def _whole_text_split(text: str, language: str) -> list[tuple[int, int]]:
    """Split all of `text` in one call to the splitter, then bound each sentence."""
    return [
        piece
        for start, end in sentences._split_window(text, 0, len(text), language)
        for piece in sentences._bounded(text, start, end)
    ]


@given(text=_long_prose(), language=st.sampled_from(["de", "en"]))
def test_splitting_in_windows_gives_the_sentences_of_one_split(text: str, language: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sentences, "_WINDOW", 60)
        patch.setattr(sentences, "LONGEST_SENTENCE", 20)
        assert split_sentences(text, language) == _whole_text_split(text, language)


def test_the_splitter_sees_bounded_windows_of_a_long_line(monkeypatch: pytest.MonkeyPatch) -> None:
    real = sentences._splitter("de")
    seen: list[int] = []

    class Recording:
        def split(self, text: str) -> list[str]:
            seen.append(len(text))
            return real.split(text)

    monkeypatch.setattr(sentences, "_splitter", lambda language: Recording())
    text = "Der Hafen wächst, sagt Dr. Müller am 3. Oktober. Das ist gut! " * 4_000

    spans = split_sentences(text, "de")

    assert max(seen) <= sentences._WINDOW
    assert [text[start:end] for start, end in spans[:3]] == [
        "Der Hafen wächst, sagt Dr. Müller am 3. Oktober.",
        "Das ist gut!",
        "Der Hafen wächst, sagt Dr. Müller am 3. Oktober.",
    ]
    assert len(spans) == 8_000


def test_a_long_sentence_is_cut_after_clauses() -> None:
    clause = "und dann kam noch ein weiterer Teil des Satzes hinzu, "
    text = "Ein Satz " + clause * 60 + "der endet."

    pieces = split(text)

    assert len(pieces) > 1
    assert all(len(piece) <= sentences.LONGEST_SENTENCE for piece in pieces)
    assert all(piece.endswith(",") for piece in pieces[:-1])
    assert " ".join(pieces) == text


def test_a_long_sentence_without_clauses_is_cut_between_words() -> None:
    text = " ".join(f"Wort{index}" for index in range(600)) + "."

    pieces = split(text)

    assert len(pieces) > 1
    assert all(len(piece) <= sentences.LONGEST_SENTENCE for piece in pieces)
    assert " ".join(pieces) == text


def test_a_word_longer_than_a_sentence_is_cut_where_it_must() -> None:
    text = "Vorher. " + "X" * 2_500 + " nachher."

    pieces = split(text)

    assert pieces[0] == "Vorher."
    assert all(len(piece) <= sentences.LONGEST_SENTENCE for piece in pieces)
    assert "".join(pieces[1:]) == "X" * 2_500 + " nachher."
