"""The TempEval-3 scorer and readers in bench/tempeval.py, on hand-made cases."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import ModuleType

import pytest


def test_strict_relaxed_and_attribute_scores(te: ModuleType) -> None:
    M = te.Mention
    gold = [M(0, 9, "DATE", "2013-03-22"), M(20, 30, "DURATION", "P2Y"), M(40, 45, "DATE", "2012")]
    system = [M(0, 9, "DATE", "2013-03-22"), M(24, 30, "DURATION", "P3Y"), M(50, 55, "DATE", "X")]
    s = te.score([(gold, system)])
    assert (s.gold, s.system) == (3, 3)
    assert s.strict_p == pytest.approx(1 / 3) and s.strict_r == pytest.approx(1 / 3)
    assert s.relaxed_f1 == pytest.approx(2 / 3)
    assert s.value_f1 == pytest.approx(0.5 * 2 / 3)  # 1 of 2 relaxed matches has the value
    assert s.type_f1 == pytest.approx(2 / 3)


def test_matching_is_one_to_one(te: ModuleType) -> None:
    M = te.Mention
    gold = [M(0, 20, "DATE", "2013")]
    system = [M(0, 5, "DATE", "2013"), M(6, 20, "DATE", "2013")]
    s = te.score([(gold, system)])
    assert s.relaxed_r == 1.0 and s.relaxed_p == 0.5


def test_empty_system_scores_zero_without_dividing_by_zero(te: ModuleType) -> None:
    M = te.Mention
    s = te.score([([M(0, 4, "DATE", "2013")], [])])
    assert (s.strict_f1, s.relaxed_f1, s.value_f1) == (0.0, 0.0, 0.0)


def test_read_tml_strips_tags_and_keeps_offsets(te: ModuleType, tmp_path: Path) -> None:
    tml = tmp_path / "x.tml"
    tml.write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-22" '
        'functionInDocument="CREATION_TIME">March 22, 2013</TIMEX3></DCT>'
        '<TEXT>A &amp; B <EVENT eid="e1">met</EVENT> <TIMEX3 tid="t1" type="DATE" '
        'value="2013-03-20">Wednesday</TIMEX3>.</TEXT></TimeML>',
        encoding="utf-8",
    )
    doc = te.read_tml(tml)
    assert doc.dct == datetime.date(2013, 3, 22)
    assert doc.text == "A & B met Wednesday."
    (g,) = doc.gold
    assert doc.text[g.start : g.end] == "Wednesday" and g.value == "2013-03-20"


def test_unknown_corpus_is_refused(te: ModuleType) -> None:
    with pytest.raises(ValueError, match="unknown corpus"):
        te.load_corpus("timebank")
