"""Hostile reports: too big, too long, or built to make reading super-linear.

Before the fix, dating each event mention looked at every mention and date of the whole
article, so a text of repeated dated sentences took time in the square of its length (1 MB:
50 s; 160,000 characters: 20 s here). Now a mention looks only at its own sentence, a run
without a sentence end is cut into bounded pieces, and a text over ``MAX_REPORT_CHARS`` or a
file over ``MAX_REPORT_BYTES`` is refused with a clear error before any reading.
"""

import pytest

from refuge.errors import InputError
from refuge.ingest.article import read_article
from refuge.ingest.events import draft_cases
from refuge.ingest.events.sentences import MAX_SENTENCE_CHARS, split_sentences
from refuge.ingest.temporal import find_timexes
from refuge.limits import MAX_REPORT_BYTES, MAX_REPORT_CHARS
from refuge.services.analysis import analyze_report


def test_a_10_mb_report_is_refused_at_once_with_a_clear_error() -> None:
    data = b"On 5 March 2022, he was detained.\n" * (10_000_000 // 34 + 1)
    with pytest.raises(InputError) as info:
        analyze_report(data, name="hostile.txt")
    assert f"over the limit of {MAX_REPORT_BYTES / 1e6:.1f} MB" in str(info.value)


def test_a_text_longer_than_any_article_is_refused() -> None:
    text = "Title\n\n" + "word " * (MAX_REPORT_CHARS // 5 + 1)
    with pytest.raises(InputError, match=f"over the limit of {MAX_REPORT_CHARS:,}"):
        analyze_report(text, name="long.txt")


def test_a_run_on_sentence_is_cut_into_bounded_pieces() -> None:
    text = "detained and " * 10_000
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in sentences)
    assert sentences[0].start == 0 and sentences[-1].end == len(text.rstrip())


@pytest.mark.parametrize(
    "unit",
    ["On 5 March 2022, he was detained.\n", "He was detained in Almaty by the police. "],
    ids=["repeated-dates", "repeated-sentences"],
)
def test_repeated_dated_sentences_keep_exact_evidence(unit: str) -> None:
    text = "Title\n\n" + unit * (160_000 // len(unit))
    article = read_article(text, name="x.txt")
    timexes = find_timexes(article.text, article.published)
    cases = draft_cases(article, timexes, host_hint="KZ")
    # The time this takes (20 s before the fix) is measured by bench/hostile.py; here, that one
    # unnamed person is at most one case, not one per sentence, and its evidence quotes exactly.
    assert len(cases) <= 1
    quoted = [e for draft in cases for event in draft.case.events for e in event.evidence]
    for e in quoted:
        assert e.start is not None and article.text[e.start : e.end] == e.quote
