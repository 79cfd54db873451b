"""Languages from a site's Hugo configuration, and the bad input around them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_multilingual import FIXTURES, copy_site, invoke, translate

from translate.errors import ConfigError
from translate.hugo.settings import Settings, load_settings
from translate.hugo.site import open_project

POST = "---\ntitle: Notiz\n---\n\nEin kurzer Text.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_line(stderr: str) -> str:
    """Return the one error line of a failed command (progress bars aside)."""
    lines = [line.rsplit("\r", 1)[-1] for line in stderr.split("\n")]
    shown = [
        line
        for line in lines
        if line.strip() and not line.startswith(("Loading weights", "Warning: "))
    ]
    assert len(shown) == 1, shown
    assert shown[0].startswith("Error: ")
    return shown[0]


def written(site: Path) -> list[str]:
    """Return the translations and records a run wrote, relative to the site."""
    return sorted(
        str(path.relative_to(site))
        for folder in ("content/en", "content/fr", "content/it", "translation-memory")
        for path in (site / folder).rglob("*")
        if path.is_file()
    )


# --- which languages ----------------------------------------------------------------------


def test_the_default_content_language_is_the_source(tmp_path: Path) -> None:
    site = copy_site(tmp_path, "dir")
    text = (site / "hugo.toml").read_text(encoding="utf-8")
    (site / "hugo.toml").write_text(text.replace('= "de"', '= "en"', 1), encoding="utf-8")
    write(site / "content/en/post/note.md", "---\ntitle: Note\n---\n\nA short text.\n")

    project = open_project(site, load_settings(site))

    assert (project.settings.source, project.targets) == ("en", ("de", "fr"))
    # --from (or translate.toml's source) wins.
    project = open_project(site, load_settings(site, {"source": "fr"}))
    assert (project.settings.source, project.targets) == ("fr", ("de", "en"))


def test_without_hugo_configuration_the_defaults_stay(tmp_path: Path) -> None:
    write(tmp_path / "content/de/post/a.md", POST)

    project = open_project(tmp_path, Settings())

    assert (project.configured, project.settings.source, project.targets) == (False, "de", ("en",))
    assert project.describe() is None


def test_a_configuration_without_languages_keeps_the_defaults_and_says_so(tmp_path: Path) -> None:
    write(tmp_path / "hugo.toml", 'title = "Notizen"\n')
    write(tmp_path / "content/de/post/a.md", POST)

    code, out, err = translate(tmp_path)

    assert code == 0
    assert (tmp_path / "content/en/post/a.md").is_file()
    assert "hugo.toml names no languages" in err
    assert out.splitlines()[0] == "using hugo.toml"


def test_a_disabled_language_is_no_target(tmp_path: Path) -> None:
    site = copy_site(tmp_path, "dir")
    with (site / "hugo.toml").open("a", encoding="utf-8") as config:
        config.write('\n[languages.it]\ncontentDir = "content/it"\ndisabled = true\n')

    code, _, _ = translate(site)

    assert code == 0
    assert not (site / "content/it").exists()
    assert (site / "content/fr/post/jahresbericht.md").is_file()


# --- bad input ----------------------------------------------------------------------------


def test_an_unknown_language_in_to_is_refused_naming_the_sites_languages(tmp_path: Path) -> None:
    site = copy_site(tmp_path, "dir")

    code, _, err = translate(site, "--to", "en,xx")

    assert code == 1
    line = error_line(err)
    assert "'xx' is not a language of this site" in line
    assert "de, en, fr" in line and "hugo.toml" in line
    assert written(site) == []


def test_a_language_the_site_disables_is_refused(tmp_path: Path) -> None:
    site = copy_site(tmp_path, "file")
    text = (site / "hugo.yaml").read_text(encoding="utf-8")
    (site / "hugo.yaml").write_text(text + "  it:\n    disabled: true\n", encoding="utf-8")

    code, _, err = translate(site, "--to", "it")

    assert code == 1
    line = error_line(err)
    assert line.startswith("Error: ") and "hugo.yaml" in line
    assert "language 'it' is disabled" in line


def test_a_configuration_that_does_not_parse_names_file_and_line(tmp_path: Path) -> None:
    site = copy_site(tmp_path, "dir")
    text = (site / "hugo.toml").read_text(encoding="utf-8")
    (site / "hugo.toml").write_text(text.replace("weight = 2", "weight = = 2"), encoding="utf-8")
    line = text.splitlines().index("weight = 2") + 1

    for command in (["run", "--backend", "pseudo"], ["status"], ["check"]):
        code, _, err = invoke(site, *command)

        assert code == 1
        assert f"hugo.toml:{line}: invalid TOML" in error_line(err)


def test_two_configuration_files_hugos_first_wins_and_the_run_says_which(tmp_path: Path) -> None:
    site = copy_site(tmp_path, "dir")
    # Hugo reads hugo.toml and ignores config.toml, which would make Italian the target.
    write(
        site / "config.toml",
        'defaultContentLanguage = "de"\n[languages.de]\ncontentDir = "content/de"\n'
        '[languages.it]\ncontentDir = "content/it"\n',
    )

    code, out, _ = translate(site)

    assert code == 0
    assert out.splitlines()[0] == "using hugo.toml (config.toml ignored, as Hugo does)"
    assert (
        sum(
            line == "using hugo.toml (config.toml ignored, as Hugo does)"
            for line in out.splitlines()
        )
        == 1
    )
    assert (site / "content/fr/post/jahresbericht.md").is_file()
    assert not (site / "content/it").exists()


def test_a_file_whose_suffix_is_no_language_is_named_and_treated_as_hugo_does(
    tmp_path: Path,
) -> None:
    site = copy_site(tmp_path, "file")
    write(site / "content/post/notiz.es.md", POST)

    code, out, err = translate(site, "--to", "en")

    assert code == 0
    warnings = [line for line in err.splitlines() if "is not a language of" in line]
    assert warnings == [
        "Warning: content/post/notiz.es.md: 'es' is not a language of this site; Hugo makes "
        "it a page of the default language (de) named with it"
    ]
    # Hugo builds it as the German page `notiz.es`: its translation is named after it.
    assert "wrote    content/post/notiz.es.en.md" in out.splitlines()


def test_one_model_for_several_pairs_is_refused(tmp_path: Path) -> None:
    site = copy_site(tmp_path, "dir")

    code, _, err = translate(site, "--model", "/models/opus-mt-de-en")

    assert code == 1
    line = error_line(err)
    assert "one model (/models/opus-mt-de-en) for 2 language pairs (de-en, de-fr)" in line
    assert "[models]" in line
    assert written(site) == []


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param('[models]\n"german" = "x"\n', "'german' is not a language pair", id="key"),
        pytest.param('target = "en"\ntargets = ["fr"]\n', "both target and targets", id="both"),
        pytest.param('[pivot]\n"de-fr" = "fr"\n', "pivot of de-fr is one of its own", id="self"),
        pytest.param(
            '[models]\n"de-fr" = "x"\n[pivot]\n"de-fr" = "en"\n',
            "both a model and a pivot",
            id="mp",
        ),
    ],
)
def test_bad_language_settings_are_refused(tmp_path: Path, toml: str, message: str) -> None:
    site = copy_site(tmp_path, "dir")
    write(site / "translate.toml", toml)

    code, _, err = translate(site)

    assert code == 1
    assert message in error_line(err)
    assert "translate.toml" in error_line(err)


@pytest.mark.slow
def test_a_model_missing_for_one_pair_fails_that_pair_alone(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    site = copy_site(tmp_path, "dir")
    missing = tmp_path / "no-such-model"
    write(
        site / "translate.toml",
        f'backend = "marian"\nbeams = 1\n[models]\n"de-en" = "{tiny_model_dir}"\n'
        f'"de-fr" = "{missing}"\n',
    )

    code, out, err = invoke(site, "run")

    assert code == 1
    line = error_line(err)
    assert str(missing) in line and "model folder not found" in line and " — " in line
    assert (site / "content/en/post/jahresbericht.md").is_file()
    assert (site / "i18n/en.toml").is_file()
    assert not (site / "content/fr").exists()
    lines = out.splitlines()
    assert "de → fr: not translated: see the error above" in lines
    assert (
        lines[-1]
        == "Total: 4 written, 0 updated, 0 skipped, 0 failed; 1 language pair(s) not translated."
    )


# --- file names -----------------------------------------------------------------------------


def test_a_post_with_and_without_the_default_suffix_is_one_page(tmp_path: Path) -> None:
    site = copy_site(tmp_path, "file")
    write(site / "content/post/jahresbericht.de.md", POST)

    code, out, err = translate(site, "--to", "en")

    assert code == 1
    assert (
        "content/post/jahresbericht.de.md and content/post/jahresbericht.md are the same Hugo page"
        in err
    )
    assert not (site / "content/post/jahresbericht.en.md").exists()
    assert "wrote    content/post/forschungstag/index.en.md" in out


def test_an_orphan_is_found_by_its_file_name(tmp_path: Path) -> None:
    site = copy_site(tmp_path, "file")
    assert translate(site, "--to", "en")[0] == 0
    (site / "content/post/jahresbericht.md").unlink()

    _, out, _ = invoke(site, "status", "--json", "--to", "en")

    rows = {row["target"]: row for row in json.loads(out)}
    orphan = rows["content/post/jahresbericht.en.md"]
    assert (orphan["state"], orphan["detail"]) == (
        "orphaned",
        "content/post/jahresbericht.md is gone",
    )
    _, out, _ = invoke(site, "check", "--format", "json", "--to", "en")
    assert ("content/post/jahresbericht.en.md", "orphan") in {
        (f["path"], f["code"]) for f in json.loads(out)
    }


def test_a_post_named_on_the_command_line_in_either_layout(tmp_path: Path) -> None:
    for layout, post in (
        ("dir", "content/de/post/jahresbericht.md"),
        ("file", "content/post/jahresbericht.md"),
    ):
        site = copy_site(tmp_path, layout)

        code, out, _ = translate(site, str(site / post))

        assert code == 0
        assert out.splitlines()[-1] == "Total: 2 written, 0 updated, 0 skipped, 0 failed."
        assert not any(line.startswith(("added", "skipped  i18n")) for line in out.splitlines())


def test_records_are_the_same_in_both_layouts(tmp_path: Path) -> None:
    records = {}
    for layout in ("dir", "file"):
        site = copy_site(tmp_path, layout)
        assert translate(site, "--to", "fr")[0] == 0
        folder = site / "translation-memory/de-fr/records"
        records[layout] = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.jsonl"))

    assert records["dir"] == records["file"]


def test_a_target_that_is_the_source_is_refused(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "dir", tmp_path / "site")

    with pytest.raises(ConfigError, match="source and target language are both 'de'"):
        open_project(tmp_path / "site", Settings(targets=("de",)))
