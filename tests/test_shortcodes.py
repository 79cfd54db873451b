"""Shortcodes are lexed as Hugo's page parser lexes them, before any Markdown."""

from __future__ import annotations

import pytest

from translate.markdown.shortcodes import ShortcodeError, lex, mask, shortcode_tree


def tags(text: str) -> list[tuple[str, bool, bool, bool, list[tuple[str | None, str]]]]:
    return [
        (t.name, t.markdown, t.closing, t.self_closing, [(p.name, p.value) for p in t.params])
        for t in lex(text)
    ]


def test_a_shortcode_over_several_lines_is_one_tag() -> None:
    text = '{{< figure src="x.jpg"\n  caption="Ein Bild"\n>}}'
    assert tags(text) == [
        ("figure", False, False, False, [("src", "x.jpg"), ("caption", "Ein Bild")])
    ]


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ('{{< p "a b" c >}}', [(None, "a b"), (None, "c")]),
        ("{{< p `raw\nstring` >}}", [(None, "raw\nstring")]),
        ('{{< p x="q\\"x" >}}', [("x", 'q"x')]),
        ('{{< p x= "y" >}}', [("x", "y")]),
        ('{{< p x = "y" >}}', [("x", "y")]),
        ("{{< p a.b 12.5 x-y >}}", [(None, "a.b"), (None, "12.5"), (None, "x-y")]),
        ("{{< p width=300 >}}", [("width", "300")]),
        ('{{< p "x"y >}}', [(None, "x"), (None, "y")]),
    ],
)
def test_parameters_are_read_as_hugo_reads_them(
    text: str, params: list[tuple[str | None, str]]
) -> None:
    assert tags(text)[0][4] == params


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a `{{<` b", "unrecognized character", 1),
        ("Text\n{{< p x", "unclosed shortcode action", 2),
        ('x {{< p "a\nb" >}}', "unterminated quoted string", 1),
        ("{{< p.x >}}", "period in shortcode name", 1),
        ('{{< p a=1 "b" >}}', "Cannot mix named and positional", 1),
        ("{{< /sc >}}", "got closing shortcode, but none is open", 1),
        ("{{< a >}}{{< /b >}}", "does not match start tag", 1),
        ("{{</* p x", "comment must be closed", 1),
    ],
)
def test_what_hugo_cannot_parse_is_an_error_with_its_line(
    text: str, message: str, line: int
) -> None:
    with pytest.raises(ShortcodeError, match=message) as raised:
        lex(text)
    assert raised.value.line == line


def test_closing_self_closing_escaped_and_markdown_tags_are_told_apart() -> None:
    text = "{{% note %}}a{{% /note %}} {{< br />}} {{</* figure src=x */>}}"
    found = lex(text)
    assert [(t.name, t.markdown, t.closing, t.self_closing, t.escaped) for t in found] == [
        ("note", True, False, False, False),
        ("note", True, True, False, False),
        ("br", False, False, True, False),
        ("", False, False, False, True),
    ]


def test_pairs_nest_and_unmatched_tags_stand_alone() -> None:
    text = "{{< tabs >}}{{% tab %}}A{{% /tab %}}{{< icon x >}}{{< /tabs >}} {{< icon y >}}"
    tree = shortcode_tree(lex(text))
    assert [(s.open.name, s.close is not None, len(s.children)) for s in tree] == [
        ("tabs", True, 2),
        ("icon", False, 0),
    ]
    assert [(c.open.name, c.close is not None) for c in tree[0].children] == [
        ("tab", True),
        ("icon", False),
    ]


def test_a_closing_tag_may_use_the_other_delimiter() -> None:
    (pair,) = shortcode_tree(lex("{{< sc >}}x{{% /sc %}}"))
    assert pair.close is not None and pair.close.markdown


def test_masking_keeps_length_and_lines() -> None:
    text = (
        'Vor {{< figure src="x"\n  caption="Bild" >}} nach.\n{{< hl go >}}\na\n\nb\n{{< /hl >}}\n'
    )
    masked = mask(text)
    assert len(masked.text) == len(text)
    assert masked.text.count("\n") == text.count("\n")
    assert "figure" not in masked.text and "caption" not in masked.text
    assert masked.text.startswith("Vor ") and "nach." in masked.text
    assert masked.unmask_regions(masked.text) == text


def test_markdown_pairs_leave_their_content_to_markdown() -> None:
    masked = mask("{{% notice %}}\n**Wichtig**\n{{% /notice %}}\n")
    assert "**Wichtig**" in masked.text


def test_angle_pairs_hide_their_content_from_markdown() -> None:
    masked = mask("{{< box >}}\n**Wichtig**\n{{< /box >}}\n")
    assert "Wichtig" not in masked.text


def test_the_canonical_form_ignores_layout_and_quoting() -> None:
    one = mask('{{< figure src="x.jpg" caption="A" >}}')
    two = mask('{{< figure\n    src=`x.jpg`\n    caption="A"\n>}}')
    assert one.canonical(0) == two.canonical(0)
    three = mask('{{< figure src="y.jpg" caption="A" >}}')
    assert one.canonical(0) != three.canonical(0)


def test_reserved_characters_are_refused_with_their_line() -> None:
    with pytest.raises(ShortcodeError) as raised:
        mask("a\nb \U000f0001")
    assert raised.value.line == 2
