"""Throughput measurement on the seed reports and on a synthetic corpus built from them."""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import extract

__all__ = ["SEED_DIR", "build_synthetic_corpus", "load_seed_texts", "measure", "run"]

SEED_DIR = Path(__file__).resolve().parents[2] / "seeds" / "reports"
_SENTENCE_RE = re.compile(r"[^。\n]+[。\n]")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


def load_seed_texts(folder: Path = SEED_DIR) -> list[str]:
    """The seed reports as decoded text, in file name order."""
    return [p.read_text(encoding="utf-8-sig") for p in sorted(folder.glob("*.txt"))]


def build_synthetic_corpus(
    texts: Sequence[str], *, size_mb: float = 5.0, seed: int = 0, doc_kb: int = 20
) -> list[str]:
    """Documents of ~doc_kb KB made of seed sentences in shuffled order with shuffled numbers."""
    rng = random.Random(seed)
    sentences = [m.group() for t in texts for m in _SENTENCE_RE.finditer(t)]
    if not sentences:
        return []
    headings = [s for s in sentences if len(s) < 40] or sentences

    def renumber(m: re.Match[str]) -> str:
        digits = m.group()
        if "." in digits:
            return f"{rng.uniform(0.1, 999):.2f}"
        return str(rng.randint(1, 10 ** min(len(digits), 6)))

    target = int(size_mb * 1024 * 1024)
    docs: list[str] = []
    total = 0
    while total < target:
        parts: list[str] = [rng.choice(headings)]
        size = 0
        while size < doc_kb * 1024:
            sentence = _NUMBER_RE.sub(renumber, rng.choice(sentences))
            if rng.random() < 0.08:
                sentence = "\n" + rng.choice(headings).strip() + "\n" + sentence
            parts.append(sentence)
            size += len(sentence.encode("utf-8"))
        doc = "".join(parts)
        docs.append(doc)
        total += len(doc.encode("utf-8"))
    return docs


def measure(texts: Sequence[str], *, runs: int = 5, fn: Callable[[str], object] = extract) -> float:
    """Median throughput of `fn` over `texts` in KB (of UTF-8 input) per second."""
    kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    fn(texts[0]) if texts else None  # warm caches (catalogue, translation table)
    timings = []
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        timings.append(time.perf_counter() - t0)
    return kb / statistics.median(timings) if timings and statistics.median(timings) else 0.0


def run(*, size_mb: float = 5.0, seed: int = 0, runs: int = 5) -> dict[str, float]:
    """Throughput on the seed corpus, on a synthetic corpus and on that corpus as one long
    report; sizes in KB."""
    seeds = load_seed_texts()
    synthetic = build_synthetic_corpus(seeds, size_mb=size_mb, seed=seed)
    return {
        "seed_kb_per_s": round(measure(seeds, runs=runs), 1),
        "synthetic_kb_per_s": round(measure(synthetic, runs=max(1, runs // 2)), 1),
        # The same corpus as one report: a long report must cost no more per KB than short
        # ones (work that grows with the facts already read would show here first).
        "long_report_kb_per_s": round(measure(["\n".join(synthetic)], runs=1), 1),
        "seed_kb": round(sum(len(t.encode("utf-8")) for t in seeds) / 1024, 1),
        "synthetic_kb": round(sum(len(t.encode("utf-8")) for t in synthetic) / 1024, 1),
    }
