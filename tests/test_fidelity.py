"""A translated post differs from its source in prose only: one regression test per class.

Each test takes the minimal Markdown of a failure class seen on real Hugo content (issue
"Read posts the way Hugo reads them") through the pipeline and asserts what Hugo would
render from it: the shortcode, bold, alert or heading id is still there, and the prose
around it was translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pytest

from translate import translate_text
from translate.errors import PostError
from translate.markdown.front_matter import DEFAULT_TRANSLATABLE_KEYS
from translate.translation.backends.simple import IdentityTranslator, PseudoTranslator
from translate.translation.glossary import Glossary, Term
from translate.translation.pipeline import translate_posts
from translate.translation.prepared import prepare_post
from translate.translation.proving import render_verified
from translate.translation.verify import verify_post

HEAD = "---\ntitle: Titel\n---\n"
MARKER = re.compile(r"</?g\d+>|<x\d+/>")


def ps(text: str) -> str:
    """Return what the pseudo backend makes of `text`."""
    return PseudoTranslator().translate([text])[0]


def pseudo(body: str, glossary: Glossary | None = None) -> str:
    """Pseudo-translate a post with `body`; return the translated body."""
    out = translate_text(HEAD + body, PseudoTranslator(), glossary=glossary)
    assert out.startswith(f"---\ntitle: {ps('Titel')}\n---\n")
    return out.split("---\n", 2)[2]


class Rewriter:
    """A model that applies `change` to every input, markers included."""

    def __init__(self, change: Callable[[str], str]) -> None:
        self.change = change

    def translate(self, texts: Sequence[str]) -> list[str]:
        return [self.change(text) for text in texts]


def upper(text: str) -> str:
    parts = re.split(r"(</?g\d+>|<x\d+/>)", text)
    return "".join(part if MARKER.fullmatch(part) else part.upper() for part in parts)


# --- 1. shortcodes are read the way Hugo reads them ---------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{{< figure src="bild.jpg"\n  class="breit"\n>}}\n',
        'Siehe das Bild {{< figure src="a.jpg"\n    width="300" >}} unten.\n',
        '{{< tabs >}}\n{{% tab name="Eins" %}}\nErster Text.\n{{% /tab %}}\n{{< /tabs >}}\n',
        "Zitat: {{< quote >}}Kein Text hier{{< /quote >}} und Schluss.\n",
        'Ein Link [zur Seite]({{< ref "/post/x" >}}) hier.\n',
        '## Überschrift {{< icon name="star" >}}\n',
        '- Punkt eins {{< badge "neu" >}}\n- Punkt zwei\n',
        "| Spalte | Wert |\n|---|---|\n| Eins {{< b x >}} | zwei |\n",
        'Zeige {{</* figure src="x" */>}} als Text.\n',
        "Umbruch {{< br />}} und weiter.\n",
        "{{% notice warning %}}\n**Achtung**, bitte lesen.\n{{% /notice %}}\n",
    ],
)
def test_shortcodes_survive_exactly(body: str) -> None:
    out = pseudo(body)
    shortcodes = re.findall(r"\{\{[<%].*?[>%]\}\}", body, re.DOTALL)
    assert [s for s in re.findall(r"\{\{[<%].*?[>%]\}\}", out, re.DOTALL)] == shortcodes
    assert verify_post(HEAD + body, HEAD + out) == []


def test_a_multi_line_figure_is_not_read_as_a_quote() -> None:
    body = '{{< figure src="bild.jpg"\n  caption="Ein Bild"\n>}}\n\nDanach folgt Text.\n'
    out = pseudo(body)
    assert out.startswith('{{< figure src="bild.jpg"\n  caption="' + ps("Ein Bild") + '"\n>}}\n')
    assert ps("Danach folgt Text.") in out  # the paragraph after it was translated


def test_a_shortcode_hugo_cannot_parse_fails_the_post_with_its_line() -> None:
    with pytest.raises(PostError, match="unclosed shortcode") as raised:
        translate_text(HEAD + "Text\n\n{{< figure src=x\n", PseudoTranslator())
    assert raised.value.line == 6


# --- 2. emphasis across a hard line break --------------------------------------------------


@pytest.mark.parametrize("body", ["**Hallo,\\\nWelt**\n", "*foo  \nbar*\n"])
def test_emphasis_across_a_hard_break_is_translated(body: str) -> None:
    out = pseudo(body)
    assert out != body
    assert verify_post(HEAD + body, HEAD + out) == []
    for backend in (IdentityTranslator(),):
        assert translate_text(HEAD + body, backend) == HEAD + body


# --- 3. the same sentence with different markup -------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [("*x*", "**x**"), ("**x**", "~~x~~"), ("\\*", "\\_"), ("_x_", "*x*")],
)
def test_identical_sentences_keep_their_own_markup(first: str, second: str) -> None:
    body = f"Das ist {first} hier.\n\nDas ist {second} hier.\n"
    out = translate_text(HEAD + body, Rewriter(upper))
    assert f"DAS IST {first.upper()} HIER." in out
    assert f"DAS IST {second.upper()} HIER." in out


def test_identical_sentences_in_two_posts_of_one_run_keep_their_markup() -> None:
    posts = [
        prepare_post(HEAD + "Ein *Wort* hier.\n", language="de"),
        prepare_post(HEAD + "Ein **Wort** hier.\n", language="de"),
    ]
    translate_posts(posts, Rewriter(upper))
    outputs = [render_verified(post).text for post in posts]
    assert "EIN *WORT* HIER." in outputs[0]
    assert "EIN **WORT** HIER." in outputs[1]


# --- 4. restored delimiters that no longer delimit -----------------------------------------


def test_bold_followed_by_a_word_gets_its_space_back() -> None:
    def glue(text: str) -> str:
        # A model that drops the space after the closing marker.
        return upper(text).replace("</g1> ", "</g1>")

    body = "**Achtung:** Das Gerät ist heiß.\n"
    out = translate_text(HEAD + body, Rewriter(glue))
    assert "**ACHTUNG:** DAS" in out
    assert verify_post(HEAD + body, out) == []


def test_emphasis_opened_before_punctuation_gets_a_space() -> None:
    def glue(text: str) -> str:
        return upper(text).replace(" <g1>", "<g1>")

    body = "Bitte *„Speichern“* drücken.\n"
    out = translate_text(HEAD + body, Rewriter(glue))
    assert verify_post(HEAD + body, out) == []
    assert "*„SPEICHERN“*" in out


# --- 5. alerts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "first_line"),
    [
        ("> [!NOTE]\n> Ein Hinweis für alle.\n", "> [!NOTE]\n"),
        ("> [!WARNING]+ Vorsicht\n> Der Text danach.\n", f"> [!WARNING]+ {ps('Vorsicht')}\n"),
    ],
)
def test_an_alert_keeps_its_marker_line(body: str, first_line: str) -> None:
    out = pseudo(body)
    assert out.startswith(first_line)
    assert verify_post(HEAD + body, HEAD + out) == []


def test_an_alert_whose_marker_line_is_joined_is_caught() -> None:
    source = HEAD + "> [!NOTE]\n> Ein Hinweis.\n"
    broken = HEAD + "> [!NOTE] A note.\n"
    assert [d.code for d in verify_post(source, broken)] == ["structure-changed"]


# --- 6. heading attributes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "## Über uns {#ueber-uns}\n",
        "## Über uns {#ueber-uns .wichtig data-x=1}\n",
        "Über uns {#ueber}\n---\n",
    ],
)
def test_heading_attributes_stay_verbatim(body: str) -> None:
    out = pseudo(body)
    attributes = re.search(r"\{#[^}]*\}", body)
    assert attributes is not None and attributes.group() in out
    assert ps("Über uns") in out
    assert verify_post(HEAD + body, HEAD + out) == []


def test_a_changed_heading_id_is_caught() -> None:
    source = HEAD + "## Über uns {#ueber-uns}\n"
    assert [d.code for d in verify_post(source, HEAD + "## About us {#about-us}\n")] == [
        "structure-changed"
    ]


# --- 7. a URL as link text ------------------------------------------------------------------


def test_a_url_as_link_text_is_kept() -> None:
    body = "Mehr unter [https://example.org/a](https://example.org/a) hier.\n"
    out = pseudo(body)
    assert "[https://example.org/a](https://example.org/a)" in out
    assert ps("hier")[1:-1] in out


# --- 8. paragraphs silently left untranslated -----------------------------------------------


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("Der Dienst Hide.me schützt Daten.\n", None),
        ("Siehe lesson-1.md für Details.\n", None),
        ("Schreiben Sie an info@example.org bitte.\n", "info@example.org"),
        ("Besuchen Sie www.uni-hamburg.de heute.\n", "www.uni-hamburg.de"),
        ("Der Satz endet mit\u00a0\n", None),
    ],
)
def test_paragraphs_with_domains_addresses_or_odd_spaces_are_translated(
    body: str, kept: str | None
) -> None:
    out = pseudo(body)
    assert out != body
    if kept is not None:
        assert kept in out
    assert verify_post(HEAD + body, HEAD + out) == []


# --- 9. posts Hugo builds --------------------------------------------------------------------


@pytest.mark.parametrize(
    "post",
    [
        "\n\n---\ntitle: Titel\n---\nEin Satz.\n",
        "Ein Satz ohne Vorspann.\n",
        "---\ntitle: Titel\ndate_end: 2022-15-11\n---\nEin Satz.\n",
        '{\n  "title": "Titel",\n  "tags": ["a"]\n}\nEin Satz.\n',
        "\ufeff+++\ntitle = 'Titel'\n+++\nEin Satz.\n",
    ],
)
def test_posts_hugo_builds_are_translated(post: str) -> None:
    out = translate_text(post, PseudoTranslator())
    assert ps("Ein Satz")[1:-1] in out
    assert verify_post(post, out) == []
    assert translate_text(post, IdentityTranslator()) == post


def test_json_front_matter_values_are_translated_in_place() -> None:
    post = '{\n  "title": "Titel",\n  "draft": false\n}\nEin Satz.\n'
    out = translate_text(post, PseudoTranslator())
    assert out.startswith('{\n  "title": "' + ps("Titel") + '",\n  "draft": false\n}\n')


def test_an_impossible_date_is_rejected_as_hugo_rejects_it() -> None:
    with pytest.raises(PostError, match="not a parsable date") as raised:
        translate_text("---\ntitle: A\ndate: 2022-15-11\n---\nText.\n", PseudoTranslator())
    assert raised.value.line == 3


def test_a_duplicate_key_is_rejected_as_hugo_rejects_it() -> None:
    with pytest.raises(PostError, match="duplicate key") as raised:
        translate_text("---\ntitle: A\ntitle: B\n---\nText.\n", PseudoTranslator())
    assert raised.value.line == 3


# --- 10. a glossary name wrapped across two lines -------------------------------------------


def test_a_name_wrapped_across_lines_is_protected_and_counted_once() -> None:
    glossary = Glossary([Term("Hamburg Innovation GmbH", None, "test")])
    body = "Gefördert von der Hamburg\nInnovation GmbH und anderen Partnern im Norden.\n"
    out = pseudo(body, glossary)
    assert "Hamburg Innovation GmbH" in out
    assert verify_post(HEAD + body, HEAD + out, glossary) == []


def test_a_lost_name_is_caught_by_the_same_matcher() -> None:
    glossary = Glossary([Term("Hamburg Innovation GmbH", None, "test")])
    source = HEAD + "Von der Hamburg\nInnovation GmbH.\n"
    assert [d.code for d in verify_post(source, HEAD + "From Hamburg Innov.\n", glossary)] == [
        "glossary-name"
    ]


# --- the structural check itself -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "code"),
    [
        ("Ein **fetter** Satz.\n", "A bold sentence.\n", "markup-changed"),
        ("Ein *Wort*.\n", "A **word**.\n", "markup-changed"),
        ("Zeile eins\\\nzwei.\n", "Line one two.\n", "markup-changed"),
        ("Ein `code` hier.\n", "A `kode` here.\n", "protected-changed"),
        (
            'Bild {{< figure src="a.jpg" >}}.\n',
            'Image {{< figure src="b.jpg" >}}.\n',
            "protected-changed",
        ),
        ("[Text](https://a.de)\n", "[Text](https://b.de)\n", "url-changed"),
        ("```go\nx := 1\n```\n", "```go\nx := 2\n```\n", "protected-changed"),
        ("1. Eins\n2. Zwei\n", "- One\n- Two\n", "structure-changed"),
        (
            "| A | B |\n|:--|--:|\n| x | y |\n",
            "| A | B |\n|--|--|\n| x | y |\n",
            "structure-changed",
        ),
        ("Text[^1].\n\n[^1]: Fußnote.\n", "Text.\n\n[^1]: Footnote.\n", "protected-changed"),
    ],
)
def test_the_check_catches_what_is_not_prose(source: str, target: str, code: str) -> None:
    assert code in {d.code for d in verify_post(HEAD + source, HEAD + target)}


def test_re_wrapping_a_shortcode_is_not_a_change() -> None:
    source = HEAD + '{{< figure src="a.jpg" caption="Bild" >}}\n'
    target = HEAD + '{{< figure\n  src="a.jpg"\n  caption="Bild"\n>}}\n'
    assert verify_post(source, target) == []


# --- shortcode parameters that carry prose ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '{{< figure src="a.jpg" caption="Ein Bild" >}}\n',
            '{{< figure src="a.jpg" caption="' + ps("Ein Bild") + '" >}}\n',
        ),
        (
            "Vor {{< figure src=a.jpg alt=Bild >}} nach.\n",
            ps("Vor")[:-1]
            + ' {{< figure src=a.jpg alt="'
            + ps("Bild")
            + '" >}} '
            + ps("nach.")[1:]
            + "\n",
        ),
        (
            "{{< figure src=x\n  caption=`Ein Bild`\n>}}\n",
            "{{< figure src=x\n  caption=`" + ps("Ein Bild") + "`\n>}}\n",
        ),
    ],
)
def test_figure_captions_are_translated_in_place(body: str, expected: str) -> None:
    assert pseudo(body) == expected
    assert translate_text(HEAD + body, IdentityTranslator()) == HEAD + body


def test_a_translated_value_with_quotes_is_escaped_as_hugo_reads_it() -> None:
    body = '{{< figure src="a.jpg" caption="Er sagt Hallo" >}}\n'
    out = translate_text(HEAD + body, Rewriter(lambda text: 'He says "hello"'))
    assert 'caption="He says \\"hello\\""' in out
    from translate.markdown.shortcodes import lex

    (tag,) = lex(out.split("---\n", 2)[2])
    assert dict((p.name, p.value) for p in tag.params)["caption"] == 'He says "hello"'


def test_a_value_that_cannot_be_written_back_is_kept() -> None:
    body = '{{< figure src="a.jpg" caption="Pfad" >}}\n'
    out = translate_text(HEAD + body, Rewriter(lambda text: 'C:\\temp "x"'))
    assert 'caption="Pfad"' in out


def test_other_parameters_and_shortcodes_are_not_translated() -> None:
    body = (
        '{{< figure src="Bild.jpg" caption="Ein Bild" class="breit" >}} {{< icon name="Haus" >}}\n'
    )
    out = pseudo(body)
    assert 'src="Bild.jpg"' in out and 'class="breit"' in out and 'name="Haus"' in out


def test_configured_parameters_are_translated_by_name_and_position() -> None:
    keys = (*DEFAULT_TRANSLATABLE_KEYS, "{{callout}}.title", "{{quote}}.0")
    body = (
        '{{% callout title="Achtung" %}}\nText.\n{{% /callout %}}\n\n{{< quote "Wer rastet" >}}\n'
    )
    out = translate_text(HEAD + body, PseudoTranslator(), keys=keys)
    assert f'title="{ps("Achtung")}"' in out and f'{{{{< quote "{ps("Wer rastet")}" >}}}}' in out
    assert verify_post(HEAD + body, out, keys=keys) == []


def test_a_changed_untranslatable_parameter_is_still_caught() -> None:
    source = HEAD + '{{< figure src="a.jpg" caption="Bild" >}}\n'
    assert verify_post(source, HEAD + '{{< figure src="a.jpg" caption="Image" >}}\n') == []
    changed = verify_post(source, HEAD + '{{< figure src="b.jpg" caption="Image" >}}\n')
    assert [d.code for d in changed] == ["protected-changed"]
