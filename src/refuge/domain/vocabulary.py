"""The event vocabulary of ``case-format.md``: event types and the attributes each may carry.

This is a public interface. Extending it (a new optional attribute, a new type, a new allowed
value) keeps old files valid; removing or renaming anything does not, so never do that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AttrKind = Literal[
    "text",
    "enum",
    "enum_list",  # one allowed value or a list of them (several undertakings in one letter)
    "bool",
    "bool_or_text",  # true/false, or words when the answer is more than a yes or no
    "number",
    "country",
    "date",
]


@dataclass(frozen=True, slots=True)
class Attr:
    """One attribute of an event type: its kind and, for enums, the allowed values."""

    kind: AttrKind
    values: tuple[str, ...] = ()
    open_enum: bool = False  # other values are accepted (with a warning), e.g. new UN bodies


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    meaning: str
    attrs: dict[str, Attr] = field(default_factory=dict)


_TEXT = Attr("text")
_BOOL = Attr("bool")
_COUNTRY = Attr("country")
_AGAINST = Attr(
    "enum",
    ("asylum_decision", "expulsion_order", "extradition_decision", "conviction", "detention"),
)
_LEVEL = Attr(
    "enum",
    ("administrative", "first_instance", "appeal", "cassation", "supreme_court", "constitutional"),
)
_BODY = Attr("enum", ("CAT", "HRC", "ECtHR", "UNHCR", "WGAD", "CERD", "CEDAW", "CRC"), True)
_SERVED = Attr("date")  # when the decision was served (handed) to the person; deadlines run from it
#: Who decided or assessed, as a class: the engine weighs a court's or a UN body's finding
#: differently from an agency's, and UNHCR's mandate recognition is not the host's grant.
_AUTHORITY = Attr(
    "enum",
    (
        "host_agency",
        "host_court",
        "host_prosecutor",
        "host_government",
        "unhcr",
        "un_body",
        "regional_court",
        "other_state",
    ),
)
_HARM = Attr(
    "enum",
    ("torture", "persecution", "death_penalty", "unfair_trial", "conscription", "ill_treatment"),
)

EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType("flight", "left the origin state", {"from": _COUNTRY, "reason": _TEXT}),
        EventType("entry", "entered the host state", {"irregular": _BOOL, "place": _TEXT}),
        EventType(
            "detention",
            "detained or arrested in the host state",
            {
                "by": _TEXT,
                "grounds": Attr(
                    "enum",
                    ("border", "immigration", "extradition", "extradition_arrest", "criminal"),
                ),
                "place": _TEXT,
            },
        ),
        EventType("release", "released from detention", {"grounds": _TEXT}),
        EventType("asylum_application", "expressed the wish for asylum", {"to": _TEXT}),
        EventType(
            "asylum_registration",
            "application registered; asylum-seeker certificate issued",
            {"valid_until": Attr("date")},
        ),
        EventType(
            "asylum_decision",
            "first-instance decision on refugee status",
            {
                "outcome": Attr("enum", ("granted", "refused", "withdrawn")),
                "by": _TEXT,
                "authority": _AUTHORITY,
                "served": _SERVED,
            },
        ),
        EventType(
            "appeal_lodged",
            "a challenge lodged against a decision",
            {"against": _AGAINST, "level": _LEVEL, "by": _TEXT, "suspensive": _BOOL},
        ),
        EventType(
            "appeal_decision",
            "a challenge decided",
            {
                "against": _AGAINST,
                "outcome": Attr("enum", ("upheld", "quashed", "remitted", "suspended")),
                "level": _LEVEL,
                "final": _BOOL,
                "by": _TEXT,
                "served": _SERVED,
            },
        ),
        EventType(
            "charge",
            "criminal case, charge or wanted listing",
            {
                "by": _COUNTRY,
                "offence": _TEXT,
                "max_penalty_years": Attr("number"),
                "wanted": Attr("enum", ("national", "interstate", "interpol")),
            },
        ),
        EventType(
            "extradition_request",
            "a state asks for surrender",
            {"by": _COUNTRY, "offence": _TEXT},
        ),
        EventType(
            "extradition_decision",
            "the host decides on surrender",
            {"outcome": Attr("enum", ("granted", "refused")), "by": _TEXT, "served": _SERVED},
        ),
        EventType(
            "conviction",
            "convicted in the host state",
            {
                "offence": _TEXT,
                "sentence": _TEXT,
                "expulsion": _BOOL,
                "by": _TEXT,
                "served": _SERVED,
            },
        ),
        EventType(
            "expulsion_order", "deportation or expulsion ordered", {"by": _TEXT, "served": _SERVED}
        ),
        EventType(
            "interim_measures_request",
            "a request to an international body to halt removal",
            {"body": _BODY, "by": _TEXT},
        ),
        EventType(
            "interim_measures",
            "the body asks the state not to remove",
            {"body": _BODY, "lifted": _BOOL},
        ),
        EventType(
            "removal",
            "physically sent to another state",
            {
                "to": _COUNTRY,
                "via": Attr("enum", ("deportation", "extradition", "handover", "rendition")),
                "by": _TEXT,
            },
        ),
        EventType("departure", "left the host state on their own", {"to": _COUNTRY}),
        EventType(
            "risk_allegation",
            "someone states the person faces harm if returned",
            {"harm": _HARM, "by": _TEXT, "state": _COUNTRY},
        ),
        EventType(
            "risk_assessment",
            "an authority assessed that risk",
            {
                "outcome": Attr("enum", ("risk_found", "no_risk", "not_assessed")),
                "harm": _HARM,
                "by": _TEXT,
                "authority": _AUTHORITY,
                "state": _COUNTRY,
            },
        ),
        EventType(
            "status_grant",
            "refugee or other protection status granted",
            {
                "status": _TEXT,
                "valid_until": Attr("date"),
                "by": _TEXT,
                "authority": _AUTHORITY,
            },
        ),
        EventType(
            "diplomatic_assurances",
            "the requesting or receiving state gives undertakings about the person's treatment",
            {
                "from": _COUNTRY,
                "by": _TEXT,
                "content": Attr(
                    "enum_list",
                    (
                        "no_torture",
                        "no_ill_treatment",
                        "no_death_penalty",
                        "fair_trial",
                        "access_monitoring",
                        "no_political_prosecution",
                        "specialty",
                    ),
                ),
                "monitoring": Attr("bool_or_text"),
            },
        ),
        EventType("other", "anything else worth keeping on the timeline", {"label": _TEXT}),
    )
}

#: Keys every event may carry, whatever its type.
COMMON_EVENT_KEYS = (
    "id",
    "type",
    "date",
    "source",
    "certainty",
    "note",
    "review",
    "sequence",
)
CERTAINTIES = ("reported", "confirmed", "alleged", "disputed")
REVIEW_STATES = ("draft", "verified", "rejected")
