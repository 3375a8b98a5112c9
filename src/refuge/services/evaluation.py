"""Check and evaluate case files: the use cases behind ``refuge check`` and ``refuge evaluate``."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from refuge.casefile import load_case_file
from refuge.domain import Case
from refuge.rules.engine import Engine, evaluate
from refuge.rules.results import Evaluation, VerdictSpan

#: How far ahead ``refuge evaluate`` looks for changes of the removal verdict.
OUTLOOK_DAYS = 365


def check_case_file(path: Path) -> Case:
    """Validate a case file; raises ``CaseFileError`` listing every problem. Writes nothing."""
    return load_case_file(path)


def evaluate_case_file(path: Path, at: date) -> tuple[Case, Evaluation, list[VerdictSpan]]:
    """The law on ``at``, and how the removal verdict changes over the following year."""
    case = load_case_file(path)
    outlook = Engine.default().outlook(case, at, at + timedelta(days=OUTLOOK_DAYS))
    return case, evaluate(case, at), outlook
