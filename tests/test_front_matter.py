"""Tests for translate.markdown.front_matter: splitting, reading and replacing values in place."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.errors import FrontMatterError
from translate.markdown.front_matter import (
    DEFAULT_TRANSLATABLE_KEYS,
    FrontMatter,
    FrontMatterField,
    key_matches,
    split_front_matter,
)

SAMPLE_POST = Path(__file__).parent.parent / "content/de/post/ai-startup-hub/index.md"

YAML_STYLES = """\
---
title: Ein schlichter Titel
subtitle: 'In einfachen Anführungszeichen, mit ''Zitat'''
summary: "In doppelten \\"Anführungszeichen\\" mit \\u00e9 und \\t Tab"
description: |
  Erste Zeile
  zweite Zeile

linktitle: >-
  Gefaltet über
  zwei Zeilen
date: 2022-01-11
tags: [eins, "zwei", 'drei']
draft: false  # Kommentar
resources:
- src: a.jpg
  params:
    caption: Bild eins
- src: b.jpg
  params: {caption: 'Bild zwei', alt: Alternativtext}
image:
  caption: mehrzeilig
    geschriebener Text
  alt: "auch
    mehrzeilig"
empty: ""
---
Body.
"""

TOML_STYLES = """\
+++
title = "Ein Titel"  # Kommentar
subtitle='wörtlich'
summary = \"\"\"
Mehrzeilig
und \\"basic\\\"\"\"\"
description = '''
Mehrzeilig
wörtlich'''
date = 2022-01-11T00:00:00Z
tags = ["eins", 'zwei']
image.caption = "gepunktet"
# commented = "nicht da"

[params]
inline = { caption = "inline", n = 1 }

[[resources]]
src = "a.jpg"
[resources.params]
caption = "Bild eins"

[[resources]]
src = "b.jpg"
title = "Titel zwei"
+++
Body.
"""


def split(text: str) -> FrontMatter:
    """Return the front matter of `text`, checking that nothing is lost in the split."""
    front_matter, body = split_front_matter(text)
    assert front_matter.text + body == text
    return front_matter


def changed_lines(old: str, new: str) -> list[int]:
    """Return the 1-based numbers of the old lines that differ in `new`."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(True), b=new.splitlines(True))
    return [
        line + 1
        for tag, start, end, _, _ in matcher.get_opcodes()
        if tag != "equal"
        for line in range(start, end)
    ]


def every_string(front_matter: FrontMatter) -> dict[tuple[str | int, ...], str]:
    """Return every string value of the front matter by path."""
    return {field.path: field.value for field in front_matter.fields(("**",))}


def as_replaced(front_matter: FrontMatter, path: tuple[str | int, ...], value: str) -> str:
    """Return what `value` reads back as once it replaces the value at `path`.

    The value itself, but a YAML block scalar (`|`, `>+`) keeps its final line breaks when
    the new value has none: they are its layout, which its header states.
    """
    field = next(field for field in front_matter.fields(("**",)) if field.path == path)
    header = front_matter.text.splitlines()[field.line - 1]
    if front_matter.format != "yaml" or value.endswith("\n"):
        return value
    if not re.search(r":[ \t]*[|>]", header):
        return value
    return value + field.value[len(field.value.rstrip("\n")) :]


# --- the sample post ----------------------------------------------------------------------


def test_sample_post_fields_skip_comments_and_non_strings() -> None:
    front_matter = split(SAMPLE_POST.read_text(encoding="utf-8"))

    assert front_matter.format == "yaml"
    assert front_matter.first_line == 1
    assert front_matter.fields() == [
        FrontMatterField(("title",), "MLE ist Partner im AI.STARTUP.HUB Hamburg", 2),
        FrontMatterField(
            ("summary",),
            "Die MLE-Initiative beteiligt sich an dem Kooperationsprojekt "
            "„AI.STARTUP.HUB Hamburg“.",
            4,
        ),
        FrontMatterField(("image", "caption"), "&copy; BMWi", 19),
    ]


def test_sample_post_replace_changes_only_the_translated_lines() -> None:
    text = SAMPLE_POST.read_text(encoding="utf-8")
    front_matter = split(text)

    new = front_matter.replace(
        {
            ("title",): "MLE is a partner in the AI.STARTUP.HUB Hamburg",
            ("summary",): "The MLE initiative takes part in the cooperation project.",
            ("image", "caption"): "© BMWi",
        }
    )

    assert changed_lines(front_matter.text, new) == [2, 4, 19]
    lines = new.splitlines()
    assert lines[1] == "title: 'MLE is a partner in the AI.STARTUP.HUB Hamburg'"
    assert lines[3] == "summary: The MLE initiative takes part in the cooperation project."
    assert lines[18] == "  caption: '© BMWi'"


def test_sample_post_data_keeps_types() -> None:
    data = split(SAMPLE_POST.read_text(encoding="utf-8")).data()

    assert data["date"] == "2022-01-11T00:00:00Z"
    assert data["tags"] is None
    assert data["projects"] == []
    assert data["image"]["placement"] == 1
    assert "subtitle" not in data


POSTS = [*sorted((Path(__file__).parent / "fixtures" / "posts").rglob("*.de.md")), SAMPLE_POST]


@pytest.mark.parametrize("post", POSTS, ids=lambda post: post.name)
def test_fixture_posts_round_trip_and_translate_in_place(post: Path) -> None:
    text = post.read_bytes().decode("utf-8")  # read_text would turn "\r\n" into "\n"
    front_matter = split(text)
    fields = front_matter.fields()
    translated = {field.path: f"Translated: {'.'.join(map(str, field.path))}" for field in fields}

    assert front_matter.replace(every_string(front_matter)) == front_matter.text
    new = front_matter.replace(translated)
    assert changed_lines(front_matter.text, new) == sorted({field.line for field in fields})
    assert every_string(split(new)) == {**every_string(front_matter), **translated}


# --- splitting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: x\n---\nbody\n",
        "---   \ntitle: x\n---  \nbody",
        "\n\n---\ntitle: x\n---\nbody\n",
        '{\n  "title": "x"\n}\nbody\n',
        '  {"title": "x"}body',
        "# Kein Vorspann\n\nText\n",
        "",
        "---\r\ntitle: x\r\n---\r\nbody\r\n",
        "---\ntitle: x\n---",
        "---\n---\n",
        "\ufeff---\ntitle: x\n---\n",
        "+++\ntitle = 'x'\n+++\n\nbody\n",
        "+++\r\ntitle = 'x'\r\n+++\r\n",
    ],
)
def test_split_is_lossless(text: str) -> None:
    front_matter, body = split_front_matter(text)

    assert front_matter.text + body == text
    closing = {"yaml": "---", "toml": "+++", "json": "}", "none": ""}[front_matter.format]
    assert front_matter.text.rstrip().endswith(closing)


def test_split_stops_at_the_first_closing_line() -> None:
    front_matter, body = split_front_matter("---\ntitle: x\n---\nText\n---\nmehr\n")

    assert front_matter.text == "---\ntitle: x\n---\n"
    assert body == "Text\n---\nmehr\n"


def test_empty_front_matter_has_no_fields() -> None:
    front_matter = split("---\n# nur ein Kommentar\n---\nbody\n")

    assert front_matter.data() == {}
    assert front_matter.fields() == []
    assert front_matter.replace({}) == front_matter.text


# --- errors -------------------------------------------------------------------------------


def raises_front_matter_error(text: str) -> FrontMatterError:
    with pytest.raises(FrontMatterError) as caught:
        split_front_matter(text)
    error = caught.value
    assert "\n" not in str(error)
    assert error.hint
    assert error.path is None
    return error


@pytest.mark.parametrize("text", ["", "  \n\n", "# Überschrift\n\nText\n", "Nur Text.\n"])
def test_a_post_without_front_matter_is_all_body(text: str) -> None:
    # Hugo builds such a page; its translation has no front matter either.
    front_matter, body = split_front_matter(text)

    assert (front_matter.format, front_matter.text, body) == ("none", "", text)
    assert front_matter.data() == {}
    assert front_matter.fields() == []


def test_blank_lines_before_the_front_matter_belong_to_it() -> None:
    front_matter, body = split_front_matter("\n\n---\ntitle: x\n---\nText\n")

    assert (front_matter.format, front_matter.first_line, body) == ("yaml", 3, "Text\n")
    assert [(f.path, f.line) for f in front_matter.fields()] == [(("title",), 4)]


def test_json_front_matter_is_read_and_replaced_in_place() -> None:
    text = '{\n  "title": "Titel",\n  "image": {"caption": "Bild \\"A\\""},\n  "n": 3\n}\nText\n'
    front_matter, body = split_front_matter(text)

    assert body == "Text\n"
    assert [(f.path, f.value, f.line) for f in front_matter.fields()] == [
        (("title",), "Titel", 2),
        (("image", "caption"), 'Bild "A"', 3),
    ]
    new = front_matter.replace({("title",): "Title", ("image", "caption"): "Image “A”"})
    assert new == '{\n  "title": "Title",\n  "image": {"caption": "Image “A”"},\n  "n": 3\n}\n'


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("- Punkt\n- Punkt\n", 1, "invalid YAML delimiter"),
        ("\n+ Punkt\n", 2, "invalid TOML delimiter"),
        ('{\n  "title": "x",\n}\n', 3, "invalid JSON"),
        ('{\n  "title": "x"\n', 1, "never closed"),
        ("#+TITLE: x\n", 1, "Org-mode"),
    ],
)
def test_starts_hugo_cannot_read_are_errors(text: str, line: int, words: str) -> None:
    error = raises_front_matter_error(text)

    assert error.line == line
    assert words in error.message


def test_a_date_that_is_no_date_is_read_as_text_outside_hugos_date_fields() -> None:
    front_matter, _ = split_front_matter("---\ntitle: x\ndate_end: 2022-15-11\n---\n")

    assert front_matter.data()["date_end"] == "2022-15-11"


@pytest.mark.parametrize("value", ["2022-15-11", "'gestern'"])
def test_a_hugo_date_field_that_is_no_date_is_an_error(value: str) -> None:
    error = raises_front_matter_error(f"---\ntitle: x\nlastMod: {value}\n---\n")

    assert (error.line, "not a parsable date" in error.message) == (3, True)


def test_an_alias_bomb_is_refused_with_its_line() -> None:
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for name, previous in zip("bcdefg", "abcdef", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    error = raises_front_matter_error("\n".join([*lines, "---", "Text"]))

    assert "aliases" in error.message
    assert error.line is not None and 3 <= error.line <= 8


def test_front_matter_nested_too_deeply_is_refused() -> None:
    error = raises_front_matter_error("---\na: " + "[" * 500 + "]" * 500 + "\n---\n")

    assert "nested" in error.message


@pytest.mark.parametrize(("text", "closing"), [("---\ntitle: x\n", "---"), ("+++\na = 1\n", "+++")])
def test_unterminated_front_matter_is_an_error(text: str, closing: str) -> None:
    error = raises_front_matter_error(text + "\nbody without end\n")

    assert error.line == 1
    assert f"closing {closing} line is missing" in error.message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: x\nsummary: a: b\n---\n", 3, "mapping values are not allowed"),
        ("---\ntitle: x\r\n\r\ntags: [a, b\r\n---\r\n", 4, "flow sequence"),
        ("---\ntitle: x\nsummary: 'x\n---\n", 3, "quoted scalar"),
        ("---\ntitle: x\ntitle: y\n---\n", 3, "duplicate key"),
        ("---\ntitle: a\x07b\n---\n", 2, "U+0007"),
        ("+++\ntitle = 'x'\nsummary = \n+++\n", 3, "invalid TOML"),
        ("+++\ntitle = 'x'\n\ntitle = 'y'\n+++\n", 4, 'Key "title" already exists'),
    ],
)
def test_invalid_front_matter_reports_the_file_line(text: str, line: int, words: str) -> None:
    error = raises_front_matter_error(text + "body\n")

    assert error.line == line
    assert words in error.message
    assert " at line " not in error.message  # the parser's own, block-relative position


@pytest.mark.parametrize("content", ["- a\n- b\n", "nur Text\n"])
def test_front_matter_that_is_no_mapping_is_an_error(content: str) -> None:
    error = raises_front_matter_error(f"---\n{content}---\nbody\n")

    assert error.line == 2
    assert "not a mapping" in error.message


def test_located_error_names_file_and_line() -> None:
    error = raises_front_matter_error("---\ntitle: x\nsummary: a: b\n---\n")

    located = str(error.located("content/de/post/x/index.md"))
    assert located.startswith("content/de/post/x/index.md:3: invalid YAML")


# --- fields -------------------------------------------------------------------------------


def test_yaml_fields_in_every_style_with_lines() -> None:
    front_matter = split(YAML_STYLES)

    assert [(field.path, field.line) for field in front_matter.fields()] == [
        (("title",), 2),
        (("subtitle",), 3),
        (("summary",), 4),
        (("description",), 5),
        (("linktitle",), 9),
        (("resources", 0, "params", "caption"), 18),
        (("resources", 1, "params", "caption"), 20),
        (("resources", 1, "params", "alt"), 20),
        (("image", "caption"), 22),
        (("image", "alt"), 24),
    ]
    values = {field.path: field.value for field in front_matter.fields()}
    assert values[("subtitle",)] == "In einfachen Anführungszeichen, mit 'Zitat'"
    assert values[("summary",)] == 'In doppelten "Anführungszeichen" mit é und \t Tab'
    assert values[("description",)] == "Erste Zeile\nzweite Zeile\n"
    assert values[("linktitle",)] == "Gefaltet über zwei Zeilen"
    assert values[("image", "caption")] == "mehrzeilig geschriebener Text"


def test_yaml_fields_in_lists_need_an_index_pattern() -> None:
    front_matter = split(YAML_STYLES)

    assert [field.path for field in front_matter.fields(("tags",))] == []
    assert [field.value for field in front_matter.fields(("tags.*",))] == [
        "eins",
        "zwei",
        "drei",
    ]


def test_yaml_non_strings_are_never_fields() -> None:
    front_matter = split("---\na: 1\nb: true\nc: 2022-01-11\nd: ~\ne: []\nf: {}\ng: '1'\n---\n")

    assert [field.path for field in front_matter.fields(("*",))] == [("g",)]


def test_toml_fields_in_every_style_with_lines() -> None:
    front_matter = split(TOML_STYLES)

    assert [(field.path, field.line) for field in front_matter.fields()] == [
        (("title",), 2),
        (("subtitle",), 3),
        (("summary",), 4),
        (("description",), 7),
        (("image", "caption"), 12),
        (("params", "inline", "caption"), 16),
        (("resources", 0, "params", "caption"), 21),
    ]
    values = {field.path: field.value for field in front_matter.fields()}
    assert values[("summary",)] == 'Mehrzeilig\nund "basic"'
    assert values[("description",)] == "Mehrzeilig\nwörtlich"


def test_toml_fields_with_crlf_keep_their_lines() -> None:
    text = TOML_STYLES.replace("\n", "\r\n")

    lines = [field.line for field in split(text).fields()]

    assert lines == [field.line for field in split(TOML_STYLES).fields()]


def test_yaml_aliases_and_merge_keys_are_not_fields() -> None:
    front_matter = split(
        "---\n"
        "base: &base\n"
        "  caption: Basis\n"
        "title: &t Titel\n"
        "linktitle: *t\n"
        "image:\n"
        "  <<: *base\n"
        "  alt: Alt\n"
        "other:\n"
        "  <<: {caption: Zusammengeführt}\n"
        "---\n"
    )

    assert [field.path for field in front_matter.fields()] == [
        ("base", "caption"),
        ("title",),
        ("image", "alt"),
    ]
    new = split(front_matter.replace({("title",): "Title", ("base", "caption"): "Base"}))
    assert new.text.splitlines()[3] == "title: &t Title"
    assert new.data()["linktitle"] == "Title"
    assert new.data()["image"] == {"caption": "Base", "alt": "Alt"}


# --- replacing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        YAML_STYLES,
        YAML_STYLES.replace("\n", "\r\n"),
        TOML_STYLES,
        TOML_STYLES.replace("\n", "\r\n"),
        SAMPLE_POST.read_text(encoding="utf-8"),
    ],
    ids=["yaml", "yaml-crlf", "toml", "toml-crlf", "sample"],
)
def test_replacing_with_the_same_values_is_byte_identical(text: str) -> None:
    front_matter = split(text)

    assert front_matter.replace(every_string(front_matter)) == front_matter.text


@pytest.mark.parametrize(
    "value",
    [
        "Title: with colon",
        "#hash",
        "yes",
        "no",
        "123",
        "1.5e3",
        "2022-01-11",
        "null",
        "~",
        " leading space",
        "trailing space ",
        "ends with colon:",
        "a # not a comment",
        "- dash",
        "[bracket]",
        "{brace}",
        "*star",
        "&amp",
        "!bang",
        "|pipe",
        ">gt",
        "'quoted'",
        '"double"',
        "%percent",
        "@at",
        "`tick",
        "",
        "two\nlines",
        "tab\there",
        "back\\slash",
        "unicode \u2028 separator",
    ],
)
def test_plain_value_that_needs_quotes_reads_back_exactly(value: str) -> None:
    front_matter = split(SAMPLE_POST.read_text(encoding="utf-8"))

    new = split(front_matter.replace({("summary",): value}) + "body\n")

    assert new.data()["summary"] == value
    assert changed_lines(front_matter.text, new.text) == [4]
    assert {key: v for key, v in new.data().items() if key != "summary"} == {
        key: v for key, v in front_matter.data().items() if key != "summary"
    }


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("title",), "A plain title", "title: A plain title"),
        (("subtitle",), "It's quoted", "subtitle: 'It''s quoted'"),
        (("summary",), 'Say "hi"\\', 'summary: "Say \\"hi\\"\\\\"'),
        (("resources", 0, "params", "caption"), "Image one", "    caption: Image one"),
        (
            ("resources", 1, "params", "caption"),
            "Image, two",
            "  params: {caption: 'Image, two', alt: Alternativtext}",
        ),
        (
            ("resources", 1, "params", "alt"),
            "Alt text",
            "  params: {caption: 'Bild zwei', alt: Alt text}",
        ),
        (("empty",), "now set", 'empty: "now set"'),
    ],
)
def test_yaml_flow_scalars_keep_their_style(
    path: tuple[str | int, ...], value: str, expected: str
) -> None:
    front_matter = split(YAML_STYLES)
    field = next(field for field in front_matter.fields(("**",)) if field.path == path)

    new = front_matter.replace({path: value})

    assert new.splitlines()[field.line - 1] == expected
    assert changed_lines(front_matter.text, new) == [field.line]
    assert every_string(split(new + "x")) == {**every_string(front_matter), path: value}


def test_yaml_wrapped_flow_scalars_become_one_line() -> None:
    front_matter = split(YAML_STYLES)

    new = front_matter.replace(
        {("image", "caption"): "A wrapped caption", ("image", "alt"): "A wrapped alt"}
    )

    assert "  caption: 'A wrapped caption'\n  alt: \"A wrapped alt\"\nempty:" in new
    assert split(new).data()["image"] == {
        "caption": "A wrapped caption",
        "alt": "A wrapped alt",
    }


def test_yaml_literal_block_keeps_header_and_indentation() -> None:
    front_matter = split(YAML_STYLES)

    new = front_matter.replace({("description",): "First line\n  indented second\n"})

    assert "description: |\n  First line\n    indented second\n\nlinktitle:" in new
    assert split(new).data()["description"] == "First line\n  indented second\n"


def test_yaml_literal_block_changes_chomping_only_when_needed() -> None:
    front_matter = split(YAML_STYLES)

    new = front_matter.replace({("description",): "Two final line breaks\n\n"})

    assert "description: |+\n  Two final line breaks\n\nlinktitle:" in new
    assert split(new).data()["description"] == "Two final line breaks\n\n"


def test_a_new_block_value_without_final_line_breaks_keeps_those_of_the_old() -> None:
    # A translation is text: the line breaks that end a block scalar are its layout.
    front_matter = split(YAML_STYLES)

    new = front_matter.replace({("description",): "Without final line break"})

    assert "description: |\n  Without final line break\n\nlinktitle:" in new
    assert split(new).data()["description"] == "Without final line break\n"


BLOCK_HEADERS = [
    style + first + second
    for style in "|>"
    for first, second in [
        ("", ""),
        ("-", ""),
        ("+", ""),
        ("2", ""),
        ("2", "-"),
        ("2", "+"),
        ("-", "2"),
        ("+", "2"),
        ("1", ""),
    ]
]


@pytest.mark.parametrize("header", BLOCK_HEADERS)
def test_yaml_block_scalar_headers_stay_byte_identical(header: str) -> None:
    # Inside a mapping at column 2: an indentation indicator counts from there.
    indicator = int(next((c for c in header if c.isdigit()), "2"))
    extra = " " if header.startswith("|") and indicator == 1 else ""
    lines = [f"    {extra}Erste Zeile", "    zweite Zeile", "", ""]
    text = f"---\nimage:\n  caption: {header} # Kommentar\n" + "\n".join(lines)
    front_matter = split(text + "  alt: x\n---\n")
    path = ("image", "caption")

    new = front_matter.replace({path: "Caption in English"})

    assert new.splitlines()[2] == f"  caption: {header} # Kommentar"
    assert every_string(split(new))[path] == as_replaced(front_matter, path, "Caption in English")
    assert new.endswith("\n  alt: x\n---\n")


def test_a_literal_block_with_an_indentation_indicator_keeps_leading_spaces() -> None:
    front_matter = split("---\ncode: |2-\n    eingerückt\n  dann nicht\n---\n")

    new = front_matter.replace({("code",): "  indented\nthen not"})

    assert new == "---\ncode: |2-\n    indented\n  then not\n---\n"


@pytest.mark.parametrize("header", ["|2-", ">+", "|", ">-", "|+2"])
def test_a_translated_block_scalar_keeps_its_header(header: str) -> None:
    from translate import translate_text
    from translate.translation.backends.simple import PseudoTranslator

    post = f"---\ntitle: Titel\nsummary: {header}\n  Ein Satz hier\n  und weiter.\n\n---\n\nText.\n"

    out = translate_text(post, PseudoTranslator())

    assert f"\nsummary: {header}\n  ⟦" in out
    before, after = (split(text).data()["summary"] for text in (post, out))
    assert before[len(before.rstrip("\n")) :] == after[len(after.rstrip("\n")) :]


def test_yaml_folded_block_keeps_header_and_paragraphs() -> None:
    front_matter = split(YAML_STYLES)

    new = front_matter.replace({("linktitle",): "Folded\nover two paragraphs"})

    assert "linktitle: >-\n  Folded\n\n  over two paragraphs\ndate:" in new
    assert split(new).data()["linktitle"] == "Folded\nover two paragraphs"


def test_yaml_block_with_crlf_keeps_crlf() -> None:
    front_matter = split(YAML_STYLES.replace("\n", "\r\n"))

    new = front_matter.replace({("description",): "One\nTwo\n", ("title",): "Neu"})

    assert "description: |\r\n  One\r\n  Two\r\n\r\nlinktitle:" in new
    assert "\r\ntitle: Neu\r\n" in new
    assert "\n" not in new.replace("\r\n", "")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("title",), "A title", 'title = "A title"  # Kommentar'),
        (("subtitle",), "literal", "subtitle='literal'"),
        (("subtitle",), "it's", 'subtitle="it\'s"'),
        (("image", "caption"), 'say "x"', 'image.caption = "say \\"x\\""'),
        (("params", "inline", "caption"), "in line", 'inline = { caption = "in line", n = 1 }'),
        (("resources", 0, "params", "caption"), "Image one", 'caption = "Image one"'),
    ],
)
def test_toml_single_line_strings_keep_their_kind(
    path: tuple[str | int, ...], value: str, expected: str
) -> None:
    front_matter = split(TOML_STYLES)
    field = next(field for field in front_matter.fields() if field.path == path)

    new = front_matter.replace({path: value})

    assert new.splitlines()[field.line - 1] == expected
    assert changed_lines(front_matter.text, new) == [field.line]
    assert every_string(split(new)) == {**every_string(front_matter), path: value}


def test_toml_multi_line_strings_stay_multi_line() -> None:
    front_matter = split(TOML_STYLES)

    new = front_matter.replace({("summary",): "Multi\nline", ("description",): "Multi\nliteral"})

    assert "summary = \"\"\"\nMulti\nline\"\"\"\ndescription = '''\nMulti\nliteral'''\n" in new
    assert split(new).data()["summary"] == "Multi\nline"


def test_toml_crlf_stays_crlf() -> None:
    front_matter = split(TOML_STYLES.replace("\n", "\r\n"))

    new = front_matter.replace({("title",): "Neu", ("resources", 1, "title"): "Zwei"})

    assert changed_lines(front_matter.text, new) == [2, 25]
    assert "\n" not in new.replace("\r\n", "")


def test_several_values_on_one_line_are_all_replaced() -> None:
    front_matter = split(YAML_STYLES)

    new = front_matter.replace(
        {
            ("tags", 0): "one",
            ("tags", 1): "two, with comma",
            ("tags", 2): "three",
        }
    )

    assert "tags: [one, \"two, with comma\", 'three']" in new
    assert split(new).data()["tags"] == ["one", "two, with comma", "three"]


def test_replacing_a_missing_path_is_a_key_error() -> None:
    front_matter = split(YAML_STYLES)

    with pytest.raises(KeyError):
        front_matter.replace({("nope",): "x"})
    with pytest.raises(KeyError):
        front_matter.replace({("resources", 5, "src"): "x"})


@pytest.mark.parametrize("path", [("draft",), ("date",), ("tags",), ("resources", 0)])
def test_replacing_a_non_string_is_a_value_error(path: tuple[str | int, ...]) -> None:
    with pytest.raises(ValueError, match="not a string value"):
        split(YAML_STYLES).replace({path: "x"})


def test_replacing_a_toml_non_string_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a string value"):
        split(TOML_STYLES).replace({("date",): "x"})


# --- property tests -----------------------------------------------------------------------

YAML_TARGETS = {
    "plain": "target: alt\n",
    "single": "target: 'alt'\n",
    "double": 'target: "alt"\n',
    "literal": "target: |\n  alt\n  zeile\n",
    "literal-keep": "target: |+\n  alt\n\n",
    "folded": "target: >\n  alt\n  zeile\n",
    "wrapped": "target: alt\n  zeile\n",
    "flow": "target: [alt, 'x']\n",
    "nested": "target:\n- params: {caption: alt}\n",
}
YAML_PATHS: dict[str, tuple[str | int, ...]] = {
    "flow": ("target", 0),
    "nested": ("target", 0, "params", "caption"),
}
TOML_TARGETS = {
    "basic": 'target = "alt"\n',
    "literal": "target = 'alt'\n",
    "multi-basic": 'target = """\nalt"""\n',
    "multi-literal": "target = '''alt'''\n",
    "inline": 'target = { caption = "alt" }\n',
    "array": "target = ['alt', 1]\n",
}
TOML_PATHS: dict[str, tuple[str | int, ...]] = {
    "inline": ("target", "caption"),
    "array": ("target", 0),
}

# Arbitrary text, with the characters that need care in YAML and TOML made common.
TEXTS = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("'\"\\:#-,[]{}&*!|>%@`\n\r\t ")),
        st.sampled_from([": ", " #", "'''", '"""', "\r\n", "yes", "1", "~"]),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(style=st.sampled_from(sorted(YAML_TARGETS)), value=TEXTS, crlf=st.booleans())
def test_yaml_any_value_reads_back_and_keeps_other_lines(
    style: str, value: str, crlf: bool
) -> None:
    before = "title: Titel # Kommentar\nlist:\n- a\n"
    after = "summary: 'Zusammenfassung'\ndate: 2022-01-11\n"
    text = f"---\n{before}{YAML_TARGETS[style]}{after}---\nbody\n"
    if crlf:
        text = text.replace("\n", "\r\n")
        before, after = before.replace("\n", "\r\n"), after.replace("\n", "\r\n")
    front_matter = split(text)
    path = YAML_PATHS.get(style, ("target",))

    new = front_matter.replace({path: value})

    assert new.startswith("---" + ("\r\n" if crlf else "\n") + before)
    if style not in ("flow", "nested"):
        assert new.endswith(after + "---" + ("\r\n" if crlf else "\n"))
    reread = split(new)
    expected = as_replaced(front_matter, path, value)
    assert every_string(reread) == {**every_string(front_matter), path: expected}
    assert reread.data()["date"] == front_matter.data()["date"]


@settings(max_examples=300, deadline=None)
@given(style=st.sampled_from(sorted(TOML_TARGETS)), value=TEXTS, crlf=st.booleans())
def test_toml_any_value_reads_back_and_keeps_other_lines(
    style: str, value: str, crlf: bool
) -> None:
    before = 'title = "Titel" # Kommentar\nlist = [1, 2]\n'
    after = "summary = 'Zusammenfassung'\ndate = 2022-01-11\n"
    text = f"+++\n{before}{TOML_TARGETS[style]}{after}+++\nbody\n"
    if crlf:
        text = text.replace("\n", "\r\n")
        before, after = before.replace("\n", "\r\n"), after.replace("\n", "\r\n")
    front_matter = split(text)
    path = TOML_PATHS.get(style, ("target",))

    new = front_matter.replace({path: value})

    assert new.startswith("+++" + ("\r\n" if crlf else "\n") + before)
    assert new.endswith(after + "+++" + ("\r\n" if crlf else "\n"))
    reread = split(new)
    assert every_string(reread) == {**every_string(front_matter), path: value}
    assert reread.data()["date"] == front_matter.data()["date"]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), text=st.sampled_from([YAML_STYLES, TOML_STYLES]), crlf=st.booleans())
def test_all_values_at_once_read_back(data: st.DataObject, text: str, crlf: bool) -> None:
    front_matter = split(text.replace("\n", "\r\n") if crlf else text)
    strings = every_string(front_matter)
    values = {path: data.draw(TEXTS, label=".".join(map(str, path))) for path in strings}

    new = split(front_matter.replace(values))

    assert every_string(new) == {
        path: as_replaced(front_matter, path, value) for path, value in values.items()
    }
    assert new.data()["date"] == front_matter.data()["date"]


# --- key patterns -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "patterns", "expected"),
    [
        (("title",), ["title"], True),
        (("image", "title"), ["title"], False),
        (("Title",), ["title"], True),  # Hugo reads keys without case
        (("caption",), ["**.caption"], True),
        (("image", "caption"), ["**.caption"], True),
        (("resources", 0, "params", "caption"), ["**.caption"], True),
        (("resources", 0, "params", "caption", "x"), ["**.caption"], False),
        (("tags", 0), ["tags.*"], True),
        (("tags",), ["tags.*"], False),
        (("tags", 0, "x"), ["tags.*"], False),
        (("resources", 3, "title"), ["resources.*.title"], True),
        (("resources", 3, "title"), ["resources.0.title"], False),
        (("resources", 0, "title"), ["resources.0.title"], True),
        (("a", "b", "c"), ["a.**"], True),
        (("a",), ["a.**"], True),
        (("a", "b"), ["**"], True),
        ((), ["**"], True),
        (("summary",), [], False),
        (("summary",), DEFAULT_TRANSLATABLE_KEYS, True),
        (("params", "alt"), DEFAULT_TRANSLATABLE_KEYS, True),
        (("params", "summary"), DEFAULT_TRANSLATABLE_KEYS, False),
    ],
)
def test_key_matches(path: tuple[str | int, ...], patterns: list[str], expected: bool) -> None:
    assert key_matches(path, patterns) is expected
