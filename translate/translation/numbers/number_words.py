"""Spelled-out numbers per language: the words a translation may write a small number as.

Babel has no spelled-out numbers (CLDR's RBNF rules are not in its data), so `numbers` takes
the words for 0-12 from this table; a language missing here compares digits only.
"""

from __future__ import annotations

# Spelled-out numbers 0-12 per language, every inflected form a translation may use, the
# base form first. Babel has no RBNF data, and CLDR's RBNF gives base forms only: German
# "einem", Polish "trzema" would be missed.
NUMBER_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    ),
    "de": (
        "null",
        "eins ein eine einen einem einer eines",
        "zwei zweier zweien",
        "drei dreier dreien",
        "vier vieren",
        "fünf",
        "sechs",
        "sieben",
        "acht",
        "neun",
        "zehn",
        "elf",
        "zwölf",
    ),
    "fr": (
        "zéro",
        "un une",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "onze",
        "douze",
    ),
    "es": (
        "cero",
        "uno una un",
        "dos",
        "tres",
        "cuatro",
        "cinco",
        "seis",
        "siete",
        "ocho",
        "nueve",
        "diez",
        "once",
        "doce",
    ),
    "it": (
        "zero",
        "uno una un",
        "due",
        "tre",
        "quattro",
        "cinque",
        "sei",
        "sette",
        "otto",
        "nove",
        "dieci",
        "undici",
        "dodici",
    ),
    "pt": (
        "zero",
        "um uma",
        "dois duas",
        "três",
        "quatro",
        "cinco",
        "seis",
        "sete",
        "oito",
        "nove",
        "dez",
        "onze",
        "doze",
    ),
    "nl": (
        "nul",
        "een één",
        "twee",
        "drie",
        "vier",
        "vijf",
        "zes",
        "zeven",
        "acht",
        "negen",
        "tien",
        "elf",
        "twaalf",
    ),
    "pl": (
        "zero",
        "jeden jedna jedno jednego jednej jednemu jednym jedną",
        "dwa dwie dwóch dwu dwoma dwom dwóm dwaj dwoje dwojga",
        "trzy trzech trzem trzema trzej troje trojga",
        "cztery czterech czterem czterema czterej czworo czworga",
        "pięć pięciu pięcioma pięcioro",
        "sześć sześciu sześcioma sześcioro",
        "siedem siedmiu siedmioma siedmioro",
        "osiem ośmiu ośmioma ośmioro",
        "dziewięć dziewięciu dziewięcioma dziewięcioro",
        "dziesięć dziesięciu dziesięcioma dziesięcioro",
        "jedenaście jedenastu jedenastoma",
        "dwanaście dwunastu dwunastoma",
    ),
}
# Base forms that are also everyday words ("neuf" is "new", "sei" is "you are", "acht"
# is "attention"): found in a source text they say nothing about a number.
AMBIGUOUS_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({"neuf"}),
    "it": frozenset({"sei"}),
    "nl": frozenset({"acht"}),
}
# Spelled-out numbers a source text is checked for: "ein"/"one" are mostly articles and
# pronouns, "null"/"zero" rarely a count.
SOURCE_WORD_VALUES = range(2, 13)
