"""The segmenter cuts bodies into blocks of pieces and puts them back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import fixture_posts, post_id
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.markdown.document import PieceKind
from translate.markdown.front_matter import split_front_matter
from translate.markdown.segmenter import inline_pieces, parse_body, render_body, wrap_words


def kinds(source: str) -> list[tuple[str, str]]:
    return [(piece.kind.name, piece.raw) for piece in inline_pieces(source)]


@pytest.mark.parametrize("path", fixture_posts(), ids=post_id)
def test_every_block_is_located_and_tiles_its_source(path: Path) -> None:
    _, body_text = split_front_matter(path.read_text(encoding="utf-8"))
    body = parse_body(body_text)
    assert body.skipped == []
    for block in body.blocks:
        assert "".join(piece.raw for piece in block.pieces) == block.source


@pytest.mark.parametrize("path", fixture_posts(), ids=post_id)
def test_rendering_the_source_words_back_is_byte_identical_for_one_line_blocks(
    path: Path,
) -> None:
    _, body_text = split_front_matter(path.read_text(encoding="utf-8"))
    body = parse_body(body_text)
    same = {
        index: [block.source] for index, block in enumerate(body.blocks) if "\n" not in block.source
    }
    assert render_body(body, same) == body_text


def test_link_text_is_prose_and_destination_is_protected() -> None:
    assert kinds('Siehe [die Seite](https://x.de/a "Titel").') == [
        ("TEXT", "Siehe "),
        ("OPEN", "["),
        ("TEXT", "die Seite"),
        ("CLOSE", '](https://x.de/a "Titel")'),
        ("TEXT", "."),
    ]


def test_emphasis_keeps_its_exact_markers() -> None:
    assert kinds("__fett__ und _kursiv_") == [
        ("OPEN", "__"),
        ("TEXT", "fett"),
        ("CLOSE", "__"),
        ("TEXT", " und "),
        ("OPEN", "_"),
        ("TEXT", "kursiv"),
        ("CLOSE", "_"),
    ]


@pytest.mark.parametrize(
    ("source", "atom"),
    [
        ("a `code` b", "`code`"),
        ("a <kbd>Strg</kbd> b", "<kbd>"),
        ("a &copy; b", "&copy;"),
        ("a \\*b", "\\*"),
        ("a https://www.uni-hamburg.de/ b", "https://www.uni-hamburg.de/"),
        ("a <https://x.de> b", "<https://x.de>"),
        ("a $E = mc^2$ b", "$E = mc^2$"),
        ('a {{< icon name="download" >}} b', '{{< icon name="download" >}}'),
        ("a {{% callout %}} b", "{{% callout %}}"),
        ("a {{</* figure */>}} b", "{{</* figure */>}}"),
        ("a {{< hl go >}}x := 1{{< /hl >}} b", "{{< hl go >}}x := 1{{< /hl >}}"),
    ],
)
def test_protected_spans_are_atoms(source: str, atom: str) -> None:
    assert ("ATOM", atom) in kinds(source)


def test_prices_are_not_math() -> None:
    assert all(kind != "ATOM" for kind, _ in kinds("kostet 5 $ oder 10 $ im Monat"))


def test_paired_angle_shortcode_on_its_own_lines_is_not_translated() -> None:
    body = parse_body("Text\n\n{{< highlight python >}}\n# Kommentar\nx = 1\n{{< /highlight >}}\n")
    # Hugo hands the pair to its template as one placeholder: no heading, no prose.
    assert body.blocks[0].source == "Text"
    assert [[(p.kind, p.what) for p in block.pieces] for block in body.blocks[1:]] == [
        [(PieceKind.ATOM, "shortcode")]
    ]


def test_task_list_checkbox_is_protected() -> None:
    body = parse_body("- [ ] Folien hochladen\n- [x] Raum buchen\n")
    first = body.blocks[0].pieces
    assert (first[0].kind, first[0].raw) == (PieceKind.ATOM, "[ ] ")


def test_table_cells_with_escaped_pipes_are_located() -> None:
    body = parse_body("| A | B |\n|---|---|\n| x \\| y | `z` |\n")
    assert [block.source for block in body.blocks] == ["A", "B", "x \\| y", "`z`"]
    assert body.skipped == []


def test_wrapped_paragraph_is_rewrapped_with_its_prefixes() -> None:
    text = "> Eins zwei drei\n> vier fünf.\n"
    body = parse_body(text)
    out = render_body(body, {0: ["One", "two", "three", "four", "five", "six", "seven", "eight."]})
    assert out == "> One two three\n> four five six\n> seven eight.\n"


def test_wrap_never_starts_a_line_with_block_syntax() -> None:
    lines = wrap_words(["aaaa", "-", "bbbb", "1.", "cccc", "#", "dd"], lambda n: 4)
    assert all(not line.startswith(("-", "1.", "#")) for line in lines)


def test_wrap_keeps_crlf_and_missing_final_newline() -> None:
    body = parse_body("Eins zwei\r\ndrei vier")
    out = render_body(body, {0: ["one", "two", "three", "four", "five"]})
    assert out == "one two\r\nthree\r\nfour five"


# --- properties ---------------------------------------------------------------------------

_words = st.sampled_from(
    [
        "Haus",
        "über",
        "3,8",
        "e.V.",
        "z. B.",
        "*",
        "_",
        "`x`",
        "**f**",
        "[l](u)",
        "&amp;",
        "<b>",
        "\\*",
        "https://a.de",
        "{{< s >}}",
        "$x$",
        "~~d~~",
        "!",
        "[",
        "]",
        "a_b",
    ]
)
_line = st.lists(_words, min_size=1, max_size=8).map(" ".join)
_block = st.one_of(
    _line,
    _line.map(lambda s: "# " + s),
    _line.map(lambda s: "> " + s),
    _line.map(lambda s: "- " + s),
    _line.map(lambda s: "1. " + s),
    st.lists(_line, min_size=2, max_size=3).map("\n".join),
    st.tuples(_line, _line).map(lambda t: f"| {t[0]} | b |\n|---|---|\n| {t[1]} | c |"),
    _line.map(lambda s: "```\n" + s + "\n```"),
)
markdown_documents = st.lists(_block, min_size=1, max_size=6).map(lambda b: "\n\n".join(b) + "\n")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_inline_pieces_always_tile_their_source(source: str) -> None:
    assert "".join(piece.raw for piece in inline_pieces(source)) == source


@settings(max_examples=200, deadline=None)
@given(markdown_documents)
def test_generated_documents_round_trip(text: str) -> None:
    body = parse_body(text)
    for block in body.blocks:
        assert "".join(piece.raw for piece in block.pieces) == block.source
    same = {i: [b.source] for i, b in enumerate(body.blocks) if "\n" not in b.source}
    assert render_body(body, same) == text


def test_a_paragraph_written_one_sentence_per_line_keeps_its_lines() -> None:
    from translate import translate_text
    from translate.translation.backends.simple import PseudoTranslator

    def ps(text: str) -> str:
        return PseudoTranslator().translate([text])[0]

    one_per_line = (
        "Dies ist der erste Satz.\n"
        "Der zweite Satz steht auf seiner eigenen Zeile, wie es sich gehört.\n"
        "Und der dritte (auch)!\n"
    )
    wrapped = "Ein umbrochener Absatz mit\nmehreren Zeilen, die mitten im\nSatz enden.\n"
    head = "---\ntitle: T\n---\n"
    output = translate_text(head + one_per_line + "\n" + wrapped, PseudoTranslator())
    body = output.split("---\n", 2)[2]
    sentences = [line for line in one_per_line.splitlines()]
    assert body.startswith("\n".join(ps(sentence) for sentence in sentences) + "\n\n")
    assert ps(wrapped.replace("\n", " ").strip()) not in body  # re-wrapped to the width
    assert all(len(line) <= 32 for line in body.split("\n\n")[1].splitlines())


def test_a_line_break_after_an_abbreviation_is_no_sentence_break() -> None:
    from translate.markdown.segmenter import parse_body
    from translate.markdown.sentences import split_sentences
    from translate.translation.protect import Segment, plan_block

    body = parse_body("Wir brauchen Werkzeuge, z. B.\nHammer und Zange.\n")
    plan = plan_block(body.blocks[0], lambda text: split_sentences(text, "de"))
    assert len([part for part in plan.parts if isinstance(part, Segment)]) == 1
