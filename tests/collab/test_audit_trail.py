"""Accountability between agencies: every change is logged with its OS user and instant,
`facilitate log` prints it, and `facilitate check` reports a log that was tampered with
(an edited or removed line, including the last one)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pendulum
import pytest

from facilitate.cli import main
from facilitate.domain.actions import ActionItem
from facilitate.domain.meeting import (
    AgendaItem,
    AgendaProposal,
    Attendance,
    AttendanceStatus,
    Decision,
    Feedback,
    Meeting,
)
from facilitate.domain.roster import Member, Organization, Profile, Subcommittee
from facilitate.domain.training import TrainingSnippet
from facilitate.storage import audit
from facilitate.storage.workspace import Workspace

from ..conftest import HOSTILE_STRINGS


def _entries(ws: Workspace) -> list[dict]:
    lines = [json.loads(line) for line in ws.audit_path.read_text().splitlines()]
    return [line for line in lines if line["op"] not in ("intent", "done")]  # (see ledger)


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _records(meeting_id: str) -> list[Any]:
    start = pendulum.datetime(2026, 11, 22, 9, tz="UTC")
    return [
        Profile(name="Harbour Task Force"),
        Organization(id="org-a", name="City Shelter"),
        Member(id="mem-a", name="Ann", organization_id="org-a"),
        Subcommittee(name="Victim services"),
        TrainingSnippet(title="Trauma-informed interviewing"),
        Meeting(id=meeting_id, title="Plenary", start=start, end=start.add(hours=2)),
        AgendaItem(id="itm-1", meeting_id=meeting_id, title="Welcome"),
        Attendance(meeting_id=meeting_id, name="Ann", member_id="mem-a"),
        Decision(meeting_id=meeting_id, agenda_item_id="itm-1", text="Meet monthly"),
        ActionItem(
            meeting_id=meeting_id,
            agenda_item_id="itm-1",
            text="Book room",
            owner_id="mem-a",
            due_next_meeting=True,
        ),
        Feedback(meeting_id=meeting_id, rating=4),
        AgendaProposal(meeting_id=meeting_id, title="Shelter capacity"),
    ]


def test_every_kind_of_change_is_logged_with_user_and_time(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "ws")
    mid = "mtg-one"
    records = _records(mid)
    with ws.transaction() as tx:
        for record in records:
            tx.add(record)
    with ws.transaction() as tx:
        for record in records:
            if hasattr(record, "rev"):
                tx.update(record)
    with ws.transaction() as tx:
        for record in reversed(records):
            tx.delete(record)

    entries = _entries(ws)
    logged = {(e["op"], e["kind"], e["id"]) for e in entries}
    for record in records:
        for op in ("add", "update", "delete"):
            assert (op, type(record).__name__, record.id) in logged, (op, record)
    now = pendulum.now("UTC")
    for entry in entries:
        assert entry["user"] == audit.os_user() and entry["user"]
        at = pendulum.parse(entry["at"])
        assert isinstance(at, pendulum.DateTime)
        assert abs((now - at).total_seconds()) < 120
        assert entry["anchored"] is True
    meeting_entries = [
        e
        for e in entries
        if e["kind"]
        not in ("Profile", "Organization", "Member", "Subcommittee", "TrainingSnippet", "workspace")
    ]
    assert {e["meeting"] for e in meeting_entries} == {mid}
    assert audit.verify(ws.audit_path, ws.audit_anchor_path) == []


def test_a_live_meeting_is_logged_step_by_step(live_sample) -> None:
    ws, live = live_sample.ws, live_sample.live
    before = len(_entries(ws))
    bundle = live.load()
    attendee = bundle.attendance[0]
    live.mark(attendee.id, AttendanceStatus.PRESENT)
    live.add_guest("Robin Vale", "Outreach", "Harbor Shelter")
    live.save_notes(live_sample.item_ids[0], "Welcome", base=bundle.items[0].notes)
    live.goto(live_sample.item_ids[1])
    live.set_pinned(live_sample.item_ids[2], True)
    owner = ws.snapshot().roster().active_members()[0]
    live.add_decision(Decision(meeting_id=live.meeting_id, text="Adopt the MOU annex"))
    live.add_action(
        ActionItem(
            meeting_id=live.meeting_id,
            text="Circulate annex",
            owner_id=owner.id,
            due_next_meeting=True,
        )
    )
    live.add_feedback("", 5, "good")
    live.end()
    steps = [(e["op"], e["kind"]) for e in _entries(ws)[before:]]
    for expected in [
        ("update", "Attendance"),
        ("add", "Attendance"),
        ("update", "AgendaItem"),
        ("update", "Meeting"),
        ("add", "Decision"),
        ("add", "ActionItem"),
        ("add", "Feedback"),
    ]:
        assert expected in steps
    assert all(e["user"] == audit.os_user() for e in _entries(ws))


# --- facilitate log ---------------------------------------------------------------------------


def test_log_prints_who_changed_what_and_when(live_sample, capsys) -> None:
    ws = live_sample.ws
    code, out, err = _run(capsys, "--data", str(ws.root), "log")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == len(_entries(ws))
    user = audit.os_user()
    assert all(f"  {user}" in line for line in lines)
    assert any("update meeting" in line for line in lines)
    assert any("add agenda item" in line for line in lines)
    # Times are local to the workspace, to the second.
    first = _entries(ws)[0]
    tz = ws.snapshot().profile().timezone
    at = pendulum.parse(first["at"])
    assert isinstance(at, pendulum.DateTime)
    local = at.in_timezone(tz).format("YYYY-MM-DD HH:mm:ss")
    assert lines[0].startswith(local)

    code, out, _ = _run(
        capsys, "--data", str(ws.root), "log", live_sample.meeting_id, "--tail", "3"
    )
    assert code == 0 and len(out.splitlines()) == 3
    code, out, _ = _run(capsys, "--data", str(ws.root), "log", "--anchor")
    anchor = audit.current_anchor(ws.audit_path)
    assert anchor is not None
    seq, digest = anchor
    assert out.strip() == f"audit.log entry {seq} sha256 {digest}"


def test_log_never_shows_confidential_text_or_control_characters(live_sample, capsys) -> None:
    ws, live = live_sample.ws, live_sample.live
    case = next(i for i in live.load().items if i.confidential)
    live.save_notes(case.id, "Jane Roe moved to safe house B")
    hostile = [s for s in HOSTILE_STRINGS if s.strip()]
    with ws.transaction() as tx:
        for text in hostile:
            tx.add(Organization(name=text))
    code, out, _ = _run(capsys, "--data", str(ws.root), "log")
    assert code == 0
    assert "Jane Roe" not in out and "safe house" not in out
    assert "(confidential)" in out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert len(out.splitlines()) == len(_entries(ws))  # one line per entry, whatever the text


def test_log_usage_errors(live_sample, capsys) -> None:
    code, _, err = _run(capsys, "--data", str(live_sample.ws.root), "log", "mtg-nope")
    assert code == 2 and "No meeting with id" in err
    code, _, err = _run(capsys, "--data", str(live_sample.ws.root), "log", "--tail", "0")
    assert code == 2 and "--tail" in err


def test_log_and_check_read_only(live_sample, capsys) -> None:
    from ..storage._util import tree_hashes

    root = live_sample.ws.root
    (root / ".tmp-collaborative.json.1.2").write_bytes(b"in flight")
    before = tree_hashes(root)
    assert _run(capsys, "--data", str(root), "log")[0] == 0
    assert _run(capsys, "--data", str(root), "check")[0] == 0
    assert tree_hashes(root) == before  # not even the temp file of a live writer is removed


# --- tampering ----------------------------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def _edit_middle(ws: Workspace) -> None:
    lines = _lines(ws.audit_path)
    lines[3] = lines[3].replace('"add"', '"delete"')
    ws.audit_path.write_text("".join(lines))


def _remove_middle(ws: Workspace) -> None:
    lines = _lines(ws.audit_path)
    del lines[3]
    ws.audit_path.write_text("".join(lines))


def _remove_last(ws: Workspace) -> None:
    ws.audit_path.write_text("".join(_lines(ws.audit_path)[:-1]))


def _remove_last_two(ws: Workspace) -> None:
    ws.audit_path.write_text("".join(_lines(ws.audit_path)[:-2]))


def _edit_last(ws: Workspace) -> None:
    lines = _lines(ws.audit_path)
    lines[-1] = lines[-1].replace(audit.os_user(), "someone-else")
    ws.audit_path.write_text("".join(lines))


def _remove_last_and_anchor(ws: Workspace) -> None:
    _remove_last(ws)
    ws.audit_anchor_path.unlink()


def _empty_log(ws: Workspace) -> None:
    ws.audit_path.write_text("")


def _garbage_line(ws: Workspace) -> None:
    with ws.audit_path.open("a") as fh:
        fh.write("not json at all\n")


@pytest.mark.parametrize(
    "tamper,expected",
    [
        (_edit_middle, "chain broken"),
        (_remove_middle, "sequence jumps"),
        (_remove_last, "the last 1 line(s) of the log were removed"),
        (_remove_last_two, "the last 2 line(s) of the log were removed"),
        (_edit_last, "was edited after it was written"),
        (_remove_last_and_anchor, "audit.anchor was removed"),
        (_empty_log, "were removed"),
        (_garbage_line, "not valid JSON"),
    ],
    ids=lambda v: getattr(v, "__name__", None) or "",
)
def test_tampering_is_reported_by_check_and_log(live_sample, capsys, tamper, expected) -> None:
    ws = live_sample.ws
    assert _run(capsys, "--data", str(ws.root), "check")[0] == 0
    tamper(ws)
    code, _, err = _run(capsys, "--data", str(ws.root), "check")
    assert code == 1
    assert "audit.log, line" in err and expected in err
    code, _, err = _run(capsys, "--data", str(ws.root), "log")
    assert code == 1 and "tampered" in err and "facilitate check" in err


def test_a_writer_killed_before_anchoring_is_not_tampering(live_sample, capsys) -> None:
    """The anchor may lag one commit behind the log (killed between the two writes)."""
    ws = live_sample.ws
    lines = ws.audit_path.read_text().splitlines()
    previous = json.loads(lines[-2])
    audit.write_anchor(ws.audit_anchor_path, previous["seq"], audit.line_hash(lines[-2]), "x")
    assert audit.verify(ws.audit_path, ws.audit_anchor_path) == []
    assert _run(capsys, "--data", str(ws.root), "check")[0] == 0


def test_an_old_log_without_anchors_is_accepted(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "ws")
    audit.append(ws.audit_path, [{"op": "add", "kind": "X", "id": "x-1", "summary": ""}], "t")
    assert audit.verify(ws.audit_path, ws.audit_anchor_path) == []
