"""Fixtures: a `draft` helper that runs the reading pipeline on a short text."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest

from refuge.ingest.article import read_article
from refuge.ingest.events import DraftCase, draft_cases
from refuge.ingest.temporal import find_timexes

SHARED = Path(__file__).resolve().parents[3].parent / "shared"

Drafter = Callable[..., list[DraftCase]]


def run_pipeline(text: str, published: datetime.date, **options: object) -> list[DraftCase]:
    """Article → time expressions → draft cases, as `refuge analyze` chains them. A title line
    is added, as the article reader takes a text's first line for the headline."""
    article = read_article("A report\n\n" + text, name="report.txt", published=published)
    return draft_cases(article, find_timexes(article.text, article.published), **options)  # type: ignore[arg-type]


@pytest.fixture()
def draft() -> Drafter:
    return run_pipeline
