"""Gold temporal corpora and a Python 3 scorer for TempEval-3 Task A (time expressions).

Two readers turn annotated files into the same `Document` shape (plain text, document creation
time, gold mentions with character offsets), so that one scorer serves the TempEval-3 platinum
test set (inline TimeML) and the MEANTIME development set (CAT stand-off XML).

The scorer follows the TempEval-3 definitions written down in `shared/design/extraction.md` §1.1:
strict F1 counts exact extents, relaxed F1 counts overlapping extents, and the attribute scores
(value, type) are the attribute accuracy over relaxed matches multiplied by relaxed F1. Matching is
one-to-one (each gold mention pairs with at most one system mention), largest overlap first, so a
system cannot score twice by splitting one expression in two.
"""

from __future__ import annotations

import datetime
import html
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


def _data_dir() -> Path:
    """Where the shared corpora are: $REFUGE_DATA, else shared/ beside the repository (as in CI)."""
    candidates = [os.environ.get("REFUGE_DATA", "")]
    candidates += [
        str(Path(__file__).resolve().parents[2] / "shared" / "data"),
        "/work/shared/data",
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), Path(candidates[-1]))


DATA = _data_dir()
PLATINUM = DATA / "tempeval3" / "platinum-test"
MEANTIME = DATA / "meantime-en" / "intra-doc_annotation"
ANNOTATED_SENTENCES = 5  # MEANTIME annotates sentences 0..5 (headline, dateline, four more)


@dataclass(frozen=True, slots=True)
class Mention:
    """One time expression with character offsets into its document's text."""

    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Document:
    """A scored document: the text a system sees, its creation date and the gold mentions."""

    name: str
    text: str
    dct: datetime.date | None
    gold: tuple[Mention, ...]


# --------------------------------------------------------------------------- TimeML (.tml)

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')


def _dct_from_value(value: str) -> datetime.date | None:
    """Read a DCT value; tolerates the day-month-year slip found in one MEANTIME file."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"(\d{2})-(\d{2})-(\d{4})$", value)
    if m:
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    return None


def _strip_inline(markup: str) -> tuple[str, list[Mention]]:
    """Remove inline tags, keeping TIMEX3 extents as offsets into the unescaped text."""
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    mentions: list[Mention] = []
    pos = 0
    for m in _TAG.finditer(markup):
        chunk = html.unescape(markup[pos : m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name = m[1] == "/", m[2]
        if name != "TIMEX3" or m[4]:
            continue
        if not closing:
            open_timex.append((length, dict(_ATTR.findall(m[3]))))
        elif open_timex:
            start, attrs = open_timex.pop()
            mentions.append(Mention(start, length, attrs.get("type", ""), attrs.get("value", "")))
    out.append(html.unescape(markup[pos:]))
    return "".join(out), mentions


def read_tml(path: Path) -> Document:
    """Read a TimeML file: the TEXT section becomes the text, the CREATION_TIME TIMEX3 the DCT."""
    raw = path.read_text(encoding="utf-8")
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element")
    dct_value = re.search(r'functionInDocument="CREATION_TIME"[^>]*value="([^"]*)"', raw)
    dct_value = dct_value or re.search(
        r'value="([^"]*)"[^>]*functionInDocument="CREATION_TIME"', raw
    )
    dct = _dct_from_value(dct_value[1]) if dct_value else None
    text, gold = _strip_inline(body[1])
    return Document(path.stem, text, dct, tuple(sorted(gold, key=lambda g: g.start)))


# --------------------------------------------------------------------------- MEANTIME (CAT XML)


def read_meantime(path: Path) -> Document:
    """Read a MEANTIME file; the dateline sentence gives the DCT and is left out of the text.

    Tokens carry no spacing, so the text joins them with single spaces (as the corpus README
    says). The dateline (sentence 1) is dropped because in news the DCT is metadata, not text,
    exactly as TimeML keeps it outside <TEXT>; empty (token-less) TIMEX3 are not scored.
    MEANTIME annotates only the headline and the first sentences (0-5) of each article, so the
    text stops there: scoring the unannotated rest would count every correct find there as wrong.
    """
    root = ET.parse(path).getroot()  # noqa: S314 -- the TempEval corpus shipped with refuge, not input from users
    spans: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    length = 0
    dateline: set[str] = set()
    for tok in root.iter("token"):
        if int(tok.get("sentence", "0")) > ANNOTATED_SENTENCES:
            continue
        if tok.get("sentence") == "1":
            dateline.add(tok.get("t_id", ""))
            continue
        word = tok.text or ""
        if parts:
            parts.append(" ")
            length += 1
        spans[tok.get("t_id", "")] = (length, length + len(word))
        parts.append(word)
        length += len(word)
    gold: list[Mention] = []
    dct: datetime.date | None = None
    fallback: datetime.date | None = None
    for tx in root.iter("TIMEX3"):
        ids = [a.get("t_id", "") for a in tx.iter("token_anchor")]
        value, kind = tx.get("value", ""), tx.get("type", "")
        if not ids:
            continue
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = _dct_from_value(value)
        elif ids[0] in dateline:
            fallback = _dct_from_value(value)
        elif all(i in spans for i in ids):
            gold.append(Mention(spans[ids[0]][0], spans[ids[-1]][1], kind, value))
    gold.sort(key=lambda g: g.start)
    return Document(path.stem, "".join(parts), dct or fallback, tuple(gold))


def load_corpus(name: str) -> list[Document]:
    """Load `platinum` (TempEval-3 test) or `meantime` (development) in a stable order."""
    if name == "platinum":
        return [read_tml(p) for p in sorted(PLATINUM.glob("*.tml"))]
    if name == "meantime":
        return [read_meantime(p) for p in sorted(MEANTIME.glob("*/*.xml"))]
    raise ValueError(f"unknown corpus {name!r}: expected 'platinum' or 'meantime'")


# --------------------------------------------------------------------------- scorer


@dataclass(frozen=True, slots=True)
class Scores:
    """TempEval-3 Task A figures (fractions in 0..1) and the counts they come from."""

    gold: int
    system: int
    strict_p: float
    strict_r: float
    strict_f1: float
    relaxed_p: float
    relaxed_r: float
    relaxed_f1: float
    value_f1: float
    type_f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _overlap(a: Mention, b: Mention) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def match(gold: Sequence[Mention], system: Sequence[Mention]) -> list[tuple[Mention, Mention]]:
    """Pair overlapping mentions one-to-one, exact extents first, then by size of overlap."""
    candidates = [
        (g.start == s.start and g.end == s.end, _overlap(g, s), gi, si)
        for gi, g in enumerate(gold)
        for si, s in enumerate(system)
        if _overlap(g, s) > 0
    ]
    candidates.sort(key=lambda c: (not c[0], -c[1], c[2], c[3]))
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs: list[tuple[Mention, Mention]] = []
    for _, _, gi, si in candidates:
        if gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        pairs.append((gold[gi], system[si]))
    return pairs


def score(docs: Iterable[tuple[Sequence[Mention], Sequence[Mention]]]) -> Scores:
    """Score (gold, system) mention lists of many documents together (micro-averaged)."""
    n_gold = n_sys = n_relaxed = n_strict = n_value = n_type = 0
    for gold, system in docs:
        n_gold += len(gold)
        n_sys += len(system)
        for g, s in match(gold, system):
            n_relaxed += 1
            n_strict += g.start == s.start and g.end == s.end
            n_value += g.value == s.value
            n_type += g.type == s.type
    sp, sr = (n_strict / n_sys if n_sys else 0.0), (n_strict / n_gold if n_gold else 0.0)
    rp, rr = (n_relaxed / n_sys if n_sys else 0.0), (n_relaxed / n_gold if n_gold else 0.0)
    rf = _f1(rp, rr)
    acc_value = n_value / n_relaxed if n_relaxed else 0.0
    acc_type = n_type / n_relaxed if n_relaxed else 0.0
    return Scores(n_gold, n_sys, sp, sr, _f1(sp, sr), rp, rr, rf, acc_value * rf, acc_type * rf)
