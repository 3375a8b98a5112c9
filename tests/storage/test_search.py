"""Search across cases and report text (services/search.py) on SQLite and PostgreSQL: names
folded across scripts and spellings, report text with snippets, need-to-know, an index that
follows every change, and no plaintext word in PostgreSQL's index."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, text

from refuge.auth.access import grant
from refuge.auth.users import Principal, ensure_team
from refuge.errors import InputError
from refuge.services import search as search_service
from refuge.services import store as svc
from refuge.storage import Store, open_store
from refuge.storage import repository as repo
from refuge.storage.tables import cases, search_terms

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ARTICLE = EXAMPLES / "zhilin-moscow-times-2022-12-30.txt"


def case_file(folder: Path, case_id: str, name: str, aliases: str = "[]", quote: str = "") -> Path:
    """A minimal case file about one person (with one quoted event when ``quote`` is set)."""
    evidence = f'\n    source: [{{id: s1, quote: "{quote}"}}]' if quote else ""
    path = folder / f"{case_id}.yaml"
    path.write_text(
        f"""case:
  id: {case_id}
  person: {{name: "{name}", aliases: {aliases}, citizenship: [RU]}}
  host: KZ
  origin: RU
sources:
  - {{id: s1, outlet: Outlet, url: "https://example.org/{case_id}"}}
events:
  - id: detention
    type: detention
    date: 2022-09-26{evidence}
""",
        encoding="utf-8",
    )
    return path


def found(store: Store, query: str, principal: Principal | None = None) -> list[str]:
    return [h.case for h in search_service.search(store, principal, query).hits]


@pytest.fixture
def people(store: Store, tmp_path: Path) -> Store:
    files = [
        case_file(tmp_path, "a-latin", "Mikhail Zhilin"),
        case_file(tmp_path, "b-cyrillic", "Дмитрий Хасанов"),
        case_file(tmp_path, "c-yo", "Pyotr Abdullaev", quote="was detained at the Almaty airport"),
        case_file(tmp_path, "d-other", "Ivan Zhukov", quote="border guards in Ernazar"),
    ]
    svc.import_cases(store, files, actor="tester")
    return store


def test_names_are_found_across_scripts_and_spellings(people: Store) -> None:
    assert found(people, "Жилин") == ["a-latin"]
    assert found(people, "Михаил Жилин") == ["a-latin"]
    assert found(people, "Jilin") == ["a-latin"]
    assert found(people, "Khasanov") == ["b-cyrillic"]
    assert found(people, "Hasanov Dmitry") == ["b-cyrillic"]
    assert found(people, "Dmitrii") == ["b-cyrillic"]
    assert found(people, "Пётр Абдуллаев") == ["c-yo"]
    assert found(people, "Petr Abdulaev") == ["c-yo"]
    # Every word must match: a first name of one person with the surname of another is nobody.
    assert found(people, "Mikhail Hasanov") == []
    assert found(people, "Zhukova Olga") == []


def test_quotes_are_searched_with_a_snippet(people: Store) -> None:
    results = search_service.search(people, None, "almaty airport")
    assert [h.case for h in results.hits] == ["c-yo"]
    hit = results.hits[0]
    assert not hit.in_name
    assert "Almaty airport" in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.marks] == ["Almaty", "airport"]


def test_names_rank_before_text(people: Store, tmp_path: Path) -> None:
    svc.import_cases(
        people, [case_file(tmp_path, "e-mention", "Olga Ivanova", quote="with Zhilin")], "t"
    )
    assert found(people, "Zhilin") == ["a-latin", "e-mention"]


def test_report_text_is_searched(store: Store) -> None:
    summary = svc.ingest(store, [ARTICLE], actor="tester")
    assert summary.created
    text = ARTICLE.read_text(encoding="utf-8")
    # A word of the article that is no name: found through the report's text, with a snippet.
    word = "presidential" if "presidential" in text.lower() else "Kazakhstan"
    results = search_service.search(store, None, f"Жилин {word}")
    assert [h.case for h in results.hits] == summary.created[:1]
    hit = results.hits[0]
    assert hit.in_name is False  # "presidential" is in the text, not in his name
    marked = {hit.snippet[s:e].casefold() for s, e in hit.marks}
    assert word.casefold() in marked and "zhilin" in marked
    assert hit.host == "KZ" and "Zhilin" in hit.name


def test_only_visible_cases_are_found(people: Store) -> None:
    with people.write() as connection:
        team_a, team_b = ensure_team(connection, "a"), ensure_team(connection, "b")
        pks = {r.id: r.pk for r in connection.execute(select(cases.c.id, cases.c.pk))}
        grant(connection, pks["a-latin"], team_pk=team_a)
        grant(connection, pks["b-cyrillic"], team_pk=team_b)
    a = Principal(1, "alice", "lawyer", (team_a,))
    b = Principal(2, "bob", "lawyer", (team_b,))
    assert found(people, "Zhilin", a) == ["a-latin"]
    assert found(people, "Zhilin", b) == []
    assert search_service.search(people, b, "Zhilin").total == 0
    assert found(people, "Khasanov", b) == ["b-cyrillic"]
    assert found(people, "Khasanov", a) == []


def test_the_index_follows_import_replace_and_delete(people: Store, tmp_path: Path) -> None:
    svc.import_cases(people, [case_file(tmp_path, "a-latin", "Mikhail Zhelezny")], "t")
    assert found(people, "Zhilin") == []
    assert found(people, "Железный") == ["a-latin"]
    with people.write() as connection:
        connection.execute(delete(cases).where(cases.c.id == "a-latin"))
    assert found(people, "Zhelezny") == []


def test_the_index_follows_a_merge(store: Store, tmp_path: Path) -> None:
    """A Russian report merged into a Latin-written case adds its text and spellings."""
    from test_storage_russian import RUSSIAN

    first = svc.ingest(store, [ARTICLE], actor="t")
    russian = tmp_path / "zhilin-ru.txt"
    russian.write_text(RUSSIAN, encoding="utf-8")
    second = svc.ingest(store, [russian], actor="t")
    if not second.merged:
        pytest.skip("identity resolution proposed rather than merged")
    # "апелляционный" is only in the Russian report's text.
    assert found(store, "апелляционный") == first.created[:1]


def test_reindex_rebuilds_the_index(people: Store) -> None:
    with people.write() as connection:
        connection.execute(delete(search_terms))
    assert found(people, "Zhilin") == []
    assert search_service.reindex(people, "tester") == 4
    assert found(people, "Zhilin") == ["a-latin"]


def test_bad_queries_are_clear_errors(people: Store) -> None:
    with pytest.raises(InputError, match="at least two letters"):
        search_service.search(people, None, " 2022 - ")
    with pytest.raises(InputError, match="too long"):
        search_service.search(people, None, "x" * 500)
    with pytest.raises(InputError, match="too many words"):
        search_service.search(people, None, " ".join(f"w{c}{c}" for c in "abcdefghij"))


def test_postgresql_holds_no_word_in_clear(people: Store) -> None:
    with people.read() as connection:
        stored = connection.execute(select(search_terms.c.token)).scalars().all()
    assert stored
    if people.dialect == "postgresql":
        assert all(re.fullmatch(r"[0-9a-f]{16}", t) for t in stored)
        assert "jilin" not in stored and "almati" not in stored
    else:  # inside the SQLCipher file the folded words are stored as they are
        assert "jilin" in stored


def _admin(server: str, statement: str) -> None:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


QUERIES = ("Жилин", "Zhilin Kazakhstan", "Хасанов", "almaty", "border guards", "Abdullaev")


def test_same_results_on_sqlite_and_postgresql(
    postgres_server: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The same data in both databases answers every query with the same cases, order and
    snippets."""
    name = f"refuge_test_search_{abs(hash(tmp_path)) % 10**8}"
    _admin(postgres_server, f'CREATE DATABASE "{name}"')
    request.addfinalizer(lambda: _admin(postgres_server, f'DROP DATABASE "{name}" WITH (FORCE)'))
    urls = [
        f"sqlite:///{tmp_path / 'data' / 'refuge.db'}",
        f"{postgres_server.rsplit('/', 1)[0]}/{name}",
    ]
    files = [
        case_file(tmp_path, "a-latin", "Mikhail Zhilin"),
        case_file(tmp_path, "b-cyrillic", "Дмитрий Хасанов", quote="detained in Almaty"),
        case_file(tmp_path, "c-yo", "Pyotr Abdullaev", quote="border guards near Almaty"),
    ]
    answers = []
    for url in urls:
        svc.init_store(url)
        store = open_store(url)
        try:
            svc.import_cases(store, files, actor="t")
            svc.ingest(store, [ARTICLE], actor="t")
            answers.append(
                [
                    [
                        (h.case, h.in_name, h.snippet, h.marks)
                        for h in search_service.search(store, None, q).hits
                    ]
                    for q in QUERIES
                ]
            )
        finally:
            store.close()
    assert answers[0] == answers[1]
    assert all(answers[0])  # every query found something


def test_a_full_page_is_counted(people: Store, tmp_path: Path) -> None:
    files = [
        case_file(tmp_path, f"x-{i}", f"Person{'ab' * (i + 1)} X", quote="in Almaty")
        for i in range(4)
    ]
    svc.import_cases(people, files, actor="t")
    results = search_service.search(people, None, "Almaty", limit=2)
    assert (len(results.hits), results.total, results.more) == (2, 5, False)
    assert [h.case for h in results.hits] == ["x-3", "x-2"]  # newest first
    assert search_service.search(people, None, "Almaty", limit=20).total == 5


def test_the_index_follows_a_person_edit(people: Store) -> None:
    """A new spelling recorded on the person (``repository.update_person``, the path merges
    and person edits take) is searchable at once."""
    with people.write() as connection:
        pk = repo.case_pk(connection, "d-other")
        assert pk is not None
        person = repo.load_cases(connection, [pk])[0].person
        repo.update_person(connection, pk, dataclasses.replace(person, aliases=("Иван Жуковский",)))
    assert found(people, "Zhukovsky") == ["d-other"]
    assert found(people, "Ivan Zhukov") == ["d-other"]


def test_the_migration_indexes_the_cases_already_stored(empty_url: str, tmp_path: Path) -> None:
    """A store upgraded to the search revision finds what it held before."""
    from alembic import command

    from refuge.storage.database import create_store_engine
    from refuge.storage.migrate import alembic_config, upgrade

    engine = create_store_engine(empty_url)
    upgrade(engine)
    engine.dispose()
    store = open_store(empty_url)
    try:
        svc.import_cases(store, [case_file(tmp_path, "a-latin", "Mikhail Zhilin")], actor="t")
    finally:
        store.close()
    engine = create_store_engine(empty_url)
    with engine.connect().execution_options(refuge_write=True) as connection, connection.begin():
        command.downgrade(alembic_config(connection), "0340complete")
    assert upgrade(engine) is not None
    engine.dispose()
    store = open_store(empty_url)
    try:
        assert found(store, "Жилин") == ["a-latin"]
    finally:
        store.close()
