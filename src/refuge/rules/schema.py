"""The shape of law-pack files, checked with pydantic when a pack is loaded.

Every rule must cite its source and say how well that source is verified (``basis``), so that a
finding can never be more certain than the law it rests on.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Basis = Literal["verified", "secondary", "unverified"]
Kind = Literal["protection", "safeguard", "action", "exception"]
Mode = Literal["deportation", "extradition", "handover", "rendition"]
MODES: tuple[Mode, ...] = ("deportation", "extradition", "handover", "rendition")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Citation(_Strict):
    text: str = Field(pattern=r"\S")
    url: str | None = None
    research: str | None = None  # where in law-research(.md|-addendum.md) the item is discussed


class FuzzyDay(_Strict):
    earliest: date
    latest: date
    text: str | None = None


class Pattern(_Strict):
    """An event type, optionally narrowed by a ``where`` filter over its attributes."""

    event: str
    where: str | None = None


class FluentDef(_Strict):
    description: str
    # A timeless fluent holds at every date once a matching event exists: an allegation of risk
    # dated when it was reported still speaks of a risk that existed before.
    timeless: bool = False
    initiated_by: list[Pattern | str]
    terminated_by: list[Pattern | str] = Field(default_factory=list)


class Version(_Strict):
    """One wording of a rule and the period it was in force (``until`` inclusive)."""

    valid_from: date | FuzzyDay | None = Field(default=None, alias="from")
    until: date | None = None
    when: str | None = None
    violated_when: str | None = None
    not_in_force: bool = False
    note: str | None = None


class Needed(_Strict):
    """An attribute a rule needs from an event: when the file omits it, the rule gives no
    finding and the fact is listed once under "to find out" (issue 9 fault 7)."""

    event: str
    attribute: str
    text: str = Field(pattern=r"\S")  # what to find out, in plain words


class HostLawQuestion(_Strict):
    """A fact of the host's law a rule turns on and refuge encodes for no national pack that
    applies (the time to appeal a decision): asked under "to find out", never a finding."""

    decision: str  # the event type of the decision (expulsion_order, extradition_decision...)
    text: str = Field(pattern=r"\S")  # what to find out; "{host}" names the host state


class Rule(_Strict):
    id: str
    kind: Kind
    title: str
    instrument: str
    article: str
    citation: Citation
    basis: Basis
    order: str | None = None
    effect: Literal["bars_removal", "advisory", "none"] = "none"
    applies_to: list[Mode] = Field(default_factory=lambda: list(MODES))
    check_at: Pattern | None = None  # safeguards: the events at which they are checked
    defeats: list[str] = Field(default_factory=list)
    derogable: bool = True
    certainty_cap: Literal["possible"] | None = None
    caveat: str | None = None
    due: str | None = None  # actions: the deadline whose expiry is the date to act by
    party_to: list[str] | None = None  # instruments binding the host (default: the pack's)
    needs: list[Needed] = Field(default_factory=list)
    asks_host_law: list[HostLawQuestion] = Field(default_factory=list)
    versions: list[Version]
    explain: str

    @model_validator(mode="after")
    def _kind_fields(self) -> Rule:
        for version in self.versions:
            if version.not_in_force:
                continue
            if self.kind == "safeguard" and not version.violated_when:
                raise ValueError("a safeguard version needs violated_when")
            if self.kind != "safeguard" and not version.when:
                raise ValueError(f"a {self.kind} version needs when")
        if self.kind == "exception" and not self.defeats:
            raise ValueError("an exception must name the rules it defeats")
        if self.kind == "protection" and self.effect == "none":
            raise ValueError("a protection needs effect: bars_removal or advisory")
        return self


class Period(_Strict):
    amount: int = Field(gt=0)
    unit: Literal["calendar_days", "working_days", "months", "years"]


class PendingFluent(_Strict):
    fluent: str
    until: list[Pattern | str]


class Deadline(_Strict):
    id: str
    title: str
    instrument: str
    article: str
    citation: Citation
    basis: Basis
    trigger: Pattern | str
    period: Period
    convention: str
    met_by: list[Pattern | str] = Field(default_factory=list)
    produces: str  # the fluent that holds while the deadline runs unmet
    # Optional: a fluent that holds from the trigger while the act can still be done OR, once
    # done in time, until one of ``pending.until`` (e.g. "extradition not yet enforceable").
    pending: PendingFluent | None = None
    # Optional: a fluent that holds from the expiry if the act was not done in time.
    on_expiry_unmet: str | None = None
    # The authority may extend the period without the timeline showing it: "expired" is then
    # only ever possible.
    extendable: bool = False
    # The act also counts when done before the trigger (a request already on file).
    met_before_trigger: bool = False
    # The period runs from the day the decision was served (its ``served`` date); when service
    # is unknown, from the decision's date, the earliest possible start (issue 9 fault 6).
    from_service: bool = False
    explain: str
    valid_from: date  # the provision's entry into force: earlier triggers start nothing
    valid_until: date | None = None


class Convention(_Strict):
    """How a period is counted; named and reused, as a court registry would."""

    description: str
    roll: Literal["forward", "none"] = "forward"
    calendar: str | None = None
    missing_day: Literal["last_day_of_month", "error"] = "error"
    basis: Basis
    citation: Citation


class Calendar(_Strict):
    id: str
    description: str
    basis: Basis
    citation: Citation
    weekend: list[Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]]
    fixed: list[str] = Field(default_factory=list)  # "MM-DD" holidays every year
    dates: list[date] = Field(default_factory=list)  # one-off holidays and moved days off
    valid_from: date
    valid_until: date


class PackMeta(_Strict):
    id: str
    title: str
    version: str
    order: str
    jurisdiction: str
    verified_through: date
    depends_on: list[str] = Field(default_factory=list)
    instruments: dict[str, str] = Field(default_factory=dict)
    # International packs: the instruments that bind a host to this pack's rules (any of them),
    # as the party table records them; a rule may name its own (the CAT art. 22 declaration).
    party_to: list[str] = Field(default_factory=list)
    notes: str | None = None
