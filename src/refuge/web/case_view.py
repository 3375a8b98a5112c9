"""What the case page shows besides the case itself: the summary, the timeline drawn both
ways, and the sources with their links. The route in ``web/pages.py`` stays one call."""

from __future__ import annotations

from datetime import date
from typing import Any

from refuge.services.case_summary import day_text, range_text, safe_url, summarise
from refuge.services.store import CaseView
from refuge.web.timeline import draw


def context(view: CaseView, at: date) -> dict[str, Any]:
    """The template's variables for ``view`` evaluated at ``at`` (the request's "today")."""
    case = view.case
    return {
        "summary": summarise(case, view.evaluation, at),
        "timeline": draw(case, view.evaluation, at),
        "sources": {s.id: s for s in case.sources},
        "links": {s.id: safe_url(s.url) for s in case.sources},
        "day_text": day_text,
        "range_text": range_text,
    }
