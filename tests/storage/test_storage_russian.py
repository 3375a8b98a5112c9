"""A Russian report and an English report about the same person end up in one case: the
Russian reader gives the name in the nominative with its Latin spellings, and the store's
identity resolution (``refuge.storage.resolve``) matches them. Real readers, real store."""

from __future__ import annotations

from pathlib import Path

from refuge.services import store as svc
from refuge.services.analysis import analyze_report
from refuge.storage import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Written for this test from the facts of the English example article (The Moscow Times,
# 30 December 2022), in the words a Russian outlet would use.
RUSSIAN = """Казахстан выдворил в Россию бывшего сотрудника ФСО Михаила Жилина

30 декабря 2022 г.

Бывший сотрудник Федеральной службы охраны Михаил Жилин, бежавший от мобилизации, был \
депортирован из Казахстана в Россию. 26 сентября Жилина задержали пограничники за незаконное \
пересечение границы Казахстана, после чего он попросил политического убежища. В конце ноября \
казахстанские власти отказали ему в статусе беженца. В среду апелляционный суд оставил без \
удовлетворения жалобу Жилина на решение о выдворении.
"""


def test_the_russian_reader_names_him_as_the_english_report_does() -> None:
    case = analyze_report(RUSSIAN.encode(), name="zhilin-ru.txt").cases[0]
    assert case.person.name == "Михаил Жилин"
    assert "Mikhail Zhilin" in case.person.aliases
    assert (case.host, case.origin) == ("KZ", "RU")
    types = {e.type for e in case.events}
    assert {"removal", "detention", "asylum_application", "asylum_decision"} <= types


def test_russian_and_english_reports_merge_into_one_case(store: Store, tmp_path: Path) -> None:
    english = EXAMPLES / "zhilin-moscow-times-2022-12-30.txt"
    russian = tmp_path / "zhilin-ru.txt"
    russian.write_text(RUSSIAN, encoding="utf-8")
    first = svc.ingest(store, [english], actor="tester")
    assert first.created, first.to_json()
    second = svc.ingest(store, [russian], actor="tester")
    assert not second.created, second.to_json()
    assert set(second.merged + second.proposed) & set(first.created)
