"""The event extractor: from a news report to draft case timelines (people, events, dates).

    from refuge.ingest.events import draft_cases
    drafts = draft_cases(article, timexes)

See ``draft`` for the pipeline and ``docs/extraction.md`` for the rules and their limits.
"""

from __future__ import annotations

from refuge.ingest.events.draft import DraftCase, draft_cases

__all__ = ["DraftCase", "draft_cases"]
