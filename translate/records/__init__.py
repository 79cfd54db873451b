"""Records: what the tool wrote for each post and block, what reviewers corrected, the
translation memory built from both, TMX exchange, and the lock that lets one command write
them at a time.

May import: `translate.errors`, `translate.files`, `translate.markdown`,
`translate.translation`, `translate.hugo`.
"""
