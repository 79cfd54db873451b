"""Dates as one locale writes them (CLDR through Babel): numeric (`24.01.2024`, ISO) or with
a month name (`19. Juli 2024`, `July 19`, `Mai 2024`), and how a target locale writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, format_skeleton

from translate.translation.numbers.expected import Found
from translate.translation.numbers.locales import pattern_parts
from translate.translation.numbers.names import Names, cldr_names
from translate.translation.numbers.scripts import WORD, fold, letter_before

_TRAILING_WORD = re.compile(r"([^\W\d_]+)\.?,?\s*$")
_ISO_DATE = re.compile(r"(?<![\d.,/-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")


class Dates:
    """How one locale writes a date, as regular expressions and month and weekday names."""

    def __init__(self, locale: Locale, *, names: bool) -> None:
        """Read the numeric date order and the words a long date uses (`de`) from CLDR.

        Without `names` (a locale that fell back to CLDR's root), no month or weekday names.
        """
        parts = pattern_parts(locale.date_formats["short"].pattern)
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
            for is_field, text in pattern_parts(locale.date_formats[width].pattern):
                if not is_field:
                    connectors |= {word for word in WORD.findall(text)}
        words = "|".join(re.escape(word) for word in sorted(connectors, key=len, reverse=True))
        self.connector = rf"(?:(?:{words})\.?\s+)?" if words else ""
        inflects = names and any(
            locale.months["format"]["wide"][month] != locale.months["stand-alone"]["wide"][month]
            for month in range(1, 13)
        )
        self.months = Names(cldr_names(locale.months) if names else (), inflects=inflects)
        self.weekdays = Names(cldr_names(locale.days) if names else (), inflects=inflects)

    @staticmethod
    def _month_first(locale: Locale) -> bool:
        pattern = locale.date_formats["long"].pattern
        fields = [text[0] for is_field, text in pattern_parts(pattern) if is_field]
        return "M" in fields and "d" in fields and fields.index("M") < fields.index("d")

    def found_in(self, text: str, target: Locale) -> Iterator[Found]:
        """Yield the dates of a source text, with how the `target` locale writes them."""
        named = list(self._named_dates(text))
        for start, end, date in named:
            yield Found(start, end, "date", (date.parts(),), (date.render(target),))
        taken = [(start, end) for start, end, _ in named]
        for pattern, numeric in ((self.numeric_date, True), (_ISO_DATE, False)):
            for match in pattern.finditer(text):
                if any(start < match.end() and match.start() < end for start, end in taken):
                    continue
                numbers = Date.of(match["y"], match["m"], match["d"], either_order=numeric)
                if numbers is None:
                    continue
                raw = match.group().rstrip(". ")
                # A numeric date may be a version number kept as it is ("Python 3.11.").
                alternatives = (frozenset({raw}), *numbers.numeric_parts())
                example = numbers.render(target, numeric=True)
                taken.append((match.start(), match.start() + len(raw)))
                yield Found(
                    match.start(), match.start() + len(raw), "date", alternatives, (example,)
                )

    def _named_dates(self, text: str) -> Iterator[tuple[int, int, Date]]:
        """Yield the dates written with a month name: `19. Juli 2024`, `July 19`, `Mai 2024`."""
        for match in WORD.finditer(text):
            month = self.months.lookup(match.group())
            if month is None:
                continue
            start, end = match.start(), match.end()
            if text.startswith(".", end) and self.months.exact.get(fold(match.group() + ".")):
                end += 1
            day = year = weekday = None
            before = re.search(
                rf"(?<![\d.,])(?P<d>\d{{1,2}})(?:\.|[^\W\d_]{{1,3}})?\s*{self.connector}$",
                text[:start],
            )
            if before is not None and not letter_before(text, before.start()):
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
            yield start, end, Date(year, month, day, weekday)


@dataclass(frozen=True)
class Date:
    """A date as far as the text gives it; any part may be missing except the month."""

    year: int | None
    month: int
    day: int | None
    weekday: int | None = None
    short_year: bool = False

    @classmethod
    def of(
        cls, year: str | None, month: str, day: str, *, either_order: bool = False
    ) -> Date | None:
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
