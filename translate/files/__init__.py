"""Files: reading, writing and loading them safely, the bottom layer of the tool.

Every file the tool reads goes through `read_text`/`read_bytes` (regular files only, up to a
size limit); every file it writes goes through `write_atomic` (a temporary file, fsync, a
rename; only regular files; symbolic links followed only where the caller allows).
TOML, YAML and JSON are loaded through `load_data`/`read_data` with one set of bounds (YAML
aliases, nesting) and errors that name the line; JSON Lines through `read_json_lines`.

May import: `translate.errors` and third-party libraries. Nothing here knows about Hugo,
posts, languages or records.
"""

from __future__ import annotations

from translate.files.data import load_data, read_data
from translate.files.json_lines import parse_json_lines, read_json_lines
from translate.files.paths import printable, relative_path
from translate.files.reading import (
    MAX_FILE_SIZE,
    max_file_size,
    read_bytes,
    read_text,
    set_max_file_size,
)
from translate.files.writing import (
    fsync_directory,
    remove_stale_temporaries,
    writable_path,
    write_atomic,
)

__all__ = [
    "MAX_FILE_SIZE",
    "fsync_directory",
    "load_data",
    "max_file_size",
    "parse_json_lines",
    "printable",
    "read_bytes",
    "read_data",
    "read_json_lines",
    "read_text",
    "relative_path",
    "remove_stale_temporaries",
    "set_max_file_size",
    "writable_path",
    "write_atomic",
]
