"""The extractor against the shared, hand-annotated corpora, scored as ../shared/eval/score.py
scores them (its own matching function), with the figures the extraction issue requires.

The corpora stay in ../shared/ (the seed reports and 42 development reports from 20
provinces); this test reads them from there and never copies them into the project.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from ingest.extraction import decode_document, extract

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
# (corpus, hints) -> floors: all facts, targets, actuals
FLOORS = {
    ("seeds", True): (0.97, None, None),
    ("dev", True): (0.90, 0.85, 0.85),
    ("dev", False): (0.80, None, None),
}

pytestmark = pytest.mark.skipif(
    not (SHARED / "eval" / "score.py").exists(), reason="../shared/ (the shared corpora) is absent"
)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _corpus(name: str) -> tuple[Path, Path]:
    if name == "seeds":
        return SHARED / "gold", SHARED / "seeds"
    return SHARED / "dev" / "gold", SHARED / "dev" / "docs"


def _f1(tp: int, fn: int, fp: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@pytest.mark.parametrize(
    ("corpus", "hints"),
    list(FLOORS),
    ids=[f"{c}-{'hints' if h else 'no-hints'}" for c, h in FLOORS],
)
def test_f1_on_shared_corpus_meets_the_floor(corpus: str, hints: bool) -> None:
    score = _scorer()
    gold_dir, docs_dir = _corpus(corpus)
    counts = {kind: [0, 0, 0] for kind in ("target", "actual")}  # tp, fn, fp
    for gold_path in sorted(gold_dir.glob("*.json")):
        meta = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = docs_dir / meta["doc"]
        kwargs = {}
        if hints:
            if meta.get("published"):
                kwargs["published"] = date.fromisoformat(meta["published"])
            kwargs["jurisdiction"] = meta.get("jurisdiction")
        text = decode_document(doc.read_bytes(), filename=doc.name)
        predicted = extract(text, **kwargs).as_dict()["facts"]
        pairs, missed, extra = score.match(meta["facts"], predicted)
        for kind, c in counts.items():
            c[0] += sum(1 for g, _ in pairs if g["kind"] == kind)
            c[1] += sum(1 for g in missed if g["kind"] == kind)
            c[2] += sum(1 for p in extra if p["kind"] == kind)
    total = _f1(*(sum(c[i] for c in counts.values()) for i in range(3)))
    targets, actuals = _f1(*counts["target"]), _f1(*counts["actual"])
    floor, target_floor, actual_floor = FLOORS[(corpus, hints)]
    report = f"F1 {total:.3f} (targets {targets:.3f}, actuals {actuals:.3f})"
    assert total >= floor, report
    if target_floor is not None:
        assert targets >= target_floor, report
    if actual_floor is not None:
        assert actuals >= actual_floor, report
