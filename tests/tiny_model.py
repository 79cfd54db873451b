"""Build a tiny, random-weight MarianMT model offline, laid out like Helsinki-NLP/opus-mt-*.

The tests load it through the same `from_pretrained(folder)` path as a real Opus-MT model, so
they exercise the real tokenizer and generation code without a download. Its translations
are gibberish; only their shape (one string per input, bounded length) is meaningful.

`cached_tiny_marian` keeps the model on disk between test sessions, in a folder named after a
digest of everything that decides its bytes, so that a change to the builder builds a new one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import sentencepiece
import torch
import transformers

import benchmarks.model
from benchmarks.model import TINY, build_marian

# A few KB of the text the backend meets: German and English prose with umlauts, ß,
# typographic quotes, numbers, and the pipeline's inline markers (<g1>…</g1>, <x1/>), so that
# every character is in the vocabulary. MarianTokenizer has no byte fallback: a character
# missing here would become <unk>.
_CORPUS = """\
Die Straße führt über die Brücke zum Bahnhof.
The road leads over the bridge to the station.
Grüße aus München! Wir sehen uns am 3. März um 14:30 Uhr.
Greetings from Munich! See you on 3 March at 2:30 pm.
Er sagte: „Das ist schön.“ Sie antwortete: ‚Ja, wirklich.‘
He said: "That is nice." She answered: 'Yes, really.'
Öffne die Datei config.toml und ändere den Wert von baseURL.
Open the file config.toml and change the value of baseURL.
Klicke auf <g1>Speichern</g1>, um die Änderungen zu übernehmen.
Click <g1>Save</g1> to apply the changes.
Siehe <g2>die Dokumentation</g2> und <g3>das Handbuch</g3> für Details.
See <g2>the documentation</g2> and <g3>the manual</g3> for details.
Der Befehl <x1/> startet den Server; <x2/> baut die Seite neu.
The command <x1/> starts the server; <x2/> rebuilds the site.
Ein Bild <x3/> zeigt das Ergebnis (siehe Abbildung 2).
An image <x3/> shows the result (see figure 2).
Die Größe beträgt 1.024 Byte, also etwa 1 KB.
The size is 1,024 bytes, that is about 1 KB.
Übung macht den Meister – äußerst nützlich für Anfänger.
Practice makes perfect - extremely useful for beginners.
Wähle [Option A] oder [Option B] aus der Liste.
Choose [option A] or [option B] from the list.
Pfad: /content/de/posts/erster-beitrag/index.md
Path: /content/en/posts/first-post/index.md
Variablen wie site_title, page_count und max_items sind erlaubt.
Variables like site_title, page_count and max_items are allowed.
Heute ist das Wetter schön, aber morgen regnet es vielleicht.
Today the weather is nice, but tomorrow it may rain.
Wir haben 25 Äpfel, 7 Birnen und 13 Pflaumen gekauft.
We bought 25 apples, 7 pears and 13 plums.
Fußball ist in Deutschland sehr beliebt; viele Menschen spielen ihn.
Football is very popular in Germany; many people play it.
Könnten Sie mir bitte helfen? Ich suche die Bibliothek.
Could you please help me? I am looking for the library.
Das Mädchen liest ein Buch über Bäume, Vögel und Flüsse.
The girl reads a book about trees, birds and rivers.
Im Jahr 2024 wurden 98 % der Tests erfolgreich ausgeführt.
In 2024, 98 % of the tests ran successfully.
Schreibe eine E-Mail an info@example.org oder rufe +49 30 123456 an.
Write an email to info@example.org or call +49 30 123456.
Der Preis liegt zwischen 5 € und 10 €, je nach Größe.
The price is between 5 € and 10 €, depending on size.
Zuerst installieren, dann konfigurieren, schließlich veröffentlichen.
First install, then configure, finally publish.
Was bedeutet das? Niemand weiß es genau.
What does that mean? Nobody knows exactly.
Die Überschrift lautet „Neuigkeiten aus der Küche“.
The heading reads "News from the kitchen".
Abschnitt 4.2: Einführung in die Übersetzung mit Modellen.
Section 4.2: Introduction to translation with models.
Verwende {{< figure >}} für Bilder und {{< ref >}} für Verweise.
Use {{< figure >}} for pictures and {{< ref >}} for references.
Zeile 1, Zeile 2 und Zeile 3; außerdem Spalte A-Z.
Line 1, line 2 and line 3; also column A-Z.
Quellcode: x = y * 2 + 1; wenn x > 10 oder x < 0, dann Fehler!
Source code: x = y * 2 + 1; if x > 10 or x < 0, then error!
Öl, Übel, Ärger, Maß, Straße, Fluss, Grüße, süß, heiß, groß.
Oil, evil, anger, measure, street, river, greetings, sweet, hot, big.
Jörg und Jürgen wohnen in Köln, Düsseldorf und Zürich.
Jörg and Jürgen live in Cologne, Düsseldorf and Zurich.
Version 0.1.0 (beta) — bitte Fehler melden: https://example.com/issues
Version 0.1.0 (beta) — please report bugs: https://example.com/issues
ABCDEFGHIJKLMNOPQRSTUVWXYZ ÄÖÜ abcdefghijklmnopqrstuvwxyz äöüß 0123456789
! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \\ ] ^ _ ` { | } ~ „ “ ‚ ‘ – — … € °
"""


def build_tiny_marian(directory: Path) -> Path:
    """Write a random-weight MarianMT model with an Opus-MT file layout into `directory`."""
    return build_marian(directory, _CORPUS.splitlines(), TINY)


def cached_tiny_marian(cache: Path) -> Path:
    """Return the tiny model's folder under `cache`, building it there first if needed.

    The folder `cache/<key>/model` is made complete in a temporary folder and then renamed into
    place, so a session that was killed half-way, or another session building at the same time,
    never leaves a partial model behind. A model whose files no longer match the digests
    recorded beside it (a test wrote into it) is built again.
    """
    entry = cache / _builder_key()
    if _intact(entry):
        return entry / "model"
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=cache))
    model = build_tiny_marian(staging / "model")
    (staging / "files.json").write_text(json.dumps(_digests(model), indent=1), encoding="utf-8")
    if entry.exists() and not _intact(entry):
        shutil.rmtree(entry, ignore_errors=True)
    try:
        staging.rename(entry)
    except OSError:  # another session renamed its own build into place first: use that one
        shutil.rmtree(staging, ignore_errors=True)
    return entry / "model"


def _builder_key() -> str:
    """Return a digest of the builder's source and the versions of the libraries it calls."""
    digest = hashlib.sha256()
    for module in (__file__, benchmarks.model.__file__):
        digest.update(Path(module).read_bytes())
    for version in (torch.__version__, transformers.__version__, sentencepiece.__version__):
        digest.update(f"\0{version}".encode())
    return digest.hexdigest()[:16]


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
    }


def _intact(entry: Path) -> bool:
    try:
        recorded = json.loads((entry / "files.json").read_text(encoding="utf-8"))
        return bool(recorded == _digests(entry / "model"))
    except (OSError, ValueError):
        return False
