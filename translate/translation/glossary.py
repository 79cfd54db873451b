"""Load the site's CSV glossaries and find their terms in text.

A glossary file is an equivalent-term CSV as cloud translation glossaries (Google, DeepL) use
them: a header row of language codes, then one term per row, one cell per language::

    # Names are never translated; terms get a fixed translation.
    de,en
    AI.STARTUP.HUB,AI.STARTUP.HUB
    BMWi,
    Metropolregion Hamburg,Hamburg Metropolitan Region

For a (source, target) pair, a row whose target cell is empty or equal to its source cell is a
*name*, kept exactly as written; any other row fixes the translation of its source cell. A
fixed translation is capitalised where it starts a sentence or a heading (`civil society` ->
`Civil society`), unless an optional column headed `case` says `fixed` in its row
(`iPhone`, `eBay`, `de Gruyter` keep their case everywhere)::

    de,en,case
    Zivilgesellschaft,civil society,
    Smartphone,iPhone,fixed
 A row
with an empty source cell says nothing about that pair and is skipped. Lines starting with
``#`` are comments and blank lines are ignored; a term cannot span lines, and a cell that
starts with ``#`` must be quoted.

Every file must have both columns of the pair asked for: a file without them is an error, not
silently skipped, because the user asked for a pair the glossary cannot serve.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import GlossaryError
from translate.files import read_text

# BCP 47-ish codes as glossary headers write them: de, en, pt-BR, zh_CN, gsw.
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


@dataclass(frozen=True)
class Term:
    """One glossary entry for a language pair."""

    source: str
    target: str | None  # None: a name, kept exactly as written
    origin: str  # "glossary/names.csv:4", for messages
    # The translation keeps its case at a sentence start too (the `case` column's `fixed`).
    fixed_case: bool = False


@dataclass(frozen=True)
class GlossaryMatch:
    """Where a term occurs in a text: ``text[start:end]``."""

    start: int
    end: int
    term: Term


class Glossary:
    """The terms of one language pair, with one compiled pattern to find them."""

    def __init__(self, terms: Iterable[Term] = ()) -> None:
        by_source: dict[str, Term] = {}
        for term in terms:
            if not term.source.strip():
                raise ValueError(f"glossary term without source text ({term.origin})")
            key = _normalise(term.source)
            seen = by_source.get(key)
            if seen is None:
                by_source[key] = term
            elif seen.target != term.target:
                path, line = _location(term.origin)
                raise GlossaryError(
                    f"{term.source!r} is {_meaning(term)} here but {_meaning(seen)} "
                    f"in {seen.origin}",
                    path=path,
                    line=line,
                    hint="keep one of the two rows",
                )
        self.terms: tuple[Term, ...] = tuple(by_source.values())
        self._by_source = by_source
        self._pattern = _compile(self.terms)

    @classmethod
    def load(cls, directory: Path, source: str, target: str) -> Glossary:
        """Read every ``*.csv`` in `directory`, by name, for the pair `source` -> `target`.

        A missing directory gives an empty glossary: a site need not have one.
        """
        if not directory.exists():
            return cls()
        if not directory.is_dir():
            raise GlossaryError(
                "not a folder", path=directory, hint="glossaries are CSV files in it"
            )
        terms: list[Term] = []
        for path in sorted(directory.glob("*.csv")):
            # Editors' lock and backup files (".#names.csv") are not glossaries.
            if path.name.startswith(".") or not path.is_file():
                continue
            text = _read_text(path)
            terms.extend(cls.parse(text, source, target, origin=str(path)).terms)
        return cls(terms)

    @classmethod
    def parse(cls, text: str, source: str, target: str, origin: str = "<glossary>") -> Glossary:
        """Read one glossary CSV's `text` for the pair `source` -> `target`.

        `origin` names the file in messages and in each term's `origin`.
        """
        rows = _rows(text, origin)
        header = next(rows, None)
        if header is None:
            raise GlossaryError(
                "no header row",
                path=origin,
                line=1,
                hint=f"start the file with a row of language codes such as '{source},{target}'",
            )
        header_line, codes = header
        case_column = next(
            (index for index, code in enumerate(codes) if code.lower() == _CASE_COLUMN), None
        )
        columns = _columns(
            [code for index, code in enumerate(codes) if index != case_column], origin, header_line
        )
        if case_column is not None:
            # Language columns are counted without the `case` column: put it back.
            columns = {key: index + (index >= case_column) for key, index in columns.items()}
        source_column = _column(columns, source, codes, origin, header_line)
        target_column = _column(columns, target, codes, origin, header_line)
        terms: list[Term] = []
        for line, cells in rows:
            if len(cells) != len(codes):
                raise GlossaryError(
                    f"{len(cells)} cells but the header has {len(codes)} columns",
                    path=origin,
                    line=line,
                    hint="give every language a cell (empty is fine) and quote cells with commas",
                )
            term_source = _normalise(cells[source_column])
            term_target = _normalise(cells[target_column])
            if not term_source:
                continue
            # A translation identical to the source is a name: one way to say "keep it".
            kept = not term_target or term_target == term_source
            fixed = _fixed_case(cells, case_column, origin, line)
            terms.append(
                Term(term_source, None if kept else term_target, f"{origin}:{line}", fixed)
            )
        return cls(terms)

    def find(self, text: str) -> list[GlossaryMatch]:
        """Return the terms in `text`, left to right, without overlaps, longest first.

        Matching is case-sensitive and on whole words: a match is neither preceded nor followed
        by a letter, digit or underscore, so "Hamburger" does not contain "Hamburg" but
        "BMWi-Förderung" contains "BMWi". A space in a term matches any run of whitespace,
        because Hugo sources wrap lines inside names; ``text[start:end]`` is then not exactly
        ``term.source``.
        """
        if self._pattern is None:
            return []
        return [
            GlossaryMatch(match.start(), match.end(), self._by_source[_normalise(match.group())])
            for match in self._pattern.finditer(text)
        ]

    def digest(self) -> str:
        """Return a short, stable fingerprint of the terms, for reproducibility records.

        Where a term comes from is left out: moving a row between files changes nothing.
        """
        # A fixed case counts only where it is set: digests from before the column stay.
        entries = sorted(
            (term.source, term.target or "", *(["fixed"] if term.fixed_case else []))
            for term in self.terms
        )
        blob = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.terms)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __repr__(self) -> str:
        return f"Glossary({len(self.terms)} terms, digest={self.digest()})"


# The optional column saying that a translation keeps its case at a sentence start.
_CASE_COLUMN = "case"


def _fixed_case(cells: Sequence[str], column: int | None, origin: str, line: int) -> bool:
    """Return whether a row's `case` cell says `fixed` (empty: capitalised at a start)."""
    if column is None or not cells[column]:
        return False
    if cells[column].lower() == "fixed":
        return True
    raise GlossaryError(
        f"case {cells[column]!r} is neither 'fixed' nor empty",
        path=origin,
        line=line,
        hint="write 'fixed' where a translation keeps its case at a sentence start",
    )


def _read_text(path: Path) -> str:
    """Return the file's text, decoded as UTF-8 with or without a byte-order mark."""
    return read_text(path, error=GlossaryError).removeprefix("\ufeff")


def _rows(text: str, origin: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, stripped cells) for each row that is not blank or a comment."""
    text = text.removeprefix("\ufeff")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            # One line at a time keeps line numbers exact; strict mode rejects stray quotes.
            cells = next(csv.reader([line], strict=True))
        except csv.Error as error:
            raise GlossaryError(
                f"not a CSV row: {error}",
                path=origin,
                line=number,
                hint='quote a cell as "…", doubling quotes inside it',
            ) from error
        yield number, [cell.strip() for cell in cells]


def _columns(codes: list[str], origin: str, line: int) -> dict[str, int]:
    """Map each header language code, normalised, to its column index."""
    columns: dict[str, int] = {}
    for index, code in enumerate(codes):
        if not _LANGUAGE_CODE.fullmatch(code):
            raise GlossaryError(
                f"header cell {code!r} is not a language code",
                path=origin,
                line=line,
                hint="the first row names the languages, e.g. 'de,en'",
            )
        key = _language_key(code)
        if key in columns:
            raise GlossaryError(
                f"language {code!r} has two columns",
                path=origin,
                line=line,
                hint="keep one column per language",
            )
        columns[key] = index
    return columns


def _column(
    columns: dict[str, int], language: str, codes: list[str], origin: str, line: int
) -> int:
    """Return the column of `language`, or fail naming the columns there are."""
    index = columns.get(_language_key(language))
    if index is None:
        raise GlossaryError(
            f"no {language!r} column (columns: {', '.join(codes)})",
            path=origin,
            line=line,
            hint=f"add a {language!r} column, or choose a language pair this glossary covers",
        )
    return index


def _language_key(code: str) -> str:
    """Return `code` in one spelling: language codes ignore case, and "_" means "-"."""
    return code.replace("_", "-").lower()


def _compile(terms: tuple[Term, ...]) -> re.Pattern[str] | None:
    """Return one pattern that finds every term in a single pass over a text.

    The terms' sources are factored into a trie, so the pattern tries one branch per
    character instead of every term at every position: 10,000 terms cost about what ten
    do. Where a term ends inside a longer one, the longer is tried first.
    """
    if not terms:
        return None
    trie: _Trie = {}
    for term in terms:
        node = trie
        # A normalised source has single spaces: each stands for a whitespace run.
        for token in term.source:
            node = node.setdefault(token, {})
        node[_END] = {}
    return re.compile(rf"(?<!\w){_pattern(trie, 0)}")


# A trie of term sources: one child per character, `_SPACE` for a whitespace run, and `_END`
# where a term ends.
_Trie = dict[str, "_Trie"]
_SPACE = " "
_END = ""
# Branch points nested deeper than this are written as a flat alternation: Python's regex
# compiler recurses once per nested group and fails a few hundred levels down.
_MAX_NESTING = 64


def _pattern(node: _Trie, nesting: int) -> str:
    """Return the pattern matching the terms below `node`, each as a whole word, longest first."""
    if nesting > _MAX_NESTING:
        suffixes = sorted(_suffixes(node), key=lambda tokens: (-len(tokens), tokens))
        return _group([_literal(tokens) + r"(?!\w)" for tokens in suffixes])
    branches = []
    for token, child in node.items():
        if token == _END:
            continue
        # A run of single-child nodes is one literal: the pattern nests only where terms part.
        tokens = [token]
        while len(child) == 1 and _END not in child:
            ((token, child),) = child.items()
            tokens.append(token)
        branches.append(_literal(tokens) + _pattern(child, nesting + 1))
    if _END in node:
        # Last: a longer term through this point is preferred to the one ending here.
        branches.append(r"(?!\w)")
    return _group(branches)


def _suffixes(node: _Trie) -> list[tuple[str, ...]]:
    """Return the token sequences from `node` to every term end below it."""
    found: list[tuple[str, ...]] = []
    stack: list[tuple[_Trie, tuple[str, ...]]] = [(node, ())]
    while stack:
        here, path = stack.pop()
        for token, child in here.items():
            if token == _END:
                found.append(path)
            else:
                stack.append((child, (*path, token)))
    return found


def _literal(tokens: Sequence[str]) -> str:
    """Return the pattern of a run of trie keys: the characters, a space as whitespace."""
    return r"\s+".join(map(re.escape, "".join(tokens).split(_SPACE)))


def _group(branches: Sequence[str]) -> str:
    """Return the alternation of `branches`, tried in order."""
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _normalise(text: str) -> str:
    """Return `text` stripped, with each whitespace run as one space: how terms are keyed."""
    return " ".join(text.split())


def _meaning(term: Term) -> str:
    """Describe what a term does, for conflict messages."""
    return "kept as a name" if term.target is None else f"translated as {term.target!r}"


def _location(origin: str) -> tuple[str, int | None]:
    """Split an origin like "glossary/names.csv:4" into its path and line."""
    path, _, line = origin.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (origin, None)
