"""YAML/TOML/JSON front matter: translatable values out, translations back in.

The block is never re-dumped. Parsers only tell where each string value sits in the source
(ruamel.yaml marks, tomlkit's byte-exact round trip, a scan of the JSON text); a translation
replaces exactly that span, so comments, commented-out keys, quoting, key order, dates and
line endings stay as written. Every replacement is parsed back and checked before it is
returned.

The modules, by job: `split` cuts a post into front matter and body as Hugo's page lexer
does; `block` is the block and its values; `keys` says which values are prose;
`replacing` holds what every language shares for replacing values in place; `yaml_syntax`,
`yaml_scalars`, `toml_syntax` and `json_syntax` are the three languages.
"""

from __future__ import annotations

from translate.markdown.front_matter.block import Format, FrontMatter, FrontMatterField
from translate.markdown.front_matter.keys import (
    DEFAULT_TRANSLATABLE_KEYS,
    KeyPath,
    key_matches,
    shortcode_params,
)
from translate.markdown.front_matter.split import split_front_matter

__all__ = [
    "DEFAULT_TRANSLATABLE_KEYS",
    "Format",
    "FrontMatter",
    "FrontMatterField",
    "KeyPath",
    "key_matches",
    "shortcode_params",
    "split_front_matter",
]
