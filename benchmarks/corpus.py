"""Generate a corpus of German Hugo posts with the length and markup of the repository's own.

Every synthetic post starts from one of the repository's posts (tests/fixtures/posts and
content/de), so its front matter format, line endings, lists, tables, code, shortcodes,
footnotes and links are the real ones. Its prose is then varied: paragraphs are rebuilt from
sentences of all posts, and names, places, months and numbers are swapped, so that segments are
mostly distinct, as in a real archive, rather than the same few repeated. Some posts gain extra
sections, so lengths vary. The same seed gives the same corpus.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.markdown.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = (ROOT / "tests" / "fixtures" / "posts", ROOT / "content" / "de")

# Words swapped for one of their alternatives (a word stands for itself too). Case-sensitive
# whole words, outside code, URLs and markup.
_SWAPS: dict[str, tuple[str, ...]] = {
    "Hamburg": ("Bremen", "Kiel", "Lübeck", "Hannover", "Rostock", "Berlin", "Leipzig"),
    "Bremen": ("Oldenburg", "Osnabrück", "Münster", "Göttingen"),
    "Rende": ("Lissabon", "Graz", "Delft", "Uppsala"),
    "Italien": ("Portugal", "Österreich", "den Niederlanden", "Schweden"),
    "Institut": ("Institut", "Zentrum", "Labor"),
    "Instituts": ("Instituts", "Zentrums", "Labors"),
    "Projekt": ("Projekt", "Vorhaben", "Verbundprojekt", "Teilprojekt"),
    "Projekts": ("Projekts", "Vorhabens", "Verbundprojekts"),
    "Arbeitsgruppe": ("Arbeitsgruppe", "Forschungsgruppe", "Nachwuchsgruppe"),
    "Studierende": ("Studierende", "Promovierende", "Gäste", "Mitarbeitende"),
    "Studierenden": ("Studierenden", "Promovierenden", "Gäste", "Mitarbeitenden"),
    "Universität": ("Universität", "Hochschule", "Fakultät"),
    "Konferenz": ("Konferenz", "Tagung", "Fachtagung", "Jahrestagung"),
    "Vortrag": ("Vortrag", "Beitrag", "Workshop", "Kurzvortrag"),
    "Netze": ("Netze", "Systeme", "Plattformen", "Anwendungen"),
    "Netzen": ("Netzen", "Systemen", "Plattformen", "Anwendungen"),
    "Sensornetze": ("Sensornetze", "Funknetze", "Maschinennetze", "Fahrzeugnetze"),
    "Daten": ("Daten", "Messdaten", "Ergebnisse", "Unterlagen"),
    "Verfahren": ("Verfahren", "Protokoll", "Werkzeug", "Konzept"),
    "Simulator": ("Simulator", "Prototyp", "Demonstrator", "Testaufbau"),
    "Anna": ("Anna", "Julia", "Sophie", "Marie", "Lea"),
    "Schulz": ("Schulz", "Becker", "Wagner", "Krüger", "Lorenz"),
    "Jan": ("Jan", "Tim", "Lukas", "Felix", "Jonas"),
    "Weber": ("Weber", "Hartmann", "Vogel", "Brandt"),
    "Christian": ("Christian", "Stefan", "Martin", "Thomas"),
    "Weyer": ("Weyer", "Schröder", "Neumann", "Zimmermann"),
    "Lena": ("Lena", "Clara", "Hanna", "Emma"),
    "Hoffmann": ("Hoffmann", "Schmitt", "Koch", "Richter"),
    "Miriam": ("Miriam", "Katrin", "Sabine", "Ulrike"),
    "Keller": ("Keller", "Fischer", "Lange", "Schwarz"),
    "Lars": ("Lars", "Malte", "Henrik", "Ole"),
    "Petersen": ("Petersen", "Jensen", "Hansen", "Nielsen"),
    "Montag": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"),
    "Mittwoch": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"),
    "Sommerfest": ("Sommerfest", "Winterfest", "Jubiläum", "Alumnitreffen"),
    "Wintersemester": ("Wintersemester", "Sommersemester"),
    "Python": ("Python", "Rust", "Julia", "C++"),
    "Logistik": ("Logistik", "Landwirtschaft", "Robotik", "Mobilität"),
    "Medizintechnik": ("Medizintechnik", "Fertigung", "Energietechnik", "Bauwesen"),
    "Energie": ("Energie", "Gesundheit", "Verkehr", "Klima"),
}
_MONTHS = (
    *("Januar", "Februar", "März", "April", "Mai", "Juni"),
    *("Juli", "August", "September", "Oktober", "November", "Dezember"),
)
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+|\d+")
# Text that must not change when words are swapped: code, URLs and other link targets, HTML
# tags, shortcodes, entities, footnote labels, reference labels.
_UNTOUCHABLE = re.compile(
    r"`+[^`]*`+|\]\([^)]*\)|\]\[[^\]]*\]|\[\^[^\]]*\]|<[^>]*>|https?://\S+|\{\{[<%].*?[%>]\}\}"
    r"|&#?\w+;|^\s*\[[^\]]+\]:.*$",
    re.MULTILINE,
)
# A line that starts a block the variation leaves as it is, apart from swapping words.
_NOT_PROSE = re.compile(r"\s|#|>|[-+*] |\d+[.)] |\||<|\{\{|```|~~~|\$\$|\[\^|\[[^\]]*\]:|[=-]+$")
_FENCE = re.compile(r"^\s*(```|~~~|\$\$|\{\{< /?highlight)")
# How often a longer word is swapped for a similar one (see `Variation`).
_SWAP_RATE = 0.3
# Extra sections appended to some posts, under one of these headings.
_HEADINGS = (
    "Hintergrund",
    "Ausblick",
    "Weitere Informationen",
    "Kontakt",
    "Ergebnisse",
    "Nächste Schritte",
    "Zum Projekt",
    "Rückblick",
)


@dataclass(frozen=True)
class Template:
    """One of the repository's posts, cut into what the generator varies."""

    name: str
    front_matter: str  # with its delimiters, LF line endings
    blocks: list[str]  # the body between blank lines; fences kept whole
    crlf: bool
    final_newline: bool
    wrapped: bool  # whether its prose is hard-wrapped


def load_templates(directories: Sequence[Path] = TEMPLATE_DIRS) -> list[Template]:
    """Return the repository's German posts as templates, in a stable order."""
    paths = sorted(
        path for directory in directories for path in directory.rglob("*.md") if path.is_file()
    )
    # Bytes, not text mode: CRLF posts must stay CRLF, or the corpus would lose that case.
    return [_template(path, path.read_bytes().decode("utf-8")) for path in paths]


def _template(path: Path, raw: str) -> Template:
    crlf = "\r\n" in raw
    text = raw.replace("\r\n", "\n")
    delimiter = text.split("\n", 1)[0]
    end = text.index(f"\n{delimiter}\n", len(delimiter)) + len(delimiter) + 2
    front, body = text[:end], text[end:]
    blocks = _blocks(body)
    prose = [block for block in blocks if _is_prose(block)]
    wrapped = any("\n" in block for block in prose)
    return Template(str(path.relative_to(ROOT)), front, blocks, crlf, raw.endswith("\n"), wrapped)


def _blocks(body: str) -> list[str]:
    """Split a body at blank lines, never inside a fenced block (code, math, highlight)."""
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in body.strip("\n").split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _is_prose(block: str) -> bool:
    """Tell whether a block is a plain paragraph: every line of it starts like prose."""
    return not any(_NOT_PROSE.match(line) for line in block.split("\n"))


def prose_sentences(templates: Sequence[Template]) -> list[str]:
    """Return the sentences of the templates' paragraphs whose inline markup is self-contained.

    A sentence cut from a paragraph may open a link or emphasis that another sentence closes;
    those are left out, so that recombined paragraphs stay valid Markdown.
    """
    sentences: list[str] = []
    for template in templates:
        for block in template.blocks:
            if not _is_prose(block):
                continue
            text = " ".join(block.split())
            for start, end in split_sentences(text, "de"):
                sentence = text[start:end]
                if _balanced(sentence) and len(sentence.split()) >= 4:
                    sentences.append(sentence)
    return sentences


def _balanced(text: str) -> bool:
    plain = re.sub(r"`[^`]*`", "", text)
    pairs = (("[", "]"), ("(", ")"), ("„", "“"), ("<", ">"))
    if any(plain.count(a) != plain.count(b) for a, b in pairs):
        return False
    return all(plain.count(mark) % 2 == 0 for mark in ("**", "`", "~~")) and "[^" not in plain


class Variation:
    """Varies text outside code, URLs and markup, from one random source.

    Besides the fixed `_SWAPS` (names, places, months), any longer word may be swapped for
    another word of the templates with the same ending and capitalization ("Anmeldung" for
    "Erprobung"): the vocabulary, and so the token statistics, stay those of the real posts,
    while sentences stop repeating.
    """

    def __init__(self, rng: random.Random, templates: Sequence[Template]) -> None:
        self.rng = rng
        classes: dict[tuple[bool, str], set[str]] = {}
        for template in templates:
            for block in template.blocks:
                for word in _WORD.findall(_UNTOUCHABLE.sub(" ", block)):
                    if len(word) >= 6 and word.isalpha():
                        classes.setdefault(_word_class(word), set()).add(word)
        self.similar = {key: sorted(words) for key, words in classes.items() if len(words) > 1}

    def text(self, text: str, *, numbers: bool = True) -> str:
        """Return `text` with some words, months and (if asked) numbers replaced."""
        parts: list[str] = []
        position = 0
        for match in _UNTOUCHABLE.finditer(text):
            parts.append(self._swap(text[position : match.start()], numbers))
            parts.append(match.group())
            position = match.end()
        parts.append(self._swap(text[position:], numbers))
        return "".join(parts)

    def _swap(self, text: str, numbers: bool) -> str:
        def replace(match: re.Match[str]) -> str:
            word = match.group()
            if word.isdigit():
                if not numbers or self.rng.random() < 0.3:
                    return word
                # Same number of digits, no leading zero: years stay years, times stay times.
                low = 10 ** (len(word) - 1) if len(word) > 1 else 1
                return str(self.rng.randint(low, 10 ** len(word) - 1))
            if word in _MONTHS:
                return self.rng.choice(_MONTHS)
            if choices := _SWAPS.get(word):
                return self.rng.choice(choices)
            similar = self.similar.get(_word_class(word))
            if similar and self.rng.random() < _SWAP_RATE:
                return self.rng.choice(similar)
            return word

        return _WORD.sub(replace, text)

    def sentence(self, sentences: Sequence[str]) -> str:
        """Return a varied sentence: one of `sentences`, or two of them joined at a comma."""
        first = self.rng.choice(sentences)
        second = self.rng.choice(sentences)
        if ", " in first and ", " in second and self.rng.random() < 0.5:
            mixed = first.split(", ", 1)[0] + ", " + second.split(", ", 1)[1]
            if _balanced(mixed):
                first = mixed
        return self.text(first)

    def paragraph(self, sentences: Sequence[str], wrapped: bool) -> str:
        """Return a paragraph of 2 to 5 varied sentences, hard-wrapped if `wrapped`."""
        text = " ".join(self.sentence(sentences) for _ in range(self.rng.randint(2, 5)))
        return wrap(text) if wrapped else text

    def title(self, sentences: Sequence[str]) -> str:
        """Return a short plain sentence, safe in any quoted or plain front matter value."""
        plain = [s for s in sentences if re.fullmatch(r"[\w ,.–-]+", s) and len(s) < 120]
        return self.text(self.rng.choice(plain), numbers=False).rstrip(".")


def _word_class(word: str) -> tuple[bool, str]:
    return word[0].isupper(), word[-3:]


def wrap(text: str, width: int = 80) -> str:
    """Hard-wrap `text` at spaces, never inside code, a link, a shortcode or an HTML tag."""
    # A word is a run of atoms and other non-spaces; the spaces inside it become NUL, where
    # textwrap does not break, and `_render` turns them back into spaces.
    words = re.findall(r"(?:`[^`]*`|\[[^\]]*\]\([^)]*\)|\{\{[<%].*?[%>]\}\}|<[^>]*>|\S)+", text)
    glued = " ".join(word.replace(" ", "\x00") for word in words)
    return "\n".join(textwrap.wrap(glued, width, break_long_words=False, break_on_hyphens=False))


def generate(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """Return `count` posts as (relative path under content/de, text), the originals first."""
    rng = random.Random(seed)
    templates = load_templates()
    sentences = prose_sentences(templates)
    variation = Variation(rng, templates)
    posts: list[tuple[str, str]] = []
    for index in range(count):
        template = templates[index % len(templates)]
        if index < len(templates):
            text = _render(template, template.front_matter, template.blocks)
        else:
            text = _vary(template, sentences, variation)
        posts.append((f"post/p{index:04d}/index.md", text))
    return posts


def _vary(template: Template, sentences: Sequence[str], variation: Variation) -> str:
    rng = variation.rng
    blocks = []
    for block in template.blocks:
        if _is_prose(block) and rng.random() < 0.9:
            blocks.append(variation.paragraph(sentences, template.wrapped))
        elif _FENCE.match(block):
            blocks.append(block)  # code stays code
        else:
            blocks.append(variation.text(block))
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        blocks.append(f"## {rng.choice(_HEADINGS)}")
        blocks.extend(
            variation.paragraph(sentences, template.wrapped) for _ in range(rng.randint(1, 3))
        )
    front = _vary_front_matter(template.front_matter, sentences, variation)
    return _render(template, front, blocks)


def _vary_front_matter(front: str, sentences: Sequence[str], variation: Variation) -> str:
    """Give the title and summary new values, keeping each line's key and quoting."""
    lines = []
    for line in front.split("\n"):
        match = re.match(r"""^(title|summary)( = |: )(["']?)(.*?)\3$""", line)
        if match:
            key, separator, quote, _ = match.groups()
            line = f"{key}{separator}{quote}{variation.title(sentences)}{quote}"
        lines.append(line)
    return "\n".join(lines)


def _render(template: Template, front: str, blocks: Sequence[str]) -> str:
    text = front + "\n" + "\n\n".join(blocks).replace("\x00", " ")
    if template.final_newline:
        text += "\n"
    return text.replace("\n", "\r\n") if template.crlf else text


def write_site(root: Path, count: int, seed: int = 0) -> list[Path]:
    """Write a Hugo site of `count` generated posts under `root`; return the post paths."""
    paths = []
    for relative, text in generate(count, seed):
        path = root / "content" / "de" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))  # bytes: CRLF posts keep their line endings
        paths.append(path)
    (root / "content" / "en").mkdir(parents=True, exist_ok=True)
    glossary = root / "glossary"
    glossary.mkdir(exist_ok=True)
    for source in sorted((ROOT / "glossary").glob("*.csv")):
        (glossary / source.name).write_bytes(source.read_bytes())
    return paths


def corpus_text(paths: Sequence[Path]) -> list[str]:
    """Return the corpus's lines, for training a SentencePiece model on it."""
    return [
        line
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
