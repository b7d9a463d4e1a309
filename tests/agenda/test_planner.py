"""agenda/planner.py and templates.py: the next meeting, report-backs, training, proposals."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from facilitate.agenda.planner import (
    accept_proposal,
    defer_proposal,
    list_proposals,
    plan_next_meeting,
    report_backs_due,
    submit_proposal,
    use_training,
)
from facilitate.agenda.render import render_agenda
from facilitate.agenda.templates import STANDARD_TEMPLATE, scaled_template
from facilitate.domain.common import FacilitateError
from facilitate.domain.meeting import AgendaItem, ItemKind, Meeting, ProposalStatus
from facilitate.domain.training import Delivery, TrainingSnippet
from tests.agenda.builders import SECRETS, sample_workspace, small_workspace

NOW = pendulum.datetime(2026, 1, 20, 12, 0, tz="UTC")
STANDARD_KINDS = [
    ItemKind.OPENING,
    ItemKind.INTRODUCTIONS,
    ItemKind.MINUTES_APPROVAL,
    ItemKind.REPORT_BACKS,
    ItemKind.TRAINING,
    ItemKind.INFORMATION_SHARING,
    ItemKind.CASE_REVIEW,
    ItemKind.NEW_BUSINESS,
    ItemKind.DECISIONS,
    ItemKind.FEEDBACK,
    ItemKind.CLOSING,
]


@pytest.mark.parametrize("slot", [60, 90, 120, 150, 180, 240])
def test_template_fills_the_slot(slot: int) -> None:
    items = scaled_template(slot)
    assert [t.kind for t in items] == STANDARD_KINDS
    assert sum(t.minutes for t in items) == slot
    assert all(t.minutes >= 2 for t in items)


def test_template_for_two_hours_is_the_base() -> None:
    assert scaled_template(120) == list(STANDARD_TEMPLATE)


def test_very_short_slot_keeps_minimums() -> None:
    assert all(t.minutes >= 2 for t in scaled_template(20))


def test_plan_next_meeting_from_the_sample(tmp_path: Path) -> None:
    ws = sample_workspace(tmp_path / "ws")
    result = plan_next_meeting(ws, now=NOW)
    m = result.meeting
    local = m.local(m.start)
    # The sample meets on the second Thursday at 10:00 Chicago time; the last is 10 Dec 2026.
    assert local.format("YYYY-MM-DD HH:mm") == "2027-01-14 10:00"
    assert m.timezone == "America/Chicago" and m.slot_minutes == 120
    stored = ws.snapshot().bundle(m.id)
    assert [i.kind for i in stored.items] == STANDARD_KINDS
    assert [i.position for i in stored.items] == list(range(len(STANDARD_KINDS)))
    case = next(i for i in stored.items if i.kind is ItemKind.CASE_REVIEW)
    assert case.confidential
    # Training: the least recently delivered snippet that fits the slot.
    training = next(i for i in stored.items if i.kind is ItemKind.TRAINING)
    snippets = ws.snapshot().all(TrainingSnippet)
    assert result.training is not None and training.training_id == result.training.id
    assert result.training.minutes <= training.planned_minutes
    assert result.training.last_delivered is None
    assert training.title == f"Training: {result.training.title}"
    assert any(s.last_delivered for s in snippets)
    # Proposals the December meeting deferred would come along; report-backs are listed.
    assert result.report_backs


def test_training_prefers_never_delivered_then_oldest(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    t0 = pendulum.datetime(2025, 1, 1, tz="UTC")
    with small.ws.transaction() as tx:
        tx.add(
            TrainingSnippet(
                id="trn-old",
                title="Old",
                minutes=8,
                deliveries=[Delivery(meeting_id="x", delivered_at=t0)],
            )
        )
        tx.add(
            TrainingSnippet(
                id="trn-new",
                title="Recent",
                minutes=8,
                deliveries=[Delivery(meeting_id="y", delivered_at=t0.add(months=6))],
            )
        )
        tx.add(TrainingSnippet(id="trn-long", title="Too long", minutes=45))
    result = plan_next_meeting(small.ws, now=NOW)
    assert result.training is not None and result.training.id == "trn-old"
    item = use_training(small.ws, result.meeting.id, "trn-new")
    assert item.training_id == "trn-new" and item.title == "Training: Recent"


def test_plan_next_meeting_keeps_time_and_location(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    result = plan_next_meeting(small.ws, now=NOW)
    m = result.meeting
    # Last meeting 10 Feb 2026 10:00 New York -> 10 Mar (after the DST switch), 10:00 EDT.
    assert m.local(m.start).format("YYYY-MM-DD HH:mm Z") == "2026-03-10 10:00 -04:00"
    assert m.location == "Room 4" and m.facilitator == "Fran Facilitator"
    approval = next(i for i in result.items if i.kind is ItemKind.MINUTES_APPROVAL)
    assert "10 February 2026" in approval.title


def test_plan_refuses_a_clash(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    with pytest.raises(FacilitateError, match="already takes"):
        plan_next_meeting(small.ws, on_date=pendulum.date(2026, 2, 10), now=NOW)


def test_deferred_items_and_proposals_are_carried_over(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    with small.ws.transaction() as tx:
        tx.add(
            AgendaItem(
                meeting_id=small.upcoming,
                title="Protocol review",
                planned_minutes=15,
                position=9,
                deferred=True,
            )
        )
    p = submit_proposal(small.ws, small.upcoming, "Funding round", minutes=10, by="Bo", now=NOW)
    defer_proposal(small.ws, small.upcoming, p.id)
    result = plan_next_meeting(small.ws, now=NOW)
    titles = [i.title for i in result.items]
    assert titles.index("Protocol review") == titles.index("Decisions") - 1
    assert result.carried_items == ["Protocol review"]
    assert result.carried_proposals == ["Funding round"]
    carried = list_proposals(small.ws.snapshot(), result.meeting.id)
    assert [(c.title, c.status) for c in carried] == [("Funding round", ProposalStatus.PENDING)]


def test_report_backs_grouped_by_subcommittee_and_owner(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    groups = report_backs_due(small.ws.snapshot(), small.upcoming)
    got = [
        (g.subcommittee, g.owner, [(e.action_id, e.overdue, e.confidential) for e in g.entries])
        for g in groups
    ]
    assert got == [
        ("Victim Services", "Ann Officer", [("act-budget", True, False)]),
        ("", "Bo Advocate", [("act-secret", False, True)]),
    ]
    assert groups[0].label == "Victim Services — Ann Officer"


def test_a_report_back_whose_agenda_item_is_gone_is_withheld(tmp_path: Path) -> None:
    """The one rule of the tracker, the history and home: when the item an action was raised
    under no longer resolves, its text is withheld (it may have been confidential)."""
    from facilitate.domain.actions import ActionItem

    small = small_workspace(tmp_path / "ws")
    with small.ws.transaction() as tx:
        budget = tx.get(ActionItem, "act-budget", small.past)
        budget.agenda_item_id = "itm-deleted-since"
        tx.update(budget)
    groups = report_backs_due(small.ws.snapshot(), small.upcoming)
    flags = {e.action_id: e.confidential for g in groups for e in g.entries}
    assert flags == {"act-budget": True, "act-secret": True}


def test_agenda_shows_report_backs_and_hides_confidential_text(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    for fmt in ("md", "html", "ics"):
        text = render_agenda(small.ws, small.upcoming, fmt, now=NOW).decode()
        unfolded = text.replace("\r\n ", "")
        assert "Send the budget to the county" in unfolded
        assert "OVERDUE" in unfolded
        assert "Case review" in unfolded
        for secret in SECRETS:
            assert secret not in unfolded, (fmt, secret)


def test_proposals_submit_accept_defer(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    a = submit_proposal(
        small.ws, small.upcoming, "Shelter beds", minutes=10, by="Bo Advocate", now=NOW
    )
    b = submit_proposal(
        small.ws,
        small.upcoming,
        "A referral",
        minutes=15,
        confidential=True,
        now=NOW.add(minutes=1),
    )
    assert [p.id for p in list_proposals(small.ws.snapshot(), small.upcoming)] == [a.id, b.id]
    item = accept_proposal(small.ws, small.upcoming, a.id, minutes=8)
    items = small.ws.snapshot().bundle(small.upcoming).items
    titles = [i.title for i in items]
    assert titles == [
        "Opening",
        "Approval of previous minutes",
        "Subcommittee report-backs",
        "Case review",
        "Shelter beds",
        "Decisions",
        "Close",
    ]
    assert [i.position for i in items] == list(range(7))
    assert item.planned_minutes == 8 and item.presenter == "Bo Advocate"
    with pytest.raises(FacilitateError, match="already on the agenda"):
        accept_proposal(small.ws, small.upcoming, a.id)
    result = defer_proposal(small.ws, small.upcoming, b.id)
    assert result.moved_to is None
    statuses = {p.id: p.status for p in list_proposals(small.ws.snapshot(), small.upcoming)}
    assert statuses == {a.id: ProposalStatus.ACCEPTED, b.id: ProposalStatus.DEFERRED}


def test_defer_moves_to_a_later_planned_meeting(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    later = plan_next_meeting(small.ws, now=NOW).meeting
    p = submit_proposal(small.ws, small.upcoming, "Later topic", now=NOW)
    result = defer_proposal(small.ws, small.upcoming, p.id)
    assert result.moved_to is not None and result.moved_to.id == later.id
    assert [x.title for x in list_proposals(small.ws.snapshot(), later.id)] == ["Later topic"]


def test_proposals_for_a_held_meeting_are_refused(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    with pytest.raises(FacilitateError, match="already been held"):
        submit_proposal(small.ws, small.past, "Too late", now=NOW)


def test_unknown_proposal_is_a_clear_error(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    with pytest.raises(FacilitateError, match="No proposal 'prp-nope'"):
        accept_proposal(small.ws, small.upcoming, "prp-nope")
    assert small.ws.snapshot().get(Meeting, small.upcoming)


def test_ending_plans_the_next_meeting_only_when_a_date_is_set_and_none_exists(
    tmp_path: Path,
) -> None:
    """The close screen's next date becomes a meeting when the meeting ends (same time of
    day, standard agenda); never a second one when a later meeting is already planned."""
    from facilitate.services.live import LiveMeeting

    ws = sample_workspace(tmp_path / "ws")
    tx = ws.snapshot()
    planned = [m for m in tx.meetings() if m.status.value == "planned"]
    ended = [m for m in tx.meetings() if m.status.value == "ended"]
    # A later meeting exists (the planned one): an earlier one with a date set adds nothing.
    earlier = LiveMeeting(ws, ended[-1].id, clock=lambda: NOW)
    earlier.set_next_meeting(ended[-1].start.add(weeks=3))
    assert earlier.plan_next_meeting() is None
    assert len(ws.snapshot().meetings()) == len(tx.meetings())

    last = planned[-1]
    live = LiveMeeting(ws, last.id, clock=lambda: last.start.add(hours=2))
    assert live.plan_next_meeting() is None  # no date set
    nxt = last.local(last.start).add(weeks=5)
    live.set_next_meeting(nxt)
    created = live.plan_next_meeting()
    assert created is not None
    assert created.start == nxt.in_timezone("UTC")
    assert (created.end - created.start).in_minutes() == (last.end - last.start).in_minutes()
    assert [i.kind for i in ws.snapshot().bundle(created.id).items] == STANDARD_KINDS
    assert live.plan_next_meeting() is None  # (now the next one exists)
    assert len(ws.snapshot().meetings()) == len(tx.meetings()) + 1
