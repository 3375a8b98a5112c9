"""The search index: the folded words of every case's names and report text, by case.

A case's words are those of its person's name and aliases, its id, the texts of the reports
it was read from and the quotes of its evidence (an imported case file has no report, only
quotes). Each word is folded as identity resolution folds names (``merge.fold``: Cyrillic
transliterated, spelling variants such as zh/j, kh/h, -iy/-y/-ii, yo/e and double letters
folded), so "Жилин", "Zhilin" and "Jilin" are one word, on both sides of the search.

One table on both databases, ``search_terms`` (token, case, whether the token is in a name),
so a query gives the same cases on SQLite and PostgreSQL. Its ``token`` column is a
``BlindKey``: in the SQLCipher file the folded word is stored as it is (the whole file is
encrypted); on PostgreSQL it is replaced by a keyed HMAC of the folded word (columns.py), so
the server holds no word of anyone's name or report, and a query is matched token by token
after the same HMAC. What an administrator of PostgreSQL still sees: how many distinct
tokens a case has and which cases share a token (docs/security.md).

The index follows every change: ``resolve.write_index`` (called wherever a case is created,
merged, imported, reviewed or edited) and ``repository.update_person`` re-index the case; a
deleted case takes its rows with it (``ON DELETE CASCADE``); ``rebuild`` makes it anew.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from sqlalchemy import Connection, delete, insert, select

from refuge.storage.merge import fold
from refuge.storage.tables import cases, events, evidence, people, reports, search_terms, sources

_WORD = re.compile(r"\w+")
#: Folded tokens shorter than this are not indexed (initials, stray letters).
MIN_TOKEN = 2
BATCH = 500


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> tuple[str, ...]:
    """The folded tokens of one word as written (usually one; none for a number)."""
    return tuple(t for t in fold(word).split() if len(t) >= MIN_TOKEN)


def tokens(text: str) -> set[str]:
    """The distinct folded tokens of ``text``."""
    return {t for m in _WORD.finditer(text) for t in fold_word(m.group())}


def word_spans(text: str) -> Iterable[tuple[int, int, tuple[str, ...]]]:
    """Each word of ``text`` with its offsets and folded tokens (for snippets)."""
    for m in _WORD.finditer(text):
        found = fold_word(m.group())
        if found:
            yield m.start(), m.end(), found


def case_terms(connection: Connection, pks: Sequence[int]) -> dict[int, dict[str, bool]]:
    """``{case: {token: in a name}}`` for the cases ``pks``, read from the store."""
    terms: dict[int, dict[str, bool]] = {pk: {} for pk in pks}

    def add(pk: int, text: str | None, in_name: bool) -> None:
        if text:
            found = terms[pk]
            for token in tokens(text):
                found[token] = found.get(token, False) or in_name

    rows = connection.execute(
        select(cases.c.pk, cases.c.id, people.c.name, people.c.aliases)
        .outerjoin(people, people.c.case_pk == cases.c.pk)
        .where(cases.c.pk.in_(pks))
    )
    for row in rows:
        for name in (row.id, row.name, *(row.aliases or ())):
            add(row.pk, name, True)
    texts = connection.execute(
        select(sources.c.case_pk, reports.c.text)
        .join(reports, reports.c.pk == sources.c.report_pk)
        .where(sources.c.case_pk.in_(pks), reports.c.text.is_not(None))
        .distinct()
    )
    for text_row in texts:
        add(text_row.case_pk, text_row.text, False)
    quotes = connection.execute(
        select(events.c.case_pk, evidence.c.quote)
        .join(evidence, evidence.c.event_pk == events.c.pk)
        .where(events.c.case_pk.in_(pks), evidence.c.quote.is_not(None))
    )
    for quote_row in quotes:
        add(quote_row.case_pk, quote_row.quote, False)
    return terms


def index_cases(connection: Connection, pks: Sequence[int]) -> None:
    """Replace the index rows of the cases ``pks`` by what the store holds for them now."""
    for start in range(0, len(pks), BATCH):
        chunk = list(pks[start : start + BATCH])
        connection.execute(delete(search_terms).where(search_terms.c.case_pk.in_(chunk)))
        rows = [
            {"case_pk": pk, "token": token, "in_name": in_name}
            for pk, found in case_terms(connection, chunk).items()
            for token, in_name in found.items()
        ]
        if rows:
            connection.execute(insert(search_terms), rows)


def rebuild(connection: Connection, progress: Callable[[int], None] | None = None) -> int:
    """Index every case anew; ``progress`` is told how many cases each batch did."""
    connection.execute(delete(search_terms))
    pks = list(connection.execute(select(cases.c.pk).order_by(cases.c.pk)).scalars())
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        index_cases(connection, chunk)
        if progress is not None:
            progress(len(chunk))
    return len(pks)


def query_tokens(query: str) -> list[str]:
    """The distinct folded tokens of a query, in order of first appearance."""
    ordered: dict[str, None] = {}
    for m in _WORD.finditer(query):
        ordered.update(dict.fromkeys(fold_word(m.group())))
    return list(ordered)


def texts_of(connection: Connection, pks: Sequence[int]) -> dict[int, list[str]]:
    """The report texts and quotes of the cases ``pks`` (where snippets are taken from)."""
    found: dict[int, list[str]] = defaultdict(list)
    texts = connection.execute(
        select(sources.c.case_pk, reports.c.pk, reports.c.text)
        .join(reports, reports.c.pk == sources.c.report_pk)
        .where(sources.c.case_pk.in_(pks), reports.c.text.is_not(None))
        .distinct()
        .order_by(sources.c.case_pk, reports.c.pk)
    )
    for row in texts:
        found[row.case_pk].append(row.text)
    quotes = connection.execute(
        select(events.c.case_pk, evidence.c.quote)
        .join(evidence, evidence.c.event_pk == events.c.pk)
        .where(events.c.case_pk.in_(pks), evidence.c.quote.is_not(None))
        .order_by(events.c.case_pk, evidence.c.pk)
    )
    for quote_row in quotes:
        found[quote_row.case_pk].append(quote_row.quote)
    return found


__all__ = [
    "case_terms",
    "fold_word",
    "index_cases",
    "query_tokens",
    "rebuild",
    "texts_of",
    "tokens",
    "word_spans",
]
