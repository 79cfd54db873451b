"""Words and writing systems in prose: what counts as a word, which scripts write their words
without spaces between them, and letters read without their accents.
"""

from __future__ import annotations

import re
import unicodedata

# A word of letters; a number glued to one is part of it ("IPv6", "H2O").
WORD = re.compile(r"[^\W\d_]+")

_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")

# Letters with a stroke or bar, which Unicode does not decompose into letter and mark.
_STROKES = str.maketrans("đĐðÐħĦłŁøØŧŦƀƁɨƗ", "dDdDhHlLoOtTbBiI")


def letter_before(text: str, index: int) -> bool:
    """Return whether a letter of an alphabetic script glues to what starts at `index`.

    Scripts written without spaces put numbers right next to their characters (`2024年7月`).
    """
    if index == 0 or not text[index - 1].isalpha():
        return False
    return not unspaced(text[index - 1]) and not _hangul(text[index - 1])


def unspaced(character: str) -> bool:
    """Return whether `character` belongs to a script written without spaces between words."""
    return unicodedata.name(character, "").startswith(_UNSPACED_SCRIPTS)


def _hangul(character: str) -> bool:
    # Korean puts spaces between words but writes counters onto numbers (2024년).
    return unicodedata.name(character, "").startswith("HANGUL")


def without_marks(word: str) -> str:
    """Return `word` without accents and strokes: `đŕéî` is `drei`."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_STROKES))
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def fold(word: str) -> str:
    """Return `word` as names are compared: case folded, without a trailing full stop."""
    return word.rstrip(".").casefold()
