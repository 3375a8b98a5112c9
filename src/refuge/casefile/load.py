"""Validate a case file and build the domain ``Case`` from it.

All problems are collected and reported together (a lawyer fixing a file wants the whole list),
each as ``file:line: path: what is wrong; what is allowed``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from refuge.casefile.yamlmarks import Path, YamlProblem, load_with_lines
from refuge.domain import Case, DateRange, Event, Evidence, Person, Source
from refuge.domain.vocabulary import (
    CERTAINTIES,
    COMMON_EVENT_KEYS,
    EVENT_TYPES,
    REVIEW_STATES,
    Attr,
)
from refuge.errors import CaseFileError, InputError
from refuge.limits import MAX_CASE_FILE_BYTES, MAX_EVENTS_PER_CASE, MAX_FIELD_CHARS, read_capped

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_TOP_KEYS = ("case", "sources", "events", "facts")
_CASE_KEYS = ("id", "person", "host", "origin", "tags", "complete")
_PERSON_KEYS = ("name", "aliases", "citizenship", "born")
_SOURCE_KEYS = ("id", "title", "outlet", "url", "published")
_EVIDENCE_KEYS = ("id", "quote", "start", "end", "page")
_DATE_KEYS = ("earliest", "latest", "text")


def load_case_file(path: str | FsPath) -> Case:
    """Read and validate a case file; raise ``CaseFileError`` listing every problem."""
    fs_path = FsPath(path)
    return parse_case(read_case_text(fs_path), str(fs_path))


def read_case_text(path: FsPath, limit: int = MAX_CASE_FILE_BYTES) -> str:
    """The text of a case file (or an export, with a larger ``limit``), refused before it is
    read whole when it is over the limit."""
    try:
        return read_capped(path, limit, "case file").decode("utf-8")
    except InputError as exc:
        raise CaseFileError([str(exc)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError([f"{path}: cannot read the file: {exc}"]) from None


def parse_case(text: str, filename: str = "<case>") -> Case:
    data, lines = read_yaml(text, filename)
    return case_from_data(data, filename, lines)


def read_yaml(text: str, filename: str) -> tuple[Any, dict[Path, int]]:
    """Parse YAML (or JSON), keeping the line of every key for error messages."""
    try:
        return load_with_lines(text)
    except YamlProblem as exc:
        where = f"{filename}:{exc.line}" if exc.line else filename
        raise CaseFileError([f"{where}: {exc}"]) from None


def case_from_data(
    data: Any, filename: str = "<case>", lines: dict[Path, int] | None = None
) -> Case:
    """Validate already-parsed case-file data (e.g. embedded in a scenario file)."""
    return _Reader(filename, lines or {}).case(data)


class _Reader:
    def __init__(self, filename: str, lines: dict[Path, int]) -> None:
        self.filename = filename
        self.lines = lines
        self.problems: list[str] = []

    # -- reporting -------------------------------------------------------------------------
    def problem(self, path: Path, message: str) -> None:
        line = self._line(path)
        where = f"{self.filename}:{line}" if line else self.filename
        dotted = _dotted(path)
        self.problems.append(f"{where}: {dotted}: {message}" if dotted else f"{where}: {message}")

    def _line(self, path: Path) -> int | None:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def keys(self, data: Mapping[str, Any], path: Path, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.problem((*path, key), f"unknown key {key!r}; allowed: {', '.join(allowed)}")

    # -- the file --------------------------------------------------------------------------
    def case(self, data: Any) -> Case:
        if not isinstance(data, dict):
            raise CaseFileError(
                [f"{self.filename}: a case file is a mapping with keys {', '.join(_TOP_KEYS)}"]
            )
        self.keys(data, (), _TOP_KEYS)
        head = self.mapping(data.get("case"), ("case",), required=True)
        sources = tuple(self.sources(data.get("sources") or [], ("sources",)))
        known = {s.id for s in sources}
        events = tuple(self.events(data.get("events") or [], ("events",), known))
        facts = self.facts(data.get("facts") or {}, ("facts",))
        person = self.person(head.get("person"), ("case", "person"))
        host = self.country(head.get("host"), ("case", "host"), required=True)
        origin = self.country(head.get("origin"), ("case", "origin"), required=False)
        case_id = self.slug(head.get("id"), ("case", "id"))
        tags = tuple(self.strings(head.get("tags") or [], ("case", "tags")))
        complete = head.get("complete", False)
        if not isinstance(complete, bool):
            self.problem(
                ("case", "complete"),
                "must be true (a person checked that every event is recorded) or false",
            )
        self.keys(head, ("case",), _CASE_KEYS)
        if self.problems:
            raise CaseFileError(sorted(self.problems, key=_line_of))
        return Case(
            case_id, person, host or "", origin, events, sources, tags, facts, complete is True
        )

    def mapping(self, data: Any, path: Path, *, required: bool = False) -> dict[str, Any]:
        if data is None:
            if required:
                self.problem(path, "missing; it is required")
            return {}
        if not isinstance(data, dict):
            self.problem(path, f"must be a mapping, not {type(data).__name__}")
            return {}
        return data

    def slug(self, value: Any, path: Path) -> str:
        if not isinstance(value, str) or not _SLUG.match(value):
            self.problem(
                path, f"an id is required: letters, digits, '.', '_' or '-' (got {value!r})"
            )
            return ""
        return value

    def text(self, value: Any, path: Path, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.problem(path, "missing; it is required")
            return None
        if isinstance(value, (int, float, date)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problem(path, f"must be text, not {type(value).__name__}")
            return None
        if len(value) > MAX_FIELD_CHARS:
            self.problem(
                path, f"is {len(value):,} characters long; at most {MAX_FIELD_CHARS:,} allowed"
            )
            return None
        return value

    def strings(self, value: Any, path: Path) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(path, "must be a list of text")
            return []
        return [s for i, v in enumerate(value) if (s := self.text(v, (*path, i))) is not None]

    def country(self, value: Any, path: Path, *, required: bool) -> str | None:
        if value is None:
            if required:
                self.problem(path, "missing; give an ISO 3166-1 alpha-2 code such as KZ")
            return None
        if not isinstance(value, str) or not _COUNTRY.match(value):
            self.problem(
                path,
                f"{value!r} is not an ISO 3166-1 alpha-2 country code "
                "(two capital letters, e.g. KZ, RU)",
            )
            return None
        return value

    def date_range(self, value: Any, path: Path) -> DateRange | None:
        try:
            return _date_range(value, lambda key: self.keys(value, path, key))
        except ValueError as exc:
            self.problem(path, str(exc))
            return None

    # -- sections --------------------------------------------------------------------------
    def person(self, data: Any, path: Path) -> Person:
        data = self.mapping(data, path, required=True)
        self.keys(data, path, _PERSON_KEYS)
        name = self.text(data.get("name"), (*path, "name"), required=True) or ""
        aliases = tuple(self.strings(data.get("aliases") or [], (*path, "aliases")))
        citizenship = []
        for i, code in enumerate(data.get("citizenship") or []):
            if (c := self.country(code, (*path, "citizenship", i), required=True)) is not None:
                citizenship.append(c)
        born = data.get("born")
        born_range = self.date_range(born, (*path, "born")) if born is not None else None
        return Person(name, aliases, tuple(citizenship), born_range)

    def sources(self, data: Any, path: Path) -> list[Source]:
        if not isinstance(data, list):
            self.problem(path, "must be a list of sources")
            return []
        out = []
        for i, item in enumerate(data):
            p = (*path, i)
            item = self.mapping(item, p, required=True)
            self.keys(item, p, _SOURCE_KEYS)
            published = item.get("published")
            out.append(
                Source(
                    self.slug(item.get("id"), (*p, "id")),
                    self.text(item.get("title"), (*p, "title")),
                    self.text(item.get("outlet"), (*p, "outlet")),
                    self.text(item.get("url"), (*p, "url")),
                    self.date_range(published, (*p, "published"))
                    if published is not None
                    else None,
                )
            )
        self.unique([s.id for s in out], path)
        return out

    def unique(self, ids: list[str], path: Path) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident and ident in seen:
                self.problem((*path, i, "id"), f"duplicate id {ident!r}")
            seen.add(ident)

    def facts(self, data: Any, path: Path) -> dict[str, bool]:
        data = self.mapping(data, path)
        out = {}
        for key, value in data.items():
            if not isinstance(value, bool):
                self.problem((*path, key), "a fact is true or false")
            else:
                out[key] = value
        return out

    def events(self, data: Any, path: Path, sources: set[str]) -> list[Event]:
        if not isinstance(data, list):
            self.problem(path, "must be a list of events")
            return []
        if len(data) > MAX_EVENTS_PER_CASE:
            self.problem(
                path, f"{len(data):,} events; a case holds at most {MAX_EVENTS_PER_CASE:,}"
            )
            return []
        out = []
        for i, item in enumerate(data):
            event = self.event(item, (*path, i), sources, default_id=f"e{i + 1}")
            if event is not None:
                out.append(event)
        self.unique([e.id for e in out], path)
        return out

    def event(self, data: Any, path: Path, sources: set[str], default_id: str) -> Event | None:
        data = self.mapping(data, path, required=True)
        kind = data.get("type")
        if kind not in EVENT_TYPES:
            self.problem(
                (*path, "type"), f"unknown event type {kind!r}; allowed: {', '.join(EVENT_TYPES)}"
            )
            return None
        spec = EVENT_TYPES[kind]
        self.keys(data, path, COMMON_EVENT_KEYS + tuple(spec.attrs))
        when = self.date_range(data.get("date"), (*path, "date"))
        if "date" not in data:
            self.problem(
                (*path, "date"),
                "missing; every event needs a date (a day, a month, a year or {earliest, latest})",
            )
        attrs = {
            k: self.attribute(v, spec.attrs[k], (*path, k))
            for k, v in data.items()
            if k in spec.attrs
        }
        evidence = self.evidence(data.get("source"), (*path, "source"), sources)
        certainty = self.choice(data.get("certainty"), (*path, "certainty"), CERTAINTIES)
        review = self.choice(data.get("review"), (*path, "review"), REVIEW_STATES)
        sequence = data.get("sequence")
        if sequence is not None and (not isinstance(sequence, int) or isinstance(sequence, bool)):
            self.problem((*path, "sequence"), "must be a whole number ordering same-day events")
            sequence = None
        ident = data.get("id", default_id)
        ident = self.slug(ident, (*path, "id"))
        if when is None:
            return None
        return Event(
            ident,
            kind,
            when,
            attrs,
            evidence,
            certainty,
            self.text(data.get("note"), (*path, "note")),
            review,
            sequence,
        )

    def choice(self, value: Any, path: Path, allowed: tuple[str, ...]) -> str | None:
        if value is None:
            return None
        if value not in allowed:
            self.problem(path, f"{value!r} is not allowed; allowed: {', '.join(allowed)}")
            return None
        return str(value)

    def attribute(self, value: Any, spec: Attr, path: Path) -> Any:
        if spec.kind == "bool" and not isinstance(value, bool):
            self.problem(path, "must be true or false")
        elif spec.kind == "number" and (
            isinstance(value, bool) or not isinstance(value, (int, float))
        ):
            self.problem(path, "must be a number")
        elif spec.kind == "country":
            return self.country(value, path, required=True)
        elif spec.kind == "date":
            return self.date_range(value, path)
        elif spec.kind == "enum" and value not in spec.values and not spec.open_enum:
            self.problem(path, f"{value!r} is not allowed; allowed: {', '.join(spec.values)}")
        elif spec.kind == "enum_list":
            return self.enum_list(value, spec, path)
        elif spec.kind == "bool_or_text" and not isinstance(value, (bool, str)):
            self.problem(path, "must be true, false or a few words")
        elif spec.kind == "text":
            return self.text(value, path)
        return value

    def enum_list(self, value: Any, spec: Attr, path: Path) -> Any:
        """One allowed value, or a non-empty list of them, kept as written (loss-free)."""
        items = value if isinstance(value, list) else [value]
        if not items:
            self.problem(path, f"an empty list; give one or more of: {', '.join(spec.values)}")
        for i, item in enumerate(items):
            if item not in spec.values and not spec.open_enum:
                where = (*path, i) if isinstance(value, list) else path
                self.problem(where, f"{item!r} is not allowed; allowed: {', '.join(spec.values)}")
        return value

    def evidence(self, value: Any, path: Path, sources: set[str]) -> tuple[Evidence, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            p = (*path, i) if isinstance(value, list) else path
            if isinstance(item, str):
                item = {"id": item}
            item = self.mapping(item, p, required=True)
            self.keys(item, p, _EVIDENCE_KEYS)
            sid = self.text(item.get("id"), (*p, "id"), required=True) or ""
            if sid and sid not in sources:
                self.problem((*p, "id"), f"source {sid!r} is not listed under sources")
            start, end = item.get("start"), item.get("end")
            if (
                (start is None) != (end is None)
                or any(
                    v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0)
                    for v in (start, end)
                )
                or (start is not None and end is not None and start > end)
            ):
                self.problem(
                    p, "start and end are character offsets: two whole numbers, start <= end"
                )
                start = end = None
            page = item.get("page")
            if page is not None and (
                not isinstance(page, int) or isinstance(page, bool) or page < 1
            ):
                self.problem((*p, "page"), "page is a page number: a whole number from 1")
                page = None
            quote = self.text(item.get("quote"), (*p, "quote"))
            out.append(Evidence(sid, quote, start, end, page))
        return tuple(out)


def _date_range(value: Any, check_keys: Callable[[tuple[str, ...]], None]) -> DateRange:
    if isinstance(value, dict):
        check_keys(_DATE_KEYS)  # reports an unknown key at its own path, then reads the rest
        value = {k: v for k, v in value.items() if k in _DATE_KEYS}
    return DateRange.from_data(value)


def _line_of(problem: str) -> int:
    head = problem.split(": ", 1)[0]
    number = head.rsplit(":", 1)[-1]
    return int(number) if number.isdigit() else 0


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
