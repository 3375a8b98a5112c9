"""Case files: valid ones read back loss-free; every error names file, line and key."""

import json
from pathlib import Path

import pytest

from refuge.casefile import case_to_data, dump_json, dump_yaml, load_case_file, parse_case
from refuge.domain.vocabulary import EVENT_TYPES
from refuge.errors import CaseFileError

EXAMPLE = Path(__file__).parents[2] / "src" / "refuge" / "examples" / "zhilin-2022.yaml"

MINIMAL = """\
case:
  id: test-1
  person: {name: A. Person, citizenship: [UZ]}
  host: KZ
  origin: UZ
events:
  - {id: e1, type: asylum_application, date: 2021-03-01}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(CaseFileError) as info:
        parse_case(text, "case.yaml")
    return info.value.problems


def test_the_bundled_example_is_valid() -> None:
    case = load_case_file(EXAMPLE)
    assert case.id == "zhilin-2022"
    assert {e.type for e in case.events} >= {"asylum_application", "removal", "conviction"}


def test_yaml_and_json_round_trips_are_loss_free() -> None:
    case = load_case_file(EXAMPLE)
    assert parse_case(dump_yaml(case)) == case
    assert parse_case(dump_json(case)) == case
    assert json.loads(dump_json(case)) == json.loads(json.dumps(case_to_data(case)))


def test_unknown_event_type_lists_the_allowed_types() -> None:
    text = MINIMAL.replace("asylum_application", "asylum_aplication")
    [message] = problems(text)
    assert message.startswith("case.yaml:7: events[0].type: unknown event type")
    assert all(name in message for name in EVENT_TYPES)


def test_interval_that_ends_before_it_starts() -> None:
    text = MINIMAL.replace("date: 2021-03-01", "date: {earliest: 2021-03-02, latest: 2021-03-01}")
    [message] = problems(text)
    assert "case.yaml:7: events[0].date: earliest 2021-03-02 is after latest 2021-03-01" in message


def test_unknown_keys_are_errors_naming_the_allowed_keys() -> None:
    text = MINIMAL.replace("host: KZ", "host: KZ\n  hots: KZ")
    [message] = problems(text)
    assert message.startswith("case.yaml:5: case.hots: unknown key 'hots'; allowed: id, person")


def test_bad_country_codes_are_named() -> None:
    found = problems(MINIMAL.replace("host: KZ", "host: Kazakhstan").replace("[UZ]", "[uz]"))
    assert any("case.host: 'Kazakhstan' is not an ISO 3166-1 alpha-2" in p for p in found)
    assert any("case.person.citizenship[0]: 'uz'" in p for p in found)


def test_attribute_values_are_checked_against_the_vocabulary() -> None:
    text = MINIMAL + "  - {id: e2, type: asylum_decision, outcome: rejected, date: 2021-04}\n"
    [message] = problems(text)
    assert "events[1].outcome: 'rejected' is not allowed; allowed: granted, refused" in message


def test_duplicate_keys_and_ids_are_errors_not_silent_overwrites() -> None:
    assert (
        "duplicate key 'host'" in problems(MINIMAL.replace("host: KZ", "host: KZ\n  host: RU"))[0]
    )
    twice = MINIMAL + "  - {id: e1, type: release, date: 2021-03-02}\n"
    assert "duplicate id 'e1'" in problems(twice)[0]


def test_evidence_must_name_a_listed_source() -> None:
    text = MINIMAL.replace("date: 2021-03-01}", "date: 2021-03-01, source: nowhere}")
    assert "source 'nowhere' is not listed under sources" in problems(text)[0]


def test_broken_yaml_names_the_line() -> None:
    [message] = problems(MINIMAL + "  - {id: e2, type: [unclosed\n")
    assert message.startswith("case.yaml:") and "not valid YAML" in message


def test_every_problem_is_reported_at_once() -> None:
    text = MINIMAL.replace("host: KZ", "host: kz").replace("2021-03-01", "2021-02-30")
    assert len(problems(text)) == 2


def test_unreadable_file_is_a_case_file_error(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CaseFileError, match="cannot read the file"):
        load_case_file(path)
