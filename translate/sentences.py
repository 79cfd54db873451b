"""Split text into sentences, as character spans of the original text.

The splitting is the Moses heuristic from `sentence-splitter`, the one Helsinki's Opus-MT
server uses, with its per-language lists of abbreviations that do not end a sentence
("z. B.", "Dr.", "e.V.", "3. Oktober").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from sentence_splitter import SentenceSplitter, SentenceSplitterException

# Moses' split-sentences.perl uses the English abbreviations for a language it has no list for.
_FALLBACK_LANGUAGE = "en"

# ASCII only: a no-break or thin space ("z.\u00a0B.") is written so as not to break.
_WHITESPACE_RUN = re.compile(r"\s+", re.ASCII)


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of `text`, in order.

    Spans leave out the whitespace around sentences, so ``text[start:end]`` is a sentence.
    A single line break counts as a space (a wrapped line); a blank line ends a sentence.
    Should the splitter's output ever fail to line up with `text`, the whole stripped text
    is one sentence: nothing is lost or repeated.
    """
    stripped = text.strip()
    if not stripped:
        return []
    sentences = _splitter(language).split(_WHITESPACE_RUN.sub(_as_splitter_space, text))
    spans = _align(text, sentences)
    if spans is None:
        start = len(text) - len(text.lstrip())
        return [(start, start + len(stripped))]
    return spans


@cache
def _splitter(language: str) -> SentenceSplitter:
    """Return the splitter for `language` ("de", "pt-BR", "zh_CN"), or the fallback one."""
    # Moses' lists are named by the primary language subtag alone.
    primary = re.split(r"[-_]", language, maxsplit=1)[0].lower()
    try:
        return SentenceSplitter(language=primary)
    except SentenceSplitterException:
        return SentenceSplitter(language=_FALLBACK_LANGUAGE)


def _as_splitter_space(run: re.Match[str]) -> str:
    """Return what the splitter should see for a whitespace run.

    The splitter ends a sentence at every line break and sees only spaces between words.
    """
    return "\n" if run.group().count("\n") > 1 else " "


def _align(text: str, sentences: Sequence[str]) -> list[tuple[int, int]] | None:
    """Return the spans of `sentences` in `text`, or None where they do not line up.

    The splitter keeps every other character but may change whitespace, so a whitespace run
    in a sentence matches any whitespace run in `text`, and whitespace between sentences is
    skipped. Anything else left over or out of place means the two do not line up.
    """
    spans: list[tuple[int, int]] = []
    position, length = 0, len(text)
    for raw in sentences:
        sentence = raw.strip()
        if not sentence:
            continue
        while position < length and text[position].isspace():
            position += 1
        start, index = position, 0
        while index < len(sentence):
            if sentence[index].isspace():
                if position >= length or not text[position].isspace():
                    return None
                while index < len(sentence) and sentence[index].isspace():
                    index += 1
                while position < length and text[position].isspace():
                    position += 1
            elif position < length and text[position] == sentence[index]:
                index += 1
                position += 1
            else:
                return None
        spans.append((start, position))
    if text[position:].strip():
        return None
    return spans
