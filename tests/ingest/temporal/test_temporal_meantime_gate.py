"""Regression gate: the temporal layer on the MEANTIME Airbus section (development data).

The floors sit a little below what was measured when they were set (see bench/README-dates.md),
so that a change which makes normalisation worse fails here, while one that improves it passes.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from refuge.ingest.temporal import find_timexes

# measured 2026-11-27 on corpus_airbus (30 documents, 62 time expressions): strict 0.843,
# relaxed 0.926, value 0.860, type 0.909 (bench/README-dates.md); floors one or two misses below
FLOOR = {"strict_f1": 0.83, "relaxed_f1": 0.90, "value_f1": 0.83, "type_f1": 0.88}


def test_meantime_airbus_scores_stay_above_the_measured_floor(te: ModuleType) -> None:
    section = te.MEANTIME / "corpus_airbus"
    if not section.is_dir():
        pytest.skip(f"MEANTIME not found at {section} (set REFUGE_DATA to shared/data)")
    docs = [te.read_meantime(p) for p in sorted(section.glob("*.xml"))]
    assert len(docs) == 30
    pairs = [
        (d.gold, [te.Mention(t.start, t.end, t.type, t.value) for t in find_timexes(d.text, d.dct)])
        for d in docs
    ]
    scores = te.score(pairs)
    for name, floor in FLOOR.items():
        assert getattr(scores, name) >= floor, (name, getattr(scores, name))
