"""Check and evaluate case files: the use cases behind ``refuge check`` and ``refuge evaluate``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from refuge.casefile import load_case_file
from refuge.domain import Case
from refuge.rules.engine import evaluate
from refuge.rules.results import Evaluation


def check_case_file(path: Path) -> Case:
    """Validate a case file; raises ``CaseFileError`` listing every problem. Writes nothing."""
    return load_case_file(path)


def evaluate_case_file(path: Path, at: date) -> tuple[Case, Evaluation]:
    case = load_case_file(path)
    return case, evaluate(case, at)
