"""Today: one row per person, most urgent first, with what to do and the days left.

Built over a real store (SQLite) holding the Zhilin example (handed over in December 2022) and
the same file without the handover (a person still in Kazakhstan), evaluated with the law packs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from refuge.services import store as svc
from refuge.services import today as today_service
from refuge.services.alerts import Alert
from refuge.storage import Store, open_store

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "refuge" / "examples" / "zhilin-2022.yaml"
AT = date(2023, 1, 10)
HALTS = ("cat.act.request_interim_measures", "iccpr_op1.act.request_interim_measures")


def still_here(folder: Path) -> Path:
    """The example without the handover, for another (synthetic) person."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text[: text.index("  - id: handover")]
    path = folder / "still-here.yaml"
    path.write_text(
        text.replace("id: zhilin-2022", "id: still-here-2023").replace(
            "Mikhail Zhilin", "Synthetic Person Still Here"
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'refuge.db'}"
    svc.init_store(url)
    opened = open_store(url)
    svc.import_cases(opened, [EXAMPLE, still_here(tmp_path)], actor="test")
    yield opened
    opened.close()


def test_one_row_per_person_most_urgent_first(store: Store) -> None:
    rows = today_service.today(store, AT, 14)
    assert [r.case for r in rows] == ["still-here-2023", "zhilin-2022"]
    here, gone = rows
    assert here.who.name == "Synthetic Person Still Here" and here.who.host == "KZ"
    assert not here.removed and gone.removed
    # every step of a person is on its row, sorted by due day
    assert [s.due for s in here.steps] == sorted(s.due for s in here.steps)
    assert len({r.case for r in rows}) == len(rows)


def test_a_person_still_here_is_told_to_halt_the_removal_with_a_reason(store: Store) -> None:
    here = today_service.today(store, AT, 14)[0]
    halts = [s for s in here.steps if s.rule in HALTS]
    assert halts, [s.rule for s in here.steps]
    for s in halts:
        assert s.when == "as soon as possible, before removal"
        assert "removal can come at any time" in s.todo
        assert s.todo != "now"
    custody = [s for s in here.steps if s.rule == "kz.cpc.588.provisional_custody"]
    assert custody and custody[0].when == f"in {(custody[0].due - AT).days} days"
    assert "removal" in here.stake and "KZ" in here.stake


def test_a_removed_person_gets_what_can_still_be_done_never_halt_the_removal(
    store: Store,
) -> None:
    gone = today_service.today(store, AT, 14)[1]
    rules = {s.rule for s in gone.steps}
    assert "cat.act.communication_after_removal" in rules
    assert "iccpr_op1.act.communication_after_removal" in rules
    assert "cat.act.whereabouts_and_guarantees" in rules
    assert not rules & set(HALTS)
    assert all(s.kind != "removal" for s in gone.steps)
    assert all(s.when == "as soon as possible" for s in gone.steps if s.kind == "action")
    assert "already removed" in gone.stake
    assert "halt" not in " ".join(s.what + s.todo for s in gone.steps).lower()


@pytest.mark.parametrize(
    ("offset", "words"),
    [(3, "in 3 days"), (1, "tomorrow"), (0, "today"), (-1, "overdue by 1 day"),
     (-2, "overdue by 2 days")],
)  # fmt: skip
def test_days_left(offset: int, words: str) -> None:
    assert today_service.days_left(AT + timedelta(days=offset), AT) == words


def test_people_still_here_come_first_by_nearest_due_day_then_the_removed() -> None:
    def alert(case: str, kind: str, days: int, *, gone: bool = False) -> Alert:
        todo = "now" if kind == "action" and days == 0 else "act"
        return Alert(case, kind, AT + timedelta(days=days), "certain", "r", todo, "x", gone)

    who = {c: today_service.Who(i, c.upper(), "KZ", "RU") for i, c in enumerate("abcd")}
    alerts = [
        alert("a", "deadline", 9),
        alert("b", "deadline", 3),
        alert("c", "action", 0, gone=True),
        alert("d", "removal", 0),
        alert("a", "action", 12),
    ]
    rows = today_service.build(alerts, who, AT)
    assert [r.case for r in rows] == ["d", "b", "a", "c"]
    assert rows[1].next.when == "in 3 days"
    assert [s.days for s in rows[2].steps] == [9, 12]
    # a case the reader may not see is left out
    assert [r.case for r in today_service.build(alerts, {"b": who["b"]}, AT)] == ["b"]
