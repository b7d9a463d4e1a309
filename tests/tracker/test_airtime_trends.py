"""Share of airtime by sector across meetings, beside attendance (issue 20): pure."""

from __future__ import annotations

import pendulum
import pytest

from facilitate.domain.meeting import Attendance, AttendanceStatus, Meeting, MeetingStatus, TimeSpan
from facilitate.domain.roster import Organization, Sector
from facilitate.domain.speaking import GUEST_SECTOR, SpeakingTurn, TurnStatus
from facilitate.domain.trends import compute_trends, spoken_by_sector, summarize_meeting

T0 = pendulum.datetime(2026, 3, 12, 15, 0, tz="UTC")
POLICE = Organization(id="org-pd", name="Port Merrow PD", sector=Sector.LAW_ENFORCEMENT_LOCAL)
VOICES = Organization(id="org-rv", name="Rising Voices", sector=Sector.SURVIVORS)
SCHOOL = Organization(id="org-sd", name="Unified School District", sector=Sector.EDUCATORS)
ORGS = [POLICE, VOICES, SCHOOL]


def spoke(org: Organization | None, seconds: int, at: int = 0, *, running: bool = False):
    start = T0.add(seconds=at)
    return SpeakingTurn(
        meeting_id="m",
        item_id="i",
        name="x",
        organization=org.name if org else "Guest agency",
        sector=org.sector.value if org else GUEST_SECTOR,
        status=TurnStatus.SPEAKING if running else TurnStatus.SPOKE,
        spans=[TimeSpan(start=start, end=None if running else start.add(seconds=seconds))],
    )


def held(n: int, present: list[Organization], turns: list[SpeakingTurn]):
    start = T0.add(weeks=4 * n)
    m = Meeting(
        id=f"mtg-{n}",
        title=f"M{n}",
        start=start,
        end=start.add(hours=2),
        status=MeetingStatus.ENDED,
    )
    attendance = [
        Attendance(
            meeting_id=m.id,
            member_id=f"mem-{o.id}",
            name=o.name,
            organization_id=o.id,
            status=AttendanceStatus.PRESENT,
        )
        for o in present
    ]
    return summarize_meeting(m, [], attendance, [], [], [], turns)


def test_summary_counts_closed_spans_by_sector() -> None:
    turns = [spoke(POLICE, 120), spoke(VOICES, 30), spoke(POLICE, 60), spoke(None, 15)]
    turns.append(spoke(SCHOOL, 0, running=True))  # still running: not counted yet
    assert dict(spoken_by_sector(turns)) == {
        "law_enforcement_local": 180,
        "survivors": 30,
        GUEST_SECTOR: 15,
    }


def test_share_by_sector_across_meetings_beside_attendance() -> None:
    summaries = [
        held(0, ORGS, [spoke(POLICE, 300), spoke(VOICES, 100)]),
        held(1, ORGS, []),  # no speakers' queue used: left out of the airtime trend
        held(2, [POLICE, SCHOOL], [spoke(POLICE, 200), spoke(SCHOOL, 200)]),
        held(3, ORGS, [spoke(POLICE, 100), spoke(VOICES, 100)]),
    ]
    trends = compute_trends(summaries, ORGS)
    rows = {a.sector: a for a in trends.airtime}
    police = rows["law_enforcement_local"]
    voices = rows["survivors"]
    school = rows["educators"]
    total = 300 + 100 + 200 + 200 + 100 + 100
    assert police.seconds == 600 and police.share == pytest.approx(600 / total)
    assert sum(a.share for a in trends.airtime) == pytest.approx(1.0)
    assert [a.sector for a in trends.airtime] == [
        "law_enforcement_local",
        "educators",
        "survivors",
    ]  # largest first (educators and survivors tie on time: by label)
    # Beside attendance: of the 3 meetings with turns, where each sector spoke and was there.
    assert (police.heard, police.present, police.meetings) == (3, 3, 3)
    assert (voices.heard, voices.present) == (2, 2)
    assert (school.heard, school.present) == (1, 3)
    # The latest meeting: the school district was there and silent.
    assert school.last_share == 0.0
    assert police.last_share == pytest.approx(0.5)


def test_a_sector_in_the_room_but_never_heard_is_listed_with_no_share() -> None:
    summaries = [held(0, ORGS, [spoke(POLICE, 300)])]
    rows = {a.sector: a for a in compute_trends(summaries, ORGS).airtime}
    assert rows["survivors"].share == 0 and rows["survivors"].present == 1
    assert rows["survivors"].heard == 0


def test_no_turns_no_airtime_trend() -> None:
    assert compute_trends([held(0, ORGS, [])], ORGS).airtime == []
    planned = held(0, ORGS, [spoke(POLICE, 60)])
    planned = type(planned)(**{**planned.__dict__, "status": MeetingStatus.PLANNED})
    assert compute_trends([planned], ORGS).airtime == []
