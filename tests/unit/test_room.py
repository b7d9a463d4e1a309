"""Attendance that follows the room (issue 16): who left, who stepped out, who may stay for a
case review, and an item passed over within the grace period keeps its turn."""

from __future__ import annotations

import pendulum
import pytest

from facilitate.domain.case_review import must_step_out, stepped_out
from facilitate.domain.meeting import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    summarize_attendance,
)
from facilitate.domain.replan import propose_replan
from facilitate.domain.roster import (
    Member,
    MouStatus,
    Organization,
    Profile,
    Roster,
    Sector,
)
from facilitate.domain.timer import (
    GRACE_SECONDS,
    back_out,
    close_open_span,
    leave_current,
    leave_item,
    meeting_clock,
    move_to,
    open_span,
)

from .factories import at, make_item, make_meeting

SIGNED = pendulum.date(2025, 3, 1)


def roster() -> Roster:
    """Four organizations, one per MOU status; two members each (Harbor PD has a third)."""
    orgs = [
        Organization(
            id="org-pd",
            name="Harbor PD",
            sector=Sector.LAW_ENFORCEMENT_LOCAL,
            mou_status=MouStatus.SIGNED,
            mou_signed_on=SIGNED,
        ),
        Organization(
            id="org-sh",
            name="Lantern Shelter",
            sector=Sector.NGO_ADVOCACY,
            mou_status=MouStatus.IN_REVIEW,
        ),
        Organization(
            id="org-sc", name="Unified Schools", sector=Sector.EDUCATORS, mou_status=MouStatus.NONE
        ),
        Organization(
            id="org-fb",
            name="Interfaith Network",
            sector=Sector.FAITH_BASED,
            mou_status=MouStatus.UNSIGNED_COMMITMENT,
        ),
    ]
    members = [
        Member(id="m-pd1", name="Marcus", organization_id="org-pd"),
        Member(id="m-pd2", name="Priya", organization_id="org-pd", steps_out=True),
        Member(id="m-sh1", name="Hana", organization_id="org-sh"),
        Member(id="m-sh2", name="Jamal", organization_id="org-sh", undertaking=True),
        Member(id="m-sc1", name="Mateo", organization_id="org-sc"),
        Member(id="m-fb1", name="Ruth", organization_id="org-fb"),
    ]
    return Roster(profile=Profile(name="Task force"), organizations=orgs, members=members)


def attendance(r: Roster, status: AttendanceStatus = AttendanceStatus.PRESENT) -> list[Attendance]:
    out = [
        Attendance(
            meeting_id="mtg",
            member_id=m.id,
            name=m.name,
            organization_id=m.organization_id,
            organization_name=(r.org(m.organization_id) or Organization(name="?")).name,
            status=status,
        )
        for m in r.members
    ]
    out.append(
        Attendance(
            meeting_id="mtg",
            name="Dana Press",
            organization_name="Port Merrow Gazette",
            status=AttendanceStatus.PRESENT,
        )
    )
    return out


def by_name(records: list[Attendance], name: str) -> Attendance:
    return next(a for a in records if a.name == name)


# --- attendance ------------------------------------------------------------------------------


def test_left_early_drops_out_of_the_count_organizations_sectors_and_quorum() -> None:
    r = roster()  # 4 organizations: quorum needs 2
    records = attendance(r)
    for name in ("Hana", "Jamal", "Mateo", "Ruth"):
        by_name(records, name).status = AttendanceStatus.ABSENT
    before = summarize_attendance(records, r)
    assert before.present == 3 and before.members_present == 2  # (and the guest)
    assert before.organizations == ["Harbor PD"] and not before.quorum_met
    by_name(records, "Mateo").status = AttendanceStatus.PRESENT
    met = summarize_attendance(records, r)
    assert met.quorum_met and met.member_organizations == 2
    assert Sector.EDUCATORS in met.sectors
    # The only attendee of Unified Schools leaves: the room no longer has a quorum.
    by_name(records, "Mateo").status = AttendanceStatus.LEFT_EARLY
    after = summarize_attendance(records, r)
    assert after.present == 3 and after.left_early == 1
    assert after.organizations == ["Harbor PD"]
    assert Sector.EDUCATORS not in after.sectors
    assert "Unified Schools" in after.missing_organizations
    assert not after.quorum_met
    # The minutes' record of who took part still counts them.
    took_part = summarize_attendance(records, r, attended=True)
    assert took_part.organizations == ["Harbor PD", "Unified Schools"] and took_part.quorum_met


def test_guests_never_count_as_an_organization_or_a_voter() -> None:
    r = roster()
    records = [a for a in attendance(r) if a.is_guest]
    s = summarize_attendance(records, r)
    assert s.present == 1 and s.guests == 1 and s.members_present == 0
    assert s.organizations == [] and s.member_organizations == 0
    assert "Port Merrow Gazette" not in s.organizations
    assert not records[0].may_vote


def test_stepped_out_people_are_not_in_the_room_while_out() -> None:
    r = roster()
    records = attendance(r)
    full = summarize_attendance(records, r)
    for name in ("Mateo", "Dana Press"):
        by_name(records, name).stepped_out = True
    out = summarize_attendance(records, r)
    assert out.present == full.present - 2 and out.stepped_out == 2
    assert "Unified Schools" not in out.organizations
    assert not by_name(records, "Mateo").may_vote
    assert [a.name for a in stepped_out(records)] == ["Mateo", "Dana Press"]


# --- who may stay for a case review ----------------------------------------------------------


def test_must_step_out_lists_guests_unsigned_organizations_and_flagged_members() -> None:
    r = roster()
    records = attendance(r)
    listed = {s.attendance.name: s.reason for s in must_step_out(records, r)}
    assert listed == {
        "Priya": "flagged in the roster",  # signed MOU, but flagged
        "Hana": "MOU in review, no undertaking",
        "Mateo": "MOU none, no undertaking",
        "Ruth": "MOU unsigned commitment, no undertaking",
        "Dana Press": "guest",
    }
    # Marcus (signed MOU) and Jamal (own undertaking) may stay.
    assert "Marcus" not in listed and "Jamal" not in listed
    # Guests come last.
    assert must_step_out(records, r)[-1].attendance.is_guest


@pytest.mark.parametrize(
    "status", [AttendanceStatus.LEFT_EARLY, AttendanceStatus.ABSENT, AttendanceStatus.EXPECTED]
)
def test_people_not_in_the_room_are_not_asked_to_step_out(status: AttendanceStatus) -> None:
    r = roster()
    records = attendance(r, status)
    by_name(records, "Dana Press").status = status
    assert must_step_out(records, r) == []
    records = attendance(r)
    for a in records:
        a.stepped_out = True  # already out
    assert must_step_out(records, r) == []


# --- the grace period ------------------------------------------------------------------------


def test_an_item_left_within_the_grace_period_stays_pending() -> None:
    item = make_item("Case review", 25)
    open_span(item, at(10))
    leave_item(item, at(10, GRACE_SECONDS - 1))
    assert not item.started and item.spans == []
    open_span(item, at(20))
    leave_item(item, at(20, GRACE_SECONDS))
    assert item.started and item.elapsed_seconds(at(30)) == GRACE_SECONDS


def test_a_short_revisit_keeps_the_earlier_time() -> None:
    item = make_item("Report-backs", 10, spans=[(at(0), at(8))])
    open_span(item, at(40))
    leave_item(item, at(40, 5))
    assert item.elapsed_seconds(at(50)) == 8 * 60 and not item.running


def test_backing_out_drops_the_visit_however_long_the_reminder_was_up() -> None:
    item = make_item("Case review", 25)
    open_span(item, at(10))
    back_out(item, at(13))
    assert not item.started


def test_a_passed_over_item_keeps_its_planned_time_in_projection_and_replan() -> None:
    """A quick double n: items 1 and 2 entered and left at once, item 3 now current."""
    items = [make_item(f"Item {n}", 25, position=n, item_id=f"itm-{n}") for n in range(4)]
    meeting = make_meeting(minutes=60, started=True, current_item_id="itm-0")
    open_span(items[0], at(0))
    leave_item(items[0], at(20))  # held 20 minutes
    open_span(items[1], at(20))
    leave_item(items[1], at(20, 3))  # passed over
    open_span(items[2], at(20, 3))
    meeting.current_item_id = "itm-2"
    clock = meeting_clock(meeting, items, at(20, 3))
    # Items 1 and 3 still to come (25 min each) plus item 2's 25: 75 min from 09:20.
    assert clock.projected_end == at(20, 3).add(minutes=75)
    assert not clock.on_track
    proposal = propose_replan(meeting, items, at(20, 3))
    assert "itm-1" in {c.item_id for c in proposal.changes}


def _agenda(n: int = 4) -> tuple[list[AgendaItem], Meeting]:
    items = [make_item(f"Item {k}", 10, position=k, item_id=f"itm-{k}") for k in range(n)]
    meeting = make_meeting(minutes=60, started=True)
    return items, meeting


def test_moving_on_from_a_paused_item_within_the_grace_period_leaves_it_pending() -> None:
    """Entered, paused after 10 s, resumed, left after 10 s more: 20 s of meeting time."""
    items, meeting = _agenda()
    move_to(meeting, items, "itm-0", at(0))
    move_to(meeting, items, "itm-1", at(5))  # item 0 held 5 minutes
    close_open_span(items[1], at(5, 10))  # paused
    meeting.paused = True
    open_span(items[1], at(7))  # resumed two minutes later
    changed = move_to(meeting, items, "itm-2", at(7, 10))
    assert items[1] in changed and not items[1].started
    assert items[0].elapsed_seconds(at(8)) == 5 * 60  # the visit before is untouched
    assert meeting.current_item_id == "itm-2" and not meeting.paused and items[2].running


def test_moving_on_from_a_paused_item_held_longer_keeps_its_time() -> None:
    items, meeting = _agenda()
    move_to(meeting, items, "itm-0", at(0))
    close_open_span(items[0], at(0, 25))
    open_span(items[0], at(3))
    move_to(meeting, items, "itm-1", at(3, 6))  # 25 + 6 s: over the grace period
    assert items[0].elapsed_seconds(at(4)) == 31


def test_a_short_revisit_after_a_pause_drops_only_that_visit() -> None:
    items, meeting = _agenda()
    move_to(meeting, items, "itm-0", at(0))
    move_to(meeting, items, "itm-1", at(8))
    move_to(meeting, items, "itm-0", at(12))  # back to item 0 ...
    close_open_span(items[0], at(12, 5))  # ... paused ...
    open_span(items[0], at(13))
    move_to(meeting, items, "itm-2", at(13, 5))  # ... and left: 10 s of this visit
    assert items[0].elapsed_seconds(at(14)) == 8 * 60
    assert items[1].elapsed_seconds(at(14)) == 4 * 60


def test_ending_the_meeting_within_the_grace_period_leaves_the_item_pending() -> None:
    items, meeting = _agenda()
    move_to(meeting, items, "itm-0", at(0))
    move_to(meeting, items, "itm-1", at(10))
    changed = leave_current(meeting, items, at(10, 20))  # the end, 20 s into item 1
    assert changed == [items[1]] and not items[1].started
    assert items[0].elapsed_seconds(at(11)) == 10 * 60


def test_ending_the_meeting_while_paused_leaves_a_short_item_pending() -> None:
    items, meeting = _agenda()
    move_to(meeting, items, "itm-0", at(0))
    close_open_span(items[0], at(0, 15))
    meeting.paused = True
    assert leave_current(meeting, items, at(9)) == [items[0]] and not items[0].started


def test_stepping_back_and_forth_quickly_finishes_no_item() -> None:
    """n then previous item within the grace period, and Enter on another item."""
    items, meeting = _agenda()
    move_to(meeting, items, "itm-0", at(0))
    move_to(meeting, items, "itm-1", at(10))
    move_to(meeting, items, "itm-0", at(10, 4))  # previous item
    move_to(meeting, items, "itm-3", at(10, 9))  # Enter on item 3
    move_to(meeting, items, "itm-2", at(10, 30))  # Enter on item 2, 21 s later
    assert not items[1].started and not items[3].started
    # Item 1 left no time, so item 0's 5 s back continue its first visit: kept.
    assert items[0].elapsed_seconds(at(11)) == 10 * 60 + 5
    clock = meeting_clock(meeting, items, at(10, 30))
    assert clock.projected_end == at(10, 30).add(minutes=30)  # items 1, 2 and 3 to come
