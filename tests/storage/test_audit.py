"""The audit log: one line per change with who, when, what; tampering is detected;
confidential text never copied into it."""

from __future__ import annotations

import json

import pendulum

from facilitate.domain.actions import ActionItem
from facilitate.domain.meeting import AgendaItem, Decision
from facilitate.domain.roster import Organization
from facilitate.storage import audit

from ._util import sha256


def _all_lines(populated) -> list[dict]:
    return [json.loads(line) for line in populated.ws.audit_path.read_text().splitlines()]


def _lines(populated) -> list[dict]:
    """The record changes (each save also writes an intent and a done line: see ledger)."""
    lines = [json.loads(line) for line in populated.ws.audit_path.read_text().splitlines()]
    return [line for line in lines if line["op"] not in ("intent", "done")]


def test_every_change_appends_a_line(populated) -> None:
    ws = populated.ws
    before = len(_lines(populated))
    org = Organization(name="Harbour Police")
    with ws.transaction() as tx:
        tx.add(org)
    with ws.transaction() as tx:
        fresh = tx.get(Organization, org.id)
        fresh.name = "Harbour Police Dept."
        tx.update(fresh)
    with ws.transaction() as tx:
        tx.delete(tx.get(Organization, org.id))

    lines = _lines(populated)[before:]
    assert [(e["op"], e["kind"], e["id"], e["rev"]) for e in lines] == [
        ("add", "Organization", org.id, 1),
        ("update", "Organization", org.id, 2),
        ("delete", "Organization", org.id, 2),
    ]
    for entry in lines:
        assert entry["user"] == audit.os_user()
        assert entry["user"]
        at = pendulum.parse(entry["at"])
        assert isinstance(at, pendulum.DateTime)
        assert abs((pendulum.now("UTC") - at).total_seconds()) < 60
    every = _all_lines(populated)
    assert [e["seq"] for e in every] == list(range(1, len(every) + 1))
    assert audit.verify(ws.audit_path) == []


def test_meeting_records_name_their_meeting(populated) -> None:
    with populated.ws.transaction() as tx:
        tx.add(AgendaItem(meeting_id=populated.meeting_id, title="Any other business"))
    last = _lines(populated)[-1]
    assert (last["op"], last["kind"], last["meeting"]) == ("add", "AgendaItem", "mtg-main")
    assert last["summary"] == "Any other business"


def test_nothing_logged_for_a_failed_or_read_only_transaction(populated) -> None:
    digest = sha256(populated.ws.audit_path)
    populated.ws.snapshot().roster()
    with populated.ws.transaction() as tx:
        tx.all(Organization)  # reads only
    try:
        with populated.ws.transaction() as tx:
            tx.add(Organization(name="Rolled back"))
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert sha256(populated.ws.audit_path) == digest


def test_confidential_text_is_not_copied_into_the_log(populated) -> None:
    ws, mid = populated.ws, populated.meeting_id
    with ws.transaction() as tx:
        secret = tx.add(
            AgendaItem(
                meeting_id=mid,
                title="Referral of minor M.K. from Dock Street",
                confidential=True,
            )
        )
        case = tx.get(AgendaItem, populated.secret_item_id, mid)  # a case review
        case.notes = "Jane Roe moved to safe house B"
        tx.update(case)
        tx.add(
            Decision(
                meeting_id=mid,
                agenda_item_id=secret.id,
                text="Place M.K. with foster family Novak",
            )
        )
        tx.add(
            ActionItem(
                meeting_id=mid,
                agenda_item_id=populated.secret_item_id,
                text="Call Jane Roe's lawyer",
                owner_id="mem-1",
                due_next_meeting=True,
            )
        )
        tx.add(Decision(meeting_id=mid, agenda_item_id=populated.item_id, text="Minutes approved"))

    text = ws.audit_path.read_text()
    for secret_text in ("M.K.", "Dock Street", "Jane Roe", "Pier 7", "Novak", "safe house"):
        assert secret_text not in text
    lines = _lines(populated)
    confidential = [e for e in lines if e["summary"] == "(confidential)"]
    # The case review when first added and updated, the new item, its decision, the action.
    assert {(e["op"], e["kind"]) for e in confidential} == {
        ("add", "AgendaItem"),
        ("update", "AgendaItem"),
        ("add", "Decision"),
        ("add", "ActionItem"),
    }
    assert len(confidential) == 5
    # Ordinary records keep a readable summary.
    assert lines[-1]["summary"] == "Minutes approved"


def _edit_line(path, index: int, change) -> None:
    lines = path.read_text().splitlines(keepends=True)
    lines[index] = change(lines[index])
    path.write_text("".join(lines))


def _grow_log(populated, count: int) -> None:
    with populated.ws.transaction() as tx:
        for n in range(count):
            tx.add(Organization(name=f"Partner {n}"))


def test_verify_reports_an_edited_line(populated) -> None:
    _grow_log(populated, 3)
    path = populated.ws.audit_path
    assert audit.verify(path) == []
    total = len(path.read_text().splitlines())
    index = next(n for n, line in enumerate(path.read_text().splitlines()) if '"add"' in line)

    _edit_line(path, index, lambda line: line.replace('"add"', '"delete"'))

    problems = audit.verify(path)
    assert [p.line for p in problems] == [index + 2]  # the line after it no longer chains
    assert "edited or removed" in problems[0].message
    assert len(path.read_text().splitlines()) == total


def test_verify_reports_a_line_that_is_no_longer_json(populated) -> None:
    _grow_log(populated, 2)
    path = populated.ws.audit_path
    _edit_line(path, 1, lambda line: line[:20] + "\n")
    problems = audit.verify(path)
    assert [p.line for p in problems][:2] == [2, 3]
    assert "not valid JSON" in problems[0].message


def test_verify_reports_a_removed_line(populated) -> None:
    _grow_log(populated, 3)
    path = populated.ws.audit_path
    lines = path.read_text().splitlines(keepends=True)
    del lines[2]
    path.write_text("".join(lines))

    problems = audit.verify(path)
    assert {p.line for p in problems} == {3}
    messages = " ".join(p.message for p in problems)
    assert "edited or removed" in messages
    assert "sequence jumps to 4 (expected 3)" in messages


def test_verify_reports_a_removed_first_line(populated) -> None:
    path = populated.ws.audit_path
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[1:]))
    problems = audit.verify(path)
    assert [p.line for p in problems] == [1, 1]


def test_appending_continues_the_chain(populated) -> None:
    _grow_log(populated, 2)
    _grow_log(populated, 2)
    entries = _all_lines(populated)
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert audit.verify(populated.ws.audit_path) == []
    assert audit.verify(populated.root / "no-such.log") == []


def test_a_save_fsyncs_its_file_folder_and_log_but_not_the_anchor_rename(
    populated, monkeypatch
) -> None:
    """Durable where it matters: the meeting file's content and its rename (the folder), and
    the log line. The anchor's content is synced but its rename is not: a power cut can only
    bring back the previous anchor, which verify accepts (see the next test)."""
    import os

    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    ws = populated.ws
    with ws.transaction() as tx:
        item = tx.get(AgendaItem, populated.item_id, populated.meeting_id)
        item.notes = "Room 214"
        tx.update(item)
    root = str(populated.root.resolve())
    meetings = str(populated.meeting_file.parent.resolve())
    assert meetings in synced  # the rename of the meeting file
    assert str(ws.audit_path.resolve()) in synced
    assert any(".tmp" in p or p.startswith(meetings + "/") for p in synced if p != meetings)
    assert any("audit.anchor" in p for p in synced)  # the anchor's new content
    assert root not in synced  # ... but not its rename
    # The log is synced twice: the intent before the data, the done line after it.
    assert synced.count(str(ws.audit_path.resolve())) == 2
    assert len(synced) == 5


def test_an_anchor_one_save_behind_still_verifies(populated) -> None:
    """What a lost anchor rename leaves: the previous anchor, and one more line after it."""
    ws = populated.ws
    before = ws.audit_anchor_path.read_bytes()
    with ws.transaction() as tx:
        tx.add(Organization(name="Harbour Police"))
    assert ws.audit_anchor_path.read_bytes() != before
    ws.audit_anchor_path.write_bytes(before)
    assert audit.verify(ws.audit_path, ws.audit_anchor_path) == []
