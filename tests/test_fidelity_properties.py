"""Property tests: generated posts mixing Hugo's constructs survive identity and pseudo.

Identity must give every post back byte for byte; the pseudo backend changes every
translated character, so the structural check proves that nothing else changed. Several
posts of one run share sentences with different markup.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.translation.backends.simple import IdentityTranslator, PseudoTranslator
from translate.translation.pipeline import translate_posts
from translate.translation.prepared import prepare_post
from translate.translation.proving import render_verified
from translate.translation.verify import verify_post

_words = st.sampled_from(
    [
        "Haus",
        "über",
        "Straße",
        "3,8",
        "z. B.",
        "Hide.me",
        "info@example.org",
        "lesson-1.md",
        "https://a.de/x",
        "www.uni-hamburg.de",
        "`code`",
        "&amp;",
        "\\*",
        "\\_",
        "~5",
        "e.V.",
    ]
)
_sentence = st.lists(_words, min_size=2, max_size=6).map(" ".join).map(lambda s: s + ".")


@st.composite
def _inline(draw: st.DrawFn) -> str:
    """A line of prose with markup around some of its words."""
    sentence = draw(_sentence)
    words = sentence.split(" ")
    index = draw(st.integers(0, len(words) - 1))
    mark = draw(st.sampled_from(["*", "**", "_", "~~", "~", "", "[", "{{<"]))
    word = words[index]
    if mark == "[":
        words[index] = f"[{word}](https://example.org/{index})"
    elif mark == "{{<":
        words[index] = f'{word} {{{{< icon name="x{index}" >}}}}'
    elif mark:
        words[index] = f"{mark}{word}{mark}"
    return " ".join(words)


_block = st.one_of(
    _inline(),
    _inline().map(lambda s: "## " + s + " {#anker .klasse}"),
    _inline().map(lambda s: "> [!NOTE]\n> " + s),
    _inline().map(lambda s: "> [!TIP]+ Titel\n> " + s),
    st.tuples(_inline(), _inline()).map(lambda t: f"**{t[0]}\\\n{t[1]}**"),
    st.tuples(_inline(), _inline()).map(lambda t: f"*{t[0]}  \n{t[1]}*"),
    _sentence.map(lambda s: f'{{{{< figure src="a.jpg"\n  caption="{s}"\n>}}}}'),
    _inline().map(lambda s: f"{{{{% notice %}}}}\n{s}\n{{{{% /notice %}}}}"),
    _inline().map(lambda s: f"{{{{< highlight go >}}}}\n{s}\n{{{{< /highlight >}}}}"),
    st.tuples(_inline(), _inline()).map(lambda t: f"| A | B |\n|:--|--:|\n| {t[0]} | {t[1]} |"),
    st.tuples(_inline(), _inline()).map(lambda t: f"- {t[0]}\n- {t[1]}"),
    _inline().map(lambda s: f"Begriff\n: {s}"),
    _inline().map(lambda s: f"{s}[^1]\n\n[^1]: Fußnote {s}"),
    _inline().map(lambda s: "```\n" + s + "\n```"),
    _inline().map(lambda s: s + "\u00a0"),
)
# A post without front matter whose body starts with `-`, `+` or `{` is one Hugo rejects:
# its "front matter" has an invalid delimiter. "Ohne Kopf." starts such a post.
_front = st.sampled_from(
    [
        "---\ntitle: Titel\n---\n",
        "+++\ntitle = 'Titel'\n+++\n",
        '{\n  "title": "Titel"\n}\n',
        "Ohne Kopf.\n\n",
        "\n---\ntitle: T\n---\n",
    ]
)
posts = st.tuples(_front, st.lists(_block, min_size=1, max_size=5)).map(
    lambda t: t[0] + "\n\n".join(t[1]) + "\n"
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(posts, min_size=1, max_size=3))
def test_generated_posts_survive_identity_and_pseudo(texts: list[str]) -> None:
    for backend, same in ((IdentityTranslator(), True), (PseudoTranslator(), False)):
        prepared = [prepare_post(text, language="de") for text in texts]
        translate_posts(prepared, backend)
        for text, post in zip(texts, prepared, strict=True):
            output = render_verified(post).text
            if same:
                assert output == text
            else:
                assert verify_post(text, output) == []
                assert not post.kept, [block.source for block in post.kept]


@settings(max_examples=40, deadline=None)
@given(_sentence, st.permutations(["*", "**", "~~", "_"]))
def test_shared_sentences_in_one_run_keep_their_own_markup(sentence: str, marks: list[str]) -> None:
    words = sentence.split(" ")
    texts = [
        "---\ntitle: T\n---\n" + " ".join([f"{mark}{words[0]}{mark}", *words[1:]]) + "\n"
        for mark in marks
    ]
    prepared = [prepare_post(text, language="de") for text in texts]
    translate_posts(prepared, PseudoTranslator())
    for text, post in zip(texts, prepared, strict=True):
        assert verify_post(text, render_verified(post)) == []
