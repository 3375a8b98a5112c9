"""An optional second opinion from spaCy's dependency parser on negation and modality.

The lexicon's window rules ("not", "could be" just before the trigger) miss what the words keep
apart: "the court did not, as its critics had expected, order his deportation", "he was, his
lawyer fears, about to be extradited". The parser attaches the negation and the modal to the
verb wherever they stand. A full parse costs about 0.2 s per article on one core, so it runs
only when a caller passes a pipeline, and then only over the sentences that hold a trigger *and*
a word of negation, modality or intent that the window rules may have missed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from refuge.ingest.events.triggers import Mention

_MODALS = frozenset({"could", "can", "may", "might", "would", "will", "shall", "should", "must"})
#: Verbs under which an action is only intended, promised, feared or threatened.
_IRREAL_GOVERNORS = frozenset(
    {
        "pledge", "promise", "vow", "threaten", "plan", "try", "attempt", "fear", "risk",
        "face", "seek", "want", "hope", "urge", "intend", "prepare", "refuse", "avoid",
    }
)  # fmt: skip
#: Verbs whose complement clause is ordered, demanded or scheduled, not done: "the court
#: ordered that he be deported next month", "prosecutors asked that she be extradited". Only
#: their complements (xcomp/ccomp) are irreal; a participle beside them ("ordered the
#: deportation of X, detained upon arrival") reports a real step.
_ORDER_GOVERNORS = frozenset(
    {
        "order", "demand", "request", "ask", "expect", "schedule", "propose", "recommend",
        "insist", "decide", "agree",
    }
)  # fmt: skip
#: Types whose modality is their meaning (a risk is what could happen).
_MODAL_TYPES = frozenset({"risk_allegation", "interim_measures", "interim_measures_request"})
#: Triggers whose words hold their own negation ("not allowed to enter" is a refusal of entry).
SELF_NEGATED = frozenset({"refused entry"})
_DISABLED = ("ner",)


#: Sentences without any of these words give the parser nothing to find.
_CUE = re.compile(
    r"\b(?:[Nn]ot|n['’]t|[Nn]ever|[Nn]o|[Cc]ould|[Cc]an|may|might|would|will|should|must|[Ii]f|"
    r"[Uu]nless|[Ww]hether|plann?\w*|pledg\w*|promis\w*|threat\w*|attempt\w*|tr(?:y|ied|ying)|"
    r"fear\w*|intend\w*|prepar\w*|refus\w*|avoid\w*|vow\w*|hop\w*|want\w*|seek\w*|sought)\b"
)


def confirm(nlp: Any, flat: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions the parser does not show to be negated, modal or hypothetical."""
    checked = [
        m
        for m in mentions
        if not _mood_is_meaning(m)
        and m.trigger.name not in SELF_NEGATED
        and (
            _CUE.search(flat, m.sentence.start, m.sentence.end)
            or (
                _BARE_PARTICIPLE.match(flat, m.start)
                and _PLURAL_BEFORE.search(flat, max(m.sentence.start, m.start - 40), m.start)
            )
        )
    ]
    spans = sorted({(m.sentence.start, m.sentence.end) for m in checked})
    if not spans:
        return mentions
    disabled = [name for name in _DISABLED if name in nlp.pipe_names]
    with nlp.select_pipes(disable=disabled):
        docs = list(nlp.pipe(flat[a:b] for a, b in spans))
    by_span = dict(zip(spans, docs, strict=True))
    keep: list[Mention] = []
    for m in mentions:
        doc = by_span.get((m.sentence.start, m.sentence.end))
        if (
            _mood_is_meaning(m)
            or m.trigger.name in SELF_NEGATED
            or doc is None
            or _is_real(doc, m.start - m.sentence.start, m.end - m.sentence.start)
        ):
            keep.append(m)
    return keep


#: A plural common noun just before a trigger: "activists detained in Ulan-Ude" may be
#: a participle describing other people (the parser decides).
_PLURAL_BEFORE = re.compile(r"\b[a-z]{3,}s\s+$")
_BARE_PARTICIPLE = re.compile(r"[a-z]+ed\b")


def _mood_is_meaning(m: Mention) -> bool:
    """True when the trigger's modality is what it says (a risk, an interim measure, "cannot be
    deported until"), so no modal or negation makes it unreal."""
    if m.trigger.modal is not None:
        return m.trigger.modal
    return m.type in _MODAL_TYPES


def _is_real(doc: Any, start: int, end: int) -> bool:
    head = _trigger_verb(doc, start, end)
    if head is None:
        return True
    if _describes_others(head):
        return False
    auxiliaries = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
    if _negated(head.children) or any(_negated(a.children) for a in auxiliaries):
        return False  # "was not deported", "has not, despite ..., deported" (neg on "has")
    if any(child.dep_ == "aux" and child.lower_ in _MODALS for child in head.children):
        return False
    return not _under_irreal(head)


def _describes_others(verb: Any) -> bool:
    """True for a bare participle that describes a plural common noun ("lawyers for
    activists detained at the rally", "migrants deported from Russia"): the step is theirs, a
    group the text does not name, not the person the report is about."""
    noun = verb.head
    if verb.dep_ != "acl" or verb.tag_ != "VBN" or noun is verb:
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    named = any(c.pos_ == "PROPN" for c in noun.subtree if c is not verb and c.i < verb.i)
    return noun.pos_ == "NOUN" and noun.tag_ == "NNS" and not named


def _trigger_verb(doc: Any, start: int, end: int) -> Any | None:
    tokens = [t for t in doc if start <= t.idx < end]
    verbs = [t for t in tokens if t.pos_ == "VERB"]
    return verbs[0] if verbs else (tokens[0] if tokens else None)


def _under_irreal(token: Any) -> bool:
    """True when the verb hangs (by xcomp/advcl) from an intention verb or an "if" clause."""
    node = token
    for _ in range(4):
        marks = [c.lower_ for c in node.children if c.dep_ == "mark"]
        if node.dep_ == "advcl" and marks and marks[0] != "to":
            # a finite adverbial clause is irreal under "if"/"unless" only: the main clause's
            # negation does not reach it ("While X confirmed it was seeking his extradition, it
            # has not said why")
            return marks[0] in ("if", "unless")
        if node.dep_ not in ("xcomp", "ccomp", "advcl") or node.head is node:
            return False
        complement = node.dep_ in ("xcomp", "ccomp")
        node = node.head
        lemma = node.lemma_.lower()
        if lemma in _IRREAL_GOVERNORS or _negated(node.children):
            return True
        if complement and lemma in _ORDER_GOVERNORS:
            return True
    return False


def _negated(children: Iterable[Any]) -> bool:
    return any(c.dep_ == "neg" for c in children)
