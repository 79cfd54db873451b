"""How a site's posts are read: one frozen value, passed to every parse and fingerprinted.

Two sites can read the same text differently: which front matter keys and shortcode
parameters are prose, which `{{< >}}` pairs hold Markdown, whether Goldmark takes block
attributes or passes math through. A record keeps the fingerprint of the options its post was
read with, so that a change of them is noticed (the post is read again, never misread).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from translate.markdown.front_matter import DEFAULT_TRANSLATABLE_KEYS, shortcode_params
from translate.markdown.goldmark import MarkdownOptions


@dataclass(frozen=True)
class ReadingOptions:
    """Everything that decides how a post is cut into blocks."""

    # Front matter keys (dotted patterns) and `{{name}}.param` shortcode parameters whose
    # values are prose.
    translatable_keys: tuple[str, ...] = DEFAULT_TRANSLATABLE_KEYS
    # What the site's Hugo configuration and shortcode templates change in Goldmark's reading.
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    # Top-level front matter keys that belong to a translation alone (the machine-translation
    # label): not compared with the source, not carried over from it.
    own_keys: tuple[str, ...] = ()

    @cached_property
    def shortcode_params(self) -> Mapping[str, tuple[str, ...]]:
        """Return the shortcode parameters that hold prose: name -> parameter names."""
        return shortcode_params(self.translatable_keys)

    @cached_property
    def fingerprint(self) -> str:
        """Return a short, stable digest of these options, for records."""
        values = {
            "keys": list(self.translatable_keys),
            "block_attributes": self.markdown.block_attributes,
            "passthrough": [list(pair) for pair in self.markdown.passthrough],
            "markdown_shortcodes": sorted(self.markdown.markdown_shortcodes),
            "own_keys": list(self.own_keys),
        }
        # Options added later count only where they are not their default, so that records
        # made before they existed keep their fingerprint (a post whose blocks the new default
        # changes, one with raw HTML, shows it by its blocks).
        if self.markdown.emoji:
            values["emoji"] = True
        if not self.markdown.html_text:
            values["html_text"] = False
        blob = json.dumps(values, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


DEFAULT_OPTIONS = ReadingOptions()
