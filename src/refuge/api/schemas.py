"""The API's edge types: request bodies forbid unknown fields and bound every string; responses
name their fields explicitly, so nothing from the store leaks by accident (security.md R13)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD`` (or a date): pydantic would otherwise read a number as a Unix time."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("a date is written YYYY-MM-DD")


IsoDay = Annotated[date, BeforeValidator(_iso_day)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AlertOut(BaseModel):
    case_ref: int
    case: str
    kind: str
    due: date
    status: str
    reason: str
    todo: str
    rule: str | None
    after_removal: bool = False


class StepOut(BaseModel):
    kind: str
    what: str
    todo: str
    due: date
    days_left: int
    when: str
    why: str
    status: str
    rule: str | None


class PersonTodayOut(BaseModel):
    case: str
    case_ref: int
    name: str
    host: str
    origin: str | None
    removed: bool
    stake: str
    due: date
    days_left: int
    when: str
    steps: list[StepOut]


class CaseSummaryOut(BaseModel):
    ref: int
    id: str
    name: str
    host: str
    origin: str | None
    drafts: int
    risks: list[str]


class CaseListOut(BaseModel):
    items: list[CaseSummaryOut]
    total: int
    page: int
    pages: int


class CaseOut(BaseModel):
    ref: int
    case: dict[str, Any]
    corroboration: dict[str, int]
    merge_proposals: int
    evaluation: dict[str, Any]


class ExportOut(BaseModel):
    format: str
    content: str


class DraftOut(BaseModel):
    case_ref: int
    case: str
    name: str
    event: str
    type: str
    earliest: date
    latest: date
    date_text: str | None
    certainty: str | None


class ProposalOut(BaseModel):
    pk: int
    case_ref: int
    case: str
    name: str
    score: float
    reasons: list[str]


class PersonDraftOut(BaseModel):
    case_ref: int
    case: str
    name: str
    aliases: list[str]
    citizenship: list[str]


class ReviewQueueOut(BaseModel):
    drafts: list[DraftOut]
    proposals: list[ProposalOut]
    people: list[PersonDraftOut]


class EventReviewIn(_In):
    event: str = Field(min_length=1, max_length=128)
    action: Literal["accept", "reject", "edit"]
    earliest: date | None = None
    latest: date | None = None
    date_text: str | None = Field(default=None, max_length=200)


class ProposalReviewIn(_In):
    action: Literal["accept", "reject"]


class ReviewedOut(BaseModel):
    case_ref: int


class RequestSentIn(_In):
    to: Literal["cat", "hrc", "echr"]
    sent: IsoDay


class RequestSentOut(BaseModel):
    case_ref: int
    event: str


class ReportIn(_In):
    text: str = Field(min_length=1, max_length=2_000_000)
    name: str = Field(default="report.txt", min_length=1, max_length=200)
    host: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")


class ReportOut(BaseModel):
    cases: list[int]
    proposed: int
    message: str
    warnings: list[str] = []  # e.g. "language kk is not read yet; no case drafted"


class UploadOut(BaseModel):
    upload: int
    state: str  # waiting, reading, done, failed: see GET /api/uploads/{upload}
    url: str


class UploadProgressOut(BaseModel):
    upload: int
    state: str  # waiting, reading, done, failed
    finished: bool
    attempts: int
    cases: list[int]  # refs of the cases it produced that you may see
    proposed: int
    message: str
    warnings: list[str]
    error: str | None


class ShareIn(_In):
    team: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class AccountOut(BaseModel):
    name: str
    role: str
    teams: list[str]


class LawRuleOut(BaseModel):
    id: str
    kind: str
    title: str
    instrument: str
    article: str
    citation: str
    url: str | None
    basis: str
    validity: str


class LawPackOut(BaseModel):
    id: str
    title: str
    jurisdiction: str
    version: str
    verified_through: date
    rules: list[LawRuleOut]


class ErrorOut(BaseModel):
    detail: Any


_ERROR: dict[str, Any] = {"model": ErrorOut}
#: Every API route may answer these (documented, so clients and schemathesis expect them).
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**_ERROR, "description": "Refused input (a readable reason)"},
    401: {**_ERROR, "description": "No valid API token"},
    403: {**_ERROR, "description": "Role or token scope does not allow this"},
    404: {**_ERROR, "description": "No such case (or not visible to you)"},
    413: {**_ERROR, "description": "Request too large"},
}
