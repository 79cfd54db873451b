"""Month and weekday names of a locale (CLDR, through Babel), found in prose whole or by stem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from translate.translation.numbers.scripts import WORD, fold, unspaced


class Names:
    """Month or weekday names of a locale, found whole or, where the language inflects
    them, by stem: Polish `lipcu` is `lipca`/`lipiec`, `środę` is `środa`."""

    def __init__(self, forms: Iterable[tuple[int, str]], *, inflects: bool) -> None:
        self.exact: dict[str, int] = {}
        # Names that are no single word: of scripts written without spaces (`星期六`),
        # found inside longer runs, or of several words (`terça-feira`).
        self.phrases: list[tuple[re.Pattern[str], int]] = []
        by_index: dict[int, list[str]] = {}
        for index, name in forms:
            folded = fold(name)
            if folded and not any(character.isdigit() for character in folded):
                self.exact.setdefault(folded, index)
                by_index.setdefault(index, []).append(folded)
                if unspaced(folded[0]):
                    self.phrases.append((re.compile(re.escape(folded)), index))
                elif not WORD.fullmatch(folded):
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
        for match in WORD.finditer(text):
            index = self.lookup(match.group())
            if index is not None:
                yield index
        for pattern, index in self.phrases:
            if pattern.search(text):
                yield index

    def lookup(self, word: str) -> int | None:
        """Return the index a word names, or None; a whole name wins over a stem."""
        folded = fold(word)
        if folded in self.exact:
            return self.exact[folded]
        for stem, index, longest in self.stems:
            if folded.startswith(stem) and len(folded) <= longest:
                return index
        return None


def cldr_names(names: Mapping[str, Mapping[str, Mapping[int, str]]]) -> list[tuple[int, str]]:
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
