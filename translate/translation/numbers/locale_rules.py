"""The number rules of one locale: its numbers (CLDR's decimal, grouping and percent symbols,
through Babel), spelled-out words, dates and times together; what a source text in it holds,
and the forms in which a target text in it shows a number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial

from babel.numbers import (
    NumberFormatError,
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

from translate.translation.numbers.dates import Dates
from translate.translation.numbers.expected import Expected, Found, Kind
from translate.translation.numbers.locales import locale_for
from translate.translation.numbers.number_words import (
    AMBIGUOUS_WORDS,
    NUMBER_WORDS,
    SOURCE_WORD_VALUES,
)
from translate.translation.numbers.scripts import WORD, letter_before, without_marks
from translate.translation.numbers.times import Clock

_SPACES = "\u0020\u00a0\u202f\u2009"
_APOSTROPHES = "'’"


def _is_space(symbol: str) -> bool:
    return bool(symbol) and all(character.isspace() for character in symbol)


@dataclass(frozen=True)
class Value:
    """A number read from text: its canonical form, whether it was grouped, its parts."""

    canonical: str | None
    value: Decimal | None
    grouped: bool
    parts: tuple[str, ...]


class LocaleRules:
    """What CLDR says about writing numbers in one locale, as regular expressions."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.locale, self.fallback = locale_for(code)
        locale = self.locale
        self.decimal = get_decimal_symbol(locale)
        group = get_group_symbol(locale)
        self.group = group
        if _is_space(group):
            self.groups = _SPACES
        elif group in _APOSTROPHES:
            self.groups = _APOSTROPHES
        else:
            self.groups = group
        separators = re.escape("".join(sorted({".", ",", self.decimal, *self.groups})))
        spaced = _is_space(group)
        # Space-grouped numbers only as whole groups, so "in 2023 3 Partner" stays two.
        grouped = rf"\d{{1,3}}(?:[{re.escape(_SPACES)}]\d{{3}})+(?:[{separators}]\d+)?(?!\d)"
        marks = ".," + self.decimal + ("" if spaced else group)
        plain = rf"\d+(?:[{re.escape(marks)}]\d+)*"
        self.number = re.compile(rf"(?<!\d)(?:{grouped}|{plain})" if spaced else plain)
        self.percent = re.compile(rf"\s?(?:%|{re.escape(self._symbol('percentSign', '%'))})")
        names = not self.fallback
        self.dates = Dates(locale, names=names)
        self.clock = Clock(locale, self.decimal, self.group)
        words = NUMBER_WORDS.get(locale.language, ()) if names else ()
        self.words = {word: value for value, forms in enumerate(words) for word in forms.split()}
        ambiguous = AMBIGUOUS_WORDS.get(locale.language, frozenset())
        self.source_words = {
            forms.split()[0]: value
            for value, forms in enumerate(words)
            if value in SOURCE_WORD_VALUES and forms.split()[0] not in ambiguous
        }

    def _symbol(self, name: str, default: str) -> str:
        symbols = self.locale.number_symbols.get(self.locale.default_numbering_system, {})
        value = symbols.get(name, default) if isinstance(symbols, Mapping) else default
        return str(value)

    # --- what a target text shows ---------------------------------------------------------

    def forms(self, text: str) -> frozenset[str]:
        """Return every canonical form in which `text` shows a number."""
        forms: set[str] = set()
        forms |= {str(month) for month in self.dates.months.find_all(text)}
        forms |= {f"wd:{day}" for day in self.dates.weekdays.find_all(text)}
        for match in WORD.finditer(text):
            spelled = self.words.get(match.group().casefold())
            if spelled is not None:
                forms.add(str(spelled))
        for hour, minute, _, _ in self.clock.times(text):
            forms |= {str(hour), f"{hour}:{minute:02d}", str(minute)}
        for _, raw in self._numbers(text):
            value = self.read(raw)
            forms.add(raw)
            forms |= set(value.parts)
            if value.canonical is not None:
                forms.add(value.canonical)
        for match in self.dates.numeric_date.finditer(text):
            year = match["y"]
            if year is not None and len(year) == 2:
                # "24.01.24" may stand for a source's "2024".
                forms |= {str(century + int(year)) for century in (1900, 2000)}
        forms |= {str(int(form)) for form in list(forms) if form.isdigit()}
        return frozenset(forms)

    @functools.cached_property
    def _plain_words(self) -> dict[str, int]:
        """The number words, accents and strokes aside, folded: made once per language."""
        return {without_marks(word).casefold(): value for word, value in self.words.items()}

    def kept_words(self, text: str) -> frozenset[str]:
        """Return the forms of the numbers, months and weekdays this language spells out in
        `text`, accents and strokes aside (`đŕéî` is 3, `Måî` is May)."""
        plain = self._plain_words
        forms: set[str] = set()
        for match in WORD.finditer(text):
            word = without_marks(match.group())
            number = plain.get(word.casefold())
            month = self.dates.months.lookup(word)
            weekday = self.dates.weekdays.lookup(word)
            forms |= {str(number)} if number is not None else set()
            forms |= {str(month)} if month is not None else set()
            forms |= {f"wd:{weekday}"} if weekday is not None else set()
        return frozenset(forms)

    def _numbers(self, text: str) -> Iterator[tuple[int, str]]:
        for match in self.number.finditer(text):
            if not letter_before(text, match.start()):
                yield match.start(), match.group()

    def read(self, raw: str) -> Value:
        """Read a number as this locale writes it (Babel, strictly), keeping its parts."""
        parts = tuple(part for part in re.split(r"\D+", raw) if part)
        normal = raw
        if _is_space(self.group):
            normal = re.sub(f"[{_SPACES}]", self.group, raw)
        elif self.group in _APOSTROPHES:
            normal = re.sub(f"[{_APOSTROPHES}]", self.group, raw)
        try:
            value = parse_decimal(normal, self.locale, strict=True)
        except NumberFormatError:
            return Value(None, None, False, parts)
        canonical = format(value.normalize(), "f") if value else "0"
        grouped = any(symbol in raw for symbol in self.groups)
        return Value(canonical, value, grouped, parts)

    # --- what a source text holds -----------------------------------------------------------

    def find(self, text: str, target: LocaleRules) -> list[Expected]:
        """Return the numbers, dates and times of `text`, with the target's renderings.

        Dates go first, then times, then plain numbers: each step blanks out what it took,
        so `24.01.2024` is one date and not three numbers.
        """
        found: list[Found] = []
        masked = text
        steps = (
            partial(self.dates.found_in, target=target.locale),
            partial(self.clock.found_in, target=target.locale),
            partial(self._numbers_in, target=target),
            partial(self._words_in, target=target),
        )
        for step in steps:
            for item in list(step(masked)):
                found.append(item)
                masked = masked[: item.start] + " " * (item.end - item.start) + masked[item.end :]
        return [
            Expected(
                text[item.start : item.end],
                item.kind,
                item.start,
                text.count("\n", 0, item.start),
                tuple(dict.fromkeys(item.alternatives)),
                item.examples,
            )
            for item in sorted(found, key=lambda item: item.start)
        ]

    def _numbers_in(self, text: str, target: LocaleRules) -> Iterator[Found]:
        for start, raw in self._numbers(text):
            value = self.read(raw)
            alternatives = [frozenset({raw})]
            if value.canonical is not None:
                alternatives.append(frozenset({value.canonical}))
            if any(character in raw for character in _SPACES):
                # "12 300" may also be two numbers where spaces group digits.
                pieces = re.split(r"\s", raw)
                alternatives.append(
                    frozenset(self.read(piece).canonical or piece for piece in pieces)
                )
            percent = self.percent.match(text, start + len(raw))
            kind: Kind = "percent" if percent else "number"
            end = percent.end() if percent else start + len(raw)
            example = target.render(value, raw, kind)
            yield Found(start, end, kind, tuple(alternatives), (example,))

    def _words_in(self, text: str, target: LocaleRules) -> Iterator[Found]:
        if not target.words:
            # A target without a table of number words may spell "two" out in any way:
            # it is compared by digits only, as the package says.
            return
        for match in WORD.finditer(text):
            number = self.source_words.get(match.group())
            if number is not None:
                examples = (str(number), *target.words_for(number))
                alternatives = (frozenset({str(number)}),)
                yield Found(match.start(), match.end(), "word", alternatives, examples)

    # --- how this locale writes a value -----------------------------------------------------

    def render(self, value: Value, raw: str, kind: Kind) -> str:
        """Write a number of the source as this locale does (Babel)."""
        if value.value is None:
            return raw
        if kind == "percent":
            return format_percent(value.value / 100, locale=self.locale, decimal_quantization=False)
        return format_decimal(
            value.value,
            locale=self.locale,
            decimal_quantization=False,
            group_separator=value.grouped,
        )

    def words_for(self, number: int) -> tuple[str, ...]:
        """Return the base word for `number` in this language, if the table has one."""
        words = NUMBER_WORDS.get(self.locale.language) if not self.fallback else None
        return (words[number].split()[0],) if words else ()


@cache
def rules_for(code: str) -> LocaleRules:
    """Return the rules of a Hugo language code, built once."""
    return LocaleRules(code)
