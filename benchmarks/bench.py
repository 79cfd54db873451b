"""Measure how fast posts are translated: naive, the pipeline on two engines, and the ceiling.

Run from the repository root (offline; about 15 minutes on 2 CPU cores):

    python -m benchmarks.bench                  # 200 posts; writes benchmarks/results/latest.json
    python -m benchmarks.bench --tiny           # a tiny model and a few posts: under a minute
    python -m benchmarks.bench --model DIR      # only the cold start, of a real model folder

It builds a random-weight model of opus-mt-de-en's shape and a corpus of German posts
(`corpus.py`), then measures, each in a fresh process so that memory peaks do not mix:

1. naive: one transformers `generate` call per segment (on a sample, extrapolated);
2. the pipeline (`translate run`, i.e. `run_site`) with the transformers backend;
3. the pipeline with the CTranslate2 backend (int8 on a CPU);
4. CTranslate2 alone on the same segments in ideal batches, sorted by length: the ceiling;

the cold start of each model backend: the time from starting `translate run` (a fresh
process, the CTranslate2 model already converted) until it has written one new post, next to
the time a bare program takes to import that engine and load the model; and the time of a
second run over unchanged content. Random weights never stop on their own,
so every engine decodes exactly as many tokens as the segment's input has
(`BackendOptions.exact_length`): all rows do the same work. Rows 1 and 4 translate exactly the
distinct texts that the pipeline of row 3 sent to its model, so the pipeline's deduplication
is not counted in its favour.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.corpus import corpus_text, write_site
from translate.translation.backends import Backend, BackendOptions, Translator

if TYPE_CHECKING:
    from benchmarks.model import Shape
    from translate.hugo.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "latest.json"
COLD_OUTPUT = ROOT / "benchmarks" / "results" / "cold-start.json"
# Fixed output lengths: as many tokens out as in. German and English Opus-MT pieces run about
# even, and twice the input (the backends' default bound) would double the run time.
OUTPUT_FACTOR = 1.0
OUTPUT_SLACK = 0
# Warms each engine up (first-call allocations, thread pools) outside the timed part.
WARM_UP = "Die Straße führt über die Brücke zum Bahnhof."
# More CPU than this share taken by other processes during a measurement skews it.
BUSY_SHARE = 0.05
TARGETS = {"pipeline_vs_ceiling": 0.8, "pipeline_vs_naive": 10.0}
# The CTranslate2 cold start may take at most this much longer than its bare model load.
COLD_START_OVERHEAD_S = 2.0
# Cold starts (and bare loads) timed per backend; the median is reported.
COLD_RUNS = 3


@dataclass(frozen=True)
class Spec:
    """What one measurement needs; written as JSON for the process that runs it."""

    kind: str  # pipeline | ceiling | naive | rerun | cold
    workdir: str
    posts: int
    batch_size: int
    beams: int
    threads: int
    seed: int
    backend: str = ""  # pipeline and cold only
    label: str = ""  # names the result and the pipeline's record of the texts it sent
    sample: int = 0  # naive: segments to time; cold: runs to time
    model_dir: str = ""  # a model with its own weights (--model); empty: the one built here

    @property
    def model(self) -> Path:
        """Return the model folder."""
        return Path(self.model_dir) if self.model_dir else Path(self.workdir) / "model"

    @property
    def user_cache(self) -> Path:
        """Return the XDG cache folder: `translate run` finds the converted model there."""
        return Path(self.workdir) / "user-cache"

    def options(self) -> BackendOptions:
        """Return the backend options every engine runs with.

        The model built here has random weights, which never stop: it decodes exactly as many
        tokens as each input has. A model with its own weights runs as `translate run` runs it.
        """
        options = BackendOptions(
            model=str(self.model),
            device="cpu",
            batch_size=self.batch_size,
            beams=self.beams,
            cache_dir=str(self.user_cache / "hugo-translate" / "ctranslate2"),
        )
        if self.model_dir:
            return options
        return replace(
            options, output_factor=OUTPUT_FACTOR, output_slack=OUTPUT_SLACK, exact_length=True
        )


# --- the measurements, each run in a process of its own -------------------------------------


def measure(spec: Spec) -> dict[str, Any]:
    """Run one measurement and return its figures."""
    _limit_threads(spec.threads)
    runners: dict[str, Callable[[Spec], dict[str, Any]]] = {
        "pipeline": _pipeline,
        "ceiling": _ceiling,
        "naive": _naive,
        "rerun": _rerun,
        "cold": _cold_start,
    }
    result = runners[spec.kind](spec)
    result["peak_rss_mb"] = _peak_rss_mb()
    return result


def _pipeline(spec: Spec) -> dict[str, Any]:
    """Time `run_site` over a fresh copy of the corpus, with the model loaded beforehand."""
    from translate.commands.run import run_site

    site = _site_copy(spec, f"site-{spec.label}")
    options = spec.options()
    start = time.perf_counter()
    translator, settings = _loaded(spec)  # imports the engine, loads the model: timed apart
    load_seconds = time.perf_counter() - start
    rss_loaded = _rss_mb()
    recorder = _Recorder(translator)
    start = time.perf_counter()
    report = run_site(settings, site, lambda: recorder)
    seconds = time.perf_counter() - start
    # Blank texts never reach a model (the backends hand them back as they are).
    batches = [[text for text in batch if text.strip()] for batch in recorder.batches]
    sent = [text for batch in batches for text in batch]
    (Path(spec.workdir) / f"sent-{spec.label}.json").write_text(json.dumps(sent), "utf-8")
    bounds = iter(_bounds(translator, options, sent))
    decoded = _decoded([[next(bounds) for _ in batch] for batch in batches])
    return {
        "seconds": seconds,
        "load_seconds": load_seconds,
        "model_seconds": recorder.seconds,
        "posts": len(report.results),
        "outcomes": dict(Counter(result.outcome.value for result in report.results)),
        "segments": len(sent),
        "distinct_segments": len(set(sent)),
        "target_tokens": decoded["target_tokens"],
        "decoded_tokens": decoded["decoded_tokens"],
        "rss_after_load_mb": rss_loaded,
    }


def _loaded(spec: Spec) -> tuple[Backend, Settings]:
    """Create the spec's backend, load its model, and return it with the settings of a run."""
    from translate.hugo.settings import Settings
    from translate.translation.backends import create_backend

    translator = create_backend(spec.backend, spec.options())
    if spec.backend == "marian":
        _torch_threads(spec.threads)
    translator.translate([WARM_UP])
    settings = Settings(
        backend=spec.backend,
        model=str(spec.model),
        device="cpu",
        batch_size=spec.batch_size,
        beams=spec.beams,
    )
    return translator, settings


class _Recorder:
    """Hands batches on to a translator, keeping the texts and the time spent in it."""

    def __init__(self, translator: Backend) -> None:
        self.translator = translator
        # The pipeline splits segments longer than this before they reach the model.
        self.max_input_tokens = translator.max_input_tokens
        self.batches: list[list[str]] = []
        self.batch_seconds: list[float] = []

    def count_tokens(self, text: str) -> int:
        """Return the translator's count of `text`'s input tokens."""
        return self.translator.count_tokens(text)

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate a batch through the translator, recording it."""
        start = time.perf_counter()
        output = self.translator.translate(texts)
        self.batch_seconds.append(time.perf_counter() - start)
        self.batches.append(list(texts))
        return output

    @property
    def seconds(self) -> float:
        """Return the time spent in the translator."""
        return sum(self.batch_seconds)


def _ceiling(spec: Spec) -> dict[str, Any]:
    """Time CTranslate2 alone on the distinct texts the pipeline sent, in ideal batches."""
    import ctranslate2

    from translate.translation.backends.ctranslate2 import CTranslate2Translator

    texts = _sent_texts(spec)
    options = spec.options()
    # Only for its cached conversion, its settings and its tokenizer (SentencePiece).
    backend = CTranslate2Translator(options)
    tokenizer = backend.model.tokenizer()
    start = time.perf_counter()
    engine = ctranslate2.Translator(
        str(backend.converted_folder()),
        device="cpu",
        compute_type=backend.compute_type,
        intra_threads=spec.threads,
    )
    engine.translate_batch([tokenizer.tokens(WARM_UP)])
    load_seconds = time.perf_counter() - start

    start = time.perf_counter()
    encoded = [tokenizer.tokens(text) for text in texts]
    ceiling = backend.max_input_tokens - 1
    # Ideal batches: sorted by token count, so that no batch decodes longer than it must.
    jobs = sorted(
        (len(ids), index, options.output_bound(len(ids), ceiling))
        for index, ids in enumerate(encoded)
    )
    engine_seconds = 0.0
    outputs: list[str] = []
    batch_bounds: list[list[int]] = []
    for first in range(0, len(jobs), spec.batch_size):
        batch = jobs[first : first + spec.batch_size]
        batch_bounds.append([bound for _, _, bound in batch])
        length = max(batch_bounds[-1])
        tokens = [encoded[index] for _, index, _ in batch]
        engine_start = time.perf_counter()
        results = engine.translate_batch(
            tokens,
            beam_size=spec.beams,
            max_batch_size=spec.batch_size,
            max_decoding_length=length,
            min_decoding_length=length,
        )
        engine_seconds += time.perf_counter() - engine_start
        outputs.extend(
            tokenizer.decode(result.hypotheses[0][:bound])
            for result, (_, _, bound) in zip(results, batch, strict=True)
        )
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "load_seconds": load_seconds,
        "model_seconds": engine_seconds,
        "posts": spec.posts,
        "segments": len(texts),
        **_decoded(batch_bounds),
        "compute_type": backend.compute_type,
    }


def _naive(spec: Spec) -> dict[str, Any]:
    """Time one `generate` call per segment on a sample; extrapolate to all segments."""
    import torch
    from transformers import MarianMTModel

    _torch_threads(spec.threads)
    texts = _sent_texts(spec)
    options = spec.options()
    tokenizer = _tokenizer(spec)
    start = time.perf_counter()
    model = MarianMTModel.from_pretrained(spec.model)
    model.eval()
    ceiling = min(model.config.max_position_embeddings, tokenizer.model_max_length) - 1

    def translate(text: str) -> int:
        batch = tokenizer([text], return_tensors="pt")
        bound = options.output_bound(batch["input_ids"].shape[1], ceiling)
        with torch.inference_mode():
            output = model.generate(
                **batch, num_beams=spec.beams, max_new_tokens=bound, min_new_tokens=bound
            )
        tokenizer.batch_decode(output, skip_special_tokens=True)
        return bound

    translate(WARM_UP)
    load_seconds = time.perf_counter() - start
    lengths = [len(ids) for ids in tokenizer(texts, verbose=False)["input_ids"]]
    all_tokens = sum(options.output_bound(n, ceiling) for n in lengths)
    sample = _systematic_sample(texts, lengths, spec.sample, random.Random(spec.seed))
    start = time.perf_counter()
    sample_tokens = sum(translate(text) for text in sample)
    sample_seconds = time.perf_counter() - start
    per_segment = sample_seconds / len(sample)
    return {
        "seconds": per_segment * len(texts),  # extrapolated when the sample is not everything
        "load_seconds": load_seconds,
        "posts": spec.posts,
        "segments": len(texts),
        "target_tokens": all_tokens,
        "decoded_tokens": all_tokens,  # one segment per call: no padding
        "sample_segments": len(sample),
        "sample_seconds": sample_seconds,
        "sample_target_tokens": sample_tokens,
        "extrapolated": len(sample) < len(texts),
    }


def _systematic_sample(
    texts: Sequence[str], lengths: Sequence[int], size: int, rng: random.Random
) -> list[str]:
    """Return `size` texts spread evenly over the length order, from a random start.

    Decoding time grows with length; an even spread keeps the sample's mean length that of
    all texts, so that its mean time per segment extrapolates without a length bias.
    """
    order = sorted(range(len(texts)), key=lambda i: (lengths[i], texts[i]))
    if size >= len(order):
        return [texts[i] for i in order]
    step = len(order) / size
    offset = rng.random() * step
    return [texts[order[int(offset + k * step)]] for k in range(size)]


def _rerun(spec: Spec) -> dict[str, Any]:
    """Translate a copy of the corpus once with the pseudo backend, then time a second run."""
    from translate.commands.run import Outcome, run_site
    from translate.hugo.settings import Settings
    from translate.translation.backends import create_backend

    site = _site_copy(spec, "site-rerun")
    settings = Settings(backend="pseudo")

    def make() -> Translator:
        return create_backend("pseudo", BackendOptions())

    start = time.perf_counter()
    first = run_site(settings, site, make)
    first_seconds = time.perf_counter() - start
    start = time.perf_counter()
    second = run_site(settings, site, make)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "posts": len(second.results),
        "skipped": second.count(Outcome.SKIPPED),
        "model_loaded": second.model_loaded,
        "first_run_seconds": first_seconds,
        "first_run_outcomes": dict(Counter(result.outcome.value for result in first.results)),
    }


# `translate ARGS...` as users run it: for a model with its own weights.
_TRANSLATE_RUN_AS_IS = """
import sys
import translate.cli
sys.argv = ["translate", *sys.argv[1:]]
translate.cli.main()
"""
# The same, decoding exactly as many tokens as each input has, as every other row does: random
# weights never stop, and would otherwise decode to the backends' bound of twice the input.
_TRANSLATE_RUN = (
    """
import functools
import translate.cli.running
from translate.translation.backends import BackendOptions
assert translate.cli.running.BackendOptions is BackendOptions  # the command line builds its options
translate.cli.running.BackendOptions = functools.partial(
    BackendOptions, output_factor=1.0, output_slack=0, exact_length=True
)"""
    + _TRANSLATE_RUN_AS_IS
)
# A bare program that imports an engine and loads the model, timed from before the import: in
# a fresh interpreter, the least any program that translates with that engine pays.
_BARE_LOAD = """
import sys, time
start = time.perf_counter()
folder, compute_type, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
{load}
print(time.perf_counter() - start)
"""
_LOADS = {
    "marian": "from transformers import MarianMTModel\nMarianMTModel.from_pretrained(folder)",
    "ctranslate2": "import ctranslate2\nctranslate2.Translator(folder, device='cpu', "
    "compute_type=compute_type, intra_threads=threads)",
}


def _cold_start(spec: Spec) -> dict[str, Any]:
    """Time `translate run` on one new post, each in a fresh process, and the bare model load.

    From the start of the process to the moment the English post exists: what a user waits
    for with one or two new posts a week. The CTranslate2 model is already converted: that
    happens once per model, not per run.
    """
    site = _site_copy(replace(spec, posts=1), f"site-cold-{spec.backend}")
    written = site / "content" / "en"
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(spec.user_cache)}
    script = _TRANSLATE_RUN if spec.options().exact_length else _TRANSLATE_RUN_AS_IS
    command = [
        *(sys.executable, "-c", script, "run", "--backend", spec.backend),
        *("--model", str(spec.model), "--device", "cpu"),
        *("--batch-size", str(spec.batch_size), "--beams", str(spec.beams)),
    ]
    first_post: list[float] = []
    for _ in range(spec.sample):
        _unwrite(site)
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=site, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        seen = None
        while seen is None and process.poll() is None:
            if any(written.rglob("*.md")):  # written atomically: complete once it is there
                seen = time.perf_counter() - start
            else:
                time.sleep(0.005)
        _, errors = process.communicate()
        if seen is None and any(written.rglob("*.md")):  # written just before the exit
            seen = time.perf_counter() - start
        if process.returncode != 0 or seen is None:
            raise RuntimeError(f"translate run wrote no post:\n{errors.decode()}")
        first_post.append(seen)
    loads = [_bare_load(spec) for _ in range(spec.sample)]
    warm, again = _warm_runs(spec, site)
    seconds, load, translate, pieces = (
        statistics.median(runs) for runs in (first_post, loads, warm, again)
    )
    return {
        "seconds": seconds,
        "load_seconds": load,
        "overhead_seconds": seconds - load,
        "translate_seconds": translate,
        "piece_by_piece_seconds": pieces,
        "startup_seconds": seconds - load - translate,
        "runs_seconds": first_post,
        "loads_seconds": loads,
        "translate_runs_seconds": warm,
    }


def _warm_runs(spec: Spec, site: Path) -> tuple[list[float], list[float]]:
    """Time `run_site` on the same post with the model loaded: the part that translates it.

    Also returns, per run, the model's time on the segments translated again piece by piece
    because their markup markers did not come back: the batches sent after the first pass,
    which hold texts that are none of the post's segments.
    """
    from translate.commands.run import run_site

    translator, settings = _loaded(spec)
    posts = sorted((site / "content" / "de").rglob("*.md"))
    segments = set(_segment_texts(Path(spec.workdir), posts))
    recorder = _Recorder(translator)
    seconds, again = [], []
    for _ in range(spec.sample):
        _unwrite(site)
        first = len(recorder.batches)
        start = time.perf_counter()
        run_site(settings, site, lambda: recorder)
        seconds.append(time.perf_counter() - start)
        batches = zip(recorder.batches[first:], recorder.batch_seconds[first:], strict=True)
        again.append(sum(spent for batch, spent in batches if not set(batch) <= segments))
    return seconds, again


def _unwrite(site: Path) -> None:
    """Remove what a run wrote into `site`: its translations and records."""
    shutil.rmtree(site / "content" / "en")
    (site / "content" / "en").mkdir()
    shutil.rmtree(site / "translation-memory", ignore_errors=True)


def _bare_load(spec: Spec) -> float:
    """Return how long a fresh interpreter takes to import the engine and load the model."""
    folder, compute_type = str(spec.model), "default"
    if spec.backend == "ctranslate2":
        from translate.translation.backends.ctranslate2 import CTranslate2Translator

        backend = CTranslate2Translator(spec.options())
        folder, compute_type = str(backend.converted_folder()), backend.compute_type
    code = _BARE_LOAD.format(load=_LOADS[spec.backend])
    done = subprocess.run(
        [sys.executable, "-c", code, folder, compute_type, str(spec.threads)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def _site_copy(spec: Spec, name: str) -> Path:
    """Copy the first `spec.posts` posts of the corpus, and its glossary, into a fresh site."""
    corpus = Path(spec.workdir) / "corpus"
    site = Path(spec.workdir) / name
    shutil.rmtree(site, ignore_errors=True)
    posts = sorted((corpus / "content" / "de" / "post").iterdir())[: spec.posts]
    for post in posts:
        shutil.copytree(post, site / "content" / "de" / "post" / post.name)
    (site / "content" / "en").mkdir()
    shutil.copytree(corpus / "glossary", site / "glossary")
    return site


def _sent_texts(spec: Spec) -> list[str]:
    """Return the distinct texts the recorded pipeline run sent to its model, in first order."""
    sent = json.loads((Path(spec.workdir) / f"sent-{spec.label}.json").read_text("utf-8"))
    return list(dict.fromkeys(sent))


def _tokenizer(spec: Spec) -> Any:
    from transformers import MarianTokenizer

    return MarianTokenizer.from_pretrained(spec.model)


def _decoded(batches: Sequence[Sequence[int]]) -> dict[str, int]:
    """Count the tokens kept (the target tokens) and decoded, given each batch's bounds.

    A batch decodes as many steps as its longest row: the rest is padding, the work that
    sorting by length saves.
    """
    return {
        "target_tokens": sum(sum(batch) for batch in batches),
        "decoded_tokens": sum(len(batch) * max(batch) for batch in batches if batch),
    }


def _bounds(translator: Backend, options: BackendOptions, texts: Sequence[str]) -> list[int]:
    """Return how many tokens each text decodes into (exact lengths): the target tokens."""
    assert translator.max_input_tokens is not None  # a model backend
    ceiling = translator.max_input_tokens - 1
    return [options.output_bound(translator.count_tokens(text), ceiling) for text in texts]


def _limit_threads(threads: int) -> None:
    """Pin the process to `threads` cores, so that every engine runs on that many.

    Pinning also holds the CTranslate2 backend, which sizes its pool from the core count, to
    those cores.
    """
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if 0 < threads < len(cores):
        os.sched_setaffinity(0, cores[:threads])


def _torch_threads(threads: int) -> None:
    """Size torch's thread pool to the cores the run may use."""
    import torch

    torch.set_num_threads(threads)


def _peak_rss_mb() -> float:
    """Return this process's peak resident memory, in MiB.

    VmHWM, not getrusage: Linux carries ru_maxrss over from the parent through fork and exec,
    so a child would report the parent's peak if that is higher.
    """
    hwm = _proc_status_mb("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float | None:
    return _proc_status_mb("VmRSS")


def _proc_status_mb(field: str) -> float | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    line = next(line for line in status.splitlines() if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024  # kB


# --- the run: set up, measure each configuration in a child process, report -----------------


@dataclass(frozen=True)
class Plan:
    """The settings of one benchmark run, as given on the command line."""

    posts: int
    memory_posts: int
    batch_size: int
    beams: int
    naive_sample: int
    threads: int
    tiny: bool
    seed: int
    in_process: bool
    cold_runs: int = COLD_RUNS

    def spec(self, workdir: Path, model: Path | None = None) -> Spec:
        """Return the settings every measurement of this run shares; `kind` is set per step."""
        return Spec(
            kind="",
            workdir=str(workdir),
            posts=self.posts,
            batch_size=self.batch_size,
            beams=self.beams,
            threads=self.threads,
            seed=self.seed,
            model_dir=str(model.resolve()) if model is not None else "",
        )


def run(plan: Plan, workdir: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """Set up the corpus and model in `workdir`, measure every configuration, return results."""

    # Here, not at the top: the model builder imports torch, which a measurement of the
    # CTranslate2 backend must not have loaded (nor count in its memory).
    from benchmarks.model import OPUS_MT, TINY, build_marian

    shape = TINY if plan.tiny else OPUS_MT
    log(f"writing {plan.posts} posts and building the model ({shape})")
    start = time.perf_counter()
    paths = write_site(workdir / "corpus", plan.posts, plan.seed)
    build_marian(workdir / "model", corpus_text(paths), shape, plan.seed)
    build_seconds = time.perf_counter() - start
    base = plan.spec(workdir)
    start = time.perf_counter()
    _convert(base)
    convert_seconds = time.perf_counter() - start
    corpus = _corpus_stats(base, paths)

    steps = [
        ("ct2_pipeline", replace(base, kind="pipeline", backend="ctranslate2", label="ct2")),
        ("ceiling", replace(base, kind="ceiling", label="ct2")),
        ("marian_pipeline", replace(base, kind="pipeline", backend="marian", label="marian")),
        ("naive", replace(base, kind="naive", label="ct2", sample=plan.naive_sample)),
    ]
    if 0 < plan.memory_posts < plan.posts:
        small = replace(base, kind="pipeline", backend="ctranslate2", label="ct2-small")
        steps.append(("ct2_pipeline_small", replace(small, posts=plan.memory_posts)))
    steps += _cold_steps(base, plan.cold_runs)
    steps.append(("rerun", replace(base, kind="rerun")))
    results = _measure_steps(steps, plan.in_process, log)
    return _summary(plan, shape, corpus, results, build_seconds, convert_seconds)


def run_cold_start(
    plan: Plan, model: Path, workdir: Path, log: Callable[[str], None]
) -> dict[str, Any]:
    """Measure only the cold start of both backends, of a model folder with its own weights.

    The throughput rows need the fixed output lengths only random weights give; a real model
    (opus-mt-de-en, say) stops by itself, as `translate run` lets it.
    """
    log(f"writing {plan.posts} posts; converting {model} for CTranslate2 if not yet done")
    write_site(workdir / "corpus", plan.posts, plan.seed)
    base = plan.spec(workdir, model)
    _convert(base)
    results = _measure_steps(_cold_steps(base, plan.cold_runs), plan.in_process, log)
    cold_start = _cold_figures(results)
    return {
        "settings": {**asdict(plan), "model": str(model), "output_length": "the model's own"},
        "machine": _machine(),
        "cold_start": cold_start,
        "targets": {"ct2_cold_start_overhead_s": _cold_target(cold_start)},
        "other_cpu_share": max(result.get("other_cpu_share", 0.0) for result in results.values()),
    }


# The cold-start steps: their names in the results, and the backend each times.
_COLD_STEPS = (("cold_marian", "marian"), ("cold_ct2", "ctranslate2"))


def _cold_steps(base: Spec, runs: int) -> list[tuple[str, Spec]]:
    """Return the named cold-start measurements of both backends, `runs` timed each."""
    cold = replace(base, kind="cold", sample=runs)
    return [
        (name, replace(cold, backend=backend, label=f"cold-{backend}"))
        for name, backend in _COLD_STEPS
    ]


def _measure_steps(
    steps: Sequence[tuple[str, Spec]], in_process: bool, log: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Measure each named step, noting how much CPU other processes took meanwhile."""
    results: dict[str, dict[str, Any]] = {}
    for number, (name, spec) in enumerate(steps, start=1):
        log(f"[{number}/{len(steps)}] {name} ({spec.posts} posts)")
        # Other work on the machine skews every figure: record how much CPU it took meanwhile.
        start, busy, own = time.perf_counter(), _machine_busy_seconds(), _own_cpu_seconds()
        results[name] = _measure_in_process(spec) if in_process else _measure_apart(spec)
        wall, after = time.perf_counter() - start, _machine_busy_seconds()
        if busy is not None and after is not None:
            others = after - busy - (_own_cpu_seconds() - own)
            results[name]["other_cpu_share"] = max(0.0, others / (wall * _cores()))
        log(f"    {results[name]['seconds']:.1f} s")
    return results


def _convert(spec: Spec) -> None:
    """Convert the model for CTranslate2 once, outside every timed part."""
    from translate.translation.backends.ctranslate2 import CTranslate2Translator

    CTranslate2Translator(spec.options()).converted_folder()


def _corpus_stats(spec: Spec, paths: Sequence[Path]) -> dict[str, Any]:
    """Count the corpus's posts, bytes and segments, and how many segments repeat."""
    segments = _segment_texts(Path(spec.workdir), paths)
    distinct = len(set(segments))
    return {
        "posts": len(paths),
        "bytes": sum(path.stat().st_size for path in paths),
        "segments": len(segments),
        "distinct_segments": distinct,
        "duplicate_share": round(1 - distinct / len(segments), 3) if segments else 0.0,
    }


def _segment_texts(workdir: Path, paths: Sequence[Path]) -> list[str]:
    """Return the texts of every segment of the posts, as the pipeline first sends them."""
    from translate.translation.glossary import Glossary
    from translate.translation.prepared import prepare_post

    glossary = Glossary.load(workdir / "corpus" / "glossary", "de", "en")
    segments: list[str] = []
    for path in paths:
        post = prepare_post(path.read_text("utf-8"), language="de", glossary=glossary)
        segments.extend(seg.text for plan in post.plans for seg in plan.segments)
    return segments


def _machine_busy_seconds() -> float | None:
    """Return the CPU time all processes have used since boot, from /proc/stat (Linux)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    # user nice system idle iowait irq softirq steal ...: everything but idle and iowait.
    ticks = [int(value) for value in fields[:8]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    """Return the CPU time of this process and its finished children (the measurements)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _measure_in_process(spec: Spec) -> dict[str, Any]:
    result = measure(spec)
    result["peak_rss_mb"] = None  # the process's peak mixes every configuration: not reported
    return result


def _measure_apart(spec: Spec) -> dict[str, Any]:
    """Run `measure(spec)` in a fresh Python process, so that its memory peak is its own."""
    spec_file = Path(spec.workdir) / f"spec-{spec.kind}-{spec.label or 'x'}-{spec.posts}.json"
    spec_file.write_text(json.dumps(asdict(spec)), "utf-8")
    result_file = spec_file.with_suffix(".result.json")
    subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--child", str(spec_file), str(result_file)],
        cwd=ROOT,
        check=True,
    )
    result: dict[str, Any] = json.loads(result_file.read_text("utf-8"))
    return result


def _summary(
    plan: Plan,
    shape: Shape,
    corpus: dict[str, Any],
    results: dict[str, dict[str, Any]],
    build_seconds: float,
    convert_seconds: float,
) -> dict[str, Any]:
    """Put the figures together: rows, ratios, targets, memory, re-run, settings."""
    import ctranslate2
    import torch
    import transformers

    titles = {
        "naive": "1 naive: transformers, one generate per segment",
        "marian_pipeline": "2 pipeline, transformers backend",
        "ct2_pipeline": "3 pipeline, ctranslate2 backend",
        "ceiling": "4 ctranslate2 alone, ideal batches",
    }
    rows = []
    for name, title in titles.items():
        result = results[name]
        seconds = result["seconds"]
        rows.append(
            {
                "name": name,
                "title": title,
                "seconds": seconds,
                "segments": result["segments"],
                "segments_per_s": result["segments"] / seconds,
                "target_tokens": result["target_tokens"],
                "decoded_tokens": result["decoded_tokens"],
                "tokens_per_s": result["target_tokens"] / seconds,
                "posts_per_s": result["posts"] / seconds,
                "peak_rss_mb": result["peak_rss_mb"],
                "details": result,
            }
        )
    seconds = {row["name"]: row["seconds"] for row in rows}
    # Same corpus, same distinct texts: a ratio of throughputs is a ratio of times.
    ratios = {
        "pipeline_vs_ceiling": seconds["ceiling"] / seconds["ct2_pipeline"],
        "pipeline_vs_naive": seconds["naive"] / seconds["ct2_pipeline"],
        "ct2_pipeline_vs_transformers_pipeline": seconds["marian_pipeline"]
        / seconds["ct2_pipeline"],
        "transformers_pipeline_vs_naive": seconds["naive"] / seconds["marian_pipeline"],
    }
    # End to end, as a user runs it: starting up, importing the engine and loading the model
    # (in a fresh process, from the cold start), then translating the corpus.
    ratios["ct2_vs_transformers_end_to_end"] = _end_to_end(
        results["marian_pipeline"], results["cold_marian"]
    ) / _end_to_end(results["ct2_pipeline"], results["cold_ct2"])
    targets = {
        name: {"target": goal, "met": ratios[name] >= goal} for name, goal in TARGETS.items()
    }
    cold_start = _cold_figures(results)
    targets["ct2_cold_start_overhead_s"] = _cold_target(cold_start)
    memory = {
        "ct2_pipeline": {
            "posts": results["ct2_pipeline"]["posts"],
            "peak_rss_mb": results["ct2_pipeline"]["peak_rss_mb"],
            "rss_after_load_mb": results["ct2_pipeline"]["rss_after_load_mb"],
        }
    }
    if "ct2_pipeline_small" in results:
        small = results["ct2_pipeline_small"]
        memory["ct2_pipeline_small"] = {
            "posts": small["posts"],
            "peak_rss_mb": small["peak_rss_mb"],
            "rss_after_load_mb": small["rss_after_load_mb"],
        }
    return {
        "settings": {
            **asdict(plan),
            "output_length": f"exactly {OUTPUT_FACTOR:g} x input tokens + {OUTPUT_SLACK}",
            "model_shape": asdict(shape),
            "compute_type": results["ceiling"]["compute_type"],
        },
        "machine": _machine(),
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "ctranslate2": ctranslate2.__version__,
        },
        "corpus": corpus,
        "setup_seconds": {"corpus_and_model": build_seconds, "ct2_conversion": convert_seconds},
        "rows": rows,
        "ratios": ratios,
        "targets": targets,
        "memory": memory,
        "cold_start": cold_start,
        "rerun": results["rerun"],
    }


def _cold_figures(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Return the cold-start figures of both backends from their measurements."""
    keys = (
        "seconds",
        "load_seconds",
        "overhead_seconds",
        "translate_seconds",
        "piece_by_piece_seconds",
        "startup_seconds",
    )
    return {backend: {key: results[name][key] for key in keys} for name, backend in _COLD_STEPS}


def _cold_target(cold_start: dict[str, dict[str, float]]) -> dict[str, Any]:
    overhead = cold_start["ctranslate2"]["overhead_seconds"]
    return {"target": COLD_START_OVERHEAD_S, "met": overhead <= COLD_START_OVERHEAD_S}


def _end_to_end(pipeline: dict[str, Any], cold: dict[str, Any]) -> float:
    seconds: float = pipeline["seconds"] + cold["load_seconds"] + cold["startup_seconds"]
    return seconds


def _machine() -> dict[str, Any]:
    import ctranslate2
    import torch

    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cuda_gpus_torch": torch.cuda.device_count(),
        "cuda_gpus_ctranslate2": ctranslate2.get_cuda_device_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


# --- output ----------------------------------------------------------------------------------


def _cold_start_line(summary: dict[str, Any]) -> str:
    """Return the cold start of both backends as one line, with the verdict on the target."""
    marian, ct2 = summary["cold_start"]["marian"], summary["cold_start"]["ctranslate2"]
    met = "met" if summary["targets"]["ct2_cold_start_overhead_s"]["met"] else "NOT met"

    def cold(name: str, figures: dict[str, float]) -> str:
        return (
            f"{name} {figures['seconds']:.1f} s = bare model load {figures['load_seconds']:.1f} s"
            f" + {figures['overhead_seconds']:.1f} s (translating the post "
            f"{figures['translate_seconds']:.1f} s, of which "
            f"{figures['piece_by_piece_seconds']:.1f} s again piece by piece where the model "
            f"dropped markup markers; starting up {figures['startup_seconds']:.1f} s)"
        )

    return (
        f"- cold start, `translate run` on one new post until it is written (median of "
        f"{summary['settings']['cold_runs']}): {cold('ctranslate2', ct2)}, target at most "
        f"{COLD_START_OVERHEAD_S:g} s above the load: {met}; {cold('transformers', marian)}"
    )


def format_cold_start(summary: dict[str, Any]) -> str:
    """Return the figures of `run_cold_start` as lines of text."""
    machine = summary["machine"]
    gpus = f"{machine['cuda_gpus_torch']} GPUs" if machine["cuda_gpus_torch"] else "no GPU"
    lines = [
        _cold_start_line(summary),
        f"- model: {summary['settings']['model']} (its own weights and output lengths)",
        f"- machine: {machine['cpu']}, {machine['cores']} cores, {gpus}",
    ]
    if summary["other_cpu_share"] > BUSY_SHARE:
        lines.append(
            f"- WARNING: other processes used up to {summary['other_cpu_share']:.0%} of the "
            "CPUs during a measurement; these timings are skewed"
        )
    return "\n".join(lines)


def format_table(summary: dict[str, Any]) -> str:
    """Return the results as a Markdown table with the settings and verdicts under it."""
    settings, corpus = summary["settings"], summary["corpus"]
    naive = next(row for row in summary["rows"] if row["name"] == "naive")["details"]
    lines = [
        "| configuration | segments | seconds | segments/s | target tokens/s | posts/s "
        "| decoded / target tokens | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in summary["rows"]:
        title = row["title"]
        if row["name"] == "naive" and naive["extrapolated"]:
            title += f" (est. from {naive['sample_segments']} sampled)"
        peak = f"{row['peak_rss_mb']:.0f}" if row["peak_rss_mb"] is not None else "n/a"
        lines.append(
            f"| {title} | {row['segments']} | {row['seconds']:.1f} | {row['segments_per_s']:.2f} "
            f"| {row['tokens_per_s']:.0f} | {row['posts_per_s']:.3f} "
            f"| {row['decoded_tokens'] / row['target_tokens']:.2f} | {peak} |"
        )
    ratios, targets = summary["ratios"], summary["targets"]

    def verdict(name: str) -> str:
        target = targets[name]
        return f"target >= {target['target']:g}: {'met' if target['met'] else 'NOT met'}"

    shape = settings["model_shape"]
    machine = summary["machine"]
    gpus = f"{machine['cuda_gpus_torch']} GPUs" if machine["cuda_gpus_torch"] else "no GPU"
    versions = ", ".join(f"{name} {version}" for name, version in summary["versions"].items())
    lines += [
        "",
        f"- 3 vs 4 (pipeline / ceiling): {ratios['pipeline_vs_ceiling']:.2f} "
        f"({verdict('pipeline_vs_ceiling')})",
        f"- 3 vs 1 (pipeline / naive): {ratios['pipeline_vs_naive']:.1f}x "
        f"({verdict('pipeline_vs_naive')})",
        f"- 3 vs 2 (ctranslate2 / transformers pipeline): "
        f"{ratios['ct2_pipeline_vs_transformers_pipeline']:.1f}x with the models loaded, "
        f"{ratios['ct2_vs_transformers_end_to_end']:.1f}x end to end (start-up, engine import "
        f"and model load included); 2 vs 1: {ratios['transformers_pipeline_vs_naive']:.1f}x",
    ]
    lines.append(_cold_start_line(summary))
    for key in ("ct2_pipeline_small", "ct2_pipeline"):
        memory = summary["memory"].get(key)
        if memory and memory["peak_rss_mb"] is not None:
            lines.append(
                f"- memory, pipeline with ctranslate2, {memory['posts']} posts: peak "
                f"{memory['peak_rss_mb']:.0f} MB ({memory['rss_after_load_mb']:.0f} MB "
                "after loading the model)"
            )
    busiest = max(row["details"].get("other_cpu_share", 0.0) for row in summary["rows"])
    if busiest > BUSY_SHARE:
        lines.append(
            f"- WARNING: other processes used up to {busiest:.0%} of the CPUs during a "
            "measurement; these timings are skewed"
        )
    rerun = summary["rerun"]
    lines += [
        f"- re-run on unchanged content ({rerun['posts']} posts): {rerun['seconds']:.1f} s, "
        f"{rerun['skipped']} skipped, model loaded: {'yes' if rerun['model_loaded'] else 'no'}; "
        f"the first run with the pseudo backend (no model) took "
        f"{rerun['first_run_seconds']:.1f} s",
        f"- corpus: {corpus['posts']} posts, {corpus['bytes'] / 1024:.0f} KiB, "
        f"{corpus['segments']} segments, {corpus['distinct_segments']} distinct "
        f"({corpus['duplicate_share']:.0%} repeats)",
        f"- settings: {'greedy' if settings['beams'] == 1 else str(settings['beams']) + ' beams'}"
        f", batch size {settings['batch_size']}, {settings['threads']} threads, output "
        f"{settings['output_length']}, ctranslate2 {settings['compute_type']}; model "
        f"{shape['layers']}+{shape['layers']} layers, d_model {shape['d_model']}, "
        f"{shape['heads']} heads, FFN {shape['ffn']}, vocabulary "
        f"{shape['vocab'] or 'unpadded'}, random weights",
        f"- machine: {machine['cpu']}, {machine['cores']} cores, {gpus}; {versions}",
    ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--posts", type=int, help="corpus size (default 200; --tiny: 6)")
    parser.add_argument(
        "--memory-posts",
        type=int,
        help="also run the ctranslate2 pipeline on this many posts, to compare memory peaks "
        "(default: half of --posts; 0: skip)",
    )
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--beams", type=int, default=1, help="1: greedy (default)")
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=200,
        help="time the naive baseline on this many segments and extrapolate (default 200)",
    )
    parser.add_argument(
        "--cold-runs", type=int, help="cold starts timed per backend (default 3; --tiny: 1)"
    )
    parser.add_argument("--threads", type=int, default=_cores(), help="default: all cores")
    parser.add_argument("--tiny", action="store_true", help="a tiny model and a few posts")
    parser.add_argument(
        "--model",
        type=Path,
        help="time only the cold start, of this Opus-MT model folder with its own weights "
        f"(writes {COLD_OUTPUT.relative_to(ROOT)} unless --output says otherwise)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--output", type=Path, help=f"the JSON file (default {DEFAULT_OUTPUT.relative_to(ROOT)})"
    )
    parser.add_argument("--workdir", type=Path, help="keep corpus, model and sites here")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="measure everything in this process (quicker; no memory peaks)",
    )
    # Internal: measure one configuration (a Spec file) and write its result file.
    parser.add_argument("--child", nargs=2, metavar=("SPEC", "RESULT"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# No hub look-ups (the model is a local folder), no progress bars or advisory warnings in the
# benchmark's output. Unless the caller set them otherwise.
_QUIET_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


@contextlib.contextmanager
def _quiet_environment() -> Iterator[None]:
    """Set the quiet variables for the benchmark and the processes it starts, then undo them.

    Set here rather than at import: importing this module (the tests do) must not switch off
    the libraries' hub access and progress bars for everything else in that process.
    """
    unset = [name for name in _QUIET_ENVIRONMENT if name not in os.environ]
    os.environ.update({name: _QUIET_ENVIRONMENT[name] for name in unset})
    try:
        yield
    finally:
        for name in unset:
            os.environ.pop(name, None)


def main(argv: Sequence[str] | None = None) -> dict[str, Any] | None:
    """Run the benchmark as the command line asks; return its summary."""
    args = parse_args(argv)
    with _quiet_environment():
        return _main(args)


def _main(args: argparse.Namespace) -> dict[str, Any] | None:
    if args.child:
        spec = Spec(**json.loads(Path(args.child[0]).read_text("utf-8")))
        Path(args.child[1]).write_text(json.dumps(measure(spec)), "utf-8")
        return None
    posts = args.posts if args.posts is not None else (6 if args.tiny else 200)
    memory_posts = args.memory_posts if args.memory_posts is not None else posts // 2
    plan = Plan(
        posts=posts,
        memory_posts=memory_posts,
        batch_size=args.batch_size,
        beams=args.beams,
        naive_sample=args.naive_sample,
        threads=args.threads,
        tiny=args.tiny,
        seed=args.seed,
        in_process=args.in_process,
        cold_runs=args.cold_runs if args.cold_runs is not None else (1 if args.tiny else COLD_RUNS),
    )

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.model is not None and not (args.model / "config.json").is_file():
        raise SystemExit(f"--model {args.model}: not a model folder (no config.json in it)")

    def measure_in(workdir: Path) -> dict[str, Any]:
        if args.model is not None:
            return run_cold_start(plan, args.model, workdir, log)
        return run(plan, workdir, log)

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        summary = measure_in(args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="hugo-translate-bench-") as workdir:
            summary = measure_in(Path(workdir))
    output = args.output or (COLD_OUTPUT if args.model is not None else DEFAULT_OUTPUT)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(summary, indent=2), "utf-8")
    print(format_cold_start(summary) if args.model is not None else format_table(summary))
    print(f"\nwritten to {output}")
    return summary


if __name__ == "__main__":
    main()
