"""A meeting's record is frozen when it ends: later roster changes never alter its minutes.

Golden files: the approved minutes of the sample's October meeting, which must stay identical
(byte for byte) after a roster import adds organizations. Regenerate deliberately with
UPDATE_GOLDEN=1 (and read the diff).
"""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from facilitate.cli import main
from facilitate.domain.meeting import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from facilitate.domain.record import RECORD_ID, MeetingRecord
from facilitate.domain.roster import Organization, Quorum, QuorumKind, Sector
from facilitate.minutes.export import render_minutes
from facilitate.services.live import LiveMeeting
from facilitate.storage.workspace import Workspace
from facilitate.tracker.roster_csv import COLUMNS, import_roster
from tests.agenda.builders import sample_workspace, small_workspace
from tests.exports.helpers import check_golden, docx_golden_text

APPROVED = "mtg-2026-10"
NEW_ORGS = [
    ("Larkin County Public Defender's Office", "defense_attorneys"),
    ("Harbor Valley State University", "researchers"),
]


def roster_csv(orgs: list[tuple[str, str]]) -> bytes:
    """A roster file as a secretary would send it: new organizations, one contact each."""
    lines = [",".join(COLUMNS)]
    for n, (name, sector) in enumerate(orgs):
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"{quoted},{sector},none,,informal,yes,Contact {n},Liaison,,yes")
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def sample(tmp_path: Path) -> Workspace:
    return sample_workspace(tmp_path / "ws")


def test_sample_meetings_that_ended_have_a_record(sample: Workspace) -> None:
    tx = sample.snapshot()
    record = tx.find(MeetingRecord, RECORD_ID, APPROVED)
    assert record is not None and not record.reconstructed
    assert record.quorum_basis == 13 and record.quorum_required == 7
    assert "State Bureau of Investigation, Harbor Valley District" in [
        o.name for o in record.expected
    ]
    assert tx.find(MeetingRecord, RECORD_ID, "mtg-2026-12") is None  # planned: not frozen


def test_approved_minutes_are_byte_for_byte_stable_after_roster_import(sample: Workspace) -> None:
    meeting = sample.snapshot().get(Meeting, APPROVED)
    assert meeting.minutes_status is MinutesStatus.APPROVED
    before = {
        "md": render_minutes(sample, APPROVED, "md"),
        "html": render_minutes(sample, APPROVED, "html"),
        "docx": render_minutes(sample, APPROVED, "docx"),
    }
    check_golden("minutes-approved-2026-10.md", before["md"].decode())
    check_golden("minutes-approved-2026-10.html", before["html"].decode())
    check_golden("minutes-approved-2026-10.docx.json", docx_golden_text(before["docx"]))
    text = before["md"].decode()
    assert "Approved on 12 November 2026" in text
    assert "13 of 13 member organizations represented, 7 required" in text

    import_roster(sample, roster_csv(NEW_ORGS))
    many = [(f"Harbor Valley Partner Agency {n:02d}", "other") for n in range(24)]
    import_roster(sample, roster_csv(many))
    assert len(sample.snapshot().roster().active_organizations()) == 13 + 2 + 24

    for fmt in ("md", "html"):
        assert render_minutes(sample, APPROVED, fmt) == before[fmt], fmt
    check_golden("minutes-approved-2026-10.md", render_minutes(sample, APPROVED, "md").decode())
    check_golden("minutes-approved-2026-10.html", render_minutes(sample, APPROVED, "html").decode())
    check_golden(
        "minutes-approved-2026-10.docx.json",
        docx_golden_text(render_minutes(sample, APPROVED, "docx")),
    )


def test_november_guest_organization_is_never_both_represented_and_absent(
    sample: Workspace,
) -> None:
    """Its guest came from the Public Defender's Office; the import then adds that office. The
    frozen record does not expect it, and a guest never makes an organization represented."""
    import_roster(sample, roster_csv(NEW_ORGS))
    text = render_minutes(sample, "mtg-2026-11", "md").decode()
    absent = next(line for line in text.splitlines() if "Expected organizations absent" in line)
    represented = next(line for line in text.splitlines() if "Organizations represented" in line)
    assert "Public Defender" not in represented
    assert "Public Defender" not in absent
    assert "Harbor Valley State University" not in absent


def test_guest_of_an_expected_organization_is_never_both_represented_and_absent(
    tmp_path: Path,
) -> None:
    """A walk-in guest never makes an organization represented (#16), so an expected
    organization whose only person there is a guest is listed as absent, and only there."""
    ws = small_workspace(tmp_path / "ws").ws
    with ws.transaction() as tx:
        tx.add(Organization(id="org-pdo", name="Public Defender's Office, Riverside"))
        upcoming = next(m for m in tx.meetings() if m.status is MeetingStatus.PLANNED)
        tx.add(
            Attendance(
                meeting_id=upcoming.id,
                name="Carla Jensen",
                organization_name="public defender's office,  riverside",
                status=AttendanceStatus.PRESENT,
            )
        )
    text = render_minutes(ws, upcoming.id, "md").decode()
    absent = next(line for line in text.splitlines() if "Expected organizations absent" in line)
    assert "Public Defender" in absent
    represented = [line for line in text.splitlines() if "Organizations represented" in line]
    assert all("Public Defender" not in line for line in represented)
    quorum = next(line for line in text.splitlines() if line.startswith("**Quorum:**"))
    assert "0 of 4 member organizations represented" in quorum  # a guest is not a member


def test_ending_a_meeting_freezes_the_roster_it_was_held_with(tmp_path: Path) -> None:
    ws = small_workspace(tmp_path / "ws").ws
    upcoming = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    clock_at = upcoming.start.add(minutes=1)
    live = LiveMeeting(ws, upcoming.id, clock=lambda: clock_at)
    live.start()
    with ws.transaction() as tx:
        for row in tx.all(Attendance, upcoming.id):
            row.status = AttendanceStatus.PRESENT
            tx.update(row)
    live.end()
    record = ws.snapshot().find(MeetingRecord, RECORD_ID, upcoming.id)
    assert record is not None and not record.reconstructed
    assert sorted(o.name for o in record.expected) == [
        "General Hospital",
        "Riverside Police",
        "Safe Harbor NGO",
    ]
    before = render_minutes(ws, upcoming.id, "md")
    assert b"3 of 3 member organizations represented, 2 required" in before

    # The roster moves on: an organization joins, one leaves, a member is renamed and moves,
    # the quorum becomes a count of 3.
    with ws.transaction() as tx:
        tx.add(Organization(name="County Prosecutor", sector=Sector.PROSECUTORS))
        hosp = tx.get(Organization, "org-hosp")
        hosp.active = False
        tx.update(hosp)
        profile = tx.profile()
        profile.quorum = Quorum(kind=QuorumKind.COUNT, value=3)
        profile.name = "Riverside and Lakes Task Force"
        tx.update(profile)
    after = render_minutes(ws, upcoming.id, "md")
    assert after == before


def test_a_meeting_ended_before_records_gets_a_reconstructed_one_with_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = small_workspace(tmp_path / "ws")
    ws = small.ws
    past = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.ENDED)
    assert ws.snapshot().find(MeetingRecord, RECORD_ID, past.id) is None
    original = ws.meeting_path(past.id).read_bytes()

    assert main(["--data", str(ws.root), "minutes", past.id]) == 0
    first = capsys.readouterr().out
    record = ws.snapshot().find(MeetingRecord, RECORD_ID, past.id)
    assert record is not None and record.reconstructed
    assert "reconstructed on" in first
    backups = list(ws.backups_dir.glob(f"pre-freeze-*/{past.id}.json"))
    assert len(backups) == 1 and backups[0].read_bytes() == original
    assert json.loads(backups[0].read_bytes()).get("record") is None

    with ws.transaction() as tx:
        tx.add(Organization(name="County Prosecutor", sector=Sector.PROSECUTORS))
    assert main(["--data", str(ws.root), "minutes", past.id]) == 0
    assert capsys.readouterr().out == first
    assert len(list(ws.backups_dir.glob("pre-freeze-*"))) == 1  # backed up once only


def test_a_read_only_view_writes_no_record(tmp_path: Path) -> None:
    ws = small_workspace(tmp_path / "ws").ws
    past = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.ENDED)
    before = ws.meeting_path(past.id).read_bytes()
    viewer = Workspace.open(ws.root, read_only=True)
    text = render_minutes(viewer, past.id, "md").decode()
    assert "reconstructed on" in text
    assert ws.meeting_path(past.id).read_bytes() == before


def test_record_round_trips_through_storage(tmp_path: Path) -> None:
    ws = small_workspace(tmp_path / "ws").ws
    past = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.ENDED)
    from facilitate.services.record import ensure_frozen

    made = ensure_frozen(ws, past.id, pendulum.datetime(2026, 2, 1, tz="UTC"))
    assert made is not None
    again = ws.snapshot().get(MeetingRecord, RECORD_ID, past.id)
    assert again.expected == made.expected and again.attendees == made.attendees
    assert again.frozen_at == pendulum.datetime(2026, 2, 1, tz="UTC")
    assert ensure_frozen(ws, past.id, pendulum.now("UTC")) is None  # once only


def test_approving_an_older_meeting_freezes_its_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = small_workspace(tmp_path / "ws").ws
    past = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.ENDED)
    day = past.local(past.start).add(days=30).to_date_string()
    assert main(["--data", str(ws.root), "minutes", "approve", past.id, "--on", day]) == 0
    capsys.readouterr()
    record = ws.snapshot().find(MeetingRecord, RECORD_ID, past.id)
    assert record is not None and record.reconstructed
