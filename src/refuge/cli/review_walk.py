"""The interactive review queue of ``refuge review``: one draft at a time, one key per decision."""

from __future__ import annotations

import click
from rich.markup import escape

from refuge.cli.output import console
from refuge.domain import DateRange, Event
from refuge.errors import RefugeError
from refuge.services import store as svc
from refuge.services.review import Draft, edit_event, pending_drafts, split_event
from refuge.storage import Store

_EVENT_KEYS = {
    "a": "accept",
    "e": "edit",
    "r": "reject",
    "x": "split off",
    "s": "skip",
    "q": "quit",
}
_MERGE_KEYS = {"m": "merge", "k": "keep apart", "s": "skip", "q": "quit"}


def walk(store: Store, case_id: str | None, actor: str) -> None:
    drafts = pending_drafts(store, case_id=case_id)
    if not drafts:
        console.print("Nothing to review.")
        return
    done = 0
    for number, draft in enumerate(drafts, 1):
        console.rule(f"{number}/{len(drafts)} · {draft.kind} · case {escape(draft.case_id)}")
        console.print(escape(draft.summary))
        keys = _MERGE_KEYS if draft.kind == "merge" else _EVENT_KEYS
        answer = click.prompt(
            " ".join(f"[{k}]{v[1:] if v[0] == k else ' ' + v}" for k, v in keys.items()),
            type=click.Choice(list(keys)),
            show_choices=False,
        )
        if answer == "q":
            break
        if answer == "s":
            continue
        try:
            _decide(store, draft, answer, actor)
            done += 1
        except RefugeError as exc:  # a bad edit: say why, keep walking
            console.print(f"[red]not saved:[/] {escape(str(exc))}")
    console.print(f"{done} decision(s) saved.")


def _decide(store: Store, draft: Draft, answer: str, actor: str) -> None:
    if draft.kind == "merge":
        assert draft.merge_pk is not None
        verdict = "verified" if answer == "m" else "rejected"
        into = svc.review_merge(store, draft.merge_pk, verdict, actor)
        console.print(f"merge {verdict}; the facts are in case {escape(into)}")
    elif draft.kind == "person":
        svc.review_person(store, draft.case_id, _verdict(answer), actor)
    else:
        assert draft.event is not None
        if answer == "e":
            _edit(store, draft.case_id, draft.event, actor)
        elif answer == "x":
            new = split_event(store, draft.case_id, draft.event.id, actor=actor)
            console.print(f"moved to new case {escape(new)} (check its person)")
        else:
            svc.review_event(store, draft.case_id, draft.event.id, _verdict(answer), actor)


def _verdict(answer: str) -> str:
    if answer in ("e", "x"):
        raise RefugeError("only events can be edited or split off; accept or reject the person")
    return "verified" if answer == "a" else "rejected"


def _edit(store: Store, case_id: str, event: Event, actor: str) -> None:
    text = click.prompt(
        "date (YYYY-MM-DD, YYYY-MM, YYYY or EARLIEST..LATEST)", default=str(event.date)
    )
    when = _parse_range(text, event.date)
    pairs = click.prompt(
        "attributes to set (name=value, comma separated; empty: none)",
        default="",
        show_default=False,
    )
    attrs: dict[str, object] = {}
    for pair in filter(None, (p.strip() for p in pairs.split(","))):
        name, _, value = pair.partition("=")
        attrs[name.strip()] = _value(value.strip())
    updated = edit_event(store, case_id, event.id, when=when, attrs=attrs, actor=actor)
    console.print(f"saved and verified: {escape(str(updated.date))}")


def _parse_range(text: str, current: DateRange) -> DateRange:
    try:
        if ".." in text:
            first, last = text.split("..", 1)
            return DateRange(
                DateRange.parse_shorthand(first).earliest,
                DateRange.parse_shorthand(last).latest,
                current.text,
            )
        return DateRange.parse_shorthand(text)
    except ValueError as exc:
        raise RefugeError(f"date: {exc}") from None


def _value(text: str) -> object:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if text.isdigit():
        return int(text)
    return text
