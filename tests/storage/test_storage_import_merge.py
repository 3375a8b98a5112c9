"""An imported case file whose person is already in the store is proposed for merging, as a
report read by ingestion is; the imported id stays the case's own until a person accepts
(issue 11). On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from refuge.services import store as svc
from refuge.storage import Store
from refuge.storage.tables import audit, cases

CYRILLIC_ID = "zhilin-ru-import"


def cyrillic_copy(zhilin_file: Path, folder: Path) -> Path:
    """The example under another id, the person written in Cyrillic, one more event."""
    text = zhilin_file.read_text(encoding="utf-8")
    text = text.replace("id: zhilin-2022", f"id: {CYRILLIC_ID}").replace(
        "name: Mikhail Zhilin", "name: Михаил Жилин"
    )
    text = text.rstrip("\n") + (
        "\n  - id: release-claim\n    type: appeal_lodged\n    against: expulsion_order\n"
        "    date: 2023-01-05\n    source: [mt-2022-12-30]\n"
    )
    path = folder / "cyrillic.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _ids(store: Store) -> list[str]:
    with store.read() as connection:
        return sorted(connection.execute(select(cases.c.id)).scalars())


def test_a_matching_import_is_proposed_not_merged(
    store: Store, zhilin_file: Path, tmp_path: Path
) -> None:
    svc.import_cases(store, [zhilin_file], actor="test")
    result = svc.import_cases(store, [cyrillic_copy(zhilin_file, tmp_path)], actor="test")
    assert result.created == [CYRILLIC_ID] and result.proposed == [CYRILLIC_ID]
    assert _ids(store) == sorted([CYRILLIC_ID, "zhilin-2022"])  # apart until a person accepts
    pending = svc.list_merges(store, pending_only=True)
    assert [(m.case_id, m.kind) for m in pending] == [("zhilin-2022", "proposal")]
    assert pending[0].reasons


def test_accepting_merges_the_import_into_the_stored_case(
    store: Store, zhilin_file: Path, tmp_path: Path
) -> None:
    svc.import_cases(store, [zhilin_file], actor="test")
    svc.import_cases(store, [cyrillic_copy(zhilin_file, tmp_path)], actor="test")
    proposal = svc.list_merges(store, pending_only=True)[0]
    assert svc.review_merge(store, proposal.pk, "verified", "lawyer") == "zhilin-2022"
    assert _ids(store) == ["zhilin-2022"]
    merged = svc.load_cases(store, "zhilin-2022")[0]
    assert "release-claim" in {e.id for e in merged.events}
    assert "Михаил Жилин" in merged.person.aliases or merged.person.name == "Михаил Жилин"
    with store.read() as connection:
        actions = list(connection.execute(select(audit.c.action, audit.c.actor)).all())
    assert ("review", "lawyer") in [tuple(a) for a in actions]
    assert ("merge", "lawyer") in [tuple(a) for a in actions]


def test_rejecting_keeps_both_cases(store: Store, zhilin_file: Path, tmp_path: Path) -> None:
    svc.import_cases(store, [zhilin_file], actor="test")
    svc.import_cases(store, [cyrillic_copy(zhilin_file, tmp_path)], actor="test")
    proposal = svc.list_merges(store, pending_only=True)[0]
    assert svc.review_merge(store, proposal.pk, "rejected", "lawyer") == CYRILLIC_ID
    assert _ids(store) == sorted([CYRILLIC_ID, "zhilin-2022"])
    assert svc.list_merges(store, pending_only=True) == []


def test_cases_of_one_import_are_not_proposed_into_each_other(
    store: Store, zhilin_file: Path, tmp_path: Path
) -> None:
    result = svc.import_cases(
        store, [zhilin_file, cyrillic_copy(zhilin_file, tmp_path)], actor="test"
    )
    assert result.proposed == []
    assert svc.list_merges(store, pending_only=True) == []
