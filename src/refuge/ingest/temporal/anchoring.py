"""Reference time: which way a relative expression points, and what an anaphoric one refers to.

News is written around its date (the DCT): "on Wednesday" in a past-tense report is the Wednesday
before it, "in June" in a sentence about plans is the next June. So the direction comes from the
tense of the words nearest the expression. Anaphoric expressions ("two days later", "the next day")
are read against the last date the article itself gave, which is how a reporter tells a story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .granules import Granule

Tense = Literal["PAST", "FUTURE"]

_FUTURE = re.compile(
    r"\b(?:will|won['’]t|shall|['’]ll|going\s+to|expected\s+to|scheduled|set\s+to|due\s+to|"
    r"plans?\s+to|planned|planning|intends?\s+to|would|upcoming|hopes?\s+to|"
    r"aims?\s+to|next|expects?|to\s+be|should|must)\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|ago|last|since|earlier|previously|"
    r"(?<!\bbe\s)[a-z]{3,}ed)\b",  # "to be held", "will be finalized": not past
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence around ``text[start:end]`` (a cheap splitter, good for news)."""
    left = max(
        (m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 300), start)),
        default=max(0, start - 300),
    )
    right = _SENTENCE_END.search(text, end, end + 300)
    return left, right.start() + 1 if right else min(len(text), end + 300)


def tense_at(text: str, start: int, end: int) -> Tense | None:
    """The tense of the clause around an expression: the nearest tense marker wins.

    Distance is counted from the expression, with markers before it preferred on a tie, because
    the verb that governs a time adverbial usually comes first in English news sentences.
    """
    left, right = _sentence(text, start, end)
    best: tuple[int, Tense] | None = None
    for pattern, tense in ((_FUTURE, "FUTURE"), (_PAST, "PAST")):
        for m in pattern.finditer(text, left, right):
            if start <= m.start() < end:
                continue
            dist = start - m.end() if m.end() <= start else (m.start() - end) * 2 + 1
            if best is None or dist < best[0]:
                best = (dist, tense)  # type: ignore[assignment]
    return best[1] if best else None


@dataclass(slots=True)
class Narrative:
    """The dates an article has given so far, for anaphoric expressions to lean on."""

    last_day: Granule | None = None

    def note(self, granule: Granule) -> None:
        """Remember a resolved date; only days anchor "the next day" or "two days later"."""
        if granule.kind == "D":
            self.last_day = granule
