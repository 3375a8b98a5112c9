"""The store use cases on SQLite, including ingestion with the real report analyser.

(The same use cases run on SQLite and PostgreSQL in tests/storage/.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from refuge.casefile import dump_yaml, load_case_file
from refuge.errors import CaseFileError
from refuge.services import store as svc
from refuge.storage import Store, open_store

# The founding article, in the repository (examples/), so these tests never skip.
SEED = Path(__file__).resolve().parents[2] / "examples" / "zhilin-moscow-times-2022-12-30.txt"
EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "refuge" / "examples" / "zhilin-2022.yaml"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'data' / 'refuge.db'}"
    svc.init_store(url)
    opened = open_store(url)
    yield opened
    opened.close()


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    """A lawyer fixing an import wants every problem in every file at once."""
    (tmp_path / "a.yaml").write_text("case: {id: a}\n", encoding="utf-8")
    (tmp_path / "b.json").write_text("[{]", encoding="utf-8")
    with pytest.raises(CaseFileError) as caught:
        svc.read_case_files([tmp_path / "a.yaml", tmp_path / "b.json"])
    text = "\n".join(caught.value.problems)
    assert "a.yaml" in text and "b.json:1: not valid JSON" in text


def test_report_files_walks_folders_and_keeps_report_types(tmp_path: Path) -> None:
    for name in ("x/1.txt", "x/y/2.HTML", "x/3.md", "x/4.pdf", "x/6.png", "5.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("r", encoding="utf-8")
    found = svc.report_files([tmp_path / "x", tmp_path / "5.txt", tmp_path / "x" / "1.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "x/1.txt",
        "x/3.md",
        "x/4.pdf",
        "x/y/2.HTML",
        "5.txt",
    ]


def test_a_missing_analyser_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(svc.StoreError, match="not available"):
        svc.ingest(store, [tmp_path], actor="t", analyzer="nowhere:analyse")


@pytest.mark.slow
def test_the_founding_article_from_two_outlets_is_one_case(store: Store, tmp_path: Path) -> None:
    """The real analyser reads the founding article; the same story from another outlet
    merges into the same case with each event corroborated by both, and re-ingesting the
    first report changes nothing."""
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "mt.txt").write_text(text, encoding="utf-8")
    other = text.replace("themoscowtimes.com", "other-outlet.example").replace(
        "The Moscow Times", "Other Outlet"
    )
    assert other != text
    (tmp_path / "copy.txt").write_text(other, encoding="utf-8")
    first = svc.ingest(store, [tmp_path / "mt.txt"], actor="monitor")
    assert len(first.created) == 1 and first.failed == []
    second = svc.ingest(store, [tmp_path], actor="monitor")
    assert second.merged == first.created
    assert [r for _, r in second.skipped] == ["already ingested"]
    (case,) = svc.load_cases(store)
    assert "Zhilin" in case.person.name
    assert min(len({p.source for p in e.evidence}) for e in case.events) == 2


def test_evidence_is_shown_in_the_text_of_its_report(store: Store, tmp_path: Path) -> None:
    """The store keeps each report's text, so every quote can be shown in its context."""
    (tmp_path / "mt.txt").write_bytes(SEED.read_bytes())
    svc.ingest(store, [tmp_path / "mt.txt"], actor="monitor")
    (case,) = svc.load_cases(store)
    view = svc.show_case(store, case.id, date(2022, 12, 30))
    shown = 0
    for event in case.events:
        for proof in event.evidence:
            excerpt = view.excerpt(proof.source, proof.start, proof.end)
            assert excerpt is not None
            before, quoted, after = excerpt
            assert quoted == proof.quote
            assert SEED.read_text(encoding="utf-8").count(before + quoted + after) == 1
            shown += 1
    assert shown >= 5


def test_export_of_one_case_is_its_case_file(store: Store) -> None:
    """Exporting one imported case gives the case file refuge itself would write."""
    svc.import_cases(store, [EXAMPLE], "lawyer")
    exported = svc.export_cases(store, "yaml", "lawyer", "zhilin-2022")
    assert exported == dump_yaml(load_case_file(EXAMPLE))
