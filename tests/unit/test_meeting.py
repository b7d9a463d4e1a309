"""meeting.py: meetings, agenda items, attendance, decisions, feedback and proposals."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

from facilitate.domain.common import ValidationError
from facilitate.domain.meeting import (
    AgendaItem,
    AgendaProposal,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionMethod,
    Feedback,
    ItemKind,
    Meeting,
    TimeSpan,
    average_rating,
    planned_total,
    summarize_attendance,
)
from facilitate.domain.roster import Organization, Profile, Quorum, QuorumKind, Roster, Sector

from .factories import T0, at, make_item

# --------------------------------------------------------------------------- Meeting


def meeting(**kwargs) -> Meeting:
    fields = {"title": "Monthly meeting", "start": T0, "end": T0.add(hours=2), **kwargs}
    return Meeting(**fields)


def test_meeting_validate_stores_utc_and_keeps_the_instant() -> None:
    start = pendulum.datetime(2026, 11, 22, 10, 0, tz="Europe/Amsterdam")
    end = pendulum.datetime(2026, 11, 22, 4, 30, tz="America/New_York")
    m = meeting(start=start, end=end, timezone="Europe/Amsterdam").validate()
    assert m.start.timezone_name == "UTC"
    assert m.end.timezone_name == "UTC"
    assert m.start == start
    assert m.end == end
    assert (m.start.hour, m.start.minute) == (9, 0)
    assert (m.end.hour, m.end.minute) == (9, 30)
    assert m.slot_minutes == 30
    assert m.local(m.start).hour == 10


@pytest.mark.parametrize(
    ("end_offset", "message"),
    [
        (pendulum.duration(minutes=-30), "before it starts"),
        (pendulum.duration(), "before it starts"),
        (pendulum.duration(hours=12, seconds=1), "longer than 12 hours"),
        (pendulum.duration(days=1), "longer than 12 hours"),
    ],
)
def test_meeting_validate_refuses_bad_spans(end_offset: pendulum.Duration, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        meeting(end=T0 + end_offset).validate()


def test_meeting_of_exactly_twelve_hours_is_allowed() -> None:
    assert meeting(end=T0.add(hours=12)).validate().slot_minutes == 720


def test_meeting_end_before_start_message_uses_local_times() -> None:
    m = meeting(
        start=pendulum.datetime(2026, 11, 22, 18, 0, tz="UTC"),
        end=pendulum.datetime(2026, 11, 22, 17, 0, tz="UTC"),
        timezone="Asia/Tokyo",
    )
    with pytest.raises(
        ValidationError, match=r"ends \(2026-11-23 02:00\).*starts \(2026-11-23 03:00\)"
    ):
        m.validate()


@pytest.mark.parametrize("which", ["start", "end"])
def test_meeting_validate_refuses_naive_datetimes(which: str) -> None:
    naive = {"start": pendulum.naive(2026, 11, 22, 9), "end": pendulum.naive(2026, 11, 22, 11)}
    with pytest.raises(ValidationError, match="without a timezone"):
        meeting(**{which: naive[which]}).validate()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Meeting title is empty"),
        ({"timezone": "Nowhere/Special"}, "Unknown timezone"),
        ({"location": "x" * 201}, "Location is 201"),
    ],
)
def test_meeting_validate_fields(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        meeting(**changes).validate()


def test_meeting_title_is_cleaned() -> None:
    assert meeting(title="Mallory\x1b]0;PWNED-TITLE\x07").validate().title == "Mallory"


@pytest.mark.parametrize(
    ("duration", "slot"),
    [
        (pendulum.duration(minutes=90), 90),
        (pendulum.duration(minutes=90, seconds=59), 90),
        (pendulum.duration(minutes=1), 1),
        (pendulum.duration(hours=3), 180),
    ],
)
def test_meeting_slot_minutes(duration: pendulum.Duration, slot: int) -> None:
    assert meeting(end=T0 + duration).validate().slot_minutes == slot


def test_meeting_across_dst_change_uses_real_elapsed_time() -> None:
    # Europe/Amsterdam leaves summer time at 03:00 on 2026-10-25: 01:00 -> 04:00 local is 4 h.
    start = pendulum.datetime(2026, 10, 25, 1, 0, tz="Europe/Amsterdam")
    end = pendulum.datetime(2026, 10, 25, 4, 0, tz="Europe/Amsterdam")
    assert meeting(start=start, end=end, timezone="Europe/Amsterdam").validate().slot_minutes == 240


# --------------------------------------------------------------------------- AgendaItem


def test_case_review_is_confidential_by_default() -> None:
    assert make_item(kind=ItemKind.CASE_REVIEW).confidential is True
    assert make_item(kind=ItemKind.INFORMATION_SHARING).confidential is False
    assert make_item(kind=ItemKind.OTHER, confidential=True).confidential is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Agenda item title is empty"),
        ({"title": " \t "}, "Agenda item title is empty"),
        ({"title": "t" * 301}, "Agenda item title is 301"),
        ({"planned_minutes": -5}, "negative"),
        ({"planned_minutes": 601}, "600-minute limit"),
        ({"planned_minutes": True}, "must be a number"),
    ],
)
def test_agenda_item_validate_refuses(changes: dict, message: str) -> None:
    fields: dict[str, Any] = {"title": "Report-backs", "planned": 10}
    if "title" in changes:
        fields["title"] = changes.pop("title")
    if "planned_minutes" in changes:
        fields["planned"] = changes.pop("planned_minutes")
    with pytest.raises(ValidationError, match=message):
        make_item(fields["title"], fields["planned"]).validate()


def test_agenda_item_validate_rounds_minutes_and_cleans_title() -> None:
    item = make_item("  Report\x1b[1m-backs ", 7.6).validate()  # type: ignore[arg-type]
    assert item.title == "Report-backs"
    assert item.planned_minutes == 8


def test_agenda_item_validate_refuses_span_ending_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="ending before it starts"):
        make_item(spans=[(at(10), at(9))]).validate()
    make_item(spans=[(at(10), at(10)), (at(11), None)]).validate()


def test_agenda_item_elapsed_over_several_spans_including_an_open_one() -> None:
    item = make_item(
        spans=[
            (at(0), at(4, 30)),  # 270 s
            (at(10), at(12, 0.5)),  # 120.5 s
            (at(20), None),  # open: counts up to now
        ]
    )
    assert item.started
    assert item.running
    assert item.elapsed_seconds(at(20)) == 390.5
    assert item.elapsed_seconds(at(21, 15)) == 390.5 + 75
    # An open span that starts after "now" (clock skew) never counts negative.
    assert item.elapsed_seconds(at(19)) == 390.5


def test_agenda_item_not_started_and_closed_spans() -> None:
    fresh = make_item()
    assert not fresh.started
    assert not fresh.running
    assert fresh.elapsed_seconds(at(100)) == 0
    done = make_item(spans=[(at(0), at(5))])
    assert done.started
    assert not done.running
    assert done.elapsed_seconds(at(500)) == 300


def test_timespan_seconds() -> None:
    assert TimeSpan(start=at(0), end=at(1)).seconds(at(99)) == 60
    assert TimeSpan(start=at(0)).seconds(at(0, 30)) == 30
    assert TimeSpan(start=at(5)).seconds(at(0)) == 0


def test_planned_total_excludes_deferred() -> None:
    items = [make_item(planned=10), make_item(planned=25), make_item(planned=40, deferred=True)]
    assert planned_total(items) == 35
    assert planned_total([]) == 0
    assert planned_total([make_item(planned=5, deferred=True)]) == 0


# --------------------------------------------------------------------------- Attendance


@pytest.mark.parametrize(
    ("status", "attending"),
    [
        (AttendanceStatus.EXPECTED, False),
        (AttendanceStatus.PRESENT, True),
        (AttendanceStatus.REMOTE, True),
        (AttendanceStatus.LATE, True),
        (AttendanceStatus.LEFT_EARLY, True),
        (AttendanceStatus.ABSENT, False),
        (AttendanceStatus.EXCUSED, False),
    ],
)
def test_attendance_status_attending(status: AttendanceStatus, attending: bool) -> None:
    assert status.attending is attending


def test_attendance_status_label() -> None:
    assert AttendanceStatus.LEFT_EARLY.label == "Left early"


SECTORS = [
    Sector.LAW_ENFORCEMENT_LOCAL,
    Sector.PROSECUTORS,
    Sector.NGO_ADVOCACY,
    Sector.HEALTH_CARE,
    Sector.SOCIAL_SERVICES,
    Sector.SURVIVORS,
]


def make_roster(n_orgs: int = 12, quorum: Quorum | None = None, inactive: int = 0) -> Roster:
    orgs = [
        Organization(id=f"org-{n:02d}", name=f"Org {n:02d}", sector=SECTORS[n % len(SECTORS)])
        for n in range(n_orgs)
    ]
    orgs += [
        Organization(id=f"old-{n}", name=f"Old {n}", sector=Sector.MEDIA, active=False)
        for n in range(inactive)
    ]
    profile = Profile(name="Task force", quorum=quorum or Quorum())
    return Roster(profile=profile, organizations=orgs)


def member_at(org_index: int, status=AttendanceStatus.PRESENT, n: int = 0) -> Attendance:
    return Attendance(
        meeting_id="mtg-test",
        member_id=f"mem-{org_index}-{n}",
        name=f"Member {org_index}/{n}",
        organization_id=f"org-{org_index:02d}",
        status=status,
    )


def guest(org_name: str, status=AttendanceStatus.PRESENT) -> Attendance:
    return Attendance(
        meeting_id="mtg-test",
        name=f"Guest of {org_name}",
        organization_name=org_name,
        status=status,
    )


def test_summarize_attendance_counts_and_orgs() -> None:
    roster = make_roster(n_orgs=4)
    records = [
        member_at(0),
        member_at(0, AttendanceStatus.REMOTE, n=1),  # same org twice: counted once
        member_at(2, AttendanceStatus.LATE),
        member_at(1, AttendanceStatus.ABSENT),
        member_at(3, AttendanceStatus.EXPECTED),
        guest("Visiting Consulate"),
        guest("Absent Guest Org", AttendanceStatus.ABSENT),
    ]
    s = summarize_attendance(records, roster)
    assert s.present == 4  # 3 members + 1 guest attending
    assert s.expected == 5  # member records only
    # A guest's employer is not a member organization: never listed as represented.
    assert s.organizations == ["Org 00", "Org 02"]
    assert s.member_organizations == 2 and s.guests == 1
    assert s.sectors == [Sector.LAW_ENFORCEMENT_LOCAL, Sector.NGO_ADVOCACY]
    assert s.missing_organizations == ["Org 01", "Org 03"]
    assert s.quorum_required == 2
    assert s.quorum_met is True


def test_summarize_attendance_sectors_follow_sector_order() -> None:
    roster = make_roster(n_orgs=6)
    s = summarize_attendance([member_at(5), member_at(3), member_at(0)], roster)
    # Enum order: survivors (9th) comes before health care (12th).
    assert s.sectors == [Sector.LAW_ENFORCEMENT_LOCAL, Sector.SURVIVORS, Sector.HEALTH_CARE]


@pytest.mark.parametrize(
    ("quorum", "n_orgs", "present_orgs", "required", "met"),
    [
        (Quorum(kind=QuorumKind.FRACTION, value=0.5), 12, 6, 6, True),
        (Quorum(kind=QuorumKind.FRACTION, value=0.5), 12, 5, 6, False),
        (Quorum(kind=QuorumKind.FRACTION, value=0.5), 11, 6, 6, True),
        (Quorum(kind=QuorumKind.FRACTION, value=0.5), 11, 5, 6, False),
        (Quorum(kind=QuorumKind.FRACTION, value=2 / 3), 12, 8, 8, True),
        (Quorum(kind=QuorumKind.FRACTION, value=2 / 3), 12, 7, 8, False),
        (Quorum(kind=QuorumKind.COUNT, value=5), 12, 5, 5, True),
        (Quorum(kind=QuorumKind.COUNT, value=5), 12, 4, 5, False),
        (Quorum(kind=QuorumKind.FRACTION, value=1.0), 3, 3, 3, True),
    ],
)
def test_summarize_attendance_quorum_boundary(
    quorum: Quorum, n_orgs: int, present_orgs: int, required: int, met: bool
) -> None:
    roster = make_roster(n_orgs=n_orgs, quorum=quorum)
    records = [member_at(i) for i in range(present_orgs)]
    s = summarize_attendance(records, roster)
    assert s.quorum_required == required
    assert s.quorum_met is met


def test_summarize_attendance_quorum_counts_active_orgs_only() -> None:
    # 10 active + 4 inactive organizations: half of 10 is 5, not half of 14.
    roster = make_roster(n_orgs=10, inactive=4)
    s = summarize_attendance([member_at(i) for i in range(5)], roster)
    assert s.quorum_required == 5
    assert s.quorum_met is True
    assert "Old 0" not in s.missing_organizations


def test_summarize_attendance_guests_never_count_as_organizations() -> None:
    roster = make_roster(n_orgs=4)  # needs 2 of 4
    records = [
        member_at(0),
        guest("Federal Liaison"),
        guest("Another Visitor"),
        guest("Federal Liaison"),
    ]
    s = summarize_attendance(records, roster)
    assert s.organizations == ["Org 00"]
    assert s.present == 4 and s.guests == 3 and s.members_present == 1
    assert s.quorum_required == 2
    assert s.quorum_met is False
    assert s.missing_organizations == ["Org 01", "Org 02", "Org 03"]
    # A guest who happens to use a member organization's name does not count either.
    s2 = summarize_attendance([member_at(0), guest("Org 01")], roster)
    assert s2.quorum_met is False
    assert "Org 01" in s2.missing_organizations


def test_summarize_attendance_members_not_attending_do_not_count() -> None:
    roster = make_roster(n_orgs=2)  # needs 1
    statuses = [AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED, AttendanceStatus.EXPECTED]
    records = [member_at(0, status, n=k) for k, status in enumerate(statuses)]
    s = summarize_attendance(records, roster)
    assert s.present == 0
    assert s.expected == 3
    assert s.organizations == []
    assert s.sectors == []
    assert s.quorum_met is False


def test_summarize_attendance_empty() -> None:
    s = summarize_attendance([], make_roster(n_orgs=3))
    assert (s.present, s.expected, s.organizations) == (0, 0, [])
    assert s.missing_organizations == ["Org 00", "Org 01", "Org 02"]
    assert s.quorum_required == 2
    assert s.quorum_met is False


def test_attendance_validate_and_is_guest() -> None:
    a = Attendance(meeting_id="m", name=" Eve\x1b[31m ", organization_name="[b]Org[/b]").validate()
    assert a.name == "Eve"
    assert a.organization_name == "[b]Org[/b]"
    assert a.is_guest
    assert not member_at(0).is_guest
    with pytest.raises(ValidationError, match="Name is empty"):
        Attendance(meeting_id="m", name="").validate()


# --------------------------------------------------------------------------- Decision


def decision(**kwargs) -> Decision:
    return Decision(meeting_id="mtg-test", text=kwargs.pop("text", "Adopt the protocol"), **kwargs)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"method": DecisionMethod.VOTE}, "A vote needs counts"),
        ({"method": DecisionMethod.VOTE, "votes_for": -1, "votes_against": 3}, "Votes for"),
        ({"method": DecisionMethod.VOTE, "votes_against": -2, "votes_for": 3}, "Votes against"),
        ({"method": DecisionMethod.VOTE, "abstentions": -1, "votes_for": 3}, "Abstentions"),
        ({"method": DecisionMethod.VOTE, "votes_for": 10_001}, "Votes for"),
        ({"method": DecisionMethod.VOTE, "votes_for": 2.5}, "Votes for"),
        ({"method": DecisionMethod.VOTE, "votes_for": True}, "Votes for"),
        ({"method": DecisionMethod.CONSENSUS, "votes_for": -1}, "Votes for"),
        ({"text": "   "}, "Decision text is empty"),
    ],
)
def test_decision_validate_refuses(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        decision(**changes).validate()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"votes_for": -1, "votes_against": 3},
            "Votes for cannot be negative (-1): enter 0 or more.",
        ),
        (
            {"abstentions": -2, "votes_for": 3},
            "Abstentions cannot be negative (-2): enter 0 or more.",
        ),
        ({"votes_for": 10_001}, "Votes for is more than 10,000: check the count."),
        ({"votes_against": 2.5, "votes_for": 1}, "Votes against must be a whole number, not 2.5."),
    ],
)
def test_decision_vote_count_messages_name_the_problem(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        decision(method=DecisionMethod.VOTE, **changes).validate()
    assert str(info.value) == message


def test_decision_vote_keeps_counts() -> None:
    d = decision(method=DecisionMethod.VOTE, votes_for=0, votes_against=0, abstentions=3).validate()
    assert (d.votes_for, d.votes_against, d.abstentions) == (0, 0, 3)


def test_decision_consensus_zeroes_counts() -> None:
    d = decision(votes_for=7, votes_against=2, abstentions=1).validate()
    assert (d.votes_for, d.votes_against, d.abstentions) == (0, 0, 0)
    assert d.method_text() == "Consensus"


def test_decision_method_text_for_a_vote() -> None:
    d = decision(method=DecisionMethod.VOTE, votes_for=7, votes_against=2, abstentions=1)
    assert d.validate().method_text() == "Vote: 7 for, 2 against, 1 abstaining"


@pytest.mark.parametrize(
    ("votes_for", "against", "abstain", "majority", "two_thirds"),
    [
        (5, 4, 0, True, False),
        (5, 5, 0, False, False),  # tie fails
        (1, 1, 9, False, False),  # abstentions do not count as cast
        (6, 3, 0, True, True),  # exactly two thirds passes
        (7, 4, 0, True, False),  # 63.6 %
        (2, 1, 0, True, True),
        (3, 2, 0, True, False),  # 60 %
        (1, 0, 20, True, True),
        (0, 1, 0, False, False),
        (0, 0, 5, False, False),  # nobody voted for or against
        (200, 101, 0, True, False),
        (200, 100, 0, True, True),
    ],
)
def test_decision_passes(
    votes_for: int, against: int, abstain: int, majority: bool, two_thirds: bool
) -> None:
    d = decision(
        method=DecisionMethod.VOTE, votes_for=votes_for, votes_against=against, abstentions=abstain
    )
    assert d.passes() is majority
    assert d.passes(rule_two_thirds=True) is two_thirds


def test_decision_consensus_passes() -> None:
    assert decision().passes() is True
    assert decision().passes(rule_two_thirds=True) is True


# --------------------------------------------------------------------------- Feedback


def feedback(**kwargs) -> Feedback:
    return Feedback(meeting_id="mtg-test", **kwargs)


@pytest.mark.parametrize("rating", [0, 6, -1, 100, True, False, 3.0, "4"])
def test_feedback_refuses_bad_ratings(rating: object) -> None:
    with pytest.raises(ValidationError, match="not 1-5"):
        feedback(rating=rating, comment="ok").validate()


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_feedback_accepts_ratings_alone(rating: int) -> None:
    assert feedback(rating=rating).validate().rating == rating


@pytest.mark.parametrize("comment", ["", "   ", "\n\t", "\x1b[2J"])
def test_feedback_refuses_empty(comment: str) -> None:
    with pytest.raises(ValidationError, match="Feedback is empty"):
        feedback(comment=comment).validate()


def test_feedback_comment_only_is_fine() -> None:
    f = feedback(comment="More time for case review\x07").validate()
    assert f.rating is None
    assert f.comment == "More time for case review"


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([], None),
        ([None, None], None),
        ([4, 5], 4.5),
        ([5, None, 3], 4.0),
        ([1, 2, 2], 1.67),
        ([5], 5.0),
    ],
)
def test_average_rating(ratings: list[int | None], expected: float | None) -> None:
    items = [feedback(rating=r, comment="c") for r in ratings]
    assert average_rating(items) == expected


# --------------------------------------------------------------------------- AgendaProposal


def proposal(**kwargs) -> AgendaProposal:
    return AgendaProposal(meeting_id="mtg-test", title=kwargs.pop("title", "Labor cases"), **kwargs)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Proposal title is empty"),
        ({"title": "p" * 301}, "Proposal title is 301"),
        ({"minutes": -1}, "Proposal minutes is negative"),
        ({"minutes": 241}, "240-minute limit"),
        ({"minutes": float("nan")}, "must be a number"),
        ({"proposed_by": "x" * 201}, "Proposed by is 201"),
    ],
)
def test_agenda_proposal_validate_refuses(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        proposal(**changes).validate()


def test_agenda_proposal_validate_accepts_and_cleans() -> None:
    p = proposal(title=" Labor\x1b[1m cases ", minutes=240, proposed_by="Dana\x07").validate()
    assert p.title == "Labor cases"
    assert p.minutes == 240
    assert p.proposed_by == "Dana"


def test_agenda_item_constructed_directly() -> None:
    item = AgendaItem(meeting_id="m", title="Close", kind=ItemKind.CLOSING, planned_minutes=0)
    assert item.validate().planned_minutes == 0
    assert item.id.startswith("itm-")
