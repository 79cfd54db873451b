"""Protected spans survive whatever a model does to the markers around them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pytest

from translate.markdown.document import Block
from translate.markdown.segmenter import inline_pieces
from translate.markdown.sentences import split_sentences
from translate.translation.glossary import Glossary, Term
from translate.translation.pipeline import translate_posts
from translate.translation.prepared import prepare_post
from translate.translation.protect import Segment, apply_glossary, plan_block
from translate.translation.proving import render_post
from translate.translation.restore import restore_segment

MARKER = re.compile(r"</?g\d+>|<x\d+/>")


class Rewriter:
    """A fake model that applies `change` to every input."""

    def __init__(self, change: Callable[[str], str]) -> None:
        self.change = change
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.calls.append(list(texts))
        return [self.change(text) for text in texts]


def upper_prose(text: str) -> str:
    """Translate by upper-casing everything outside markers."""
    parts = re.split(r"(</?g\d+>|<x\d+/>)", text)
    return "".join(part if MARKER.fullmatch(part) else part.upper() for part in parts)


ADVERSARIES: dict[str, Callable[[str], str]] = {
    "drops markers": lambda t: MARKER.sub("", t).upper(),
    "duplicates markers": lambda t: MARKER.sub(lambda m: m.group() * 2, t).upper(),
    "moves markers to the end": lambda t: MARKER.sub("", t).upper() + "".join(MARKER.findall(t)),
    "mangles closing tags": lambda t: re.sub(r"</(g\d+)>", r">/\1>", t).upper(),
    "garbles everything": lambda t: "der die das " * 3,
}

POST = """---
title: 'Die **MLE** im AI.STARTUP.HUB'
---

Die MLE-Initiative beteiligt sich am „AI.STARTUP.HUB Hamburg“ mit `code` und
[Hamburg Innovation GmbH](https://hamburginnovation.de/), siehe auch
<https://example.org/x>. Das **fette** Wort und {{< icon name="x" >}} bleiben &copy;.

* [Start von vier Modellprojekten](https://www.bmwi.de/a.html)
"""

GLOSSARY = Glossary(
    [
        Term("AI.STARTUP.HUB", None, "test"),
        Term("MLE", None, "test"),
        Term("Hamburg Innovation GmbH", None, "test"),
    ]
)


def translate(change: Callable[[str], str]) -> str:
    post = prepare_post(POST, language="de", glossary=GLOSSARY)
    translate_posts([post], Rewriter(change))
    return render_post(post)


@pytest.mark.parametrize("name", sorted(ADVERSARIES))
def test_protected_spans_survive_a_hostile_model(name: str) -> None:
    out = translate(ADVERSARIES[name])
    for kept in [
        "`code`",
        "](https://hamburginnovation.de/)",
        "<https://example.org/x>",
        '{{< icon name="x" >}}',
        "&copy;",
        "](https://www.bmwi.de/a.html)",
        "AI.STARTUP.HUB",
    ]:
        assert out.count(kept) == POST.count(kept), kept
    assert out.count("MLE") == POST.count("MLE")
    assert not MARKER.search(out)
    assert not re.search(r"[<>]/?g\d", out)


def test_markers_that_survive_keep_the_link_inside_its_sentence() -> None:
    model = Rewriter(upper_prose)
    post = prepare_post(POST, language="de", glossary=GLOSSARY)
    translate_posts([post], model)
    sent = [text for call in model.calls for text in call]
    assert any("<g1>" in text and "SIEHE" not in text and "siehe" in text for text in sent)
    out = render_post(post)
    assert "[Hamburg Innovation GmbH](https://hamburginnovation.de/), SIEHE AUCH" in out


def test_segments_without_words_never_reach_the_model() -> None:
    model = Rewriter(upper_prose)
    post = prepare_post(
        "---\ntitle: x\n---\n\n- 3,8\n- &copy; 2022\n- `a` -\n\n Text.\n", language="de"
    )
    translate_posts([post], model)
    sent = [text for call in model.calls for text in call]
    assert sent == ["x", "Text."]


def test_each_distinct_segment_is_translated_once() -> None:
    model = Rewriter(upper_prose)
    posts = [
        prepare_post(f"---\ntitle: Hallo\n---\n\nGleicher Satz.\n\nPost {n}.\n", language="de")
        for n in range(3)
    ]
    translate_posts(posts, model)
    sent = [text for call in model.calls for text in call]
    assert sorted(sent) == sorted({"Hallo", "Gleicher Satz.", "Post 0.", "Post 1.", "Post 2."})


def test_batches_are_sorted_by_length_and_sized() -> None:
    model = Rewriter(upper_prose)
    text = "---\ntitle: T\n---\n\n" + "\n\n".join("Wort " * n + "Ende." for n in range(1, 8)) + "\n"
    translate_posts([prepare_post(text, language="de")], model, batch_size=3)
    assert [len(call) for call in model.calls] == [3, 3, 2]
    flat = [text for call in model.calls for text in call]
    assert flat == sorted(flat, key=len)


def test_restore_rejects_reordered_markers() -> None:
    segment = Segment.of(inline_pieces("Ein [Link](u) und `c` hier"))
    assert segment.text == "Ein <g1>Link</g1> und <x1/> hier"
    assert restore_segment(segment, "A <x1/> and <g1>link</g1>") is None
    assert restore_segment(segment, "A <g1>link</g1> and <x1/> here") is not None


def test_glossary_names_wrapped_across_lines_are_found() -> None:
    pieces = apply_glossary(inline_pieces("bei der Hamburg\nInnovation GmbH heute"), GLOSSARY)
    atoms = [piece for piece in pieces if piece.what == "name"]
    assert [(a.raw, a.rendered) for a in atoms] == [
        ("Hamburg\nInnovation GmbH", "Hamburg Innovation GmbH")
    ]


def test_glossary_terms_are_replaced_by_their_fixed_translation() -> None:
    glossary = Glossary([Term("KI-Startups", "AI startups", "test")])
    post = prepare_post(
        "---\ntitle: T\n---\n\nWir fördern KI-Startups in Hamburg.\n",
        language="de",
        glossary=glossary,
    )
    translate_posts([post], Rewriter(ADVERSARIES["garbles everything"]))
    assert "AI startups" in render_post(post)


def test_sentences_are_split_but_abbreviations_are_not() -> None:
    block = Block(
        "b",
        "paragraph",
        1,
        "",
        inline_pieces("Der ARIC e.V. ist dabei. Am 11. Januar 2022 ging es los."),
    )
    plan = plan_block(block, lambda text: split_sentences(text, "de"))
    assert [segment.text for segment in plan.segments] == [
        "Der ARIC e.V. ist dabei.",
        "Am 11. Januar 2022 ging es los.",
    ]


def test_too_long_segments_are_split_not_truncated() -> None:
    class Limited(Rewriter):
        max_input_tokens = 8

        def count_tokens(self, text: str) -> int:
            return len(text.split())

        def signature(self) -> dict[str, str]:
            return {"backend": "limited", "model": "none", "weights": "none", "beams": "1"}

    model = Limited(upper_prose)
    sentence = "eins zwei drei vier fünf, sechs sieben acht neun zehn elf zwölf dreizehn vierzehn."
    post = prepare_post(f"---\ntitle: T\n---\n\n{sentence}\n", language="de")
    translate_posts([post], model)
    sent = [text for call in model.calls for text in call]
    assert all(len(text.split()) <= 8 for text in sent)
    assert sentence.upper() in render_post(post)


def test_batches_are_sorted_by_tokens_when_the_model_counts_them() -> None:
    class Counting(Rewriter):
        max_input_tokens = 512

        def count_tokens(self, text: str) -> int:
            return len(text.split())  # "tokens" are words here, not characters

        def signature(self) -> dict[str, str]:
            return {"backend": "counting", "model": "none", "weights": "none", "beams": "1"}

    model = Counting(upper_prose)
    texts = ["Einundzwanzigtausend Stimmen.", "A b c d e f.", "Kurz da."]
    body = "\n\n".join(texts)
    translate_posts([prepare_post(f"---\ntitle: T\n---\n\n{body}\n", language="de")], model)
    flat = [text for call in model.calls for text in call]
    assert flat == ["T", "Einundzwanzigtausend Stimmen.", "Kurz da.", "A b c d e f."]
