"""Find the trigger phrases of the lexicon in the clauses of an article, and drop the irreal ones.

A trigger is kept only when its clause reports that the thing happened: "could be deported",
"pledged not to extradite", "can't be deported until ..." and "faces deportation" are hopes,
threats or promises, not removals. Risk statements are the exception: a risk is always about
what could happen, so their modality is their meaning.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from refuge.ingest.events.lexicon import ENGLISH, Lexicon, Trigger
from refuge.ingest.events.sentences import Sentence, Span

#: Event types whose triggers speak of possibilities by nature.
_MODAL_TYPES = frozenset({"risk_allegation", "interim_measures", "interim_measures_request"})
#: How far before its sentence a trigger's required context may be (characters).
_CONTEXT = 400
#: Lines that are navigation, not narrative.
_SKIP_LINE = re.compile(r"\W*(?:related(?:\s+article)?|read\s+more|original\s+url|photo)\b", re.I)


@dataclass(frozen=True, slots=True)
class Mention:
    """One trigger occurrence: the words at ``start``..``end`` in ``clause`` of ``sentence``."""

    trigger: Trigger
    type: str
    start: int
    end: int
    sentence: Sentence
    clause: Span

    @property
    def words(self) -> str:
        return self.trigger.name


def find_mentions(
    flat: str, sentences: list[Sentence], lexicon: Lexicon = ENGLISH
) -> list[Mention]:
    """Every real trigger occurrence, in text order, without overlaps.

    ``flat`` is the article text with line breaks replaced by spaces (same length), so patterns
    match across the line breaks of PDF-extracted reports while offsets stay valid.
    """
    clauses = [
        (clause, sentence)
        for sentence in sentences
        if not _SKIP_LINE.match(flat, sentence.start)
        for clause in sentence.clauses
    ]
    if not clauses:
        return []
    starts = [clause.start for clause, _ in clauses]
    lo, hi = clauses[0][0].start, clauses[-1][0].end
    out: list[Mention] = []
    for trigger in lexicon.triggers:  # one pass of each pattern over the text, then into clauses
        for match in trigger.pattern.finditer(flat, lo, hi):
            where = bisect_right(starts, match.start()) - 1
            if where < 0:
                continue
            clause, sentence = clauses[where]
            if match.end() > clause.end or not _is_real(
                flat, clause, match.start(), trigger.type, lexicon, trigger.modal
            ):
                continue
            if trigger.context is not None and not trigger.context.search(
                flat, max(0, sentence.start - _CONTEXT), sentence.end
            ):
                continue
            if trigger.in_clause is not None and not trigger.in_clause.search(
                flat, clause.start, clause.end
            ):
                continue
            if trigger.before is not None and not trigger.before.search(
                flat, sentence.start, match.start()
            ):
                continue
            out.append(Mention(trigger, trigger.type, match.start(), match.end(), sentence, clause))
    return _without_overlaps(out)


def _is_real(
    flat: str, clause: Span, at: int, kind: str, lexicon: Lexicon, modal: bool | None = None
) -> bool:
    """False when the words just before the trigger make it negated, modal or hypothetical.
    ``modal`` is the trigger's own say (None: by its type: a risk is always modal)."""
    if modal if modal is not None else kind in _MODAL_TYPES:
        return True
    before = flat[clause.start : at]
    if lexicon.irrealis.search(" ".join(before.split()[-3:])):
        return False
    return not lexicon.irrealis_clause.search(before)


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the earliest, then longest, of overlapping mentions (one phrase, one event)."""
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
