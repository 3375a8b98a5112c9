"""One exception tree for refuge, so every front door can turn errors into clear messages.

    RefugeError                 base: a message a user can act on, and a CLI exit code
    ├── CaseFileError           a case file is malformed (file, line, key named)
    ├── LawPackError            a law pack is malformed or inconsistent (file, rule named)
    ├── InputError              a report or other input cannot be read (what and where)
    ├── ScenarioFailure         a golden scenario's expectation is not met
    └── InstallError            refuge or a library it needs is missing or broken

Messages say what is wrong, where, and what is allowed instead; they never contain the
personal data of the people in a case file beyond what the user just gave us.
"""

from __future__ import annotations


class RefugeError(Exception):
    """Base class: ``str(error)`` is a message fit for the user; ``exit_code`` for the CLI."""

    exit_code = 1


class CaseFileError(RefugeError):
    """A case file violates the format of ``case-format.md``."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class LawPackError(RefugeError):
    """A law pack cannot be loaded: schema, expression or consistency error."""

    exit_code = 3


class InputError(RefugeError):
    """An input document (report, upload) cannot be read."""

    exit_code = 2


class ScenarioFailure(RefugeError):
    """A golden scenario's expectation differs from what the engine concludes."""

    exit_code = 4


class InstallError(RefugeError):
    """refuge or a library it needs is missing or broken: the fix is to reinstall, not to
    change the input."""

    exit_code = 6
