"""The English trigger lexicon: which words announce which procedural event.

Each entry is a phrase pattern over the words of a clause, the event type it announces and the
attributes the phrase itself fixes (``via: extradition`` for "extradited"). Patterns are written
for the traps of the domain: "appeal" the verb of pleading ("appealed to the UN to ...") is no
legal appeal, a noun such as "deportation" is no removal ("faces deportation", "ordered his
deportation"), and only finite or participial forms report that something happened.

Why phrases and not a classifier: a lawyer asks "why does the draft say he was extradited?" and
the answer must be the words that triggered it. Keep the patterns general (no names, no dates);
the Russian lexicon comes as a sibling module with the same shape.

Placeholders: ``{OBJ}`` stands for a short object (a name, "him", "the activist"), ``{POSS}`` for a
possessive determiner ("his", "Zhilin's", "the").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from refuge.ingest.events.geo import PLACE_ALTERNATION

_OBJ = (
    r"(?:(?:him|her|them|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}|the\s+\w+|an?\s+\w+(?:\s+\w+)?)\s+)"
)
_POSS = r"(?:(?:his|her|their|the|its|a|(?:[A-Z][\w-]+\s+){0,2}[A-Z][\w-]+(?:['’]s?))\s+)"
_DET = r"(?:(?:his|her|their|the|its|a|an|that|this)\s+)"


@dataclass(frozen=True, slots=True)
class Trigger:
    """A phrase that announces an event of ``type`` with the attributes ``attrs``.

    ``also`` lists further events the same words imply ("upheld his deportation" is an appeal
    decision and implies an expulsion order). ``state`` marks background states ("wanted for",
    "faced charges"): they are dated only by a time expression or the report, never by a date
    that belongs to another verb of the sentence.
    """

    name: str
    type: str
    pattern: re.Pattern[str]
    attrs: dict[str, Any] = field(default_factory=dict)
    also: tuple[tuple[str, dict[str, Any]], ...] = ()
    state: bool = False
    context: re.Pattern[str] | None = None  # must occur in the sentence or just before it
    in_clause: re.Pattern[str] | None = None  # must occur in the trigger's own clause
    before: re.Pattern[str] | None = None  # must occur in its sentence before the trigger
    #: the words' modality is their meaning ("cannot be deported until"): True; their mood
    #: decides as for any step: False; None: by type (risks and interim measures are modal)
    modal: bool | None = None


def _t(
    name: str,
    kind: str,
    pattern: str,
    attrs: dict[str, Any] | None = None,
    *,
    also: tuple[tuple[str, dict[str, Any]], ...] = (),
    state: bool = False,
    context: str | None = None,
    in_clause: str | None = None,
    before: str | None = None,
    modal: bool | None = None,
) -> Trigger:
    rx = pattern.replace("{OBJ}", _OBJ).replace("{POSS}", _POSS).replace("{DET}", _DET)
    rx = rx.replace("{PLACE}", PLACE_ALTERNATION)
    rx = _LEMMAS.sub(lambda m: forms(*m.group(1).split("|")), rx)
    needs = re.compile(context, re.IGNORECASE) if context else None
    clause = re.compile(in_clause, re.IGNORECASE) if in_clause else None
    agent = re.compile(before, re.IGNORECASE) if before else None
    return Trigger(
        name, kind, re.compile(rx, re.IGNORECASE), attrs or {}, also, state, needs, clause,
        agent, modal,
    )  # fmt: skip


#: ``<flee>`` or ``<open|launch>`` in a pattern: every inflected form of those lemmas.
_LEMMAS = re.compile(r"<([a-z |]+)>")
#: Forms English does not build by rule (past, participle, doubled consonants).
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "flee": ("fled",),
    "seek": ("sought",),
    "leave": ("left",),
    "take": ("took", "taken"),
    "drive": ("drove", "driven"),
    "give": ("gave", "given"),
    "withdraw": ("withdrew", "withdrawn"),
    "bring": ("brought",),
    "send": ("sent",),
    "make": ("made",),
    "hold": ("held",),
    "keep": ("kept",),
    "put": ("put", "putting"),
    "fly": ("flew", "flown"),
    "uphold": ("upheld",),
    "forbid": ("forbade", "forbidden", "forbidding"),
    "bar": ("barred", "barring"),
    "ban": ("banned", "banning"),
    "stop": ("stopped", "stopping"),
    "submit": ("submitted", "submitting"),
    "cancel": ("cancelled", "cancelling"),
    "annul": ("annulled", "annulling"),
}


def forms(*lemmas: str) -> str:
    """A regex alternation of the inflected forms of ``lemmas`` ("flee" -> flee|flees|fled|
    fleeing; "turn down" -> turned down, ...), so one lemma class covers every tense and voice
    the text may use; which of them report a real event is decided afterwards, from the
    auxiliaries before the trigger and the parse."""
    out: list[str] = []
    for lemma in lemmas:
        verb, *particle = lemma.split()
        if verb.endswith("ee"):
            regular = {verb, verb + "s", verb + "d", verb + "ing"}
        elif verb.endswith("e"):
            regular = {verb, verb + "s", verb + "d", verb[:-1] + "ing"}
        elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
            regular = {verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
        else:
            regular = {verb, verb + "s", verb + "ed", verb + "ing"}
        words = regular | set(_IRREGULAR.get(verb, ()))
        tail = "".join(rf"\s+{p}" for p in particle)
        out += [w + tail for w in sorted(words, key=len, reverse=True)]
    return "(?:" + "|".join(out) + ")"


#: An international body must be named for interim measures ("the UN Committee against Torture
#: asked Russia not to extradite him"); an NGO urging the same is a risk statement.
_BODY_WORDS = (
    r"Committee\s+against\s+Torture|Human\s+Rights\s+Committee|European\s+Court|ECtHR|ECHR|"
    r"\bUN\b|United\s+Nations|UNHCR|Working\s+Group"
)
_DEPORTATION_NOUN = r"(?:deportation|expulsion|removal)"
_DECISION_NOUN = (
    r"(?:decision|ruling|refusal|verdict|sentence|order|judgment|judgement|deportation|"
    r"expulsion|extradition|conviction)"
)

#: A refusal of asylum says the person applied for it.
_APPLIED: tuple[tuple[str, dict[str, Any]], ...] = (("asylum_application", {}),)

TRIGGERS: tuple[Trigger, ...] = (
    # --- removal: only verbs that say the person was physically sent
    _t("deported", "removal", r"\bdeported\b", {"via": "deportation"}),
    _t("extradited", "removal", r"\bextradited\b", {"via": "extradition"}),
    _t(
        "expelled to",
        "removal",
        r"\bexpelled\s+(?:\w+\s+){0,3}?(?:to|from)\b",
        {"via": "deportation"},
    ),
    _t(
        "handed over to",
        "removal",
        r"\bhanded\s+(?:\[?[\w’'-]+\]?\s+){0,5}?(?:over\s+)?to\s+(?=(?:the\s+)?(?:{PLACE}))",
        {"via": "handover"},
    ),
    _t("transferred to", "removal", r"\b(?:was|were|been)\s+transferred\s+to\s+(?={PLACE})"),
    _t(
        "returned to",
        "removal",
        r"\b(?:was|were|been|being|forcibly)\s+(?:forcibly\s+)?returned\s+to\s+(?={PLACE})",
    ),
    _t("transported to", "removal", r"\b(?:was|were|been)\s+(?:\w+\s+){0,3}?transported\s+to\b"),
    _t("sent back", "removal", r"\bsent\s+(?:\w+\s+)?back\s+to\s+(?={PLACE})"),
    *(
        # passives and idioms of removal (issue 10: "was flown to", "put on a plane")
        _t(
            "secured the extradition",
            "removal",
            r"\b(?:secured|obtained)\s+(?:the\s+)?extradition\s+of\b",
            {"via": "extradition"},
        ),
        _t(
            "brought to",
            "removal",
            r"\bbrought\s+(?:back\s+)?(?:from\s+(?:{PLACE})\s+)?to\s+"
            r"(?=(?:the\s+)?(?:{PLACE}|country\b))",
        ),
        _t("flown to", "removal", r"\b(?:was|were|been|being)\s+flown\s+(?:back\s+)?to\b"),
        _t(
            "put on a plane",
            "removal",
            r"\bput\s+(?:\w+\s+)?on\s+(?:a|the)\s+(?:plane|flight|train|bus)\s+(?:back\s+)?to\b",
        ),
        _t(
            "handed over to the authorities",
            "removal",
            r"\bhanded\s+(?:\w+\s+){0,2}?over\s+to\s+(?:the\s+)?[\w-]+\s+(?:authorities|officials|"
            r"security|police|law\s+enforcement|border\s+guards|special\s+services)\b",
            {"via": "handover"},
        ),
    ),
    _t(
        "ordered deportation",
        "expulsion_order",
        r"\border(?:ed|s)\s+(?:{POSS})?" + _DEPORTATION_NOUN + r"\b",
    ),
    _t(
        "ordered to be deported",
        "expulsion_order",
        r"\bordered\s+{OBJ}?(?:to\s+be\s+)?(?:deported|expelled)\b",
    ),
    _t("deportation order", "expulsion_order", r"\b(?:deportation|expulsion)\s+order\b"),
    _t(
        "upheld deportation",
        "appeal_decision",
        r"\bupheld\s+{POSS}?(?:deportation|expulsion)\b",
        {"against": "expulsion_order", "outcome": "upheld"},
        also=(("expulsion_order", {}),),
    ),
    _t(
        "upheld extradition",
        "appeal_decision",
        r"\bupheld\s+{POSS}?extradition\b",
        {"against": "extradition_decision", "outcome": "upheld"},
    ),
    _t(
        "upheld conviction",
        "appeal_decision",
        r"\bupheld\s+{POSS}?(?:conviction|sentence|verdict)\b",
        {"against": "conviction", "outcome": "upheld"},
    ),
    _t(
        "upheld refusal",
        "appeal_decision",
        r"\bupheld\s+{POSS}?(?:refusal|rejection|denial)\b",
        {"against": "asylum_decision", "outcome": "upheld"},
    ),
    _t(
        "lost appeal",
        "appeal_decision",
        r"\b(?:lost|rejected|dismissed|denied|turned\s+down)\s+{DET}?(?:\w+\s+)?appeal\b",
        {"outcome": "upheld"},
    ),
    _t(
        "won appeal",
        "appeal_decision",
        r"\b(?:won|granted|upheld|allowed)\s+{DET}?(?:\w+\s+)?appeal\b",
        {"outcome": "quashed"},
    ),
    _t(
        "overturned",
        "appeal_decision",
        r"\b(?:overturned|quashed|annulled|set\s+aside|reversed)\s+{POSS}?(?:\w+\s+)?"
        + _DECISION_NOUN,
        {"outcome": "quashed"},
    ),
    _t(
        "sent back for review",
        "appeal_decision",
        r"\b(?:remitted|sent\s+back)\s+(?:the\s+case\s+)?for\s+(?:a\s+)?(?:retrial|review|new\s+trial)",
        {"outcome": "remitted"},
    ),
    *(
        # courts suspending or banning a removal; rulings upheld or challenged
        _t(
            "suspended removal",
            "appeal_decision",
            r"\b(?:suspend(?:ed|s)?|halt(?:ed|s)?|stay(?:ed)?|block(?:ed|s)?|bann(?:ed)?)\s+"
            r"{POSS}?(?:possible\s+)?(?:deportation|extradition|expulsion|removal)\b"
            r"|\bsuspension\s+of\s+(?:the\s+|his\s+|her\s+|their\s+)?"
            r"(?:deportation|extradition|expulsion|removal)\b",
            {"outcome": "suspended"},
            context=r"\b(?:court|judge|tribunal)\b",
        ),
        _t(
            "upheld the ruling",
            "appeal_decision",
            r"\bupheld\s+{DET}?(?:\w+\s+)?(?:ruling|decision|judgment|judgement)\b",
            {"outcome": "upheld"},
        ),
        _t(
            "challenged the ruling",
            "appeal_lodged",
            r"\bchallenged\s+{DET}?(?:\w+\s+)?(?:ruling|decision|order|verdict)\b",
        ),
    ),
    # --- appeals lodged: the verb with a legal object, never "appealed to/for"
    _t(
        "lodged appeal",
        "appeal_lodged",
        r"\b(?:filed|lodged|submitted)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?appeal\b",
    ),
    _t(
        "appealed decision",
        "appeal_lodged",
        r"\bappeal(?:s|ed|ing)?\s+(?:against\s+)?{DET}" + _DECISION_NOUN + r"\b",
    ),
    # --- asylum
    _t(
        "requested asylum",
        "asylum_application",
        r"\b(?:requested|request|requests|sought|seeks|applied\s+for|asked\s+for|claimed|"
        r"filed\s+(?:an?\s+)?(?:application|request|claim)\s+for|"
        r"submitted\s+(?:an?\s+)?(?:application|request)\s+for)\s+(?:political\s+)?"
        r"(?:asylum|refugee\s+status|protection)\b",
    ),
    _t(
        "request for asylum",
        "asylum_application",
        r"\b(?:his|her|their|[A-Z][\w-]+['’]s)\s+(?:\w+\s+)?(?:request|application|claim|bid|"
        r"petition)(?=\s+for\s+(?:granting\s+(?:him|her|them)\s+)?(?:an?\s+)?(?:political\s+)?"
        r"(?:asylum|refugee\s+status|international\s+protection)\b)",
    ),
    _t(
        "applied for and was refused",
        "asylum_application",
        r"\b(?:applied|appealed)\s+for\s+(?=and\s+(?:was|were)\s+(?:denied|refused|granted)\s+"
        r"(?:political\s+)?asylum)",
    ),
    _t(
        "registered as an asylum seeker",
        "asylum_registration",
        r"\bregistered\s+as\s+(?:an?\s+)?asylum[- ]seekers?\b"
        r"|\basylum[- ]seeker(?:['’]s)?\s+(?:status|certificate|card)\b"
        r"|\b(?:application|claim)\s+(?:being|was|were|had\s+been)\s+registered\b",
    ),
    _t(
        "received asylum",
        "status_grant",
        r"\b(?:received|obtained)\s+(?:political\s+)?(?:asylum|refugee\s+status)\b(?![- ]seeker)",
        {"status": "refugee"},
    ),
    _t(
        "refused asylum",
        "asylum_decision",
        r"\b(?:refused|rejected|denied|turned\s+down|declined)\s+{POSS}?(?:\w+\s+)?"
        r"(?:asylum|refugee)(?:\s+(?:claim|application|request|status))?\b",
        {"outcome": "refused"},
        also=_APPLIED,
    ),
    _t(
        "rejected his application",
        "asylum_decision",
        r"\b(?:refused|rejected|denied|turned\s+down)\s+(?:his|her|their|[A-Z][\w-]+['’]s)\s+"
        r"(?:application|claim|request)\b",
        {"outcome": "refused"},
        context=r"\b(?:asylum|refugee)",
        also=_APPLIED,
    ),
    _t(
        "refused to grant asylum",
        "asylum_decision",
        r"\b(?:refused|declined|denied)\s+to\s+grant\s+(?:\w+\s+){0,3}?(?:political\s+)?"
        r"(?:asylum|refugee\s+status)\b",
        {"outcome": "refused"},
    ),
    _t(
        "asylum refused",
        "asylum_decision",
        r"\b(?:asylum|refugee\s+status)\s+(?:claim\s+|application\s+|request\s+)?"
        r"(?:was|were|had\s+been)\s+(?:refused|rejected|denied)\b",
        {"outcome": "refused"},
        also=_APPLIED,
    ),
    _t(
        "granted asylum",
        "asylum_decision",
        r"\bgranted\s+(?:him\s+|her\s+|them\s+)?(?:political\s+)?asylum\b(?![- ]seeker)",
        {"outcome": "granted"},
    ),
    _t(
        "granted refugee status",
        "status_grant",
        r"\bgranted\s+(?:him\s+|her\s+|them\s+)?refugee\s+status\b",
        {"status": "refugee"},
    ),
    # --- detention and release
    _t("detained", "detention", r"\b(?:detained|arrested|apprehended)\b"),
    _t("taken into custody", "detention", r"\btaken\s+into\s+custody\b"),
    _t(
        "held in",
        "detention",
        r"\b(?:was|were|been)\s+held\s+(?:in|at)\s+(?!the\s+end\b)(?!front\b)",
    ),
    _t(
        "sent to a deportation centre",
        "detention",
        r"\b(?:placed|transferred|taken|sent|moved)\s+(?:\w+\s+)?to\s+(?:a|the)\s+"
        r"(?:deportation|removal|detention|migrant|repatriation)\s+(?:center|centre|facility)",
        {"grounds": "immigration"},
    ),
    _t(
        "placed in a centre",
        "detention",
        r"\bplaced\s+(?:him\s+|her\s+|them\s+)?in\s+(?:a|the)\s+"
        r"(?:deportation|detention|migrant|temporary|removal|repatriation)\s+"
        r"(?:center|centre|facility)",
        {"grounds": "immigration"},
    ),
    _t("released", "release", r"\b(?:was|were|been|being)\s+(?:\w+\s+)?(?:released|freed)\b"),
    _t("set free", "release", r"\bset\s+free\b"),
    _t(
        "ended the detention",
        "release",
        r"\b(?:terminated|ended|lifted|cancel(?:l)?ed)\s+(?:on\s+\w+\s+\d{1,2}\s+)?"
        r"(?:the\s+|his\s+|her\s+)?(?:pre-?trial\s+|temporary\s+)?(?:detention|custody|arrest)\b",
    ),
    _t(
        "detention pending extradition",
        "detention",
        r"\bdetention\s+pending\s+(?:the\s+|his\s+|her\s+)?extradition\b",
        {"grounds": "extradition"},
    ),
    _t(
        "released him",
        "release",
        r"\b(?:released|freed)\s+(?=(?:him|her|them|[A-Z][\w’'-]+)\b)"
        r"|\bordered\s+(?:the\s+|his\s+|her\s+|their\s+)?release\b",
    ),
    # --- entry and flight
    _t(
        "entered",
        "entry",
        r"\b(?:entered|entering|enter|crossed\s+(?:the\s+border\s+)?into|"
        r"crossing\s+(?:the\s+border\s+)?into|arrived\s+in|arrival\s+in|"
        r"came\s+to)\s+(?=(?:the\s+)?(?:{PLACE}))",
    ),
    _t(
        "travelled to",
        "move",
        r"\b(?:travel(?:l)?ed|fled|moved|flew|relocated)\s+to\s+(?=(?:the\s+)?(?:{PLACE}))"
        r"|\b(?:left|departed)\s+(?:(?:the|his|her|their)\s+(?:country|homeland)\s+)?for\s+"
        r"(?=(?:the\s+)?(?:{PLACE}))",
    ),
    _t(
        "lived since",
        "entry",
        r"\b(?:lived|living|resided|residing|settled)\s+in\s+(?:{PLACE})\s+since\b",
    ),
    _t("fled", "flight", r"\b<flee|escape>\s+(?:from\s+)?(?=(?:the\s+)?(?:{PLACE}))"),
    _t(
        "had been in since",
        "entry",
        r"\b(?:had\s+been|has\s+been|was)\s+in\s+(?:{PLACE})\s+since\b",
    ),
    # --- criminal case in the origin state
    _t(
        "charges of",
        "charge",
        r"\b(?:on|faces|faced|facing|with)\s+(?:criminal\s+)?charges?\s+(?:of|including|for)\b",
        state=True,
    ),
    _t(
        "wanted for",
        "charge",
        r"\bwanted\s+(?:in\s+(?:{PLACE})\s+|by\s+(?:the\s+)?[\w-]+\s+(?:[\w-]+\s+)?"
        r"(?:authorities|police|government)\s+)?(?:for|on)\b|\bwanted\s+in\s+(?:{PLACE})\b",
        state=True,
    ),
    _t(
        "charged with",
        "charge",
        r"\b(?:was|were|been|being|and)\s+charged\s+(?:by\s+[\w-]+\s+)?(?:with|in)\b",
    ),
    _t(
        "accused of",
        "charge",
        r"\b(?:is|was|were|been|being)\s+accused\s+(?:by\s+[\w-]+\s+)?of\b",
        state=True,
    ),
    _t("arrest warrant", "charge", r"\b(?:international\s+)?arrest\s+warrant\b", state=True),
    _t(
        "criminal case opened",
        "charge",
        r"\bcriminal\s+(?:case|investigation|proceedings)\s+"
        r"(?:was\s+|were\s+|(?:had|has|have)\s+been\s+)?"
        r"(?:opened|initiated|launched|instituted|brought)\s+against\b",
    ),
    _t(
        "put on a Red Notice",
        "charge",
        r"\b(?:put|placed|added)\s+(?:\w+\s+)?on\s+(?:an?\s+|the\s+)?(?:Interpol['’]s\s+|INTERPOL['’]s\s+)?"
        r"(?:Interpol\s+|INTERPOL\s+)?Red\s+Notice\b",
        {"wanted": "interpol"},
    ),
    _t(
        "put on the wanted list",
        "charge",
        r"\b(?:put|placed|added)\s+(?:\w+\s+)?on\s+(?:an?\s+|the\s+)?"
        r"(?:(?:Interpol|INTERPOL)['’]s\s+)?(?:(?:international|interstate|federal)\s+)?"
        r"wanted\s+list\b",
        {"wanted": "national"},
    ),
    _t(
        "sought on charges",
        "charge",
        r"\bsought\s+{OBJ}?(?:on|for)\b(?=.{0,40}\bcharges?\b)",
        state=True,
    ),
    # --- extradition procedure
    _t(
        "requested extradition",
        "extradition_request",
        r"\b(?:requested|request(?:ing)?|sought|seeking|demand(?:ed|s|ing)?)\s+{POSS}?"
        r"extradition\b|\bextradition\s+request\b"
        r"|\b(?:requested|asked|sought)\s+(?:\w+\s+)?to\s+extradite\b"
        r"|\brequest\s+for\s+(?:\w+\s+){1,2}?to\s+extradite\b",
    ),
    _t(
        "approved extradition",
        "extradition_decision",
        r"\b(?:approved|authori[sz]ed|granted|ordered)\s+{POSS}?extradition\b"
        r"|\b(?:decided|ruled|agreed)\s+to\s+extradite\b",
        {"outcome": "granted"},
    ),
    _t(
        "refused extradition",
        "extradition_decision",
        r"\b(?:refused|rejected|denied|declined)\s+(?:{POSS}?extradition\b|to\s+extradite\b)",
        {"outcome": "refused"},
    ),
    _t(
        "extradited at the request of",
        "extradition_request",
        r"\bat\s+the\s+request\s+of\s+(?:the\s+)?[A-Z][\w-]+",
        in_clause=r"\bextradited\b",
    ),
    _t(
        "extradition was sought",
        "extradition_request",
        r"\bextradition\s+(?:had\s+been|has\s+been|was|is\s+being)\s+(?:sought|requested|demanded)\b",
    ),
    _t(
        "found extradition admissible",
        "extradition_decision",
        r"\bfound\s+{POSS}?extradition\s+(?:to\s+[\w-]+\s+)?(?:admissible|lawful|legal)\b"
        r"|\b(?:gave|granted)\s+(?:its\s+)?consent\s+(?:for|to)\s+(?:the\s+)?extradition\b"
        r"|\bconsented\s+to\s+{POSS}?extradition\b",
        {"outcome": "granted"},
    ),
    # --- steps with no type of their own (issue 10): disappearances, whereabouts unknown
    _t(
        "whereabouts unknown",
        "other",
        r"\bwhereabouts\s+(?:\w+\s+){0,2}?(?:are|is|remain|remains|were|was)\s+(?:still\s+)?unknown\b"
        r"|\bno\s+(?:\w+\s+){0,2}?information\s+(?:\w+\s+){0,4}?(?:about|on|of)\s+(?:his|her|their)\s+"
        r"whereabouts\b"
        r"|\b(?:vanished|disappeared|went\s+missing)\b"
        r"|\b(?:forcibly\s+disappeared|enforced\s+disappearance\s+of)\b"
        r"|\bcontact\s+with\s+(?:him|her|them)\s+(?:was|were|had\s+been)\s+lost\b"
        r"|\blast\s+heard\s+from\s+(?:him|her|them)\b",
        {"label": "disappearance or whereabouts unknown"},
    ),
    _t(
        "refused entry",
        "other",
        r"\b(?:(?:was|were)\s+)?(?:refused|denied)\s+entry\b"
        r"|\b(?:barred|banned)\s+from\s+entering\b"
        r"|\bdid\s+not\s+(?:allow|let|permit)\s+(?:[\w’'-]+,?\s+){0,6}?to\s+enter\b"
        r"|\b(?:was|were)\s+not\s+(?:allowed|permitted)\s+to\s+enter\b",
        {"label": "refused entry"},
    ),
    # --- custody ordered or served: a detention even without the verb "detained"
    _t(
        "held in custody",
        "detention",
        r"\b(?:remanded|held|kept|placed)\s+(?:\w+\s+){0,2}?in\s+(?:pre-?trial\s+)?"
        r"(?:custody|detention)\b"
        r"|\bordered\s+{OBJ}?(?:to\s+(?:be\s+held|remain)|held)\s+(?:in\s+(?:custody|detention)|"
        r"at\s+a\s+detention)"
        r"|\b(?:spent|spending)\s+(?:\w+\s+){1,4}?(?:in\s+(?:detention|custody|jail|prison)|"
        r"behind\s+bars)\b",
    ),
    # --- extradition decided by a court or prosecutor, told with a noun or a participle
    _t(
        "ordered extradited",
        "extradition_decision",
        r"\bordered\s+{OBJ}?extradited\b"
        r"|\bruled\s+(?:on\s+\w+\s+\d{1,2}\s+)?to\s+extradite\b"
        r"|\b(?<!pending\s)(?<!awaiting\s)(?:an\s+|the\s+)?extradition\s+order\b"
        r"|\b[A-Z][\w-]+['’]s\s+decision\s+(?:on|to\s+allow)\s+(?:the\s+|his\s+|her\s+)?"
        r"extradition\b",
        {"outcome": "granted"},
    ),
    _t(
        "ruled against extraditing",
        "extradition_decision",
        r"\bruled\s+against\s+extraditing\b|\bdecision\s+to\s+(?:deny|refuse|reject)\s+"
        r"(?:the\s+)?(?:\w+\s+)?extradition\b",
        {"outcome": "refused"},
    ),
    # --- appeals told as a noun: "his appeal against the extradition order"
    _t(
        "appeal against",
        "appeal_lodged",
        r"\b(?:his|her|their|[A-Z][\w-]+['’]s)\s+(?:\w+\s+)?(?:appeal|complaint)\s+against\b",
    ),
    # --- wanted by a state: "Tajik authorities want him for ..."
    _t(
        "authorities want",
        "charge",
        r"\b(?:authorities|government|police|prosecutors)\s+want(?:s|ed)?\s+{OBJ}?(?:for|on|in)\b",
        state=True,
    ),
    # --- convictions (host state; origin-state sentences become "other" later)
    _t("found guilty", "conviction", r"\bfound\s+{OBJ}?guilty\b"),
    _t("convicted", "conviction", r"\b(?:was|were|been|and)\s+convicted\b"),
    _t("sentenced", "conviction", r"\bsentenced\b"),
    _t(
        "handed a sentence",
        "conviction",
        r"\bhanded\s+(?:\w+\s+)?an?\s+(?:[\w-]+\s+){0,3}?sentence\b",
    ),
    # --- risk and international bodies
    _t(
        "faces torture",
        "risk_allegation",
        r"\b(?:faces?|faced|facing|risks?|risked|at\s+(?:\w+\s+)?risk\s+of|danger\s+of|threat\s+of|"
        r"subjected\s+to|concerns?\s+(?:regarding|about|over))\s+(?:\w+\s+){0,3}?"
        r"(?:torture|persecution|ill-treatment|death\s+penalty|unfair\s+trial|mobili[sz]ation|"
        r"conscription)\b",
    ),
    _t(
        "will be tortured",
        "risk_allegation",
        r"\b(?:be|being)\s+(?:tortured|persecuted|ill-treated|executed)\b",
    ),
    _t(
        "urged not to return",
        "risk_allegation",
        r"\burged\s+(?:\w+\s+){1,3}?not\s+to\s+(?:extradite|deport|return|expel|send)\b",
    ),
    _t(
        "interim measures",
        "interim_measures",
        r"\b(?:asked|asking|requested|requesting|urged|urging|called\s+on)\s+(?:\w+\s+){1,3}?"
        r"(?:not\s+to|to\s+refrain\s+from|"
        r"to\s+suspend)\s+(?:extradit|deport|expel|return)\w*",
        context=_BODY_WORDS,
    ),
    _t(
        "court ordered not to remove",
        "interim_measures",
        r"\b(?:ordered|told|instructed|required)\s+(?:\w+\s+){0,8}?not\s+to\s+"
        r"(?:extradit|deport|expel|return|remov)\w*",
        context=_BODY_WORDS,
    ),
    _t(
        "asked for Rule 39",
        "interim_measures_request",
        r"\b(?:applied|asked|appealed)\s+(?:\w+\s+){0,4}?for\s+(?:a\s+)?"
        r"(?:Rule\s+39|interim\s+measures?|temporary\s+stay)\b"
        r"|\brequest(?:ed|ing)?\s+(?:\w+\s+){0,2}?(?:Rule\s+39|interim\s+measures?)\b"
        r"|\bappeal\s+for\s+a\s+temporary\s+stay\b",
    ),
    _t("Rule 39", "interim_measures", r"\bRule\s+39\b", {"body": "ECtHR"}),
    _t(
        "issued interim measures",
        "interim_measures",
        r"\b(?:issued|granted|indicated|applied|imposed)\s+(?:urgent\s+)?interim\s+measures\b",
        context=_BODY_WORDS,
    ),
    _t(
        "complaint to a UN body",
        "interim_measures_request",
        r"\b(?:filed|submitted|lodged|sent)\s+(?:an?\s+)?(?:urgent\s+)?(?:complaint|communication|"
        r"application|petition|request)\s+(?:with|to)\s+the\s+(?:UN\s+|United\s+Nations\s+)?"
        r"(?:Committee\s+against\s+Torture|Human\s+Rights\s+Committee|"
        r"European\s+Court\s+of\s+Human\s+Rights|ECtHR)",
    ),
    _t(
        "applied to a UN body",
        "interim_measures_request",
        r"\b(?:applied|appealed|complained|petitioned|turned)\s+to\s+the\s+(?:UN\s+|United\s+Nations\s+)?"
        r"(?:Committee\s+against\s+Torture|Human\s+Rights\s+Committee|European\s+Court\s+of\s+Human\s+Rights|"
        r"UNHCR|ECtHR)",
    ),
)

#: A national court or judge (the agent that makes a suspension an appeal decision).
_COURT = r"\b(?:court|judge|tribunal|judges)\b"
#: Nouns of a removal, a court's or a body's object when it suspends or bans one.
_REMOVAL_NOUN = r"(?:deportation|extradition|expulsion|removal|transfer|return|handover)"
#: Motions and complaints a court decides on (an asylum claim is decided by the asylum rules).
_MOTION = (
    r"(?:motion|application|complaint|petition|cassation|challenge|lawsuit)s?\b"
    r"(?!\s+for\s+(?:political\s+)?(?:asylum|refugee))"
)

#: Lemma classes (issue 10, session 3): one entry per meaning, every inflection of its verbs
#: (``<lemma>`` placeholders), the agent or modality that fixes the type given as data. Where
#: one of them and a phrase trigger above match the same words, the lemma class wins (it is
#: listed first); otherwise the earlier, then longer, match wins (``triggers._without_overlaps``).
LEMMA_CLASSES: tuple[Trigger, ...] = (
    # an international body suspending or banning a removal is an interim measure; a national
    # court doing so decides on a challenge (the agent before the verb decides)
    _t(
        "body suspended removal",
        "interim_measures",
        r"\b<suspend|halt|stay|block|ban|bar|stop|prohibit|forbid>\s+{POSS}?(?:possible\s+)?"
        + _REMOVAL_NOUN
        + r"\b",
        before=_BODY_WORDS,
        modal=False,  # "will ask the ECtHR to block the extradition" is a request, not a measure
    ),
    _t(
        "court suspended removal",
        "appeal_decision",
        r"\b<suspend|halt|stay|block|ban|bar|stop|prohibit|forbid>\s+{POSS}?(?:possible\s+)?"
        + _REMOVAL_NOUN
        + r"\b",
        {"outcome": "suspended"},
        before=_COURT,
    ),
    # "the court ruled that he cannot be deported until ...": the modal is the ruling's content
    _t(
        "court ruled cannot be removed",
        "appeal_decision",
        r"\b(?:cannot|can\s*not|can['’]t|could\s+not|may\s+not|must\s+not|should\s+not|"
        r"is\s+not\s+to)\s+be\s+(?:deported|extradited|expelled|removed|sent\s+back|handed\s+over)\b",
        {"outcome": "suspended"},
        before=_COURT + r"[^.;]{0,200}?\b(?:ruled|decided|held|found|ordered|decreed)\b",
        modal=True,
    ),
    # decisions on an extradition request, told with the request as the object
    _t(
        "decided on the extradition request",
        "extradition_decision",
        r"\b<deny|reject|refuse|decline|dismiss|turn down>\s+(?:[\w’'-]+\s+){0,3}?"
        r"(?:extradition\s+request|request\s+(?:[\w’'-]+\s+){0,5}?(?:to\s+extradite|for\s+"
        r"(?:\w+\s+)?extradition))\b",
        {"outcome": "refused"},
        also=(("extradition_request", {}),),
    ),
    _t(
        "granted the extradition request",
        "extradition_decision",
        r"\b<grant|satisfy|approve|accept>\s+(?:[\w’'-]+\s+){0,3}?"
        r"(?:extradition\s+request|request\s+(?:[\w’'-]+\s+){0,5}?(?:to\s+extradite|for\s+"
        r"(?:\w+\s+)?extradition))\b",
        {"outcome": "granted"},
        also=(("extradition_request", {}),),
    ),
    _t(
        "took the decision to extradite",
        "extradition_decision",
        r"\b<take|make|adopt|issue|sign>\s+(?:a|the|its)\s+decision\s+to\s+"
        r"(?:extradite|surrender|hand)\b",
        {"outcome": "granted"},
    ),
    _t(
        "refused to extradite",
        "extradition_decision",
        r"\b<refuse|decline>\s+(?:on\s+\w+\s+\d{1,2},?\s+|in\s+\w+\s+)?to\s+(?:extradite|"
        r"surrender|hand\s+over)\b",
        {"outcome": "refused"},
    ),
    _t(
        "decided to extradite",
        "extradition_decision",
        r"\b<decide|agree|rule>\s+(?:on\s+\w+\s+\d{1,2},?\s+|in\s+\w+\s+)?to\s+(?:extradite|"
        r"surrender)\b",
        {"outcome": "granted"},
    ),
    _t(
        "ruled against extradition",
        "extradition_decision",
        r"\bruled\s+against\s+{POSS}?extradition\b",
        {"outcome": "refused"},
    ),
    # a court deciding on a motion or complaint (and so the motion was lodged)
    _t(
        "court rejected the motion",
        "appeal_decision",
        r"\b<reject|dismiss|deny|turn down|refuse>\s+(?:an?\s+|the\s+|{POSS})?"
        r"(?!(?:[\w’'-]+\s+){0,2}?(?:asylum|refugee|extradition))(?:[\w’'-]+\s+){0,2}?" + _MOTION,
        {"outcome": "upheld"},
        also=(("appeal_lodged", {}),),
        context=_COURT,
    ),
    _t(
        "motion against",
        "appeal_lodged",
        r"\b(?:motion|application|petition|complaint|cassation)\s+(?:(?:by|of)\s+(?:the\s+)?"
        r"(?:[\w’'-]+\s+){1,4}?)?(?:against\s+(?:the|his|her|their|a)\b|to\s+(?:revoke|overturn|"
        r"annul|quash|cancel|set\s+aside)\b)",
        context=_COURT,
    ),
    # criminal proceedings, every voice and number
    _t(
        "criminal cases launched",
        "charge",
        r"\bcriminal\s+(?:case|investigation|proceeding|probe)s?\s+(?:\w+\s+){0,2}?"
        r"<open|launch|initiate|institute|bring|file>\s+against\b"
        r"|\b<open|launch|initiate|institute|bring|file>\s+(?:an?\s+|the\s+|two\s+|new\s+|"
        r"several\s+)?(?:criminal\s+)?(?:case|investigation|proceeding|probe|charge)s?\s+against\b",
    ),
    _t(
        "sought on suspicion",
        "charge",
        r"\b(?:sought|wanted)\s+(?:by\s+(?:the\s+)?(?:[\w-]+\s+){1,2}?(?:authorities|police|"
        r"prosecutors|officials)\s+)?on\s+(?:suspicion|charges?)\s+of\b",
        state=True,
    ),
    # leaving a named state: a flight from the origin, a departure from the host (see
    # draft._moves); "left Russia for Georgia" keeps the destination for the entry
    _t(
        "left a state",
        "move",
        r"\b<leave>\s+(?:{PLACE})\b(?!['’]s|\s+(?:authorities|officials|government|police|side|"
        r"security|law|border|courts?|prosecutors?)\b)",
    ),
    # removal told with other verbs of sending
    _t(
        "repatriated",
        "removal",
        r"\b(?:was|were|been|being|forcibly)\s+(?:forcibly\s+)?(?:repatriated|removed|sent|"
        r"surrendered)\s+(?:back\s+)?to\s+(?=(?:the\s+)?(?:{PLACE})\b(?!['’]s|\s+(?:embassy|"
        r"consulate)))",
        {"via": "deportation"},
    ),
    # requests for extradition in any form of the verb
    _t(
        "asked for extradition",
        "extradition_request",
        r"\b<request|seek|demand|ask for|apply for|file for>\s+(?:{POSS})?extradition\b",
    ),
    # appeals to a named court; decisions cancelling an order
    _t(
        "appealed to a court",
        "appeal_lodged",
        r"\bappeal(?:ed|s)?\s+to\s+(?:the\s+|a\s+)?(?:[\w’'-]+\s+){0,3}?(?:court|tribunal)\b"
        r"|\b<file|lodge|submit>\s+(?:an?\s+)?(?:cassation|complaint)\s+(?:with|to)\s+(?:the\s+|a\s+)?"
        r"(?:[\w’'-]+\s+){0,3}?(?:court|tribunal)\b",
    ),
    _t(
        "cancelled the order",
        "appeal_decision",
        r"\b<cancel|revoke|lift|annul|overturn|quash>\s+{POSS}?(?:\w+\s+)?(?:deportation|expulsion|"
        r"extradition)\s+(?:order|ruling|decision)\b",
        {"outcome": "quashed"},
        context=_COURT,
    ),
    _t("landed in", "entry", r"\b<land|reach>\s+(?:in\s+)?(?=(?:{PLACE})\b)"),
    # "extradited to face charges", "faces criminal charges of fraud": charges that exist (a
    # modal before it, "could face charges", still makes it a prospect)
    _t(
        "to face charges",
        "charge",
        r"\b<face>\s+(?:\w+\s+){0,2}?(?:criminal\s+)?charges?\b",
        state=True,
    ),
    _t(
        "taken away to",
        "removal",
        r"\b(?:was|were|been|being)\s+(?:forcibly\s+)?<take|drive|carry>\s+(?:away|back)\s+to\s+"
        r"(?=(?:the\s+)?(?:{PLACE})\b)",
    ),
    # a removal named by its noun after "after / following / since / upon" happened ("after his
    # deportation to Tajikistan"); "ordered his deportation" and "faces deportation" stay
    # prospects. (The same for an arrest moved custody in the origin before a flight into the
    # host: not done.)
    _t(
        "after his deportation",
        "removal",
        r"\b(?:after|following|since|upon)\s+(?:his|her|their|[A-Z][\w-]+['’]s)\s+(?:forced\s+|"
        r"forcible\s+)?(?:deportation|extradition|expulsion|handover|rendition)\b",
    ),
    # a state that wants someone: "Tajikistan wants him for fraud"
    _t(
        "a state wants him",
        "charge",
        r"\b(?:{PLACE})\s+(?:has\s+)?<want|seek>\s+{OBJ}?(?:for|on|over)\b",
        state=True,
    ),
    # interim measures granted in other words (the body must be named nearby)
    _t(
        "granted interim measures",
        "interim_measures",
        r"\b<grant|issue|indicate|apply|impose|adopt>\s+(?:[\w’'-]+\s+){0,4}?(?:interim|urgent|"
        r"provisional)\s+measures?\b",
        context=_BODY_WORDS,
    ),
    # asylum applied for in every tense ("after applying for asylum", "had petitioned for")
    _t(
        "applying for asylum",
        "asylum_application",
        r"\b<apply for|petition for|file for|request>\s+(?:political\s+)?"
        r"(?:asylum|refugee\s+status|international\s+protection)\b",
    ),
    # searches withdrawn: a procedural step with no type of its own
    _t(
        "red notice rescinded",
        "other",
        r"\b<rescind|withdraw|cancel|revoke|lift|delete>\s+(?:the\s+|his\s+|her\s+|their\s+|an?\s+)?"
        r"(?:(?:INTERPOL|Interpol)['’]?s?\s+)?(?:Red\s+Notice|wanted\s+notice|diffusion|"
        r"international\s+search|search\s+warrant)\b"
        r"|\b(?:removed|deleted|taken)\s+(?:\w+\s+)?(?:off|from)\s+(?:the\s+)?(?:(?:INTERPOL|Interpol)"
        r"['’]?s?\s+|international\s+)?(?:wanted\s+list|Red\s+Notice\s+list|database)\b",
        {"label": "Red Notice or search withdrawn"},
    ),
    # protection recognised or given, and claims told as refused in the passive
    _t(
        "recognised as a refugee",
        "status_grant",
        r"\b<recognise|recognize>\s+(?:(?:him|her|them|[A-Z][\w’'-]+)\s+)?as\s+(?:an?\s+)?"
        r"(?:mandate\s+|political\s+)?refugees?\b",
        {"status": "refugee"},
    ),
    _t(
        "gave him refugee status",
        "status_grant",
        r"\b<give|grant|award|accord>\s+(?:him|her|them|[A-Z][\w’'-]+)\s+(?:political\s+)?"
        r"(?:refugee\s+status|subsidiary\s+protection|humanitarian\s+protection|"
        r"international\s+protection)\b",
        {"status": "refugee"},
    ),
    _t(
        "claim for protection rejected",
        "asylum_decision",
        r"\b(?:(?:his|her|their|[A-Z][\w-]+['’]s)\s+)?(?:application|request|claim|petition|bid)s?"
        r"\s+for\s+(?:political\s+)?(?:asylum|refugee\s+status|international\s+protection)\s+"
        r"(?:was|were|had\s+been|has\s+been)\s+(?:\w+\s+)?(?:rejected|refused|denied|turned\s+down)\b",
        {"outcome": "refused"},
        also=_APPLIED,
    ),
    # asylum claims named as a noun ("their refugee claims are pending")
    _t(
        "asylum claim",
        "asylum_application",
        r"\b(?:his|her|their|[A-Z][\w-]+['’]s)\s+(?:\w+\s+)?(?:asylum|refugee|protection)\s+"
        r"(?:claim|application|request|bid|petition)s?\b"
        r"(?!\s+(?:was|were|is|are|has\s+been|had\s+been)\s+(?:\w+\s+)?(?:rejected|refused|"
        r"denied|turned\s+down|granted|approved))",  # a decision told passively: its own trigger
    ),
    # custody told with other verbs
    _t(
        "took into custody",
        "detention",
        r"\b<take>\s+(?:him|her|them|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)\s+into\s+custody\b"
        r"|\b<place|put>\s+(?:him\s+|her\s+|them\s+)?under\s+arrest\b"
        r"|\b(?:held|kept)\s+incommunicado\b",
    ),
)

#: Bodies named in interim-measures events, longest first.
BODIES: tuple[tuple[str, str], ...] = (
    ("Committee against Torture", "CAT"),
    ("Human Rights Committee", "HRC"),
    ("European Court of Human Rights", "ECtHR"),
    ("ECtHR", "ECtHR"),
    ("UNHCR", "UNHCR"),
    ("Working Group on Arbitrary Detention", "WGAD"),
)

#: Harm words → the vocabulary's harm values.
HARMS: tuple[tuple[str, str], ...] = (
    ("torture", "torture"),
    ("persecution", "persecution"),
    ("ill-treatment", "ill_treatment"),
    ("death penalty", "death_penalty"),
    ("unfair trial", "unfair_trial"),
    ("mobilization", "conscription"),
    ("mobilisation", "conscription"),
    ("conscription", "conscription"),
)

#: Words before a trigger (in its clause) that make the event not (yet) real.
IRREALIS = re.compile(
    r"\b(?:not|n['’]t|never|no\s+longer|could|can|(?-i:may|will)|might|would|shall|should|must|"
    r"to\s+be|face[sd]?|facing|risk(?:s|ed)?|threat(?:ened)?|fear(?:s|ed)?|pledged|promised|"
    r"plan(?:s|ned)?|attempt(?:s|ed)?\s+to|tried\s+to|if|unless|whether|prevent(?:ed)?|avoid|"
    r"possible|potential|imminent|likely|allegedly\s+planned)\b"
    r"|\bbe\s*$"  # a bare "be" just before: modal, infinitive or subjunctive ("that he be")
    r"|\b(?:barred|banned|prevented|prohibited|stopped|kept)\s+from\s*$",
    re.IGNORECASE,
)
#: The same, but anywhere in the clause before the trigger (hypothesis and reported promises).
IRREALIS_CLAUSE = re.compile(
    r"\b(?:pledged|promised|vowed|refused)\s+not\s+to\b|\bcan(?:not|['’]t)\b|\bcould\s+(?:not\s+)?be\b|"
    r"\bwould\s+be\b|\bwill\s+be\b|\bunless\b|\bif\s+(?:he|she|they)\b|\bthreat\s+of\b|"
    r"\brisk\s+of\b|\bfacing\b|\bfaces\b|\bno\s+one\b|"
    r"\b(?:call(?:s|ed|ing)?\s+on|urg(?:e|es|ed|ing)|ask(?:s|ed|ing)?|demand(?:s|ed|ing)?|"
    r"appeal(?:s|ed|ing)?\s+to|press(?:ed|ing)?)\s+(?:[\w’'-]+\s+){0,8}?to\s+$",
    re.IGNORECASE,
)
#: Reporting verbs: a time expression attached to them dates the report, not the event.
REPORTING = re.compile(
    r"\b(?:reported|reports|said|says|stated|announced|told|wrote|confirmed|learned|noted|"
    r"according\s+to)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything language-specific the extractor reads: one per language, same shape.

    The Russian lexicon will be a second instance (triggers such as «депортирован», irrealis
    words such as «может быть», reporting verbs such as «сообщил»); the rest of the pipeline
    takes whichever :func:`lexicon_for` returns.
    """

    language: str
    triggers: tuple[Trigger, ...]
    irrealis: re.Pattern[str]  # cue words just before a trigger
    irrealis_clause: re.Pattern[str]  # cue phrases anywhere before it in its clause
    reporting: re.Pattern[str]  # verbs whose date is the report's, not the event's
    bodies: tuple[tuple[str, str], ...]  # words naming an international body -> its id
    harms: tuple[tuple[str, str], ...]  # words naming a harm -> the vocabulary's value


ENGLISH = Lexicon(
    "en", (*LEMMA_CLASSES, *TRIGGERS), IRREALIS, IRREALIS_CLAUSE, REPORTING, BODIES, HARMS
)
_LEXICONS = {"en": ENGLISH}


def lexicon_for(language: str | None) -> Lexicon | None:
    """The lexicon for an article's language; English when the language is unknown, None for
    a language without a lexicon yet (no draft beats a draft read with the wrong words)."""
    if language is None:
        return ENGLISH
    return _LEXICONS.get(language.split("-")[0].lower())
