"""The test corpus: hand-written German posts, and several hundred composed from snippets.

The hand-written posts live under `tests/fixtures/corpus/posts/` (their path there is their
path under `content/de/`); the posts Hugo itself rejects under `.../corpus/rejected/`. The
composed posts are built here, deterministically (a fixed seed), from hand-written German
snippets in the shapes real Hugo sites use: every run of the tests sees the same posts.

Each composed post records the kinds of snippet it holds, so a failure can be traced back
to the construct that caused it.

    python tests/corpus_gen.py OUT_DIR    # write the composed posts out, to read them
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
SEED = 8
COUNT = 320


@dataclass(frozen=True)
class Post:
    """A corpus post: its path under content/<lang>/, its text, and what it exercises."""

    path: str
    text: str
    kinds: tuple[str, ...] = ()


def _read_tree(folder: Path) -> list[Post]:
    # Bytes decoded as they are: a byte order mark and CRLF line endings stay in the text.
    return [
        Post(path.relative_to(folder).as_posix(), path.read_bytes().decode("utf-8"), ("hand",))
        for path in sorted(folder.rglob("*.md"))
    ]


def handwritten_posts() -> list[Post]:
    """Return the hand-written posts Hugo builds."""
    return _read_tree(CORPUS / "posts")


def rejected_posts() -> list[Post]:
    """Return the hand-written posts Hugo itself rejects (duplicate keys, open shortcodes)."""
    return _read_tree(CORPUS / "rejected")


def corpus_posts(count: int = COUNT, seed: int = SEED) -> list[Post]:
    """Return every post Hugo builds: the hand-written ones, then the composed ones."""
    return [*handwritten_posts(), *generate(count, seed)]


# ---------------------------------------------------------------------------------------
# Snippets. Sentences first: plain prose the blocks are made of.

SENTENCES = [
    "Unsere Arbeitsgruppe beschäftigt sich seit vielen Jahren mit verteilten Systemen.",
    "Die Ergebnisse wurden auf einer internationalen Konferenz vorgestellt.",
    "Im Wintersemester bieten wir wieder ein Seminar für Masterstudierende an.",
    "Das Labor ist montags bis freitags von 9 bis 17 Uhr geöffnet.",
    "Die Anmeldung ist bis zum Ende des Monats möglich.",
    "Wir danken allen Beteiligten für die gute Zusammenarbeit.",
    "Die Software steht unter einer freien Lizenz zur Verfügung.",
    "Im Mittelpunkt stehen Verfahren, die auch bei Ausfällen zuverlässig arbeiten.",
    "Die Messungen zeigen, dass der Energiebedarf deutlich sinkt.",
    "Weitere Informationen folgen in den nächsten Wochen.",
    "Bei Fragen wenden Sie sich bitte an das Sekretariat.",
    "Der Vortrag findet im großen Hörsaal statt.",
    "Für Studierende ist die Teilnahme kostenlos.",
    "Die Folien stehen nach der Veranstaltung zum Herunterladen bereit.",
    "Das Projekt läuft über drei Jahre und hat vier Partner.",
    "Die Daten werden ausschließlich für Forschungszwecke verwendet.",
    "Ein ausführlicher Bericht erscheint im Frühjahr.",
    "Wir suchen außerdem Studierende für Abschlussarbeiten.",
    "Die Gruppe wächst: Im Sommer kommen zwei neue Doktorandinnen dazu.",
    "Der Prototyp läuft seit März ohne Unterbrechung.",
    "Die Kosten für Reise und Unterkunft werden erstattet.",
    "Die Übung ergänzt die Vorlesung um praktische Aufgaben.",
    "Jede Gruppe stellt ihr Ergebnis in zehn Minuten vor.",
    "Bitte bringen Sie Ihren Studierendenausweis mit.",
    "Das Verfahren ist schneller als alle bisher bekannten Ansätze.",
    "Die Konferenz findet in diesem Jahr in Kopenhagen statt.",
    "Unsere Roboter finden sich inzwischen auch in unbekannten Räumen zurecht.",
    "Die Ausschreibung richtet sich an junge Forscherinnen und Forscher.",
    "Die Sprechstunde entfällt in der vorlesungsfreien Zeit.",
    "Wir freuen uns auf viele interessante Gespräche.",
]

# Sentences that occur in several posts of one run, each time with other markup: a cache
# keyed on the text alone would hand one post the other's markup.
SHARED = [
    ("Die Ergebnisse sind ", "frei verfügbar", "."),
    ("Das Projekt ist ein ", "Teil", " des Sonderforschungsbereichs."),
    ("Beteiligt sind ", "zwei", " Doktoranden und ein Postdoc."),
    ("Der Antrag wurde ", "bewilligt", "."),
    ("Die Teilnahme ist ", "kostenlos", "."),
]
SHARED_MARKUP = [("*", "*"), ("**", "**"), ("~~", "~~"), ("_", "_"), ("`", "`"), ("", "")]

TITLES = [
    "Neues aus dem Labor",
    "Rückblick auf die Tagung",
    "Einladung zum Kolloquium",
    "Projektstart im Herbst",
    "Ergebnisse der Messkampagne",
    "Hinweise zur Prüfung",
    "Besuch aus Kopenhagen",
    "Preis für eine Masterarbeit",
    "Neue Software veröffentlicht",
    "Termine im Sommersemester",
    "Workshop zu Sensornetzen",
    "Ein Jahr AI.STARTUP.HUB",
]
HEADINGS = [
    "Hintergrund",
    "Ablauf",
    "Ergebnisse",
    "Ausblick",
    "Über das Projekt",
    "Anmeldung",
    "Kontakt",
    "Beteiligte",
    "Technische Details",
    "Häufige Fragen",
]
SLUGS = ["labor", "tagung", "kolloquium", "projekt", "messung", "pruefung", "besuch", "preis"]
LABELS = ["Achtung", "Wichtig", "Hinweis", "Neu", "Ort", "Zeit", "Tipp", "Beachten Sie"]
CODE = [
    ("bash", "hugo server --buildDrafts\nhugo --minify"),
    ("python", 'for name in ["a", "b"]:\n    print(f"Hallo {name}")'),
    ("toml", 'baseURL = "https://example.org/"\nlanguageCode = "de"'),
    ("yaml", "title: Beispiel\ndraft: true"),
    ("", "Ausgabe: 42 Dateien geschrieben"),
]


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES)


def _prose(rng: random.Random, count: int) -> str:
    return " ".join(rng.sample(SENTENCES, count))


def _wrap(text: str, width: int) -> str:
    """Hard-wrap like a hand-edited post (never inside a word)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


# ---------------------------------------------------------------------------------------
# Blocks: each returns Markdown (without the blank lines around it) and its kind.

Block = Callable[[random.Random], tuple[str, str]]


def paragraph(rng: random.Random) -> tuple[str, str]:
    text = _prose(rng, rng.randint(1, 4))
    return (_wrap(text, rng.choice([72, 80])) if rng.random() < 0.6 else text), "paragraph"


def inline_markup(rng: random.Random) -> tuple[str, str]:
    words = rng.choice(
        [
            "Die *neue* Version ist **deutlich** schneller als die alte.",
            "Der Befehl `hugo server` startet den Server; mit `--port` ändern Sie den Port.",
            "Mehr steht in der [Dokumentation](https://example.org/doku) und im "
            "[Handbuch](/docs/handbuch/ 'Zum Handbuch').",
            "Ein Bild: ![Das Institutsgebäude](gebaeude.jpg) zeigt den Eingang.",
            "Das Wort ~~alt~~ ist durchgestrichen, das Wort <mark>neu</mark> markiert.",
            "Die Formel $E = mc^2$ kennt jeder; $x_1 + x_2$ ist eine Summe.",
            "Tasten: <kbd>Strg</kbd> + <kbd>S</kbd> speichert, H<sub>2</sub>O ist Wasser.",
            "Ein Satz mit Fußnote[^1] und noch einer[^hinweis].\n\n"
            "[^1]: Die erste Fußnote.\n[^hinweis]: Eine Fußnote mit **fettem** Text.",
            "Zeichen wie &copy; 2024, &amp; und &#8364; bleiben erhalten.",
            "Ein ***sehr*** wichtiger Satz mit *verschachtelter **Betonung** darin*.",
            "Unterstriche im_Wort bleiben, _ganze Wörter_ werden kursiv.",
        ]
    )
    return words, "inline"


def hard_break_emphasis(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            "**Herzlich willkommen,\\\nliebe Gäste!**",
            "*Ein Gedanke  \nüber zwei Zeilen*",
            "**Ort:** Gebäude E\\\n**Zeit:** 14 Uhr",
            "Vorher *kursiv\\\nund danach* normal.",
            "__Fett mit Unterstrichen,  \nauch über zwei Zeilen__",
        ]
    ), "hard-break-emphasis"


def shared_sentence(rng: random.Random) -> tuple[str, str]:
    before, word, after = rng.choice(SHARED)
    opening, closing = rng.choice(SHARED_MARKUP)
    text = f"{before}{opening}{word}{closing}{after}"
    if rng.random() < 0.3:  # the same sentence twice in one post, once without markup
        text += f" {before}{word}{after}"
    if rng.random() < 0.2:
        text += " Dateien wie \\*.md und \\_index.md gehören dazu."
    return text, "shared-markup"


def label_paragraph(rng: random.Random) -> tuple[str, str]:
    label = rng.choice(LABELS)
    form = rng.choice(["**{l}:** {s}", "*{l}:* {s}", "**{l}**: {s}", "__{l}:__ {s}"])
    return form.format(l=label, s=_sentence(rng)), "label-punctuation"


def heading(rng: random.Random) -> tuple[str, str]:
    level = rng.choice(["##", "##", "###"])
    text = rng.choice(HEADINGS)
    style = rng.random()
    if style < 0.35:
        return f"{level} {text} {{#{rng.choice(SLUGS)}-{rng.randint(1, 9)}}}", "heading-attributes"
    if style < 0.5:
        return f"{level} {text} {{#abschnitt-{rng.randint(1, 99)} .wichtig}}", "heading-attributes"
    if style < 0.6:
        return f"{level} {text} mit *Betonung*", "heading"
    return f"{level} {text}", "heading"


def alert(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION", "note", "Warning"])
    sign = rng.choice(["", "", "+", "-"])
    title = rng.choice(["", "", f" {rng.choice(LABELS)}"])
    body = _wrap(_prose(rng, rng.randint(1, 2)), 70).replace("\n", "\n> ")
    return f"> [!{kind}]{sign}{title}\n> {body}", "alert"


def multiline_shortcode(rng: random.Random) -> tuple[str, str]:
    caption = _sentence(rng)
    forms = [
        f'{{{{< figure src="bild-{rng.randint(1, 9)}.jpg"\n  caption="{caption}"\n>}}}}',
        f'{{{{< figure\n    src="foto.png"\n    alt="Ein Foto"\n    caption="{caption}" >}}}}',
        '{{< video\n  src="clip.mp4"\n  controls="true"\n>}}',
        '{{< gallery\n    dir="bilder"\n    columns=2 >}}',
        f'{{{{< figure src="diagramm.svg" title="Abbildung {rng.randint(1, 5)}"\n'
        f'             caption="{caption}" >}}}}',
    ]
    return rng.choice(forms), "multiline-shortcode"


def paired_shortcode(rng: random.Random) -> tuple[str, str]:
    inner = _wrap(_prose(rng, rng.randint(1, 2)), 72)
    forms = [
        f"{{{{% notice info %}}}}\n{inner}\n{{{{% /notice %}}}}",
        f'{{{{% notice warning "{rng.choice(LABELS)}" %}}}}\n{inner}\n{{{{% /notice %}}}}',
        f'{{{{% alert title="{rng.choice(LABELS)}" color="warning" %}}}}\n{inner}\n'
        "{{% /alert %}}",
        f"{{{{< callout note >}}}}\n{inner}\n{{{{< /callout >}}}}",
        f'{{{{% details summary="Mehr erfahren" %}}}}\n{inner}\n\n- Punkt eins\n- Punkt zwei\n'
        "{{% /details %}}",
        f"{{{{% callout warning %}}}}\n**{rng.choice(LABELS)}:** {inner}\n{{{{% /callout %}}}}",
    ]
    return rng.choice(forms), "paired-shortcode"


def nested_shortcodes(rng: random.Random) -> tuple[str, str]:
    tabs = []
    for name in rng.sample(["Linux", "macOS", "Windows", "Docker"], 2):
        tabs.append(
            f'{{{{% tab name="{name}" %}}}}\n{_sentence(rng)}\n\n```sh\nwerkzeug start\n```\n'
            "{{% /tab %}}"
        )
    return "{{< tabs >}}\n" + "\n".join(tabs) + "\n{{< /tabs >}}", "nested-shortcodes"


def inline_shortcode(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            f'Drücken Sie {{{{< kbd "Strg+C" >}}}} zum Kopieren. {_sentence(rng)}',
            f'{_sentence(rng)} Siehe {{{{< cite "mueller2021" >}}}}.',
            f"Das ist {{{{< mark >}}}}wirklich wichtig{{{{< /mark >}}}}. {_sentence(rng)}",
            f'Mehr dazu in der [Installation]({{{{< relref "/docs/installation" >}}}}). '
            f"{_sentence(rng)}",
            'Ein [Verweis]({{< ref "docs/konfiguration.md#grundlagen" >}}) im Satz.',
            "- Ein Punkt mit {{% mark %}}Markdown{{% /mark %}} darin\n"
            '- Ein Punkt mit {{< kbd "F5" >}}',
            f'{_sentence(rng)} {{{{< button href="/kontakt/" label="Kontakt" >}}}}',
        ]
    ), "inline-shortcode"


def escaped_shortcode(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            'Schreiben Sie `{{</* figure src="x.jpg" */>}}` für ein Bild.',
            "```markdown\n{{</* notice info */>}}\nText\n{{</* /notice */>}}\n```",
            'Der Aufruf {{</* kbd "Strg" */>}} erzeugt eine Taste.',
            "Mit `{{%/* details */%}}` klappen Sie Text ein.",
        ]
    ), "escaped-shortcode"


def shortcode_heading(rng: random.Random) -> tuple[str, str]:
    return f'### Die Taste {{{{< kbd "F{rng.randint(1, 12)}" >}}}}\n\n{_sentence(rng)}', "heading"


def bullet_list(rng: random.Random) -> tuple[str, str]:
    marker = rng.choice(["-", "*", "+"])
    items = [f"{marker} {s}" for s in rng.sample(SENTENCES, rng.randint(2, 4))]
    if rng.random() < 0.4:
        items.insert(1, f"  {marker} {rng.choice(LABELS)}: ein Unterpunkt")
        items[1] = "  " + items[1].lstrip()
    if rng.random() < 0.3:
        items = [f"- [{rng.choice([' ', 'x'])}] {item[2:]}" for item in items]
    return "\n".join(items), "list"


def ordered_list(rng: random.Random) -> tuple[str, str]:
    delimiter = rng.choice([".", ")"])
    items = [f"{n}{delimiter} {s}" for n, s in enumerate(rng.sample(SENTENCES, 3), start=1)]
    if rng.random() < 0.3:
        items[1] += f"\n\n   {_sentence(rng)}"
    return "\n".join(items), "list"


def label_list(rng: random.Random) -> tuple[str, str]:
    items = [f"- **{label}:** {_sentence(rng)}" for label in rng.sample(LABELS, 3)]
    return "\n".join(items), "label-punctuation"


def table(rng: random.Random) -> tuple[str, str]:
    rows = [
        "| Termin | Thema | Hinweis |",
        rng.choice(["|---|---|---|", "|:--|:-:|--:|", "| ------ | ----- | ------- |"]),
        "| 12.05. | Einführung | *Pflicht* |",
        "| 19.05. | Sensornetze | `make test` |",
        "| 26.05. | Routing \\| Teil 2 | [Folien](folien.pdf) |",
        '| 02.06. | Prüfung | {{< kbd "Raum E" >}} |',
    ]
    return "\n".join(rows[: rng.randint(4, 6)]), "table"


def code_block(rng: random.Random) -> tuple[str, str]:
    info, code = rng.choice(CODE)
    if rng.random() < 0.25:
        return "\n".join(f"    {line}" for line in code.splitlines()), "code"
    fence = rng.choice(["```", "~~~"])
    return f"{fence}{info}\n{code}\n{fence}", "code"


def blockquote(rng: random.Random) -> tuple[str, str]:
    body = _wrap(_prose(rng, 2), 70).replace("\n", "\n> ")
    if rng.random() < 0.3:
        return f"> {body}\n>\n> > Ein Zitat im Zitat.", "blockquote"
    return f"> {body}", "blockquote"


def definition_list(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            "Sensornetz\n: Ein Netz aus vielen kleinen, funkenden Messgeräten.",
            "Knoten\n: Ein Gerät im Netz.\n: Auch: ein Punkt in einem Graphen.",
            "*Latenz*\n: Die Zeit, bis eine Nachricht ankommt.",
        ]
    ), "definition-list"


def html_block(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            '<div class="hinweis">\n  <p>Dieser Abschnitt ist in Arbeit.</p>\n</div>',
            "<!-- TODO: Bilder ergänzen -->",
            '<iframe src="https://karte.example.org/embed" width="600" height="400"></iframe>',
            "<details>\n<summary>Mehr anzeigen</summary>\n\nVersteckter **Text**.\n\n</details>",
        ]
    ), "html"


def math_block(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            "$$\n\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}\n$$",
            "\\[\nf(x) = \\int_0^x t^2 \\, dt\n\\]",
            "Für alle $n \\ge 1$ gilt $2^n > n$.",
        ]
    ), "math"


def autolinks(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            f"{_sentence(rng)} Fragen an info@example.org beantworten wir gern.",
            f"Alle Unterlagen stehen auf www.example.org/unterlagen bereit. {_sentence(rng)}",
            f"Wir nutzen Hide.me für den Fernzugriff. {_sentence(rng)}",
            f"Die Aufgabe steht in lesson-{rng.randint(1, 9)}.md. {_sentence(rng)}",
            f"{_sentence(rng)} Details: https://example.org/details?id={rng.randint(1, 99)}.",
            "Schreiben Sie an <kontakt@example.org> oder besuchen Sie <https://example.org>.",
            f"{_sentence(rng)}\u00a0",
            f"Die Frist endet am 3.\u00a0Mai. {_sentence(rng)}",
        ]
    ), "autolink-domain-email"


def url_link_text(rng: random.Random) -> tuple[str, str]:
    url = rng.choice(
        ["https://example.org/a", "https://www.example.org/", "http://example.com/x?y=1"]
    )
    return f"Die Seite [{url}]({url}) erklärt alles. {_sentence(rng)}", "url-link-text"


def glossary_wrapped(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            "Gefördert wird das Projekt von der Hamburg\nInnovation GmbH und dem BMWi.",
            "Der AI.STARTUP.HUB ist ein Projekt der Technische Universität\nHamburg und "
            "ihrer Partner.",
            "Die Veranstaltung findet in der Science City\nBahrenfeld statt.",
            "Das Open Source\nLab ist jeden Donnerstag geöffnet.",
            "Partner ist die Hamburg Innovation\nGmbH, die den Transfer begleitet.",
        ]
    ), "glossary-wrapped"


def thematic_break(rng: random.Random) -> tuple[str, str]:
    return rng.choice(["---", "***", "___", "* * *"]), "thematic-break"


BLOCKS: list[Block] = [
    heading,
    heading,
    paragraph,
    paragraph,
    paragraph,
    inline_markup,
    inline_markup,
    hard_break_emphasis,
    shared_sentence,
    shared_sentence,
    label_paragraph,
    alert,
    multiline_shortcode,
    paired_shortcode,
    nested_shortcodes,
    inline_shortcode,
    escaped_shortcode,
    shortcode_heading,
    bullet_list,
    ordered_list,
    label_list,
    table,
    code_block,
    blockquote,
    definition_list,
    html_block,
    math_block,
    autolinks,
    url_link_text,
    glossary_wrapped,
    thematic_break,
]


# ---------------------------------------------------------------------------------------
# Front matter in the styles found on real sites.


def _front_matter(rng: random.Random, title: str, number: int) -> tuple[str, str]:
    year = rng.randint(2015, 2024)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    date = f"{year}-{month:02d}-{day:02d}"
    summary = _sentence(rng)
    style = rng.choices(
        ["yaml", "academic", "toml", "publication", "json", "none", "blank-lines", "bad-date"],
        weights=[30, 20, 15, 8, 7, 6, 7, 7],
    )[0]
    if style == "yaml":
        return f"---\ntitle: {title}\ndate: {date}\ntags: [Forschung]\n---\n", style
    if style == "academic":
        return (
            f"---\ntitle: '{title}'\nsummary: \"{summary}\"\nauthors:\n- admin\ndate: "
            f'"{date}T00:00:00Z"\ndraft: false\n\n# Vorschaubild\nimage:\n  caption: '
            f"'Foto: Institut'\n  focal_point: \"\"\n  preview_only: false\nprojects: []\n---\n"
        ), style
    if style == "toml":
        return f'+++\ntitle = "{title}"\ndate = {date}\ntags = ["Lehre"]\n+++\n', style
    if style == "publication":
        return (
            f'+++\ntitle = "{title}"\ndate = "{date}"\nauthors = ["Anna Müller", "admin"]\n'
            f'publication_types = ["{rng.randint(1, 4)}"]\nabstract = "{summary}"\n\n'
            f'[image]\n  caption = "Abbildung {number}"\n+++\n'
        ), style
    if style == "json":
        return f'{{\n  "title": "{title}",\n  "date": "{date}",\n  "draft": false\n}}\n', style
    if style == "none":
        return "", style
    if style == "blank-lines":
        return f"\n\n---\ntitle: {title}\ndate: {date}\n---\n", style
    # A date Hugo does not read: only `date`, `lastmod`, `publishDate`... are dates to Hugo.
    return f"---\ntitle: {title}\ndate: {date}\ndate_end: {year}-15-{day:02d}\n---\n", style


def generate(count: int = COUNT, seed: int = SEED) -> list[Post]:
    """Compose `count` posts from the snippets, the same ones for the same seed."""
    rng = random.Random(seed)
    posts = []
    for number in range(1, count + 1):
        title = rng.choice(TITLES)
        front, style = _front_matter(rng, title, number)
        kinds = [f"front-matter-{style}"]
        # Without front matter, Hugo reads a leading `-`, `+` or `{` as the start of one:
        # such a post begins with prose, as the real ones do.
        parts = [] if front else [_wrap(_prose(rng, 2), 76)]
        for _ in range(rng.randint(3, 8)):
            text, kind = rng.choice(BLOCKS)(rng)
            parts.append(text)
            kinds.append(kind)
        body = "\n\n".join(parts) + "\n"
        text = f"{front}\n{body}" if front else body
        if rng.random() < 0.06:
            text = text.replace("\n", "\r\n")
            kinds.append("crlf")
        if rng.random() < 0.04:
            text = "\ufeff" + text
            kinds.append("bom")
        if rng.random() < 0.05:
            text = text.rstrip("\r\n")
            kinds.append("no-final-newline")
        section = rng.choice(["post", "post", "event", "publication", "docs", "blog"])
        slug = f"{number:03d}-{rng.choice(SLUGS)}"
        path = (
            f"gen/{section}/{slug}/index.md" if rng.random() < 0.5 else f"gen/{section}/{slug}.md"
        )
        posts.append(Post(path, text, tuple(dict.fromkeys(kinds))))
    return posts


# ---------------------------------------------------------------------------------------
# CommonMark-shaped examples: no package on PyPI ships the spec's examples as data, so these
# are written for this project (fixtures/corpus/commonmark/examples.txt, one per construct
# of the spec's sections) and composed here (emphasis delimiters in every context).

EXAMPLE_FRONT_MATTER = "---\ntitle: Beispiel\n---\n\n"
DELIMITERS = ["*", "**", "_", "__", "***", "~~"]
CONTEXTS = [
    "Ein {d}Wort{d} im Satz.",
    "{d}Achtung:{d} Der Text folgt.",
    "{d}Achtung:{d}Der Text klebt.",
    "„{d}Zitat{d}“ in Anführungszeichen.",
    "{d}über zwei\nZeilen{d}",
    "{d}Hallo,\\\nWelt{d}",
    "{d}Hallo,  \nWelt{d}",
    "Ein Wort{d}mitten{d}drin.",
    "Eine ({d}Klammer{d}) im Satz.",
    "{d}[ein Link](/ziel){d} im Satz.",
    "{d}`code`{d} im Satz.",
    "\\{d}kein{d} Wort.",
]


def commonmark_examples() -> list[Post]:
    """Return every example as a post, once with LF and once with CRLF line endings."""
    from markdown_it.utils import read_fixture_file

    examples = [
        (title, body.rstrip("\n") if title.startswith("no final newline") else body)
        for _, title, body, _ in read_fixture_file(CORPUS / "commonmark" / "examples.txt")
    ]
    for n, context in enumerate(CONTEXTS, start=1):
        for delimiter in DELIMITERS:
            examples.append(
                (f"emphasis {delimiter} in context {n}", context.format(d=delimiter) + "\n")
            )
    posts = []
    for number, (title, body) in enumerate(examples, start=1):
        text = EXAMPLE_FRONT_MATTER + body
        posts.append(Post(f"cm/{number:03d}.md", text, ("commonmark", title)))
        crlf = text.replace("\r\n", "\n").replace("\n", "\r\n")
        posts.append(Post(f"cm/{number:03d}-crlf.md", crlf, ("commonmark", title, "crlf")))
    return posts


def main(argv: list[str]) -> None:
    """Write the composed posts under the folder given, to read them."""
    out = Path(argv[1] if len(argv) > 1 else "corpus-generated")
    for post in generate():
        path = out / post.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(post.text.encode("utf-8"))
    print(f"{COUNT} posts written under {out}/")


if __name__ == "__main__":
    main(sys.argv)
