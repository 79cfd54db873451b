"""What made a translation, as one stable line: the engine's signature.

As sacrebleu signs a score with the settings that produced it, every record is signed with
the engine that wrote its machine text: backend, model, a digest of the weights, decoding
settings, the tool's version. `Signature` is the one place that writes, reads and compares
these lines; runs, status, pivots and records all use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The order of a signature's fields in its one-line form; others follow, sorted by name.
SIGNATURE_ORDER = ("backend", "model", "weights", "compute_type", "beams", "glossary", "version")
# Backends that use no model: a translation they made names none.
MODELLESS_BACKENDS = frozenset({"identity", "pseudo"})
# What a record says of a translation it found rather than made (a page written by hand).
ADOPTED = "unknown (adopted existing translation)"


@dataclass(frozen=True)
class Signature:
    """The fields that decide an engine's output, such as backend, model and weights."""

    fields: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, fields: Mapping[str, str], *, version: str) -> Signature:
        """Return a signature of `fields` and the tool's `version`."""
        return cls({**{str(k): str(v) for k, v in fields.items()}, "version": version})

    @classmethod
    def parse(cls, line: str) -> Signature:
        """Read a line written by `format` (or a version 1 record's "<backend> <model>").

        Raise ValueError for a line that is neither.
        """
        if line and "|" not in line and ":" not in line.partition(" ")[0]:
            backend, _, model = line.partition(" ")
            return cls({"backend": backend, "model": model} if model else {"backend": backend})
        fields = {}
        for part in line.split("|") if line else []:
            key, colon, value = part.partition(":")
            if not colon:
                raise ValueError(f"not a signature field: {part!r}")
            fields[key] = value.replace("%7C", "|").replace("%25", "%")
        return cls(fields)

    def format(self) -> str:
        """Return the signature as one stable line, fields in a fixed order.

        For example ``backend:marian|model:Helsinki-NLP/opus-mt-de-en|weights:1a2b3c4d5e6f``.
        """
        known = [key for key in SIGNATURE_ORDER if key in self.fields]
        keys = known + sorted(key for key in self.fields if key not in SIGNATURE_ORDER)
        for key in keys:
            if not key or any(char in key for char in ":|%"):
                raise ValueError(f"a signature field cannot be called {key!r}")
        # A model path may hold the separator; nothing else needs escaping.
        escaped = {k: self.fields[k].replace("%", "%25").replace("|", "%7C") for k in keys}
        return "|".join(f"{key}:{escaped[key]}" for key in keys)

    def __str__(self) -> str:
        return self.format()

    @property
    def backend(self) -> str:
        """Return the backend's name ("" if unknown)."""
        return self.fields.get("backend", "")

    @property
    def model(self) -> str | None:
        """Return the model's name; None for a backend without one, or when unknown."""
        model = self.fields.get("model")
        if self.backend in MODELLESS_BACKENDS or model in (None, "", "none"):
            return None
        return model

    @property
    def modelless(self) -> bool:
        """Tell whether the translation was made without a model (identity, pseudo)."""
        return self.backend in MODELLESS_BACKENDS

    def other_model(self, current: Signature) -> bool:
        """Tell whether this signature names another model than `current` does.

        Only models are compared: model names, and weights where both signatures know
        them. A translation made without a model (pseudo, identity) or found on disk is no
        older model: it is said apart (see `describe`).
        """
        if self.model is None or current.model is None:
            return False
        weights = [
            fields.get("weights") or fields.get("revision") or "unknown"
            for fields in (self.fields, current.fields)
        ]
        known = "unknown" not in weights
        if known and self.backend == current.backend and weights[0] == weights[1]:
            return False  # the same weights, named by another path (`../models/m`, typed elsewhere)
        if (self.backend, self.model) != (current.backend, current.model):
            return True
        return known and weights[0] != weights[1]

    def describe(self) -> str:
        """Name the engine for people: "marian Helsinki-NLP/opus-mt-de-en", "pseudo"."""
        if self.model is None:
            return self.backend or "unknown engine"
        return f"{self.backend} {self.model}".strip()
