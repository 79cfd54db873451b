"""Numbers, dates and times across locales (CLDR through Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.translation.numbers import NumberRules, locale_for

# One German paragraph and faithful translations of it, written by hand.
GERMAN = (
    "Das Projekt startete am 11. Januar 2022 mit 3,8 Millionen Euro.\n"
    "Über 1.000 Teilnehmende kamen am 20.07. um 16:15 Uhr, 5 % mehr als geplant."
)
FAITHFUL = {
    "en": (
        "The project started on January 11, 2022 with 3.8 million euros.\n"
        "More than 1,000 participants came on July 20 at 4:15 pm, 5% more than planned."
    ),
    "fr": (
        "Le projet a démarré le 11 janvier 2022 avec 3,8 millions d'euros.\n"
        "Plus de 1 000 participants sont venus le 20 juillet à 16 h 15, 5 % de plus que prévu."
    ),
    "pl": (
        "Projekt rozpoczął się 11 stycznia 2022 r. z budżetem 3,8 mln euro.\n"
        "Ponad 1000 uczestników przybyło 20 lipca o 16:15, o 5% więcej niż planowano."
    ),
}


@pytest.mark.parametrize("target", sorted(FAITHFUL))
def test_faithful_translation_of_german_has_every_number(target: str) -> None:
    assert NumberRules.for_pair("de", target).missing(GERMAN, FAITHFUL[target]) == []


def test_faithful_german_translation_of_english_has_every_number() -> None:
    english = (
        "The project started on Friday, July 19, 2024 with 1,250.5 hours of work.\n"
        "Doors open at 2:30 pm; the talk starts at 4 p.m. on 7/20/2024."
    )
    german = (
        "Das Projekt begann am Freitag, 19. Juli 2024 mit 1.250,5 Arbeitsstunden.\n"
        "Einlass ist um 14:30 Uhr; der Vortrag beginnt um 16 Uhr am 20.07.2024."
    )

    assert NumberRules.for_pair("en", "de").missing(english, german) == []


@pytest.mark.parametrize(
    ("target", "broken", "message"),
    [
        pytest.param(
            "en",
            ("January 11, 2022", "January 12, 2022"),
            '"11. Januar 2022" of the source (line 1) — expected e.g. "January 11, 2022"',
            id="en-date-changed",
        ),
        pytest.param(
            "en",
            ("3.8 million", "38 million"),
            '"3,8" of the source (line 1) — expected "3.8"',
            id="en-decimal-misread",
        ),
        pytest.param(
            "fr",
            ("1 000 participants", "100 participants"),
            '"1.000" of the source (line 2) — expected "1\u202f000"',
            id="fr-thousands-lost",
        ),
        pytest.param(
            "pl",
            ("20 lipca", "21 lipca"),
            '"20.07" of the source (line 2) — expected e.g. "20.07"',
            id="pl-day-changed",
        ),
        pytest.param(
            "en",
            ("4:15 pm", "4:15 am"),
            '"16:15" of the source (line 2) — expected e.g. "4:15\u202fPM"',
            id="en-afternoon-lost",
        ),
    ],
)
def test_changed_number_is_missing_and_described_in_the_target_language(
    target: str, broken: tuple[str, str], message: str
) -> None:
    translation = FAITHFUL[target].replace(*broken)
    assert translation != FAITHFUL[target]

    missing = NumberRules.for_pair("de", target).missing(GERMAN, translation)

    assert [item.describe(source_line=item.line_offset + 1) for item in missing] == [message]


@pytest.mark.parametrize(
    ("german", "english"),
    [
        pytest.param("3,8 Millionen", "3.8 million", id="decimal-comma"),
        pytest.param("1.000 Gäste", "1,000 guests", id="thousands"),
        pytest.param("12.500 Euro", "EUR 12,500", id="thousands-moved"),
        pytest.param("am 11. Januar 2022", "on 11 January 2022", id="date-day-first"),
        pytest.param("am 11. Januar 2022", "on January 11, 2022", id="date-month-first"),
        pytest.param("am 1. Mai", "on May 1st", id="ordinal"),
        pytest.param("am 24.01.2024", "on 1/24/2024", id="numeric-date-us"),
        pytest.param("am 24.01.2024", "on 24/01/2024", id="numeric-date-day-first"),
        pytest.param("bis 31.03.2027", "until 31 March 2027", id="numeric-to-named"),
        pytest.param("um 14:30 Uhr", "at 2:30 pm", id="twelve-hour-clock"),
        pytest.param("von 12 bis 14 Uhr", "from 12 to 2 p.m.", id="hour-with-marker"),
        pytest.param("mit 3 Partnern", "with three partners", id="digit-spelled-out"),
        pytest.param("mit drei Partnern", "with 3 partners", id="spelled-out-digit"),
        pytest.param("Raum E 4.021", "room E 4.021", id="kept-verbatim"),
        pytest.param("Python 3.11.", "Python 3.11.", id="version-at-sentence-end"),
        pytest.param("über IPv6", "over IPv4", id="number-inside-a-word"),
        pytest.param("am 2024-07-19", "on July 19, 2024", id="iso-date"),
        pytest.param("Das sind 5 %.", "That is 5%.", id="percent"),
    ],
)
def test_german_to_english_tolerates_english_forms(german: str, english: str) -> None:
    assert NumberRules.for_pair("de", "en").missing(german, english) == []


def test_each_number_keeps_its_position_and_line() -> None:
    found = NumberRules.for_pair("de", "en").expected("Am 19. Juli 2024\nkamen 3,8 Gäste.")

    assert [(item.raw, item.kind, item.start, item.line_offset) for item in found] == [
        ("19. Juli 2024", "date", 3, 0),
        ("3,8", "number", 23, 1),
    ]


def test_a_number_that_appears_twice_is_reported_once() -> None:
    missing = NumberRules.for_pair("de", "en").missing("3 und 3", "and")

    assert [item.raw for item in missing] == ["3"]


def test_weekday_of_a_date_must_be_translated_too() -> None:
    rules = NumberRules.for_pair("de", "en")
    german = "Am Freitag, 19. Juli 2024."

    assert rules.missing(german, "On Friday, 19 July 2024.") == []
    assert [item.raw for item in rules.missing(german, "On Thursday, 19 July 2024.")] == [
        "Freitag, 19. Juli 2024"
    ]


@pytest.mark.parametrize(
    "polish",
    [
        pytest.param("Konferencja odbyła się 19 lipca 2024.", id="genitive"),
        pytest.param("Konferencja odbyła się w lipcu 2024.", id="locative"),
        pytest.param("Konferencja odbyła się w lipcu 2024 (19.07.2024).", id="numeric"),
    ],
)
def test_polish_month_names_are_found_in_every_case(polish: str) -> None:
    assert NumberRules.for_pair("de", "pl").missing("Die Konferenz war im Juli 2024.", polish) == []


def test_polish_month_name_in_the_source_is_expected_in_the_target() -> None:
    rules = NumberRules.for_pair("pl", "de")
    found = rules.expected("W środę 5 czerwca 2024 przyszło 12 500 osób.")

    assert [(item.raw, item.kind) for item in found] == [
        ("środę 5 czerwca 2024", "date"),
        ("12 500", "number"),
    ]
    assert rules.missing(found[0].raw, "Mittwoch, 5. Juni 2024") == []
    assert [item.raw for item in rules.missing(found[0].raw, "Mittwoch, 5. Juli 2024")] == [
        "środę 5 czerwca 2024"
    ]


def test_space_grouping_does_not_join_two_numbers() -> None:
    found = NumberRules.for_pair("fr", "en").expected("En 2023 3 partenaires, 12 300 visiteurs.")

    assert [item.raw for item in found] == ["2023", "3", "12 300"]
    assert (
        NumberRules.for_pair("fr", "en").missing(
            "En 2023 3 partenaires, 12 300 visiteurs.", "In 2023, 3 partners and 12,300 visitors."
        )
        == []
    )


@pytest.mark.parametrize(
    ("source", "text"),
    [
        pytest.param("de", "Er hat ein Auto und eine Idee.", id="de-article"),
        pytest.param("fr", "Un livre neuf.", id="fr-neuf-is-new"),
        pytest.param("en", "One of them.", id="en-pronoun"),
    ],
)
def test_words_that_are_rarely_counts_are_not_numbers(source: str, text: str) -> None:
    assert NumberRules.for_pair(source, "en").expected(text) == []


def test_spelled_out_number_is_described_with_digits_and_the_target_word() -> None:
    (missing,) = NumberRules.for_pair("de", "fr").missing("mit drei Partnern", "avec partenaires")

    assert missing.describe() == '"drei" — expected "3" or "trois"'


def test_a_target_without_number_words_is_compared_by_digits_only() -> None:
    # Found in the field: a correct Norwegian "to kategorier" failed the gate for "two".
    rules = NumberRules.for_pair("en", "no")
    assert rules.missing("It has two categories.", "Den har to kategorier.") == []
    assert [m.raw for m in rules.missing("It has 2 categories.", "Den har kategorier.")] == ["2"]


def test_polish_inflected_number_words_count() -> None:
    assert NumberRules.for_pair("de", "pl").missing("mit 3 Partnern", "z trzema partnerami") == []


def test_a_twelve_hour_source_time_needs_its_afternoon() -> None:
    rules = NumberRules.for_pair("en", "de")

    assert rules.missing("at 2:30 pm", "um 14:30 Uhr") == []
    assert [item.raw for item in rules.missing("at 2:30 pm", "um 2:30 Uhr")] == ["2:30 pm"]


def test_chinese_target_writes_dates_with_digits_next_to_characters() -> None:
    rules = NumberRules.for_pair("de", "zh-cn")

    assert rules.missing("am 19. Juli 2024", "2024年7月19日") == []
    assert [item.raw for item in rules.missing("am 19. Juli 2024", "2024年7月18日")] == [
        "19. Juli 2024"
    ]


@pytest.mark.parametrize(
    ("code", "locale", "fallback"),
    [
        ("de", "de", False),
        ("pt-br", "pt_BR", False),
        ("zh-cn", "zh_Hans_CN", False),
        ("en_GB", "en_GB", False),
        ("de-xx", "de", False),
        ("xx", "root", True),
    ],
)
def test_hugo_language_codes_map_to_babel_locales(code: str, locale: str, fallback: bool) -> None:
    found, fell_back = locale_for(code)

    assert (str(found), fell_back) == (locale, fallback)


def test_unknown_language_compares_digits_with_root_rules() -> None:
    rules = NumberRules.for_pair("de", "xx")

    assert rules.fallbacks == ("xx",)
    assert rules.missing("am 19. Juli 2024 kamen 1.000", "2024-07-19: 1000") == []
    assert [item.raw for item in rules.missing("1.000", "1,000")] == []
    assert [item.raw for item in rules.missing("1.000", "100")] == ["1.000"]


# --- properties: whatever Babel writes in the target locale is accepted -----------------

LOCALES = ["de", "en", "fr", "pl", "es", "pt-br", "ru", "fi", "zh-cn", "ko", "de-ch"]
PAIRS = st.tuples(st.sampled_from(LOCALES), st.sampled_from(LOCALES))


@settings(max_examples=150, deadline=None)
@given(
    pair=PAIRS,
    value=st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False),
)
def test_babel_number_in_the_target_locale_is_accepted(
    pair: tuple[str, str], value: Decimal
) -> None:
    source, target = pair
    rules = NumberRules.for_pair(source, target)
    source_text = f"Wert {format_decimal(value, locale=locale_for(source)[0])} gemessen."
    target_text = f"Value {format_decimal(value, locale=locale_for(target)[0])} measured."

    assert rules.missing(source_text, target_text) == []


@settings(max_examples=100, deadline=None)
@given(pair=PAIRS, value=st.decimals(min_value=0, max_value=100, places=1, allow_nan=False))
def test_babel_percentage_in_the_target_locale_is_accepted(
    pair: tuple[str, str], value: Decimal
) -> None:
    source, target = pair
    percent = value / 100

    def text(code: str) -> str:
        return format_percent(percent, locale=locale_for(code)[0], decimal_quantization=False)

    assert NumberRules.for_pair(source, target).missing(text(source), text(target)) == []


@settings(max_examples=200, deadline=None)
@given(
    pair=PAIRS,
    date=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2049, 12, 31)),
    styles=st.sampled_from(
        [("full", "full")]
        + [(s, t) for s in ("long", "medium", "short") for t in ("full", "long", "medium", "short")]
    ),
)
def test_babel_date_in_the_target_locale_is_accepted(
    pair: tuple[str, str], date: dt.date, styles: tuple[str, str]
) -> None:
    source, target = pair
    source_text = f"Am {format_date(date, styles[0], locale=locale_for(source)[0])} begann es."
    target_text = format_date(date, styles[1], locale=locale_for(target)[0])

    assert NumberRules.for_pair(source, target).missing(source_text, target_text) == []


@settings(max_examples=150, deadline=None)
@given(pair=PAIRS, time=st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_babel_time_in_the_target_locale_is_accepted(pair: tuple[str, str], time: dt.time) -> None:
    source, target = pair
    source_text = f"Um {format_time(time, 'short', locale=locale_for(source)[0])} begann es."
    target_text = format_time(time, "short", locale=locale_for(target)[0])

    assert NumberRules.for_pair(source, target).missing(source_text, target_text) == []


@settings(max_examples=100, deadline=None)
@given(
    pair=PAIRS,
    date=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2049, 12, 31)),
    shift=st.integers(min_value=1, max_value=27),
)
def test_a_different_day_in_the_target_locale_is_missing(
    pair: tuple[str, str], date: dt.date, shift: int
) -> None:
    source, target = pair
    other = date.replace(day=(date.day + shift - 1) % 28 + 1)
    if other.day == date.day:
        return
    source_text = format_date(date, "long", locale=locale_for(source)[0])
    # The parts of a date may stand in any order, so a day equal to the month is not
    # missed (1 January): the comparison is that loose on purpose.
    if date.day == date.month:
        return
    target_text = format_date(other, "long", locale=locale_for(target)[0])

    assert NumberRules.for_pair(source, target).missing(source_text, target_text) != []


def test_a_number_word_kept_in_the_source_language_is_not_missing() -> None:
    # It is untranslated (check says so), not lost: a pseudo run writes `đŕéî` for `drei`.
    rules = NumberRules.for_pair("de", "en")
    source = "Wir haben drei Partner und zwölf Projekte."

    assert rules.missing(source, "We have ðŕéî partners and zwölf projects.") == []
    assert [e.raw for e in rules.missing(source, "We have partners and projects.")] == [
        "drei",
        "zwölf",
    ]
