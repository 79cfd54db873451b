"""The i18n tables of a site's themes and modules, which the site's own tables override.

Hugo merges the `i18n` mounts of every module: an entry of the site's `i18n/fr.toml` hides
the theme's entry of the same id. A key the theme already translates for a language must
therefore never be added to the site's table for it: a machine translation would replace the
theme author's. The site's source table is read without those keys (`without_theme_keys`),
and what a run should know about the tables of its languages is said in `table_warnings`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from translate.errors import ConfigError
from translate.hugo.config import HugoConfig
from translate.hugo.i18n import Table, load_table, table_path


def module_tables(config: HugoConfig, language: str) -> list[Table]:
    """Return the tables the themes and imports have for `language`, in Hugo's order.

    A theme's table that does not parse is passed over: Hugo refuses it when it builds.
    """
    locale = _locale(config, language)
    tables: list[Table] = []
    for module, mount in config.mounts("i18n"):
        if module.is_project or mount.target != "i18n":
            continue
        path = table_path(mount.source, language, locale)
        if path is None:
            continue
        try:
            tables.append(load_table(path))
        except ConfigError:
            continue
    return tables


def theme_keys(config: HugoConfig, language: str) -> frozenset[str]:
    """Return the message ids the themes and imports translate for `language`."""
    return frozenset(key for table in module_tables(config, language) for key in table.entries)


def without_theme_keys(source: Table, config: HugoConfig, target: str) -> Table:
    """Return the site's source table without the keys a theme already translates into
    `target`: the site has nothing to add for them."""
    covered = theme_keys(config, target)
    if not covered:
        return source
    return replace(
        source, entries={key: entry for key, entry in source.entries.items() if key not in covered}
    )


def table_warnings(config: HugoConfig, source: str, targets: tuple[str, ...]) -> list[str]:
    """Say what a run does not do for the interface strings of its languages.

    A site whose i18n folder has tables, but none for the source language, gets none
    translated; a theme that translates its interface into the source language but not into
    a target (nor does the site) shows it in another language there.
    """
    found: list[str] = []
    folder = config.root / config.i18n_dir
    own = _table_languages(folder)
    if own and table_path(folder, source, _locale(config, source)) is None:
        found.append(
            f"{config.show(folder)}/ has tables for {', '.join(sorted(own))} but none for "
            f"{source}: the site's interface strings are not translated (add "
            f"{config.show(folder)}/{source}.toml to have them translated)"
        )
    for module, mount in config.mounts("i18n"):
        if module.is_project or table_path(mount.source, source, _locale(config, source)) is None:
            continue
        for target in targets:
            site_table = table_path(folder, target, _locale(config, target))
            theme_table = table_path(mount.source, target, _locale(config, target))
            if site_table is None and theme_table is None:
                found.append(
                    f"{module.path} translates its interface into {source} but not into "
                    f"{target}, nor does the site: it shows in another language there"
                )
    return found


def _table_languages(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {
        path.name.rsplit(".", 1)[0].lower()
        for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in (".toml", ".yaml", ".yml", ".json")
    }


def _locale(config: HugoConfig, code: str) -> str | None:
    return next((lang.language_code for lang in config.languages if lang.code == code), None)
