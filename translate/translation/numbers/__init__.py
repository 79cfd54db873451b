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

The modules, from the bottom: `scripts` (words and writing systems), `locales` (Babel
locales of Hugo codes, CLDR patterns), `number_words`, `names` (month and weekday names),
`expected` (what a source number asks of its translation), `dates`, `times`,
`locale_rules` (one locale: numbers, and dates, times and words together) and `comparison`
(`NumberRules`, the pair that `translate check` compares).
"""

from __future__ import annotations

from translate.translation.numbers.comparison import NumberRules
from translate.translation.numbers.expected import Expected, Kind
from translate.translation.numbers.locales import locale_for

__all__ = ["Expected", "Kind", "NumberRules", "locale_for"]
