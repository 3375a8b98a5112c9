"""Any text gives valid drafts: no exception, round-trip, quotes at their offsets."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refuge.casefile import dump_yaml, parse_case
from refuge.ingest.article import Article
from refuge.ingest.events import draft_cases
from refuge.ingest.temporal import find_timexes

PIECES = [
    "Ivan Petrov", "Petrov", "he", "was", "not", "could be", "deported", "extradited",
    "detained", "released", "to Russia", "from Kazakhstan", "in Almaty", "on May 3",
    "in late November", "on Wednesday", "after", "being", "and", "said", "reported", ",",
    ".", "\n", "\n\n", "upheld his deportation", "lost his appeal", "appealed the decision",
    "requested asylum", "refused his asylum claim", "Between February and April", "2019",
    "since 2015", "lived in Kazakhstan", "a Russian citizen", "36", "(Ivanov)", '"',
    "Upon his return",
    "sentenced", "in absentia", "charged with", "faces torture", "the UN Committee against Torture",
    "asked Kazakhstan not to extradite him", "Anna Smirnova,", "his wife", "told",
]  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(st.sampled_from(PIECES), min_size=0, max_size=60),
    day=st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)),
    dated=st.booleans(),
)
def test_any_text_gives_valid_drafts(words: list[str], day: datetime.date, dated: bool) -> None:
    text = " ".join(words)
    published = day if dated else None
    article = Article(text, "text", None, None, None, published, None, "en", 0)
    for drafted in draft_cases(article, find_timexes(text, published)):
        assert parse_case(dump_yaml(drafted.case)) == drafted.case
        assert 0.0 <= drafted.confidence <= 1.0
        for event in drafted.case.events:
            assert event.date.earliest <= event.date.latest
            for evidence in event.evidence:
                assert evidence.start is not None and evidence.end is not None
                assert text[evidence.start : evidence.end] == evidence.quote
