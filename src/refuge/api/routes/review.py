"""Changing: the review queue (accept, edit, reject, merge) and adding reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from refuge.api import schemas
from refuge.api.deps import ApiUser, StoreDep
from refuge.services import accounts, review, teams
from refuge.web.jobs import QueueDep, submit

router = APIRouter(tags=["review"], responses=schemas.ERRORS)
Ref = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/review", response_model=schemas.ReviewQueueOut)
def queue(user: ApiUser, store: StoreDep) -> schemas.ReviewQueueOut:
    """Draft events and merge proposals of the visible cases."""
    drafts, proposals = review.review_queue(store, user)
    people = review.people_queue(store, user)
    return schemas.ReviewQueueOut(
        people=[
            schemas.PersonDraftOut(
                case_ref=p.ref,
                case=p.case,
                name=p.name,
                aliases=list(p.aliases),
                citizenship=list(p.citizenship),
            )
            for p in people
        ],
        drafts=[
            schemas.DraftOut(
                case_ref=d.ref,
                case=d.case,
                name=d.name,
                event=d.event,
                type=d.type,
                earliest=d.date.earliest,
                latest=d.date.latest,
                date_text=d.date.text,
                certainty=d.certainty,
            )
            for d in drafts
        ],
        proposals=[
            schemas.ProposalOut(
                pk=p.pk,
                case_ref=p.ref,
                case=p.case,
                name=p.name,
                score=p.score,
                reasons=list(p.reasons),
            )
            for p in proposals
        ],
    )


@router.post("/cases/{ref}/review", response_model=schemas.ReviewedOut)
def review_event(
    ref: Ref, body: schemas.EventReviewIn, user: ApiUser, store: StoreDep
) -> schemas.ReviewedOut:
    """Accept, reject or edit a draft event (lawyers)."""
    edit = review.Edit(body.earliest, body.latest, body.date_text)
    review.review_event(store, user, ref, body.event, body.action, edit)
    return schemas.ReviewedOut(case_ref=ref)


@router.post("/cases/{ref}/person", response_model=schemas.ReviewedOut)
def review_person(
    ref: Ref, body: schemas.ProposalReviewIn, user: ApiUser, store: StoreDep
) -> schemas.ReviewedOut:
    """Verify (accept) or reject the identity of a case's person (lawyers)."""
    review.review_person(store, user, ref, body.action)
    return schemas.ReviewedOut(case_ref=ref)


@router.post("/proposals/{pk}/review", response_model=schemas.ReviewedOut)
def review_proposal(
    pk: Ref, body: schemas.ProposalReviewIn, user: ApiUser, store: StoreDep
) -> schemas.ReviewedOut:
    """Merge a proposed report into its case, or open it as a separate case (lawyers)."""
    return schemas.ReviewedOut(case_ref=review.review_proposal(store, user, pk, body.action))


@router.post("/reports", response_model=schemas.UploadOut, status_code=202)
async def add_report(
    body: schemas.ReportIn, user: ApiUser, store: StoreDep, queue: QueueDep
) -> schemas.UploadOut:
    """Queue a report (text, Markdown or HTML) to be read into draft cases for review
    (monitors and up); follow ``GET /api/uploads/{upload}`` until it is ``done``."""
    pk = await submit(store, queue, user, body.text.encode(), body.name, body.host)
    return schemas.UploadOut(upload=pk, state="waiting", url=f"/api/uploads/{pk}")


@router.post("/cases/{ref}/share", response_model=schemas.ReviewedOut)
def share_case(
    ref: Ref, body: schemas.ShareIn, user: ApiUser, store: StoreDep
) -> schemas.ReviewedOut:
    """Share a case you can see with another team (lawyers; audited)."""
    teams.share_case(store, user, ref, body.team)
    return schemas.ReviewedOut(case_ref=ref)


@router.get("/users", response_model=list[schemas.AccountOut])
def list_users(user: ApiUser, store: StoreDep) -> list[schemas.AccountOut]:
    """Users with their roles and teams (admins)."""
    return [
        schemas.AccountOut.model_validate(a, from_attributes=True)
        for a in accounts.accounts(store, user)
    ]
