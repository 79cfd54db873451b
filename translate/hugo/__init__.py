"""The site: Hugo's configuration (asked of the `hugo` binary, or read without it), its
languages and content folders, where each post's sibling lives in either layout, which links
follow the language, the site's reading options, its i18n string tables and its themes',
what a run leaves untranslated, and the tool's own settings (`translate.toml` and flags).

May import: `translate.errors`, `translate.files`, `translate.markdown`,
`translate.translation`.
"""
