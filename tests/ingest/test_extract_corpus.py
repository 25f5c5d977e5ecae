"""Regression corpus: hand-annotated reports that are not the seed set.

`tests/ingest/corpus/*.txt|html` are reports of the same genre as the seeds (other cities,
years and layouts: work plans, half-year summaries, a five-year review, traditional
characters, full-width digits, an HTML page). `corpus/gold/*.json` hold their facts,
annotated by hand. A predicted fact matches a hand-annotated one when kind, indicator,
measure, period_start and period_end are equal and the values agree within 0.5 % (relative),
greedy one-to-one.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ingest.extraction import decode_document, extract

CORPUS = Path(__file__).resolve().parent / "corpus"
GOLD = sorted((CORPUS / "gold").glob("*.json"))
KEY = ("kind", "indicator", "measure", "period_start", "period_end")
REL_TOL = 0.005

# F1 0.988 with and without hints since the layered extractor (docs/extraction.md). The
# floors leave a little room for deliberate trade-offs but catch regressions.
F1_FLOOR = 0.96
DOC_F1_FLOOR = 0.85


def _key(fact: dict) -> tuple[str, ...]:
    return tuple(str(fact.get(k)) for k in KEY)


def _close(a: object, b: object) -> bool:
    try:
        x, y = float(a), float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return x == y or abs(x - y) <= REL_TOL * max(abs(x), abs(y))


def _match(gold: list[dict], pred: list[dict]) -> tuple[int, int, int]:
    """Greedy one-to-one matching as in score.py: (true positives, misses, extras)."""
    free = list(range(len(pred)))
    tp = 0
    for g in gold:
        hit = next(
            (i for i in free if _key(pred[i]) == _key(g) and _close(pred[i]["value"], g["value"])),
            None,
        )
        if hit is not None:
            free.remove(hit)
            tp += 1
    return tp, len(gold) - tp, len(free)


def _f1(tp: int, fn: int, fp: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _run(meta: dict, hints: bool) -> list[dict]:
    path = CORPUS / meta["doc"]
    text = decode_document(path.read_bytes(), filename=path.name)
    kwargs = {}
    if hints:
        kwargs["published"] = date.fromisoformat(meta["published"])
        kwargs["jurisdiction"] = meta["jurisdiction"]
    return extract(text, **kwargs).as_dict()["facts"]


def _metas() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in GOLD]


def test_corpus_is_present() -> None:
    metas = _metas()
    assert len(metas) >= 6
    for meta in metas:
        assert (CORPUS / meta["doc"]).exists(), meta["doc"]
        assert meta["facts"], meta["doc"]


@pytest.mark.parametrize("hints", [False, True], ids=["no-hints", "hints"])
def test_corpus_f1_floor(hints: bool) -> None:
    tp = fn = fp = 0
    per_doc = {}
    for meta in _metas():
        t, n, p = _match(meta["facts"], _run(meta, hints))
        tp, fn, fp = tp + t, fn + n, fp + p
        per_doc[meta["doc"]] = round(_f1(t, n, p), 3)
    f1 = _f1(tp, fn, fp)
    assert f1 >= F1_FLOOR, f"corpus F1 {f1:.3f} < {F1_FLOOR} ({per_doc})"
    low = {doc: v for doc, v in per_doc.items() if v < DOC_F1_FLOOR}
    assert not low, f"documents below {DOC_F1_FLOOR}: {low}"


def test_corpus_infers_document_metadata() -> None:
    """Without hints, publication date and (from header/title) the reviewed years are found."""
    for meta in _metas():
        path = CORPUS / meta["doc"]
        result = extract(decode_document(path.read_bytes(), filename=path.name)).as_dict()
        assert result["document"]["published"] == meta["published"], meta["doc"]
