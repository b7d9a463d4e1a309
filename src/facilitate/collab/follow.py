"""What the read-only follow view may show: the public part of a running meeting.

Built from a MeetingBundle without Textual, so the confidentiality rules are testable on their
own: no notes at all, and a confidential item's title, presenter, decisions and actions are
replaced by a neutral label (a decision or action whose item cannot be found is treated as
confidential too, like the audit log does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.meeting import AgendaItem, MeetingStatus
from ..domain.speaking import SpeakingTurn, TurnStatus
from ..storage.workspace import MeetingBundle

HIDDEN = "(confidential)"


@dataclass(frozen=True)
class PublicItem:
    id: str
    number: int
    title: str
    planned_minutes: int
    confidential: bool
    current: bool
    running: bool
    started: bool


@dataclass(frozen=True)
class PublicCapture:
    text: str
    detail: str
    confidential: bool


@dataclass(frozen=True)
class PublicQueue:
    """The current item's speakers' queue: names only, never a note. On a confidential item
    the names are withheld too (``hidden``): who has the floor and how many wait."""

    speaker: str = ""  # "Name (Organization)" of the turn speaking; "" when nobody
    speaking_turn_id: str | None = None  # (its clock is worked out by the screen)
    waiting: tuple[str, ...] = ()
    hidden: bool = False
    spoken: int = 0  # turns on the item already done (a count, on any item)


def _speaker_name(turn: SpeakingTurn) -> str:
    name, org = turn.name, turn.organization
    return f"{name} ({org})" if name and org and name != org else (name or org)


def public_queue(bundle: MeetingBundle) -> PublicQueue:
    """Who speaks and who waits on the current item."""
    item_id = bundle.meeting.current_item_id
    mine = sorted(
        (t for t in bundle.turns if t.item_id == item_id and item_id is not None),
        key=lambda t: (t.position, t.id),
    )
    speaking = next((t for t in mine if t.status is TurnStatus.SPEAKING), None)
    waiting = [t for t in mine if t.status is TurnStatus.QUEUED]
    spoken = sum(1 for t in mine if t.status.done)
    item = bundle.item(item_id)
    secret = item is None or bool(item.confidential) or any(t.confidential for t in mine)
    if secret:
        return PublicQueue(
            speaker="A speaker" if speaking is not None else "",
            speaking_turn_id=speaking.id if speaking is not None else None,
            waiting=tuple(HIDDEN for _ in waiting),
            hidden=True,
            spoken=spoken,
        )
    return PublicQueue(
        speaker=_speaker_name(speaking) if speaking is not None else "",
        speaking_turn_id=speaking.id if speaking is not None else None,
        waiting=tuple(t.name for t in waiting),
        spoken=spoken,
    )


@dataclass
class PublicView:
    title: str
    status: MeetingStatus
    paused: bool
    items: list[PublicItem] = field(default_factory=list)
    current: PublicItem | None = None
    decisions: list[PublicCapture] = field(default_factory=list)
    actions: list[PublicCapture] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    expected: int = 0
    organizations: int = 0
    queue: PublicQueue = field(default_factory=PublicQueue)


def _is_secret(items: dict[str, AgendaItem], item_id: str | None) -> bool:
    if not item_id:
        return False
    item = items.get(item_id)
    return item is None or bool(item.confidential)


def public_view(bundle: MeetingBundle, member_names: dict[str, str] | None = None) -> PublicView:
    """The meeting as the projector may show it. ``member_names``: owner id -> name."""
    names = member_names or {}
    m = bundle.meeting
    by_id = {i.id: i for i in bundle.items}
    view = PublicView(title=m.title, status=m.status, paused=m.paused)
    visible = [i for i in bundle.items if not i.deferred]
    for n, item in enumerate(visible, start=1):
        secret = bool(item.confidential)
        if secret:
            title = f"{item.kind.label} {HIDDEN}"
        else:
            title = item.title + (f" ({item.presenter})" if item.presenter else "")
        public = PublicItem(
            id=item.id,
            number=n,
            title=title,
            planned_minutes=item.planned_minutes,
            confidential=secret,
            current=item.id == m.current_item_id,
            running=item.running,
            started=item.started,
        )
        view.items.append(public)
        if public.current:
            view.current = public
    for d in sorted(bundle.decisions, key=lambda d: (d.recorded_at is None, d.recorded_at)):
        if _is_secret(by_id, d.agenda_item_id):
            view.decisions.append(
                PublicCapture(f"Decision on a confidential item {HIDDEN}", "", True)
            )
            continue
        detail = d.method.value
        if d.method.value == "vote":
            detail = f"vote {d.votes_for}-{d.votes_against}-{d.abstentions}"
        view.decisions.append(PublicCapture(d.text, detail, False))
    for a in bundle.actions:
        due = f"report back {a.due_label()}"
        if _is_secret(by_id, a.agenda_item_id):
            view.actions.append(PublicCapture(f"Action on a confidential item {HIDDEN}", due, True))
            continue
        owner = names.get(a.owner_id or "", "")
        view.actions.append(PublicCapture(a.text, f"{owner}, {due}" if owner else due, False))
    # Who is in the room now (left early or stepped out: not); guests are people, never an
    # organization represented.
    here = [a for a in bundle.attendance if a.in_room]
    view.present = sorted(
        (f"{a.name} ({a.organization_name})" if a.organization_name else a.name) for a in here
    )
    view.expected = len(bundle.attendance)
    view.organizations = len({a.organization_id for a in here if a.organization_id})
    view.queue = public_queue(bundle)
    return view
