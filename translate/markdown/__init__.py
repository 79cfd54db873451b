"""Reading Hugo content: a post's front matter, shortcodes and Markdown, as Hugo reads them.

Front matter (YAML, TOML, JSON) is split off and its values located; shortcodes are lexed as
Hugo's page parser does and masked before Markdown sees the text; the body is parsed the way
Goldmark reads it and cut into blocks of inline pieces with exact source spans.

May import: `translate.errors`, `translate.files`, and third-party parsers. Nothing here
knows about languages, models, records or the site.
"""
