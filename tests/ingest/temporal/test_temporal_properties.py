"""Properties that must hold for any input: no crash, valid offsets, ordered intervals."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from refuge.ingest.temporal import find_timexes

WORDS = [
    "in", "late", "early", "mid-", "November", "May", "last", "next", "this", "year", "week",
    "fall", "Friday", "on", "Sept.", "26", "2022", "two", "days", "later", "ago", "the", "past",
    "15", "years", "36", ",", ".", "now", "recently", "12:00", "UTC", "a.m.", "Q3", "'82",
    "1990s", "century", "earlier", "month", "quarter", "first", "of", "summer", "\n", "29",
    "February", "31", "April", "0", "99/99/99", "2/29/2023", "every", "annual",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
)
dcts = st.one_of(st.none(), st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)))


@settings(max_examples=400, deadline=None)
@given(texts, dcts)
def test_any_text_gives_valid_ordered_timexes(text: str, dct: datetime.date | None) -> None:
    found = find_timexes(text, dct)
    previous_end = 0
    for t in found:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.start >= previous_end  # in order, never overlapping
        previous_end = t.end
        assert t.type in {"DATE", "TIME", "DURATION", "SET"}
        assert t.value
        if t.earliest is not None and t.latest is not None:
            assert t.earliest <= t.latest
        if t.type in {"DURATION", "SET"}:
            assert t.earliest is None and t.latest is None
        if dct is None and t.value[:1] not in "0123456789":
            assert t.earliest is None or t.value == "PRESENT_REF"
