"""Hostile case files: alias bombs, deep nesting, huge files, too many events, endless fields.

Each is refused quickly, with an error naming the file (and line where there is one), before
any memory-hungry work: before the fix a 488-byte alias bomb took 100 s and 5.5 GiB and deep
nesting ended in RecursionError.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from refuge.casefile import load_case_file, parse_case
from refuge.casefile.yamlmarks import YamlProblem, load_with_lines
from refuge.errors import CaseFileError
from refuge.limits import (
    MAX_ALIAS_EXPANSION,
    MAX_CASE_FILE_BYTES,
    MAX_EVENTS_PER_CASE,
    MAX_FIELD_CHARS,
    MAX_NESTING,
)
from refuge.services.store import read_case_files

# The classic "billion laughs": nine levels of nine aliases each, 9**9 values once expanded.
BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)

CASE = """\
case:
  id: test-1
  person: {name: A. Person, citizenship: [UZ]}
  host: KZ
events:
"""


def refuge(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args], capture_output=True, text=True, check=False
    )


def problems(text: str) -> list[str]:
    with pytest.raises(CaseFileError) as info:
        parse_case(text, "case.yaml")
    return info.value.problems


def test_alias_bomb_is_refused_naming_file_and_line() -> None:
    # Refused before expansion; bench/hostile.py measures how fast.
    assert len(BOMB.encode()) <= 488
    found = problems(BOMB)
    assert found == [
        f"case.yaml:2: aliases expand to more than {MAX_ALIAS_EXPANSION:,} values "
        "(an alias bomb?); write the values out instead"
    ]


def test_alias_bomb_through_the_cli(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    result = refuge("check", str(bomb))
    assert result.returncode == 2
    assert f"{bomb}:2: aliases expand" in result.stderr


def test_modest_aliases_still_work() -> None:
    data, _ = load_with_lines("a: &x [1, 2]\nb: *x\nc: *x\n")
    assert data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_an_alias_inside_its_own_value_is_refused() -> None:
    with pytest.raises(YamlProblem, match="refers to the value that contains it"):
        load_with_lines("a: &x [1, *x]\n")


@pytest.mark.parametrize("flow", [True, False])
def test_deep_nesting_is_refused_not_a_recursion_error(flow: bool) -> None:
    depth = 5_000
    if flow:
        text = "a: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "".join("  " * i + "- \n" for i in range(depth))
    with pytest.raises(YamlProblem, match=f"nested deeper than {MAX_NESTING} levels") as info:
        load_with_lines(text)
    assert info.value.line is not None


def test_aliases_cannot_nest_deeper_than_the_limit() -> None:
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]" for i in range(1, 12)]
    with pytest.raises(YamlProblem, match="aliases nest deeper"):
        load_with_lines("\n".join(lines) + "\n")


def test_deep_json_export_is_refused_on_import(tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CaseFileError) as info:
        read_case_files([export])
    assert info.value.problems == [f"{export}: JSON nested deeper than {MAX_NESTING} levels"]


def test_an_oversized_case_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w") as handle:
        handle.write(CASE)
        handle.write(" " * (MAX_CASE_FILE_BYTES + 1))
    with pytest.raises(CaseFileError) as info:
        load_case_file(big)
    assert info.value.problems == [
        f"{big}: the case file is {(MAX_CASE_FILE_BYTES + len(CASE) + 1) / 1e6:.1f} MB "
        f"({MAX_CASE_FILE_BYTES + len(CASE) + 1:,} bytes), over the limit of "
        f"{MAX_CASE_FILE_BYTES / 1e6:.1f} MB ({MAX_CASE_FILE_BYTES:,} bytes)"
    ]


def test_too_many_events_are_refused_naming_where() -> None:
    events = "".join(
        f"  - {{id: e{i}, type: detention, date: 2021-03-01}}\n"
        for i in range(MAX_EVENTS_PER_CASE + 1)
    )
    found = problems(CASE + events)
    assert found == [
        f"case.yaml:5: events: {MAX_EVENTS_PER_CASE + 1:,} events; "
        f"a case holds at most {MAX_EVENTS_PER_CASE:,}"
    ]


def test_an_endless_field_is_refused_naming_key_and_line() -> None:
    name = "A" * (MAX_FIELD_CHARS + 1)
    text = CASE.replace("A. Person", name) + "  - {id: e1, type: detention, date: 2021-03-01}\n"
    assert problems(text) == [
        f"case.yaml:3: case.person.name: is {MAX_FIELD_CHARS + 1:,} characters long; "
        f"at most {MAX_FIELD_CHARS:,} allowed"
    ]
