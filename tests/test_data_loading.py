"""TOML, YAML and JSON load within one set of bounds, with errors that name the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translate.errors import ConfigError, RecordError, TranslateError
from translate.files import load_data, parse_json_lines, read_data
from translate.files.data import MAX_ALIAS_VALUES, MAX_DEPTH, DataFormat
from translate.files.json_spans import scan_json, walk_spans
from translate.hugo.config import load_hugo_config

DEEP = 100_000


def load_error(text: str, fmt: DataFormat) -> TranslateError:
    with pytest.raises(ConfigError) as caught:
        load_data(text, fmt, path="hugo." + fmt)
    return caught.value


def alias_bomb(levels: int = 7) -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for name, previous in zip("bcdefghij"[: levels - 1], "abcdefghi", strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(lines) + "\n"


# YAML aliases: only what they expand counts


def test_a_yaml_alias_bomb_is_refused_at_the_alias_that_passes_the_bound() -> None:
    error = load_error("title: x\n" + alias_bomb(), "yaml")

    assert "aliases here expand to more than 10,000 values" in error.message
    assert error.line == 5  # d: the first line whose aliases pass 10,000 values
    assert error.hint is not None and "alias bomb" in error.hint


def test_a_plain_list_longer_than_the_alias_bound_is_no_alias_bomb() -> None:
    numbers = ", ".join(str(number) for number in range(MAX_ALIAS_VALUES + 1))

    data = load_data(f"numbers: [{numbers}]\n", "yaml")

    assert len(data["numbers"]) == MAX_ALIAS_VALUES + 1


def test_aliases_within_the_bound_are_loaded() -> None:
    data = load_data("base: &base {lang: de}\none: *base\ntwo: *base\n", "yaml")

    assert data["two"] == {"lang": "de"}


def test_an_alias_inside_the_value_it_names_is_refused() -> None:
    error = load_error("a: &a [1, *a]\n", "yaml")

    assert "contains it" in error.message and error.line == 1


def test_aliases_cannot_nest_a_value_beyond_the_depth_bound() -> None:
    half = 60
    deep = "[" * half + "x" + "]" * half
    text = f"a: &a {deep}\nb: " + "[" * half + "*a" + "]" * half + "\n"

    assert "nested more than 100 levels" in load_error(text, "yaml").message


# Nesting: refused before a recursive parser sees it


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("json", '{"a": ' + "[" * DEEP + "]" * DEEP + "}"),
        ("toml", "title = 'x'\na = " + "[" * DEEP + "]" * DEEP + "\n"),
        ("toml", "a = " + "{b = " * DEEP + "1" + "}" * DEEP + "\n"),
        ("yaml", "a: " + "[" * DEEP + "]" * DEEP + "\n"),
        ("yaml", "".join(" " * level + "a:\n" for level in range(2000)) + " " * 2000 + "b\n"),
    ],
    ids=["json", "toml-array", "toml-table", "yaml-flow", "yaml-block"],
)
def test_nesting_deeper_than_the_bound_is_an_error_not_a_recursion_error(
    fmt: DataFormat, text: str
) -> None:
    error = load_error(text, fmt)

    assert f"nested more than {MAX_DEPTH} levels deep" in error.message
    assert error.line is not None


def test_nesting_to_the_bound_is_loaded() -> None:
    depth = MAX_DEPTH
    text = '{"a": ' + "[" * depth + "]" * depth + "}"

    assert load_data(text, "json") == json.loads(text)


def test_toml_tables_nested_by_dotted_keys_are_bounded() -> None:
    key = ".".join(["k"] * (MAX_DEPTH + 5))

    assert "nested more than" in load_error(f"[{key}]\nx = 1\n", "toml").message


def test_brackets_in_strings_and_comments_are_no_nesting() -> None:
    text = f'a = \'{"[" * 500}\' # {"{" * 500}\nb = """\n{"[" * 500}\n"""\n'

    assert load_data(text, "toml")["a"] == "[" * 500


# Lone surrogates and syntax errors


@pytest.mark.parametrize(
    ("fmt", "text"),
    [("yaml", 'title: x\nsummary: "\\ud800"\n'), ("json", '{"title": "x",\n"s": "\\ud800"}')],
)
def test_a_lone_surrogate_is_an_error_with_its_line(fmt: DataFormat, text: str) -> None:
    error = load_error(text, fmt)

    assert "U+D800" in error.message and error.line == 2


def test_a_surrogate_pair_is_one_character() -> None:
    assert load_data('{"s": "\\ud83d\\ude00"}', "json") == {"s": "\U0001f600"}


@pytest.mark.parametrize(
    ("fmt", "text", "line", "words"),
    [
        ("toml", "a = 1\nb = \n", 2, "invalid TOML"),
        ("yaml", "a: 1\nb: [1, 2\n", 2, "invalid YAML"),
        ("json", '{\n"a": 1,\n}', 3, "invalid JSON"),
    ],
)
def test_a_syntax_error_names_the_line(fmt: DataFormat, text: str, line: int, words: str) -> None:
    error = load_error(text, fmt)

    assert (error.line, error.message.startswith(words)) == (line, True)


def test_a_file_is_read_by_its_extension_without_its_bom(tmp_path: Path) -> None:
    path = tmp_path / "hugo.yml"
    path.write_text("\ufefftitle: Seite\n", encoding="utf-8")

    assert read_data(path) == {"title": "Seite"}


# The site's Hugo configuration goes through the same loader


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("hugo.yaml", "title: x\n" + alias_bomb(9)),
        ("hugo.json", '{"a": ' + "[" * DEEP + "]" * DEEP + "}"),
        ("hugo.toml", "a = " + "[" * DEEP + "]" * DEEP + "\n"),
        ("hugo.yaml", "a: " + "[" * DEEP + "]" * DEEP + "\n"),
    ],
)
def test_a_hostile_hugo_config_is_a_config_error(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_hugo_config(tmp_path)

    assert caught.value.path == tmp_path / name and caught.value.line is not None


# JSON spans and JSON Lines


def test_json_spans_locate_every_value_in_document_order() -> None:
    text = '{"title": "Titel", "tags": ["a", 1], "image": {"alt": "Bild"}}'

    spans = [(path, text[span.start : span.end]) for path, span in walk_spans(scan_json(text))]

    assert spans == [
        ((), text),
        (("title",), '"Titel"'),
        (("tags",), '["a", 1]'),
        (("tags", 0), '"a"'),
        (("tags", 1), "1"),
        (("image",), '{"alt": "Bild"}'),
        (("image", "alt"), '"Bild"'),
    ]


def test_json_spans_of_deep_nesting_need_no_recursion() -> None:
    text = "[" * DEEP + '"x"' + "]" * DEEP

    deepest = scan_json(text)
    for _ in range(DEEP):
        deepest = deepest.members[0][1]

    assert (deepest.value, deepest.start) == ("x", DEEP)


def test_json_lines_name_the_line_of_a_hostile_or_damaged_line() -> None:
    lines = ['{"a": 1}', "", "[" * DEEP + "]" * DEEP, "{"]

    values = parse_json_lines("\n".join(lines), name="records.jsonl")
    assert next(values) == (1, {"a": 1})
    with pytest.raises(RecordError) as caught:
        next(values)

    assert (caught.value.line, "nested more than" in caught.value.message) == (3, True)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("{", "not valid JSON"),
        ("[1]", "must be a JSON object"),
        ('{"a": "\\udfff"}', "U+DFFF"),
        ('{"a": ' + "9" * 5000 + "}", "not valid JSON"),
    ],
)
def test_json_lines_refuse_what_is_no_record(line: str, words: str) -> None:
    with pytest.raises(RecordError) as caught:
        list(parse_json_lines('{"ok": true}\n' + line + "\n", name="x.jsonl", hint="restore it"))

    assert (caught.value.line, words in caught.value.message) == (2, True)
    assert caught.value.hint == "restore it"
