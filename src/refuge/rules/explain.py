"""Plain-language explanations of findings, from the structure the engine recorded.

Structure first, prose second: the engine records which fluents a rule looked at and what they
were; these functions only turn that record into sentences a lawyer can check against the
events and the citation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from refuge.domain import DateRange
from refuge.rules.packs import CompiledRule, Library
from refuge.rules.tri import Tri

if TYPE_CHECKING:
    from refuge.rules.binding import DeadlineInstance

_VALUE = {True: "yes", False: "no", None: "cannot be settled from the dates"}
_STATUS = {
    "certain": "This is certain on the facts given.",
    "possible": "This is possible, not certain.",
    "unknown": "This cannot be decided without the missing facts.",
}


def premises(used: Mapping[str, Tri], library: Library) -> str:
    parts = [
        f"{library.fluents[name].description}: {_VALUE[value]}" for name, value in used.items()
    ]
    return "; ".join(parts) if parts else "no timeline facts were needed"


def explain_rule(
    rule: CompiledRule,
    kind: str,
    status: str,
    used: Mapping[str, Tri],
    reasons: list[str],
    missing: list[str],
    when: DateRange,
    library: Library,
) -> str:
    spec = rule.spec
    facts = premises(used, library)
    text = spec.explain.format(
        citation=spec.citation.text.strip(), title=spec.title, date=str(when), premises=facts
    )
    lines = [text.strip(), f"Facts considered: {facts}.", _STATUS[status]]
    if spec.basis == "unverified":
        lines.append(
            "The provision is marked unverified in the law research: check the "
            "official text before relying on it."
        )
    if spec.caveat:
        lines.append(spec.caveat)
    lines += [f"Uncertain because {reason}." for reason in reasons]
    if missing:
        lines.append(f"Missing facts: {', '.join(missing)}.")
    return " ".join(lines)


def explain_deadline(inst: DeadlineInstance, state: str, certain: bool) -> str:
    spec = inst.deadline.spec
    head = spec.explain.format(
        citation=spec.citation.text.strip(),
        title=spec.title,
        date=str(inst.last_day),
        premises="",
    )
    states = {"running": "still running", "met": "met in time", "expired": "expired unmet"}
    lines = [
        head.strip(),
        f"Triggered by {inst.trigger.key} ({inst.trigger.range}); last day "
        f"{inst.last_day} ({spec.period.amount} {spec.period.unit.replace('_', ' ')}, "
        f"convention {spec.convention}); {states[state]}.",
    ]
    if inst.service == "served":
        lines.append("Counted from the day the decision was served.")
    elif inst.service == "unknown":
        lines.append(
            "The period runs from service of the decision, which the file does not record: "
            "counted from the decision's date, the earliest possible start, so the true last "
            "day may be later."
        )
    if inst.rolled:
        lines.append("The last day fell on a day off and was moved to the next working day.")
    if not inst.last_day.exact:
        lines.append("The last day is a range because the triggering event's date is fuzzy.")
    if not certain:
        lines.append("The state is possible, not certain.")
    return " ".join(lines)
