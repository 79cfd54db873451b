"""Split text into sentences, as character spans of the original text.

The splitting is the Moses heuristic from `sentence-splitter`, the one Helsinki's Opus-MT
server uses, with its per-language lists of abbreviations that do not end a sentence
("z. B.", "Dr.", "e.V.", "3. Oktober").

The work grows linearly with the text: the splitter sees windows of bounded size, and no
sentence is longer than `LONGEST_SENTENCE` characters (a longer one is cut at clause, then
word boundaries: a model takes a few hundred tokens at most anyway).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from sentence_splitter import SentenceSplitter, SentenceSplitterException

# Moses' split-sentences.perl uses the English abbreviations for a language it has no list for.
_FALLBACK_LANGUAGE = "en"

# ASCII only: a no-break or thin space ("z.\u00a0B.") is written so as not to break.
_WHITESPACE_RUN = re.compile(r"\s+", re.ASCII)

# Longer sentences are cut. Opus-MT reads at most 512 tokens, some 2,000 characters of
# German; the pipeline fits segments to the model's real limit, this bound keeps the work
# per sentence small whatever the model.
LONGEST_SENTENCE = 1_000

# How much text the splitter sees at once. It builds its output by string concatenation,
# quadratic in its input: a 1 MB line took 13 s, 10 MB did not finish.
_WINDOW = 8_000

# Where a long sentence may be cut, best first: after a clause's punctuation, between words.
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+", re.ASCII)


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of `text`, in order.

    Spans leave out the whitespace around sentences, so ``text[start:end]`` is a sentence.
    A single line break counts as a space (a wrapped line); a blank line ends a sentence.
    Should the splitter's output ever fail to line up with `text`, the stripped text of
    that window is one sentence (then cut to `LONGEST_SENTENCE`): nothing is lost or repeated.
    """
    spans: list[tuple[int, int]] = []
    position = _skip_space(text, 0)
    while position < len(text):
        end = _window_end(text, position)
        found = [
            piece
            for start, stop in _split_window(text, position, end, language)
            for piece in _bounded(text, start, stop)
        ]
        if end < len(text) and len(found) > 1:
            # The last sentence may go on past the window: split it again with what follows.
            # Moses decides each break from the word before and the word after it, so the
            # sentences before it are the ones a split of the whole text gives.
            position = found.pop()[0]
        else:
            # The end of the text, or a window of one sentence and thousands of spaces (a
            # longer sentence would have been cut into pieces): a break there is harmless.
            position = _skip_space(text, found[-1][1] if found else end)
        spans.extend(found)
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


def _skip_space(text: str, position: int) -> int:
    """Return the first position at or after `position` that is not whitespace."""
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _window_end(text: str, start: int) -> int:
    """Return where the window starting at `start` ends: between words where possible."""
    end = start + _WINDOW
    if end >= len(text):
        return len(text)
    # The last whitespace run in the window's second half; a window that is one long word
    # is cut where it must be (its last sentence is split again anyway).
    space = _last(_WHITESPACE_RUN, text, start + _WINDOW // 2, end)
    return space[0] if space is not None else end


def _split_window(text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """Return the sentence spans of ``text[start:end]``, as offsets into `text`."""
    window = text[start:end]
    stripped = window.strip()
    if not stripped:
        return []
    sentences = _splitter(language).split(_WHITESPACE_RUN.sub(_as_splitter_space, window))
    spans = _align(window, sentences)
    if spans is None:
        first = len(window) - len(window.lstrip())
        spans = [(first, first + len(stripped))]
    return [(start + lo, start + hi) for lo, hi in spans]


def _as_splitter_space(run: re.Match[str]) -> str:
    """Return what the splitter should see for a whitespace run.

    The splitter ends a sentence at every line break and sees only spaces between words.
    """
    return "\n" if run.group().count("\n") > 1 else " "


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield the span (start, end) of `text`, cut into pieces of `LONGEST_SENTENCE` at most.

    Each cut is the last clause end, else the last space, in the second half of a piece's
    room, so every piece but the last is at least half the bound long: the work is linear.
    """
    while end - start > LONGEST_SENTENCE:
        lo, hi = start + LONGEST_SENTENCE // 2, start + LONGEST_SENTENCE
        cut = _last(_CLAUSE_END, text, lo, hi) or _last(_WHITESPACE_RUN, text, lo, hi)
        stop, resume = cut if cut is not None else (hi, hi)
        # Strip what str.strip strips: a no-break space at a piece's edge is whitespace too.
        while text[stop - 1].isspace():
            stop -= 1
        yield start, stop
        start = _skip_space(text, resume)
    if start < end:
        yield start, end


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Return the start and end of the last match of `pattern` starting in ``text[lo:hi]``."""
    last = None
    for last in pattern.finditer(text, lo, hi):  # noqa: B007 - only the last one counts
        pass
    return (last.start(), last.end()) if last is not None else None


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
