"""The party tables: they load, say where each date comes from, answer ``binding`` by the
contract (tasks/parties-api.md), and reject malformed files naming file, line and key."""

from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.domain.dates import DateRange
from refuge.errors import LawPackError
from refuge.rules.packs import default_pack_dir, load_library
from refuge.rules.parties import PARTIES_FILE, Participation, binding_status, load_party_table

CONTRACT_INSTRUMENTS = {
    "refugee-convention",
    "refugee-protocol-1967",
    "cat",
    "cat-22",
    "iccpr",
    "iccpr-op1",
    "echr",
}
FIRST_SLICE = ("KZ", "RU", "UZ", "KG", "TJ", "TR", "UA")


def test_every_contract_instrument_covers_the_first_states() -> None:
    table = load_party_table()
    assert set(table.instruments()) >= CONTRACT_INSTRUMENTS
    for instrument in CONTRACT_INSTRUMENTS:
        missing = set(FIRST_SLICE) - set(table.states(instrument))
        assert not missing, f"{instrument}: no record for {sorted(missing)}"


def test_every_record_cites_a_source_and_its_verification_status() -> None:
    table = load_party_table()
    for record in table.records():
        assert record.url.startswith(("https://", "http://")), record
        assert record.source_title.strip()
        assert record.basis in ("verified", "secondary", "unverified")
        if record.status == "party":
            assert record.in_force is not None and record.action is not None
        if record.basis == "verified":
            assert record.consulted is not None, f"{record.state} {record.instrument}"


def test_kazakhstan_keeps_the_fuzziness_of_the_research() -> None:
    """CAT: the research has sources that conflict (26 Jun to 30 Sep 1998); art. 22: only 2008."""
    table = load_party_table()
    cat = table.record("cat", "KZ")
    assert cat is not None and cat.in_force is not None and not cat.in_force.exact
    assert cat.basis != "verified"
    assert table.binding("cat", "KZ", date(1998, 7, 1)).status == "possibly_bound"
    assert table.binding("cat", "KZ", date(1998, 10, 1)).status == "bound"
    assert table.binding("cat", "KZ", date(1998, 6, 25)).status == "not_bound"
    decl = table.record("cat-22", "KZ")
    assert decl is not None and decl.in_force == DateRange(date(2008, 1, 1), date(2008, 12, 31))
    iccpr = table.record("iccpr", "KZ")
    assert iccpr is not None and str(iccpr.in_force) == "2006-04-24"
    op1 = table.record("iccpr-op1", "KZ")
    assert op1 is not None and str(op1.in_force) == "2009-09-30"
    assert [r.effect for r in op1.reservations] == ["ratione_temporis"]
    refugees = table.record("refugee-convention", "KZ")
    assert refugees is not None and str(refugees.in_force) == "1999-04-15"


def test_russia_left_the_echr_on_16_september_2022() -> None:
    table = load_party_table()
    assert table.binding("echr", "RU", date(2022, 9, 15)).status == "bound"
    gone = table.binding("echr", "RU", date(2022, 9, 16))
    assert gone.status == "not_bound"
    assert "ceased" in gone.reason
    assert table.binding("echr", "RU", date(1998, 5, 4)).status == "not_bound"
    straddle = DateRange(date(2022, 9, 1), date(2022, 9, 30))
    assert table.binding("echr", "RU", straddle).status == "possibly_bound"


def test_turkiye_keeps_the_geographical_limitation() -> None:
    table = load_party_table()
    for instrument in ("refugee-convention", "refugee-protocol-1967"):
        record = table.record(instrument, "TR")
        assert record is not None
        on = DateRange.day(date(2020, 1, 1))
        assert [r.effect for r in record.reservations_on(on)] == ["geographic_limitation"]


def test_non_parties_are_not_bound_and_unknown_states_are_not_recorded() -> None:
    table = load_party_table()
    uz = table.binding("refugee-convention", "UZ", date(2020, 1, 1))
    assert uz.status == "not_bound" and "not a party" in uz.reason
    kz = table.binding("echr", "KZ", date(2020, 1, 1))
    assert kz.status == "not_bound"
    nowhere = table.binding("cat", "XX", date(2020, 1, 1))
    assert nowhere.status == "not_recorded" and nowhere.record is None
    assert "not recorded" in nowhere.reason
    assert table.binding("no-such-treaty", "KZ", date(2020, 1, 1)).status == "not_recorded"


def test_reason_names_state_instrument_date_and_source() -> None:
    answer = load_party_table().binding("cat", "TR", date(2000, 1, 1))
    assert answer.record is not None
    assert answer.reason.startswith("Türkiye has been bound by CAT since 1988-09-01")
    assert f"({answer.record.source_short}, {answer.record.basis})" in answer.reason


def test_the_table_is_cached() -> None:
    assert load_party_table() is load_party_table()


def test_pack_discovery_ignores_a_folder_with_only_a_party_table() -> None:
    folder = default_pack_dir() / "echr"
    assert (folder / PARTIES_FILE).is_file()
    library = load_library()
    if not (folder / "pack.yaml").is_file():
        assert "echr" not in {p.meta.id for p in library.packs}
    assert library.rules


# -- malformed files ---------------------------------------------------------------------------

GOOD = """\
sources:
  s:
    title: A source
    url: https://example.org/status
    consulted: 2026-12-06
instruments:
  cat:
    title: CAT
    in_force_rule: "art. 27(2): the thirtieth day after deposit"
    entry_into_force: 1987-06-26
    in_force_after: {days: 30}
    states:
      TR:
        status: party
        action: ratification
        deposited: 1988-08-02
        in_force: 1988-09-01
        source: s
        basis: verified
"""


def _table(tmp_path: Path, text: str, folder: str = "cat") -> Path:
    (tmp_path / folder).mkdir(exist_ok=True)
    (tmp_path / folder / PARTIES_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_good_file_loads(tmp_path: Path) -> None:
    table = load_party_table(_table(tmp_path, GOOD))
    assert table.binding("cat", "TR", date(1988, 9, 1)).status == "bound"
    assert table.binding("cat", "TR", date(1988, 8, 31)).status == "not_bound"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("        basis: verified\n", "        basis: verified\n        bassis: x\n",
         ":20: instruments.cat.states.TR.bassis: unknown key"),
        ("in_force: 1988-09-01", "in_force: 1988-02-30",
         ":17: instruments.cat.states.TR.in_force: '1988-02-30' is not a date"),
        ("in_force: 1988-09-01", "in_force: 1988-09-11",
         ":13: instruments.cat.states.TR: in_force 1988-09-11 does not follow from deposited"),
        ("source: s", "source: t", ":13: instruments.cat.states.TR: source 't' unknown"),
        ("status: party", "status: partly", ":14: instruments.cat.states.TR.status:"),
        ("      TR:", "      Turkey:", ":13: instruments.cat.states.Turkey: not an ISO 3166-1"),
        ("        in_force: 1988-09-01\n", "",
         ":13: instruments.cat.states.TR: a party needs in_force"),
        ("consulted: 2026-12-06", "consulted: 2026-13-01", ":5: sources.s.consulted:"),
    ],
)  # fmt: skip
def test_malformed_files_name_file_line_and_key(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in GOOD
    root = _table(tmp_path, GOOD.replace(old, new))
    with pytest.raises(LawPackError) as err:
        load_party_table(root)
    message = str(err.value)
    assert message.startswith(str(root / "cat" / PARTIES_FILE)), message
    assert expected in message, message


def test_not_party_records_carry_no_dates_of_entry_into_force(tmp_path: Path) -> None:
    text = GOOD.replace("status: party", "status: not_party")
    text = text.replace("        action: ratification\n", "")
    with pytest.raises(LawPackError, match="a not_party has no in_force"):
        load_party_table(_table(tmp_path, text))


def test_an_instrument_lives_in_one_file_only(tmp_path: Path) -> None:
    _table(tmp_path, GOOD, "cat")
    _table(tmp_path, GOOD, "other")
    with pytest.raises(LawPackError, match="instrument 'cat' also in"):
        load_party_table(tmp_path)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(LawPackError, match=r"parties.yaml:3: .*duplicate key 's'"):
        load_party_table(_table(tmp_path, "sources:\n  s: {}\n  s: {}\n"))


def test_bundled_files_copied_elsewhere_load_the_same(tmp_path: Path) -> None:
    for folder in default_pack_dir().iterdir():
        if (folder / PARTIES_FILE).is_file():
            (tmp_path / folder.name).mkdir()
            shutil.copy(folder / PARTIES_FILE, tmp_path / folder.name / PARTIES_FILE)
    copy = load_party_table(tmp_path)
    assert list(copy.records()) == list(load_party_table().records())


# -- the dates agree with the sources they cite ------------------------------------------------

SOURCES_CSV = Path(__file__).parent / "data" / "party_sources.csv"


def _transcribed() -> list[dict[str, str]]:
    with SOURCES_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _expected(value: str) -> DateRange:
    if ".." in value:
        first, last = value.split("..")
        return DateRange(date.fromisoformat(first), date.fromisoformat(last))
    return DateRange.parse_shorthand(value)


def test_every_transcribed_row_agrees_with_the_tables() -> None:
    """Rows read in the cited sources (tests/rules/data/party_sources.csv) match the YAML."""
    table = load_party_table()
    rows = _transcribed()
    assert len(rows) >= 100
    wrong = []
    for row in rows:
        record = table.record(row["instrument"], row["state"])
        where = f"{row['instrument']} {row['state']} {row['field']} ({row['source_url']})"
        if record is None:
            wrong.append(f"{where}: no record")
            continue
        field, value = row["field"], row["value"]
        if field == "status":
            ok = record.status == value
        elif field == "deposited_year":
            dep = record.deposited
            ok = dep is not None and dep.earliest.year == dep.latest.year == int(value)
        else:
            got = getattr(record, field)
            want = _expected(value)
            ok = got is not None and (got.earliest, got.latest) == (want.earliest, want.latest)
        if not ok:
            wrong.append(f"{where}: source says {value}")
    assert not wrong, "\n".join(wrong)


def test_every_verified_or_secondary_record_has_a_transcribed_row() -> None:
    backed = {
        (r["instrument"], r["state"]) for r in _transcribed() if r["field"] != "deposited_year"
    }
    table = load_party_table()
    missing = [
        f"{r.instrument} {r.state}"
        for r in table.records()
        if r.basis != "unverified" and (r.instrument, r.state) not in backed
    ]
    assert not missing, missing


def test_verified_records_cite_an_official_source() -> None:
    official = ("https://treaties.un.org/", "https://www.coe.int/", "https://www.iphronline.org/")
    for record in load_party_table().records():
        if record.basis == "verified" and not record.source_id.startswith("kz-research"):
            assert record.url.startswith(official), record


# -- properties of ``binding`` -----------------------------------------------------------------

RANK = {"not_bound": 0, "possibly_bound": 1, "bound": 2}
BASE = date(2000, 1, 1)


def _party(start: DateRange, end: DateRange | None = None) -> Participation:
    return Participation(
        "t", "ZZ", "party", "ratification", None, start, end, (), "s", "S", "https://x.org",
        "verified", None,
    )  # fmt: skip


def _span(first: int, length: int) -> DateRange:
    return DateRange(BASE + timedelta(days=first), BASE + timedelta(days=first + length))


def _day(day: date) -> int:
    return (day - BASE).days


days = st.integers(min_value=0, max_value=40)
lengths = st.integers(min_value=0, max_value=15)


@given(days, lengths, days, lengths, st.one_of(st.none(), st.tuples(days, lengths)))
def test_binding_matches_every_combination_of_the_fuzzy_days(
    a: int, la: int, c: int, lc: int, until: tuple[int, int] | None
) -> None:
    """Brute force: bound if bound on every possible day under every possible entry (and exit)
    date, not bound if on none, possibly bound exactly when the possibilities straddle."""
    start, on = _span(a, la), _span(c, lc)
    end = _span(until[0] + a + la + 1, until[1]) if until else None
    exits = [10**6] if end is None else range(_day(end.earliest), _day(end.latest) + 1)
    outcomes = {
        y <= x < u for x in range(c, c + lc + 1) for y in range(a, a + la + 1) for u in exits
    }
    expected = (
        "possibly_bound" if len(outcomes) == 2 else ("bound" if True in outcomes else "not_bound")
    )
    assert binding_status(_party(start, end), on) == expected


@given(st.data())
@settings(max_examples=60)
def test_binding_of_the_bundled_tables_is_monotone_in_time(data: st.DataObject) -> None:
    """Without an end: never less bound later. With an end: rises, then falls (no second entry)."""
    table = load_party_table()
    records = [r for r in table.records() if r.status == "party"]
    record = data.draw(st.sampled_from(records))
    offsets = sorted(data.draw(st.lists(st.integers(0, 30000), min_size=2, max_size=12)))
    ranks = [
        RANK[table.binding(record.instrument, record.state, date(1950, 1, 1) + timedelta(d)).status]
        for d in offsets
    ]
    peak = ranks.index(max(ranks))
    assert ranks[: peak + 1] == sorted(ranks[: peak + 1])
    if record.until is None:
        assert ranks == sorted(ranks)
    else:
        assert ranks[peak:] == sorted(ranks[peak:], reverse=True)


@given(st.from_regex(r"[A-Z]{2}", fullmatch=True), st.dates())
def test_unknown_states_are_never_treated_as_parties(code: str, day: date) -> None:
    table = load_party_table()
    for instrument in table.instruments():
        answer = table.binding(instrument, code, day)
        if code in table.states(instrument):
            assert answer.record is not None
        else:
            assert answer.status == "not_recorded" and answer.record is None
