"""A site's own Hugo configuration and shortcode templates change how its posts read."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate import translate_text
from translate.hugo.markup import markdown_options
from translate.markdown.goldmark import MarkdownOptions, parse_inline
from translate.markdown.options import ReadingOptions
from translate.markdown.post import Post
from translate.translation.backends.simple import PseudoTranslator
from translate.translation.verify import verify_post

HEAD = "---\ntitle: T\n---\n"


def ps(text: str) -> str:
    return PseudoTranslator().translate([text])[0]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_hugo_defaults_without_a_config(tmp_path: Path) -> None:
    assert markdown_options(tmp_path) == MarkdownOptions()


def test_goldmark_options_come_from_the_site_config(tmp_path: Path) -> None:
    write(
        tmp_path / "hugo.toml",
        "[markup.goldmark.parser.attribute]\nblock = true\n"
        "[markup.goldmark.extensions.passthrough]\nenable = true\n"
        "[markup.goldmark.extensions.passthrough.delimiters]\n"
        'block = [["\\\\[", "\\\\]"], ["$$", "$$"]]\ninline = [["\\\\(", "\\\\)"]]\n',
    )
    options = markdown_options(tmp_path)
    assert options.block_attributes
    assert set(options.passthrough) == {("\\[", "\\]"), ("$$", "$$"), ("\\(", "\\)")}


@pytest.mark.parametrize(
    ("template", "markdown"),
    [
        ("<div>{{ .Inner | markdownify }}</div>", True),
        ('{{ .Inner | .Page.RenderString (dict "display" "block") }}', True),
        ("{{ .InnerDeindent | .Page.RenderString }}", True),
        ("<pre>{{ .Inner }}</pre>", False),
        ('{{ highlight .Inner "go" "" }}', False),
    ],
)
def test_a_pair_holds_markdown_if_its_template_renders_it(
    tmp_path: Path, template: str, markdown: bool
) -> None:
    write(tmp_path / "layouts" / "_shortcodes" / "box.html", template)
    assert ("box" in markdown_options(tmp_path).markdown_shortcodes) is markdown


def test_a_themes_templates_count_too(tmp_path: Path) -> None:
    write(
        tmp_path / "themes" / "t" / "layouts" / "shortcodes" / "note.html",
        "{{ .Inner | markdownify }}",
    )
    assert "note" in markdown_options(tmp_path, ["extra"]).markdown_shortcodes
    assert "extra" in markdown_options(tmp_path, ["extra"]).markdown_shortcodes


def test_markdown_inside_such_a_pair_is_translated_and_other_pairs_are_kept() -> None:
    body = "{{< box >}}\nInnen **fett**.\n{{< /box >}}\n\n{{< raw >}}\nBleibt so.\n{{< /raw >}}\n"
    options = ReadingOptions(markdown=MarkdownOptions(markdown_shortcodes=frozenset({"box"})))
    out = translate_text(HEAD + body, PseudoTranslator(), options=options)
    assert verify_post(Post.read(HEAD + body, options), out) == []
    assert f"{ps('Innen')[:-1]} **{ps('fett')[1:-1]}**.⟧" in out
    assert "Bleibt so." in out


def test_tab_content_inside_tabs_is_translated() -> None:
    body = '{{< tabs >}}\n{{% tab name="A" %}}\nErster Text.\n{{% /tab %}}\n{{< /tabs >}}\n'
    out = translate_text(HEAD + body, PseudoTranslator())
    assert ps("Erster Text.") in out and out.count("{{") == body.count("{{")


def test_block_attributes_are_attributes_when_the_site_enables_them() -> None:
    body = "Ein Absatz.\n{.lead}\n\n| A |\n|---|\n| x |\n{.breit}\n"
    options = ReadingOptions(markdown=MarkdownOptions(block_attributes=True))
    out = translate_text(HEAD + body, PseudoTranslator(), options=options)
    source = Post.read(HEAD + body, options)
    assert verify_post(source, out) == []
    assert "{.lead}" in out and "{.breit}" in out
    changed = out.replace("{.lead}", "{.klein}")
    assert [d.code for d in verify_post(source, changed)] == ["structure-changed"]


def test_passthrough_math_is_kept_when_the_site_enables_it() -> None:
    body = "Die Formel \\(a_1 * b_2\\) gilt.\n\n\\[\n\\sum_i a_i\n\\]\n"
    markdown = MarkdownOptions(passthrough=(("\\[", "\\]"), ("\\(", "\\)")))
    out = translate_text(HEAD + body, PseudoTranslator(), options=ReadingOptions(markdown=markdown))
    assert "\\(a_1 * b_2\\)" in out and "\\[\n\\sum_i a_i\n\\]" in out


@pytest.mark.parametrize(
    ("text", "struck"),
    [
        ("a ~x~ b", True),
        ("a ~~x~~ b", True),
        ("a ~x~~ b", True),
        ("a ~~~x~~~ b", False),
        ("\\~~kein~~ Wort", False),
        ("ca. ~5 km und ~10 €", False),
    ],
)
def test_strikethrough_is_read_as_goldmark_reads_it(text: str, struck: bool) -> None:
    # Hugo: a ~x~ b -> <del>; ~x~~ -> <del>x</del>~; ~~~x~~~ and a tilde after a tilde: text.
    assert any(t.type == "s_open" for t in parse_inline(text)) is struck


def test_guillemets_open_no_tag() -> None:
    # Hugo's typographer turns `<<` into « first: `a <</kbd>` renders as `a «/kbd>`.
    assert [t.type for t in parse_inline("<kbd>a <</kbd>")] == ["html_inline", "text"]


def test_a_translation_ending_in_a_less_than_sign_before_a_tag_is_escaped() -> None:
    class Less:
        def translate(self, texts: list[str]) -> list[str]:
            return ["Taste <" for _ in texts]

    source = HEAD + "Die <kbd>Strg</kbd>-Taste.\n"
    out = translate_text(source, Less())
    assert "\\<</kbd>" in out
    assert verify_post(source, out) == []


def test_the_first_of_two_footnote_definitions_is_translated() -> None:
    body = "A[^1].\n\n[^1]: Die erste.\n\nB.\n\n[^1]: Die zweite.\n"
    out = translate_text(HEAD + body, PseudoTranslator())
    assert ps("Die erste.") in out
