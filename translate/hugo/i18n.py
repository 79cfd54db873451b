"""Hugo's i18n string tables: what a target language lacks, translated and added in place.

Hugo reads `i18n/<language>.toml|yaml|yml|json` with go-i18n (v2, Hugo's fork). The file
name is the language: `i18n/de/strings.toml` is not German (checked with Hugo v0.168).
For a language with a `locale`, Hugo looks for `i18n/<locale>.*` first (`de-at.toml`) and
uses `i18n/<language>.*` only when there is none. A message is

- a flat string: `home = "Startseite"` (the plural form `other`);
- a map with go-i18n's reserved keys: `[posts]` with `one = "…"`, `other = "…"` (also
  `zero`, `two`, `few`, `many`; `description`, `hash`, `id` are metadata);
- nested under plain maps: `[nav]` `home = "…"` is the message `nav.home`;
- go-i18n's older list form: `[{"id": "home", "translation": "…"}]`.

Missing entries are translated and added; existing entries are never touched. TOML is
edited with tomlkit, YAML round-trips through ruamel.yaml (and is refused if that would
change a line that exists), JSON is edited as text: the file keeps its order, comments and
formatting, new entries go after the existing ones. A missing target table is created in
the source table's format.

Go template actions (`{{ .Count }}`, `{{ .Name | upper }}`), printf verbs (`%d`), HTML tags
and entities are protected: they become `<xN/>` markers for the model and come back
exactly, in any order the translation needs.
"""

from translate.hugo.i18n_tables import (
    PLURAL_FORMS,
    RESERVED,
    Entry,
    Missing,
    Protected,
    Table,
    load_table,
    missing,
    new_table_path,
    parse_table,
    plural_forms,
    protect,
    table_path,
    translate_missing,
    translate_texts,
)
from translate.hugo.i18n_writing import add_entries, update_table

__all__ = [
    "PLURAL_FORMS",
    "RESERVED",
    "Entry",
    "Missing",
    "Protected",
    "Table",
    "add_entries",
    "load_table",
    "missing",
    "new_table_path",
    "parse_table",
    "plural_forms",
    "protect",
    "table_path",
    "translate_missing",
    "translate_texts",
    "update_table",
]
