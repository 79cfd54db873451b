"""Commands: one module per `translate` command's work (run, status, check), returning
reports; `translate.cli` prints them and chooses exit codes.

May import every layer below: `translate.errors`, `translate.files`, `translate.markdown`,
`translate.translation`, `translate.hugo`, `translate.records`.
"""
