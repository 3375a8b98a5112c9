"""Search across cases and stored report text, for the CLI, the REST API and the web pages.

A query is folded word by word as names are (``storage.search_index``): "Жилин" finds a person
written "Zhilin" and the reverse, and common spelling variants match. A case is found when
every word of the query is among the words of its names, its id, its reports or its quotes;
cases whose *names* hold the query come first, then the most recently changed. Only the cases
the acting principal may see are searched (``auth.access.visible``); the command line's
operator (``principal=None``) sees every case, as every command-line listing does.

Each result carries the person, the case, the host and a snippet of the text that matched
(taken from the decrypted report text, so it works the same on PostgreSQL, whose index holds
only keyed tokens). The query itself is never logged or audited: the audit entry says how
many cases were found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, exists, func, literal, select, true
from sqlalchemy.sql.visitors import replacement_traverse

from refuge.auth.access import visible
from refuge.auth.users import Principal
from refuge.errors import InputError
from refuge.storage import Store, search_index
from refuge.storage.audit import record
from refuge.storage.tables import cases, people, search_terms

MAX_QUERY = 200  # characters
MAX_WORDS = 8
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SNIPPET = 200  # characters around the best match
COUNT_CAP = 200  # matches counted per pass beyond a page: "200 or more" is all a reader needs
RARITY_CAP = 1000  # postings counted to find a query's rarest word


@dataclass(frozen=True, slots=True)
class Hit:
    """One case found: who, which case, where, and the text that matched."""

    ref: int  # the case's key (URLs carry it, never the id, which is made of a name)
    case: str
    name: str
    host: str
    in_name: bool  # the query is in the person's names or the case id
    snippet: str  # a stretch of report text or quote holding the words, "" if none does
    marks: tuple[tuple[int, int], ...] = ()  # the matching words, as offsets in ``snippet``

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "case": self.case,
            "name": self.name,
            "host": self.host,
            "in_name": self.in_name,
            "snippet": self.snippet,
            "marks": [list(m) for m in self.marks],
        }


@dataclass(frozen=True, slots=True)
class Results:
    total: int  # counted up to COUNT_CAP in each pass (names, text)
    more: bool  # a pass reached COUNT_CAP: there may be more matches than ``total``
    hits: list[Hit] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "more": self.more, "hits": [h.to_json() for h in self.hits]}


def search(
    store: Store,
    principal: Principal | None,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    actor: str | None = None,
) -> Results:
    """The cases ``principal`` may see that match ``query``, best first (at most ``limit``).
    The read is audited under ``actor`` (default: the principal's name)."""
    wanted = parse_query(query)
    limit = max(1, min(limit, MAX_LIMIT))
    with store.read() as connection:
        total, more, rows = _matches(connection, principal, wanted, limit)
        texts = search_index.texts_of(connection, [r.pk for r in rows])
    hits = [_hit(r, texts.get(r.pk, []), wanted) for r in rows]
    who = actor or (principal.name if principal is not None else "operator")
    with store.write() as connection:
        record(connection, who, "search", "store", None, f"search: {total} cases found")
    return Results(total, more, hits)


def parse_query(query: str) -> list[str]:
    """The folded words of ``query``; a clear error for an empty or oversized one."""
    if len(query) > MAX_QUERY:
        raise InputError(f"the search is too long: at most {MAX_QUERY} characters")
    wanted = search_index.query_tokens(query)
    if not wanted:
        raise InputError("the search needs a word of at least two letters (a name, a place)")
    if len(wanted) > MAX_WORDS:
        raise InputError(f"the search has too many words: at most {MAX_WORDS}")
    return wanted


def _matches(
    connection: Connection, principal: Principal | None, wanted: list[str], limit: int
) -> tuple[int, bool, list[Any]]:
    """The first ``limit`` matches, how many there are (counted up to ``COUNT_CAP``) and
    whether there may be more: cases with every word in their names first, then the others,
    newest case first in each.

    Each pass walks the postings of the query's rarest word backwards by case key and probes
    the other words' postings by primary key, so it stops after a page however common the
    words are (a GROUP BY over every posting of "court" would read half the index)."""
    ordered = _by_rarity(connection, wanted)
    allowed = true() if principal is None else _on_postings(visible(principal))
    rows = list(connection.execute(_page(_keys(ordered, allowed, True), limit)).all())
    if len(rows) == limit:
        return _count(connection, _keys(ordered, allowed, False), limit, rows)
    shown = {r.pk for r in rows}
    every = connection.execute(_page(_keys(ordered, allowed, False), limit + len(rows))).all()
    rows += [r for r in every if r.pk not in shown][: limit - len(rows)]
    if len(every) < limit + len(shown):  # every match was read: no counting
        return len(every), False, rows
    return _count(connection, _keys(ordered, allowed, False), limit, rows)


def _count(
    connection: Connection, keys: Select[Any], limit: int, rows: list[Any]
) -> tuple[int, bool, list[Any]]:
    capped = keys.limit(COUNT_CAP).subquery()
    total = int(connection.execute(select(func.count()).select_from(capped)).scalar_one())
    return max(total, len(rows)), total >= COUNT_CAP, rows


def _by_rarity(connection: Connection, wanted: list[str]) -> list[str]:
    """The query's words, rarest first (postings counted up to ``RARITY_CAP``, all words in
    one statement)."""
    t = search_terms
    counts = connection.execute(
        select(
            *(
                select(func.count())
                .select_from(
                    select(t.c.case_pk).where(t.c.token == token).limit(RARITY_CAP).subquery()
                )
                .scalar_subquery()
                for token in wanted
            )
        )
    ).one()
    return [w for _, _, w in sorted(zip(counts, range(len(wanted)), wanted, strict=True))]


_DRIVE = search_terms.alias("t0")


def _on_postings(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``auth.access.visible`` applied to the postings' case key rather than ``cases.pk``: the
    database then walks the postings alone and joins cases only for the page."""

    def swap(element: Any, **_kw: Any) -> Any:
        return _DRIVE.c.case_pk if element is cases.c.pk else None

    options: dict[str, Any] = {}
    adapted: ColumnElement[bool] = replacement_traverse(condition, options, swap)
    return adapted


def _keys(ordered: list[str], allowed: Any, in_name: bool) -> Select[Any]:
    """The keys of the visible cases holding every word of ``ordered`` (all in their names
    when ``in_name``), newest first: the rarest word's postings, probed for the others."""
    drive = _DRIVE
    conditions = [drive.c.token == ordered[0], allowed]
    if in_name:
        conditions.append(drive.c.in_name == true())
    for i, token in enumerate(ordered[1:], start=1):
        probe = search_terms.alias(f"t{i}")
        found = exists().where(probe.c.token == token, probe.c.case_pk == drive.c.case_pk)
        conditions.append(found.where(probe.c.in_name == true()) if in_name else found)
    # Case keys are random (no existence oracle), so "newest" is the creation time; keys break
    # ties in the order of a bulk import, whose keys are handed out sorted.
    query = (
        select(drive.c.case_pk, cases.c.created_at)
        .join(cases, cases.c.pk == drive.c.case_pk)
        .where(*conditions)
        .order_by(cases.c.created_at.desc(), drive.c.case_pk.desc())
    )
    return query.add_columns(literal(in_name).label("in_name"))


def _page(keys: Select[Any], limit: int) -> Select[Any]:
    """The people and cases of the first ``limit`` keys, in the keys' order."""
    found = keys.limit(limit).subquery()
    return (
        select(cases.c.pk, cases.c.id, cases.c.host, people.c.name, found.c.in_name)
        .select_from(found)
        .join(cases, cases.c.pk == found.c.case_pk)
        .join(people, people.c.case_pk == cases.c.pk)
        .order_by(found.c.created_at.desc(), found.c.case_pk.desc())
    )


def _hit(row: Any, texts: list[str], wanted: list[str]) -> Hit:
    snippet, marks = best_snippet(texts, set(wanted))
    return Hit(
        int(row.pk), str(row.id), str(row.name), str(row.host), bool(row.in_name), snippet, marks
    )


def best_snippet(texts: list[str], wanted: set[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The stretch of ``texts`` (about ``SNIPPET`` characters, cut at word boundaries) holding
    the most distinct query words, with the offsets of the matching words in it."""
    best: tuple[int, str, list[tuple[int, int]]] = (0, "", [])
    for text in texts:
        spans = [(s, e, set(f) & wanted) for s, e, f in search_index.word_spans(text)]
        spans = [x for x in spans if x[2]]
        for i, (start, _end, _found) in enumerate(spans):
            window = [x for x in spans[i:] if x[1] <= start + SNIPPET - 40]
            covered = len(set().union(*(x[2] for x in window)))
            if covered > best[0]:
                best = (covered, text, [(s, e) for s, e, _ in window])
            if covered == len(wanted):
                break
        if best[0] == len(wanted):
            break
    count, text, marks = best
    if not count:
        return "", ()
    return _cut(text, marks)


def _cut(text: str, marks: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    start = max(0, marks[0][0] - 40)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < marks[0][0] else start
    end = min(len(text), start + SNIPPET)
    if end < len(text):
        space = text.rfind(" ", marks[-1][1], end)
        end = space if space > 0 else end
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    body = " ".join(text[start:end].split())  # one line, whatever the report's layout
    # Offsets shift when whitespace is collapsed: find each mark again in the collapsed text.
    shown = prefix + body + suffix
    found: list[tuple[int, int]] = []
    at = len(prefix)
    for s, e in marks:
        word = text[s:e]
        where = shown.find(word, at)
        if where >= 0:
            found.append((where, where + len(word)))
            at = where + len(word)
    return shown, tuple(found)


def reindex(store: Store, actor: str, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the search index of every case (``refuge search --reindex``); one transaction."""
    with store.write() as connection:
        count = search_index.rebuild(connection, progress)
        record(connection, actor, "index", "store", None, f"search index: {count} cases")
    return count


__all__ = ["Hit", "Results", "best_snippet", "parse_query", "reindex", "search"]
