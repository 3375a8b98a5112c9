"""Regression gate: the temporal layer on the MEANTIME Airbus section (development data).

The floors sit a little below what was measured when they were set (see bench/README-dates.md),
so that a change which makes normalisation worse fails here, while one that improves it passes.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from refuge.ingest.temporal import find_timexes

SECTION = Path("/work/shared/data/meantime-en/intra-doc_annotation/corpus_airbus")

# measured 2026-11-27 on corpus_airbus (30 documents, 62 time expressions): see README-dates.md
FLOOR = {"strict_f1": 0.80, "relaxed_f1": 0.87, "value_f1": 0.80, "type_f1": 0.85}


@pytest.mark.skipif(not SECTION.is_dir(), reason="MEANTIME not present on this machine")
def test_meantime_airbus_scores_stay_above_the_measured_floor(te: ModuleType) -> None:
    docs = [te.read_meantime(p) for p in sorted(SECTION.glob("*.xml"))]
    assert len(docs) == 30
    pairs = [
        (d.gold, [te.Mention(t.start, t.end, t.type, t.value) for t in find_timexes(d.text, d.dct)])
        for d in docs
    ]
    scores = te.score(pairs)
    for name, floor in FLOOR.items():
        assert getattr(scores, name) >= floor, (name, getattr(scores, name))
