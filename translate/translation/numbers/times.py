"""Times of day as one locale writes them (CLDR through Babel): the separators between hour
and minutes, and, on a twelve-hour clock, the AM/PM markers and where they stand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping

from babel import Locale
from babel.dates import format_time

from translate.translation.numbers.expected import Found
from translate.translation.numbers.locales import pattern_parts

_HOUR = re.compile(r"(?<![\d.,:])\d{1,2}(?![\d:]|[.,]\d)")


class Clock:
    """How one locale writes a time of day, as regular expressions."""

    def __init__(self, locale: Locale, decimal: str, group: str) -> None:
        """Read the time separators and, for a twelve-hour clock, the AM/PM markers."""
        separators = {":"}
        twelve_hour = False
        prefix = False
        for width in ("short", "medium"):
            parts = pattern_parts(locale.time_formats[width].pattern)
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
            if separator and (separator != "." or "." not in (decimal, group))
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

    def times(self, text: str) -> Iterator[tuple[int, int, int, int]]:
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

    def found_in(self, text: str, target: Locale) -> Iterator[Found]:
        """Yield the times of a source text, with how the `target` locale writes them."""
        for hour, minute, start, end in self.times(text):
            alternatives = [
                frozenset({f"{hour}:{minute:02d}"}),
                frozenset({str(hour), str(minute)}),
            ]
            if minute == 0:
                alternatives.append(frozenset({str(hour)}))
            example = format_time(dt.time(hour, minute), "short", locale=target)
            yield Found(start, end, "time", tuple(alternatives), (example,))

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
