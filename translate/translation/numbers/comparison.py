"""The comparison `translate check` runs: which numbers, dates and times of the source prose
its translation does not show, under the number rules of a language pair.
"""

from __future__ import annotations

from functools import cache

from translate.translation.numbers.expected import Expected
from translate.translation.numbers.locale_rules import rules_for


class NumberRules:
    """The number rules of a language pair: what a source text holds, what a target shows."""

    def __init__(self, source: str, target: str) -> None:
        self.source = rules_for(source)
        self.target = rules_for(target)

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
