"""Build a tiny, random-weight MarianMT model offline, laid out like Helsinki-NLP/opus-mt-*.

The tests load it through the same `from_pretrained(folder)` path as a real Opus-MT model, so
they exercise the real tokenizer and generation code without a download. Its translations
are gibberish; only their shape (one string per input, bounded length) is meaningful.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import sentencepiece
import torch
from transformers import GenerationConfig, MarianConfig, MarianMTModel

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

VOCAB_SIZE = 600  # a target only: with hard_vocab_limit=False a small corpus may give fewer


def _train_sentencepiece() -> bytes:
    """Return the serialized SentencePiece model trained on the inline corpus."""
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(_CORPUS.splitlines()),
        model_writer=model,
        model_type="unigram",
        vocab_size=VOCAB_SIZE,
        hard_vocab_limit=False,
        character_coverage=1.0,
        # One thread and no sampling of the input keep the pieces identical from run to run.
        num_threads=1,
        shuffle_input_sentence=False,
        input_sentence_size=0,
        minloglevel=2,
    )
    return model.getvalue()


def _marian_vocab(spm_model: bytes) -> dict[str, int]:
    """Map pieces to ids the way Opus-MT's vocab.json does: </s>=0, <unk>=1, <pad> last."""
    processor = sentencepiece.SentencePieceProcessor(model_proto=spm_model)
    pieces = [
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i))
    ]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    return vocab


def build_tiny_marian(directory: Path) -> Path:
    """Write a random-weight MarianMT model with an Opus-MT file layout into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    spm_model = _train_sentencepiece()
    # Opus-MT ships one file per side; a joint vocabulary makes them the same model.
    (directory / "source.spm").write_bytes(spm_model)
    (directory / "target.spm").write_bytes(spm_model)
    vocab = _marian_vocab(spm_model)
    (directory / "vocab.json").write_text(
        json.dumps(vocab, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    # What the hub's opus-mt-de-en/tokenizer_config.json holds; everything else is defaulted.
    (directory / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": "de", "target_lang": "en"}), encoding="utf-8"
    )

    pad_id = vocab["<pad>"]
    eos_id = vocab["</s>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        # Opus-MT conventions: decoding starts from <pad>, and </s> doubles as bos.
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        bos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=eos_id,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    # Real Opus-MT generation defaults, <pad> banned as an output and up to 512 tokens: the
    # backend, not the model, must keep random weights from generating for long.
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad_id]],
        bos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        eos_token_id=eos_id,
        forced_eos_token_id=eos_id,
        pad_token_id=pad_id,
        max_length=512,
        num_beams=4,
    )
    model.save_pretrained(directory)
    return directory
