"""Find, read, check and compile the law packs into one immutable ``Library``.

A pack is a folder of YAML files (see docs/lawpacks.md). Loading checks everything a lawyer
could get wrong: the schema, unknown fluents or attributes in expressions, overlapping rule
versions, exceptions that reach across legal orders or defeat a non-derogable rule, exception
cycles, deadlines naming unknown conventions. The result is compiled once and cached.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from refuge.casefile.yamlmarks import YamlProblem, load_with_lines
from refuge.domain.vocabulary import EVENT_TYPES
from refuge.errors import InputError, LawPackError
from refuge.limits import MAX_CASE_FILE_BYTES, read_capped
from refuge.rules.deadlines import WorkingCalendar
from refuge.rules.expr import Condition, Filter, compile_condition, compile_filter
from refuge.rules.gates import Gates, PartyLookup, is_national
from refuge.rules.schema import (
    Calendar,
    Convention,
    Deadline,
    FluentDef,
    FuzzyDay,
    PackMeta,
    Pattern,
    Rule,
    Version,
)
from refuge.rules.timeline import Point

M = TypeVar("M", bound=BaseModel)

#: Instrument ids of case-format.md, plus those packs declare in ``instruments``.
BASE_INSTRUMENTS = {
    "refugee-convention",
    "cat",
    "iccpr",
    "iccpr-op1",
    "kz-refugees",
    "kz-cpc",
    "kz-cc",
    "kz-pec",
    "kz-policy-2022-09-27",
}


@dataclass(frozen=True, eq=False)  # identity: the loader compiles each distinct pattern once
class CompiledPattern:
    event: str
    filter: Filter | None


@dataclass(frozen=True)
class CompiledFluent:
    name: str
    description: str
    initiated_by: tuple[CompiledPattern, ...]
    terminated_by: tuple[CompiledPattern, ...]
    timeless: bool = False


@dataclass(frozen=True)
class CompiledVersion:
    spec: Version
    start: Point | None  # entry into force (may be fuzzy)
    end: Point | None  # first day no longer in force
    condition: Condition | None


@dataclass(frozen=True, eq=False)  # identity: a rule is hashed and compared as itself
class CompiledRule:
    spec: Rule
    order: str
    pack: str
    versions: tuple[CompiledVersion, ...]
    check_at: CompiledPattern | None


@dataclass(frozen=True)
class CompiledDeadline:
    spec: Deadline
    order: str
    trigger: CompiledPattern
    met_by: tuple[CompiledPattern, ...]
    pending_until: tuple[CompiledPattern, ...]
    convention: Convention
    calendar: WorkingCalendar | None


@dataclass(frozen=True)
class PackInfo:
    meta: PackMeta
    path: Path
    sha256: str
    removal_basis: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Library:
    """All loaded packs, compiled: what the engine evaluates a case against."""

    packs: tuple[PackInfo, ...]
    fluents: dict[str, CompiledFluent]
    rules: tuple[CompiledRule, ...]
    deadlines: tuple[CompiledDeadline, ...]
    orders_requiring_basis: dict[str, dict[str, str]]  # order -> {mode: basis fluent}
    conventions: dict[str, Convention] = field(default_factory=dict)
    calendars: dict[str, WorkingCalendar] = field(default_factory=dict)
    gates: Gates = field(default_factory=lambda: Gates({}, {}, None))

    def with_parties(self, parties: PartyLookup | None) -> Library:
        """The same law judged against another party table (tests use small ones)."""
        gates = Gates(self.gates.national, self.gates.party_to, parties)
        return dataclasses.replace(self, gates=gates)

    def rule(self, rule_id: str) -> CompiledRule:
        for rule in self.rules:
            if rule.spec.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def orders(self) -> list[str]:
        seen: dict[str, None] = {}
        for rule in self.rules:
            seen.setdefault(rule.order)
        return list(seen)


def default_pack_dir() -> Path:
    return Path(str(resources.files("refuge") / "lawpacks"))


@cache
def load_library(pack_dir: Path | None = None) -> Library:
    """Load every pack under ``pack_dir`` (default: the bundled packs)."""
    return _Loader(pack_dir or default_pack_dir()).library()


def _party_table(root: Path) -> PartyLookup:
    """The party table of the packs under ``root`` (their ``parties.yaml`` files)."""
    from refuge.rules.parties import load_party_table  # imports this module: load it late

    return load_party_table(root)


def _read_yaml(path: Path) -> Any:
    try:
        data, _ = load_with_lines(read_capped(path, MAX_CASE_FILE_BYTES, "law pack file").decode())
    except InputError as exc:
        raise LawPackError(str(exc)) from None
    except YamlProblem as exc:
        raise LawPackError(f"{path}:{exc.line}: {exc}") from None
    return data


def _model(cls: type[M], data: Any, where: str) -> M:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise LawPackError(f"{where}: {details}") from None


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.fluent_defs: dict[str, FluentDef] = {}
        self.conventions: dict[str, Convention] = {}
        self.calendars: dict[str, WorkingCalendar] = {}
        self.instruments = set(BASE_INSTRUMENTS)
        self.patterns: dict[tuple[str, str], CompiledPattern] = {}

    def pack_dirs(self) -> Iterator[Path]:
        if not self.root.is_dir():
            raise LawPackError(f"{self.root}: no law-pack folder here")
        yield from sorted(p for p in self.root.iterdir() if (p / "pack.yaml").is_file())

    def library(self) -> Library:
        packs, raw_rules, raw_deadlines = [], [], []
        for folder in self.pack_dirs():
            info = self.pack(folder)
            packs.append(info)
            raw_rules += [(info, r, f) for r, f in self.items(folder, "rules", Rule)]
            raw_deadlines += [(info, d, f) for d, f in self.items(folder, "deadlines", Deadline)]
        fluents = {name: self.fluent(name, d) for name, d in self.fluent_defs.items()}
        deadlines = tuple(self.deadline(info, d, f) for info, d, f in raw_deadlines)
        for d in deadlines:
            for name, text in _produced(d.spec):
                if name in fluents:
                    raise LawPackError(f"deadline {d.spec.id}: fluent {name!r} exists")
                fluents[name] = CompiledFluent(name, text, (), ())
        rules = tuple(self.rule(info, r, f, fluents) for info, r, f in raw_rules)
        _check_rules(rules, {d.spec.id for d in deadlines}, self.instruments)
        basis = {i.meta.order: i.removal_basis for i in packs if i.removal_basis}
        for order, modes in basis.items():
            for fluent in modes.values():
                if fluent not in fluents:
                    raise LawPackError(f"order {order}: removal basis fluent {fluent!r} unknown")
        national = {
            i.meta.order: i.meta.jurisdiction for i in packs if is_national(i.meta.jurisdiction)
        }
        party_to = {i.meta.order: tuple(i.meta.party_to) for i in packs if i.meta.party_to}
        party_to |= {r.spec.id: tuple(r.spec.party_to) for r in rules if r.spec.party_to}
        for instruments in party_to.values():
            for name in instruments:
                if name not in self.instruments:
                    raise LawPackError(f"party_to names unknown instrument {name!r}")
        gates = Gates(national, party_to, _party_table(self.root))
        return Library(
            tuple(packs),
            fluents,
            rules,
            deadlines,
            basis,
            self.conventions,
            self.calendars,
            gates,
        )

    def pack(self, folder: Path) -> PackInfo:
        data = _read_yaml(folder / "pack.yaml")
        basis = data.pop("removal_basis", {}) if isinstance(data, dict) else {}
        meta = _model(PackMeta, data, str(folder / "pack.yaml"))
        self.instruments |= set(meta.instruments)
        digest = hashlib.sha256()
        for path in sorted(folder.rglob("*.yaml")):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
        for name, spec in (
            (_read_yaml(folder / "fluents.yaml") or {}).items()
            if (folder / "fluents.yaml").is_file()
            else []
        ):
            if name in self.fluent_defs:
                raise LawPackError(f"{folder / 'fluents.yaml'}: fluent {name!r} defined twice")
            self.fluent_defs[name] = _model(FluentDef, spec, f"{folder}/fluents.yaml: {name}")
        if (folder / "conventions.yaml").is_file():
            for name, spec in (_read_yaml(folder / "conventions.yaml") or {}).items():
                self.conventions[name] = _model(Convention, spec, f"{folder}/conventions: {name}")
        for path in sorted((folder / "calendars").glob("*.yaml")):
            cal = _model(Calendar, _read_yaml(path), str(path))
            self.calendars[cal.id] = WorkingCalendar(cal)
        return PackInfo(meta, folder, digest.hexdigest(), dict(basis or {}))

    def items(self, folder: Path, stem: str, cls: type[M]) -> Iterator[tuple[M, str]]:
        files = [folder / f"{stem}.yaml", *sorted((folder / stem).glob("*.yaml"))]
        for path in files:
            if not path.is_file():
                continue
            items = _read_yaml(path) or []
            if not isinstance(items, list):
                raise LawPackError(f"{path}: must be a list of {stem}")
            for i, item in enumerate(items):
                ident = item.get("id", f"#{i}") if isinstance(item, dict) else f"#{i}"
                where = f"{path}: {stem}[{i}] ({ident})"
                yield _model(cls, item, where), where

    def pattern(self, pattern: Pattern | str, where: str) -> CompiledPattern:
        if isinstance(pattern, str):
            pattern = Pattern(event=pattern)
        spec = EVENT_TYPES.get(pattern.event)
        if spec is None:
            raise LawPackError(f"{where}: unknown event type {pattern.event!r}")
        key = (pattern.event, " ".join(pattern.where.split()) if pattern.where else "")
        compiled = self.patterns.get(key)
        if compiled is None:  # fluents repeat patterns: one object each, so a case matches once
            filt = None
            if pattern.where:
                filt = compile_filter(pattern.where, f"{where} ({pattern.event})", set(spec.attrs))
            compiled = self.patterns[key] = CompiledPattern(pattern.event, filt)
        return compiled

    def fluent(self, name: str, spec: FluentDef) -> CompiledFluent:
        where = f"fluent {name}"
        return CompiledFluent(
            name,
            spec.description,
            tuple(self.pattern(p, where) for p in spec.initiated_by),
            tuple(self.pattern(p, where) for p in spec.terminated_by),
            spec.timeless,
        )

    def deadline(self, info: PackInfo, spec: Deadline, where: str) -> CompiledDeadline:
        convention = self.conventions.get(spec.convention)
        if convention is None:
            raise LawPackError(
                f"{where}: unknown convention {spec.convention!r}; known: "
                f"{', '.join(sorted(self.conventions))}"
            )
        calendar = None
        if convention.calendar is not None:
            calendar = self.calendars.get(convention.calendar)
            if calendar is None:
                raise LawPackError(f"{where}: unknown calendar {convention.calendar!r}")
        return CompiledDeadline(
            spec,
            info.meta.order,
            self.pattern(spec.trigger, where),
            tuple(self.pattern(p, where) for p in spec.met_by),
            tuple(self.pattern(p, where) for p in (spec.pending.until if spec.pending else [])),
            convention,
            calendar,
        )

    def rule(
        self, info: PackInfo, spec: Rule, where: str, fluents: dict[str, CompiledFluent]
    ) -> CompiledRule:
        versions = []
        for i, version in enumerate(spec.versions):
            text = version.violated_when if spec.kind == "safeguard" else version.when
            cond = None
            if text and not version.not_in_force:
                cond = compile_condition(text, f"{where} versions[{i}]", fluents)
            versions.append(CompiledVersion(version, *_validity(spec.id, i, version), cond))
        _check_overlaps(spec, where)
        check_at = None
        if spec.kind == "safeguard":
            check_at = self.pattern(spec.check_at or Pattern(event="removal"), where)
        return CompiledRule(
            spec, spec.order or info.meta.order, info.meta.id, tuple(versions), check_at
        )


def _produced(spec: Deadline) -> list[tuple[str, str]]:
    """The fluents a deadline produces, with descriptions for explanations."""
    out = [(spec.produces, f"the time to act under {spec.citation.text.strip()} was running")]
    if spec.pending is not None:
        out.append(
            (
                spec.pending.fluent,
                f"{spec.title.lower()}: still possible in time, or done and not yet decided",
            )
        )
    if spec.on_expiry_unmet is not None:
        out.append((spec.on_expiry_unmet, f"{spec.title.lower()}: the time ran out unmet"))
    return out


def _validity(rule_id: str, index: int, version: Version) -> tuple[Point | None, Point | None]:
    start = version.valid_from
    start_point = None
    if isinstance(start, FuzzyDay):
        start_point = Point.derived(f"{rule_id}@{index}:from", start.earliest, start.latest)
    elif isinstance(start, date):
        start_point = Point.derived(f"{rule_id}@{index}:from", start, start)
    end_point = None
    if version.until is not None:
        day = version.until + timedelta(days=1)
        end_point = Point.derived(f"{rule_id}@{index}:until", day, day)
    return start_point, end_point


def _bounds(version: Version) -> tuple[date, date]:
    start = version.valid_from
    first = start.earliest if isinstance(start, FuzzyDay) else (start or date.min)
    return first, version.until or date.max


def _check_overlaps(spec: Rule, where: str) -> None:
    spans = sorted(_bounds(v) for v in spec.versions)
    for (_, end), (start, _) in itertools.pairwise(spans):
        if start <= end:
            raise LawPackError(
                f"{where}: versions overlap around {start}; a day must be "
                "governed by one version only"
            )


def _check_rules(
    rules: tuple[CompiledRule, ...], deadlines: set[str], instruments: set[str]
) -> None:
    by_id: dict[str, CompiledRule] = {}
    for rule in rules:
        if rule.spec.id in by_id:
            raise LawPackError(f"rule {rule.spec.id!r} is defined twice")
        by_id[rule.spec.id] = rule
        if rule.spec.instrument not in instruments:
            raise LawPackError(
                f"rule {rule.spec.id}: unknown instrument "
                f"{rule.spec.instrument!r}; known: {', '.join(sorted(instruments))}"
            )
        if rule.spec.due is not None and rule.spec.due not in deadlines:
            raise LawPackError(f"rule {rule.spec.id}: due names unknown deadline {rule.spec.due!r}")
    for rule in rules:
        for target in rule.spec.defeats:
            other = by_id.get(target)
            if other is None:
                raise LawPackError(f"exception {rule.spec.id}: defeats unknown rule {target!r}")
            if other.order != rule.order:
                raise LawPackError(
                    f"exception {rule.spec.id} ({rule.order}) cannot defeat "
                    f"{target} ({other.order}): no overriding across legal orders"
                )
            if not other.spec.derogable:
                raise LawPackError(
                    f"exception {rule.spec.id} cannot defeat {target}: "
                    "that protection is non-derogable"
                )
            if other.spec.kind == "exception":
                raise LawPackError(
                    f"exception {rule.spec.id} defeats another exception "
                    f"({target}); exception chains are not supported"
                )
