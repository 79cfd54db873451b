"""Numbers, dates and times in source prose, and the forms a faithful translation may show.

A translation may write a number the way its own language does (`3,8` -> `3.8`,
`11. Januar 2022` -> `January 11, 2022`, `14:30 Uhr` -> `2:30 pm`, `3 Partner` -> `three
partners`), but it must not lose or change one. Each number found in the source becomes an
`Expected` with one or more alternative sets of canonical *forms* (`"3.8"`, `"7"` for July,
`"14:30"`); the target text is reduced to the forms it shows, and a number is present when
all forms of one of its alternatives are. The comparison is deliberately loose (the parts of
a date may stand anywhere in the block): it catches a dropped or changed number, not a
reordered sentence.

Every locale rule comes from CLDR through Babel: decimal and grouping symbols, month and
weekday names (wide and abbreviated, formatting and stand-alone, so Polish `lipca` and
`lipiec` are both July), the order of numeric dates, the time separator and the AM/PM
markers. Babel has no spelled-out numbers (CLDR's RBNF rules are not in its data), so the
words for 0-12 come from a small table (`number_words`); a language missing there compares
digits only.

Language codes are Hugo's (`de`, `pt-br`, `zh-cn`). A code Babel does not know falls back to
its language part (`de-xx` -> `de`), then to CLDR's root locale: `.` decimals, `,`
grouping, ISO dates and no month, weekday or number words. `NumberRules.fallbacks` names
the codes that fell back, so a caller can say so.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import (
    NumberFormatError,
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

from translate.translation.number_words import AMBIGUOUS_WORDS, NUMBER_WORDS, SOURCE_WORD_VALUES

Kind = Literal["number", "percent", "date", "time", "word"]


@dataclass(frozen=True)
class Expected:
    """A number, date or time of the source text and the forms its translation must show.

    `alternatives` are sets of canonical forms; the number is present in a target text when
    every form of one set is among the target's forms. `examples` is how the target locale
    writes it (Babel), for messages.
    """

    raw: str
    kind: Kind
    start: int
    line_offset: int
    alternatives: tuple[frozenset[str], ...]
    examples: tuple[str, ...]

    def found_in(self, forms: Set[str]) -> bool:
        """Return whether a target text showing `forms` shows this number."""
        return any(alternative <= forms for alternative in self.alternatives)

    def describe(self, source_line: int | None = None) -> str:
        """Say what was expected, e.g. `"3,8" of the source (line 4) — expected "3.8"`."""
        where = f" of the source (line {source_line})" if source_line is not None else ""
        shown = " or ".join(f'"{example}"' for example in self.examples)
        several = self.kind in ("date", "time")
        return f'"{self.raw}"{where} — expected {"e.g. " if several else ""}{shown}'


class NumberRules:
    """The number rules of a language pair: what a source text holds, what a target shows."""

    def __init__(self, source: str, target: str) -> None:
        self.source = _rules(source)
        self.target = _rules(target)

    @classmethod
    def for_pair(cls, source: str, target: str) -> NumberRules:
        """Return the rules for two Hugo language codes (`de`, `pt-br`), built once."""
        return _pair(source, target)

    @property
    def fallbacks(self) -> tuple[str, ...]:
        """Return the codes Babel did not know, which use CLDR's root locale's rules."""
        return tuple(rules.code for rules in (self.source, self.target) if rules.fallback)

    def expected(self, source_text: str) -> list[Expected]:
        """Return the numbers, dates and times of source prose, in order."""
        return self.source.find(source_text, self.target)

    def forms(self, target_text: str) -> frozenset[str]:
        """Return every canonical form in which target prose shows a number."""
        return self.target.forms(target_text)

    def missing(self, source_text: str, target_text: str) -> list[Expected]:
        """Return what of the source the target does not show, once per raw text.

        A spelled-out number, month or weekday the target kept in the source language
        (`drei`, `Mai`, or what a pseudo-translation makes of them: `đŕéî`, `Måî`) is not
        missing: it is untranslated, which `check` reports as such.
        """
        available = self.forms(target_text) | self.source.kept_words(target_text)
        missing: dict[str, Expected] = {}
        for expected in self.expected(source_text):
            if expected.raw not in missing and not expected.found_in(available):
                missing[expected.raw] = expected
        return list(missing.values())


@cache
def _pair(source: str, target: str) -> NumberRules:
    return NumberRules(source, target)


def locale_for(code: str) -> tuple[Locale, bool]:
    """Return the Babel locale of a Hugo language code, and whether it fell back to root.

    `pt-br` is `pt_BR`, `zh-cn` is `zh_Hans_CN`; an unknown region falls back to its
    language (`de-xx` -> `de`), an unknown language to CLDR's root locale.
    """
    tag = code.strip().replace("_", "-")
    for candidate in (tag, tag.split("-")[0]):
        try:
            return Locale.parse(candidate, sep="-"), False
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("root"), True


# --- one locale ---------------------------------------------------------------------------

_SPACES = "\u0020\u00a0\u202f\u2009"
_APOSTROPHES = "'’"


def _is_space(symbol: str) -> bool:
    return bool(symbol) and all(character.isspace() for character in symbol)


def _pattern_parts(pattern: str) -> list[tuple[bool, str]]:
    """Split a CLDR date/time pattern into (is_field, text) parts: `d. MMMM y`."""
    parts: list[tuple[bool, str]] = []
    index = 0
    while index < len(pattern):
        character = pattern[index]
        if character == "'":
            end = pattern.find("'", index + 1)
            end = len(pattern) if end == -1 else end
            parts.append((False, pattern[index + 1 : end] or "'"))
            index = end + 1
        elif character.isascii() and character.isalpha():
            end = index
            while end < len(pattern) and pattern[end] == character:
                end += 1
            parts.append((True, pattern[index:end]))
            index = end
        else:
            end = index
            while end < len(pattern) and not (
                pattern[end] == "'" or (pattern[end].isascii() and pattern[end].isalpha())
            ):
                end += 1
            parts.append((False, pattern[index:end]))
            index = end
    return parts


# Letters with a stroke or bar, which Unicode does not decompose into letter and mark.
_STROKES = str.maketrans("đĐðÐħĦłŁøØŧŦƀƁɨƗ", "dDdDhHlLoOtTbBiI")


def _without_marks(word: str) -> str:
    """Return `word` without accents and strokes: `đŕéî` is `drei`."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_STROKES))
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _fold(word: str) -> str:
    return word.rstrip(".").casefold()


class _Names:
    """Month or weekday names of a locale, found whole or, where the language inflects
    them, by stem: Polish `lipcu` is `lipca`/`lipiec`, `środę` is `środa`."""

    def __init__(self, forms: Iterable[tuple[int, str]], *, inflects: bool) -> None:
        self.exact: dict[str, int] = {}
        # Names that are no single word: of scripts written without spaces (`星期六`),
        # found inside longer runs, or of several words (`terça-feira`).
        self.phrases: list[tuple[re.Pattern[str], int]] = []
        by_index: dict[int, list[str]] = {}
        for index, name in forms:
            folded = _fold(name)
            if folded and not any(character.isdigit() for character in folded):
                self.exact.setdefault(folded, index)
                by_index.setdefault(index, []).append(folded)
                if _unspaced(folded[0]):
                    self.phrases.append((re.compile(re.escape(folded)), index))
                elif not _WORD.fullmatch(folded):
                    phrase = rf"(?<![^\W\d_]){re.escape(folded)}(?![^\W\d_])"
                    self.phrases.append((re.compile(phrase, re.IGNORECASE), index))
        self.stems: list[tuple[str, int, int]] = []
        if inflects:
            for index, names in by_index.items():
                wide = [name for name in names if len(name) >= 4]
                candidates = {name[:-1] for name in wide if len(name) >= 5}
                if len(wide) >= 2:
                    candidates.add(_common_prefix(wide))
                longest = max((len(name) for name in names), default=0)
                self.stems += [(stem, index, longest + 2) for stem in candidates if len(stem) >= 3]
            self.stems.sort(key=lambda item: -len(item[0]))

    def find_all(self, text: str) -> Iterator[int]:
        """Yield the index of each name in `text`."""
        for match in _WORD.finditer(text):
            index = self.lookup(match.group())
            if index is not None:
                yield index
        for pattern, index in self.phrases:
            if pattern.search(text):
                yield index

    def lookup(self, word: str) -> int | None:
        """Return the index a word names, or None; a whole name wins over a stem."""
        folded = _fold(word)
        if folded in self.exact:
            return self.exact[folded]
        for stem, index, longest in self.stems:
            if folded.startswith(stem) and len(folded) <= longest:
                return index
        return None


def _cldr_names(names: Mapping[str, Mapping[str, Mapping[int, str]]]) -> list[tuple[int, str]]:
    """Return CLDR's month or weekday names, wide and abbreviated, in both contexts."""
    return [
        (index, name)
        for context in ("format", "stand-alone")
        for width in ("wide", "abbreviated")
        for index, name in names[context][width].items()
    ]


def _common_prefix(words: list[str]) -> str:
    first, last = min(words), max(words)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


@dataclass(frozen=True)
class _Found:
    """A number found in a source text, before its line is known."""

    start: int
    end: int
    kind: Kind
    alternatives: tuple[frozenset[str], ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class _Value:
    """A number read from text: its canonical form, whether it was grouped, its parts."""

    canonical: str | None
    value: Decimal | None
    grouped: bool
    parts: tuple[str, ...]


# A word of letters; a number glued to one is part of it ("IPv6", "H2O").
_WORD = re.compile(r"[^\W\d_]+")
_TRAILING_WORD = re.compile(r"([^\W\d_]+)\.?,?\s*$")


def _letter_before(text: str, index: int) -> bool:
    """Return whether a letter of an alphabetic script glues to what starts at `index`.

    Scripts written without spaces put numbers right next to their characters (`2024年7月`).
    """
    if index == 0 or not text[index - 1].isalpha():
        return False
    return not _unspaced(text[index - 1]) and not _hangul(text[index - 1])


def _unspaced(character: str) -> bool:
    """Return whether `character` belongs to a script written without spaces between words."""
    return unicodedata.name(character, "").startswith(_UNSPACED_SCRIPTS)


def _hangul(character: str) -> bool:
    # Korean puts spaces between words but writes counters onto numbers (2024년).
    return unicodedata.name(character, "").startswith("HANGUL")


_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")


class _LocaleRules:
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
        self._dates(locale)
        self._times(locale)
        names = not self.fallback
        inflects = names and any(
            locale.months["format"]["wide"][month] != locale.months["stand-alone"]["wide"][month]
            for month in range(1, 13)
        )
        self.months = _Names(_cldr_names(locale.months) if names else (), inflects=inflects)
        self.weekdays = _Names(_cldr_names(locale.days) if names else (), inflects=inflects)
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

    def _dates(self, locale: Locale) -> None:
        """Read the numeric date order and the words a long date uses (`de`) from CLDR."""
        parts = _pattern_parts(locale.date_formats["short"].pattern)
        fields = [text[0] for is_field, text in parts if is_field and text[0] in "dMy"]
        literals = [text for is_field, text in parts if not is_field]
        separator = literals[0].strip() if literals else "/"
        self.order = "".join(fields) if sorted(fields) == ["M", "d", "y"] else "yMd"
        component = {"d": r"(?P<d>\d{1,2})", "M": r"(?P<m>\d{1,2})", "y": r"(?P<y>\d{4}|\d{2})"}
        sep = re.escape(separator or "/") + r"\s?"
        first, second, third = (component[field] for field in self.order)
        if self.order.endswith("y") and separator == ".":
            # "20.07." stands for a date in the current year.
            body = rf"{first}{sep}{second}\.(?:\s?{third})?"
        else:
            body = rf"{first}{sep}{second}{sep}{third}"
        self.numeric_date = re.compile(rf"(?<![\d.,/]){body}(?!\d|[.,/]\d)")
        self.month_first = self._month_first(locale)
        connectors: set[str] = set()
        for width in ("full", "long", "medium"):
            for is_field, text in _pattern_parts(locale.date_formats[width].pattern):
                if not is_field:
                    connectors |= {word for word in _WORD.findall(text)}
        words = "|".join(re.escape(word) for word in sorted(connectors, key=len, reverse=True))
        self.connector = rf"(?:(?:{words})\.?\s+)?" if words else ""

    @staticmethod
    def _month_first(locale: Locale) -> bool:
        pattern = locale.date_formats["long"].pattern
        fields = [text[0] for is_field, text in _pattern_parts(pattern) if is_field]
        return "M" in fields and "d" in fields and fields.index("M") < fields.index("d")

    def _times(self, locale: Locale) -> None:
        """Read the time separators and, for a twelve-hour clock, the AM/PM markers."""
        separators = {":"}
        twelve_hour = False
        prefix = False
        for width in ("short", "medium"):
            parts = _pattern_parts(locale.time_formats[width].pattern)
            fields = [text for is_field, text in parts if is_field]
            for index, (is_field, text) in enumerate(parts[:-1]):
                if is_field and text[0] in "hHkK" and not parts[index + 1][0]:
                    separators.add(parts[index + 1][1].strip())
            letters = [text[0] for text in fields]
            if "a" in letters:
                twelve_hour = True
                hour = next((i for i, letter in enumerate(letters) if letter in "hHkK"), 0)
                prefix = letters.index("a") < hour
        # A "." between hours and minutes is read as one only where it is no number's.
        separators = {
            separator
            for separator in separators
            if separator and (separator != "." or "." not in (self.decimal, self.group))
        }
        self.time = re.compile(
            r"(?<![\d.,:])(?P<h>\d{1,2})(?:"
            + "|".join(re.escape(separator) for separator in sorted(separators))
            + r")(?P<min>\d{2})(?![\d:]|[.,]\d)"
        )
        # (pattern, afternoon) per AM/PM marker, placed where the locale puts it.
        self.markers: list[tuple[re.Pattern[str], bool]] = []
        if twelve_hour:
            periods = locale.day_periods.get("format", {})
            for key, afternoon in (("pm", True), ("am", False)):
                marker = _marker(periods, key)
                if marker is not None:
                    placed = rf"(?:{marker})\s?$" if prefix else rf"\s?(?:{marker})(?![^\W\d_])"
                    self.markers.append((re.compile(placed, re.IGNORECASE), afternoon))
        self.marker_first = prefix

    # --- what a target text shows ---------------------------------------------------------

    def forms(self, text: str) -> frozenset[str]:
        """Return every canonical form in which `text` shows a number."""
        forms: set[str] = set()
        forms |= {str(month) for month in self.months.find_all(text)}
        forms |= {f"wd:{day}" for day in self.weekdays.find_all(text)}
        for match in _WORD.finditer(text):
            spelled = self.words.get(match.group().casefold())
            if spelled is not None:
                forms.add(str(spelled))
        for hour, minute, _, _ in self._clock(text):
            forms |= {str(hour), f"{hour}:{minute:02d}", str(minute)}
        for _, raw in self._numbers(text):
            value = self.read(raw)
            forms.add(raw)
            forms |= set(value.parts)
            if value.canonical is not None:
                forms.add(value.canonical)
        for match in self.numeric_date.finditer(text):
            year = match["y"]
            if year is not None and len(year) == 2:
                # "24.01.24" may stand for a source's "2024".
                forms |= {str(century + int(year)) for century in (1900, 2000)}
        forms |= {str(int(form)) for form in list(forms) if form.isdigit()}
        return frozenset(forms)

    @functools.cached_property
    def _plain_words(self) -> dict[str, int]:
        """The number words, accents and strokes aside, folded: made once per language."""
        return {_without_marks(word).casefold(): value for word, value in self.words.items()}

    def kept_words(self, text: str) -> frozenset[str]:
        """Return the forms of the numbers, months and weekdays this language spells out in
        `text`, accents and strokes aside (`đŕéî` is 3, `Måî` is May)."""
        plain = self._plain_words
        forms: set[str] = set()
        for match in _WORD.finditer(text):
            word = _without_marks(match.group())
            number = plain.get(word.casefold())
            month = self.months.lookup(word)
            weekday = self.weekdays.lookup(word)
            forms |= {str(number)} if number is not None else set()
            forms |= {str(month)} if month is not None else set()
            forms |= {f"wd:{weekday}"} if weekday is not None else set()
        return frozenset(forms)

    def _clock(self, text: str) -> Iterator[tuple[int, int, int, int]]:
        """Yield (hour, minute, start, end) of the times in `text`, on a 24-hour clock.

        An hour alone counts when an AM/PM marker goes with it ("2 pm").
        """
        spans: list[tuple[int, int]] = []
        for match in self.time.finditer(text):
            hour, minute = int(match.group("h")), int(match.group("min"))
            if hour > 23 or minute > 59:
                continue
            spans.append((match.start(), match.end()))
            start, end, marked = self._marked(text, match.start(), match.end(), hour)
            yield (hour if marked is None else marked), minute, start, end
        if not self.markers:
            return
        for match in _HOUR.finditer(text):
            if any(start <= match.start() < end for start, end in spans):
                continue
            start, end, marked = self._marked(text, match.start(), match.end(), int(match.group()))
            if marked is not None:
                yield marked, 0, start, end

    def _marked(self, text: str, start: int, end: int, hour: int) -> tuple[int, int, int | None]:
        """Return the span of a time with its AM/PM marker and its 24-hour hour, if marked."""
        if not 1 <= hour <= 12:
            return start, end, None
        for marker, afternoon in self.markers:
            if self.marker_first:
                before = marker.search(text, 0, start)
                if before is not None:
                    return before.start(), end, _twelve(hour, afternoon)
            else:
                after = marker.match(text, end)
                if after is not None:
                    return start, after.end(), _twelve(hour, afternoon)
        return start, end, None

    def _numbers(self, text: str) -> Iterator[tuple[int, str]]:
        for match in self.number.finditer(text):
            if not _letter_before(text, match.start()):
                yield match.start(), match.group()

    def read(self, raw: str) -> _Value:
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
            return _Value(None, None, False, parts)
        canonical = format(value.normalize(), "f") if value else "0"
        grouped = any(symbol in raw for symbol in self.groups)
        return _Value(canonical, value, grouped, parts)

    # --- what a source text holds -----------------------------------------------------------

    def find(self, text: str, target: _LocaleRules) -> list[Expected]:
        """Return the numbers, dates and times of `text`, with the target's renderings.

        Dates go first, then times, then plain numbers: each step blanks out what it took,
        so `24.01.2024` is one date and not three numbers.
        """
        found: list[_Found] = []
        masked = text
        for step in (self._dates_in, self._times_in, self._numbers_in, self._words_in):
            for item in list(step(masked, target)):
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

    def _dates_in(self, text: str, target: _LocaleRules) -> Iterator[_Found]:
        named = list(self._named_dates(text))
        for start, end, date in named:
            yield _Found(start, end, "date", (date.parts(),), (date.render(target.locale),))
        taken = [(start, end) for start, end, _ in named]
        for pattern, numeric in ((self.numeric_date, True), (_ISO_DATE, False)):
            for match in pattern.finditer(text):
                if any(start < match.end() and match.start() < end for start, end in taken):
                    continue
                numbers = _Date.of(match["y"], match["m"], match["d"], either_order=numeric)
                if numbers is None:
                    continue
                raw = match.group().rstrip(". ")
                # A numeric date may be a version number kept as it is ("Python 3.11.").
                alternatives = (frozenset({raw}), *numbers.numeric_parts())
                example = numbers.render(target.locale, numeric=True)
                taken.append((match.start(), match.start() + len(raw)))
                yield _Found(
                    match.start(), match.start() + len(raw), "date", alternatives, (example,)
                )

    def _times_in(self, text: str, target: _LocaleRules) -> Iterator[_Found]:
        for hour, minute, start, end in self._clock(text):
            alternatives = [
                frozenset({f"{hour}:{minute:02d}"}),
                frozenset({str(hour), str(minute)}),
            ]
            if minute == 0:
                alternatives.append(frozenset({str(hour)}))
            example = format_time(dt.time(hour, minute), "short", locale=target.locale)
            yield _Found(start, end, "time", tuple(alternatives), (example,))

    def _numbers_in(self, text: str, target: _LocaleRules) -> Iterator[_Found]:
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
            yield _Found(start, end, kind, tuple(alternatives), (example,))

    def _words_in(self, text: str, target: _LocaleRules) -> Iterator[_Found]:
        for match in _WORD.finditer(text):
            number = self.source_words.get(match.group())
            if number is not None:
                examples = (str(number), *target.words_for(number))
                alternatives = (frozenset({str(number)}),)
                yield _Found(match.start(), match.end(), "word", alternatives, examples)

    def _named_dates(self, text: str) -> Iterator[tuple[int, int, _Date]]:
        """Yield the dates written with a month name: `19. Juli 2024`, `July 19`, `Mai 2024`."""
        for match in _WORD.finditer(text):
            month = self.months.lookup(match.group())
            if month is None:
                continue
            start, end = match.start(), match.end()
            if text.startswith(".", end) and self.months.exact.get(_fold(match.group() + ".")):
                end += 1
            day = year = weekday = None
            before = re.search(
                rf"(?<![\d.,])(?P<d>\d{{1,2}})(?:\.|[^\W\d_]{{1,3}})?\s*{self.connector}$",
                text[:start],
            )
            if before is not None and not _letter_before(text, before.start()):
                day, start = int(before.group("d")), before.start()
            elif self.month_first:
                after = re.match(r"\s+(?P<d>\d{1,2})(?:[^\W\d_]{1,3})?(?![\d.,]\d|\d)", text[end:])
                if after is not None:
                    day, end = int(after.group("d")), end + after.end()
            year_match = re.match(rf",?\s*{self.connector}(?P<y>\d{{4}})(?!\d|[.,]\d)", text[end:])
            if year_match is not None:
                year, end = int(year_match.group("y")), end + year_match.end()
            if day is None and year is None:
                continue
            if day is not None and not 1 <= day <= 31:
                continue
            named = _TRAILING_WORD.search(text[:start])
            if named is not None and day is not None:
                weekday = self.weekdays.lookup(named.group(1))
                if weekday is not None:
                    start = named.start()
            yield start, end, _Date(year, month, day, weekday)

    # --- how this locale writes a value -----------------------------------------------------

    def render(self, value: _Value, raw: str, kind: Kind) -> str:
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


_HOUR = re.compile(r"(?<![\d.,:])\d{1,2}(?![\d:]|[.,]\d)")
_ISO_DATE = re.compile(r"(?<![\d.,/-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")


@dataclass(frozen=True)
class _Date:
    """A date as far as the text gives it; any part may be missing except the month."""

    year: int | None
    month: int
    day: int | None
    weekday: int | None = None
    short_year: bool = False

    @classmethod
    def of(
        cls, year: str | None, month: str, day: str, *, either_order: bool = False
    ) -> _Date | None:
        """Return a date from its digits, or None if they are no valid one."""
        d, m = int(day), int(month)
        if not (1 <= m <= 12 and 1 <= d <= 31):
            if not either_order or not (1 <= d <= 12 and 1 <= m <= 31):
                return None
            d, m = m, d
        short = year is not None and len(year) == 2
        return cls(int(year) if year else None, m, d, None, short)

    def parts(self) -> frozenset[str]:
        """Return the forms a translation of this date shows: day, month, year, weekday."""
        parts = {str(self.month)}
        if self.day is not None:
            parts.add(str(self.day))
        if self.year is not None:
            parts.add(str(self.year))
        if self.weekday is not None:
            parts.add(f"wd:{self.weekday}")
        return frozenset(parts)

    def numeric_parts(self) -> tuple[frozenset[str], ...]:
        """Return the parts, with a two-digit year also read as a full one."""
        if not self.short_year or self.year is None:
            return (self.parts(),)
        return tuple(
            frozenset((self.parts() - {str(self.year)}) | {str(century + self.year)})
            for century in (0, 2000, 1900)
        )

    def render(self, locale: Locale, *, numeric: bool = False) -> str:
        """Write this date as `locale` does: long, or numeric for a numeric source."""
        year = self.year if self.year is not None else 2000
        if self.short_year:
            year += 2000
        try:
            date = dt.date(year, self.month, self.day or 1)
        except ValueError:
            return "/".join(str(part) for part in (self.day, self.month, self.year) if part)
        if numeric:
            return format_skeleton("yMd" if self.year else "Md", date, locale=locale)
        if self.day is None:
            return format_skeleton("yMMMM", date, locale=locale)
        if self.year is None:
            return format_skeleton("MMMMd", date, locale=locale)
        if self.weekday is not None:
            weekday = dt.date(year, self.month, self.day).weekday()
            if weekday == self.weekday:
                return format_date(date, "full", locale=locale)
        return format_date(date, "long", locale=locale)


def _marker(periods: Mapping[str, Mapping[str, str]], key: str) -> str | None:
    """Return a pattern for an AM/PM marker in its written variants: `PM`, `pm`, `p.m.`."""
    variants: set[str] = set()
    for width in ("abbreviated", "wide"):
        name = periods.get(width, {}).get(key)
        if name:
            letters = re.sub(r"[.\s]", "", name).casefold()
            if letters:
                variants.add(r"\.?\s?".join(re.escape(letter) for letter in letters) + r"\.?")
    if not variants:
        return None
    return "|".join(sorted(variants))


def _twelve(hour: int, afternoon: bool) -> int:
    if afternoon:
        return hour if hour == 12 else hour + 12
    return 0 if hour == 12 else hour


@cache
def _rules(code: str) -> _LocaleRules:
    return _LocaleRules(code)
