"""The site: Hugo's configuration, its languages and content folders, where each post's
sibling lives in either layout, the site's reading options and its i18n string tables, and
the tool's own settings (`translate.toml` and flags).

May import: `translate.errors`, `translate.files`, `translate.markdown`,
`translate.translation`.
"""
