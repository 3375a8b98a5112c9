"""Identity resolution: names across scripts and spellings, and events across reports."""

from __future__ import annotations

from datetime import date

import pytest

from refuge.domain import Case, DateRange, Event, Person
from refuge.storage.merge import decide, fold, match_event, name_keys, name_similarity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zhilin", "Жилин"),
        ("Sandzhiev", "Sandzhiyev"),
        ("Sandzhiev", "Санджиев"),
        ("Mikhail Zhilin", "Михаил Жилин"),
        ("Yerlan Kaliyev", "Ерлан Калиев"),
        ("Shchukin", "Щукин"),
    ],
)
def test_spellings_of_one_name_fold_together(a: str, b: str) -> None:
    """Transliteration and spelling variants give the same folded name."""
    assert fold(a) == fold(b)


def test_similarity_separates_different_people() -> None:
    """Two men sharing a surname, or sharing a first name, are not the same name."""
    assert name_similarity(Person("Ivan Petrov"), Person("Pavel Petrov")) < 0.75
    assert name_similarity(Person("Ivan Petrov"), Person("Ivan Ivanov")) < 0.75
    assert name_similarity(Person("Mikhail Zhilin"), Person("Жилин")) >= 0.88


def test_name_keys_cover_aliases_in_every_script() -> None:
    keys = name_keys(Person("Mikhail Zhilin", aliases=("Михаил Жилин",)))
    assert keys == {"mih", "jil"}


def _case(
    name: str, *, born: int | None = 1986, cit: tuple[str, ...] = ("RU",), host: str = "KZ"
) -> Case:
    year = DateRange(date(born, 1, 1), date(born, 12, 31)) if born else None
    return Case("c", Person(name, citizenship=cit, born=year), host, "RU", ())


def test_same_name_host_and_birth_year_merge() -> None:
    decision = decide(_case("Жилин"), _case("Mikhail Zhilin"))
    assert decision.kind == "merge"
    assert "birth year agrees" in decision.reasons


def test_a_name_alone_is_only_a_proposal() -> None:
    """Without birth year or citizenship to agree on, a person must confirm the merge."""
    assert decide(_case("Zhilin", born=None, cit=()), _case("Zhilin")).kind == "propose"


@pytest.mark.parametrize(
    "incoming",
    [
        _case("Zhilin", born=1970),
        _case("Zhilin", cit=("UZ",)),
        _case("Zhilin", host="KG"),
        _case("Sandzhiev"),
    ],
)
def test_conflicting_facts_or_names_keep_cases_apart(incoming: Case) -> None:
    assert decide(incoming, _case("Mikhail Zhilin")).kind == "distinct"


def _event(eid: str, kind: str, first: date, last: date | None = None, **attrs: object) -> Event:
    return Event(eid, kind, DateRange(first, last or first), attrs)


def test_the_same_event_reported_twice_is_one_event() -> None:
    timeline = [
        _event("e1", "asylum_decision", date(2022, 11, 21), date(2022, 11, 30), outcome="refused")
    ]
    incoming = _event("x", "asylum_decision", date(2022, 11, 30), outcome="refused")
    assert match_event(incoming, timeline).kind == "same"
    assert match_event(incoming, timeline).existing == "e1"


def test_disagreeing_date_or_outcome_is_disputed() -> None:
    timeline = [_event("e1", "asylum_decision", date(2022, 11, 30), outcome="refused")]
    other_day = _event("x", "asylum_decision", date(2022, 12, 15), outcome="refused")
    other_outcome = _event("y", "asylum_decision", date(2022, 11, 30), outcome="granted")
    assert match_event(other_day, timeline).kind == "disputed"
    assert match_event(other_outcome, timeline).kind == "disputed"


def test_repeatable_events_on_other_days_are_new() -> None:
    """A second detention on another day is another detention, not a disagreement."""
    timeline = [_event("e1", "detention", date(2022, 9, 26))]
    assert match_event(_event("x", "detention", date(2022, 12, 6)), timeline).kind == "new"


def test_appeals_at_different_levels_are_different_events() -> None:
    timeline = [
        _event("e1", "appeal_decision", date(2022, 12, 28), against="conviction", level="appeal")
    ]
    cassation = _event(
        "x", "appeal_decision", date(2023, 3, 1), against="conviction", level="cassation"
    )
    assert match_event(cassation, timeline).kind == "new"
