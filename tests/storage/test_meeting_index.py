"""The meeting index (.index.json): derived data that can only speed reads up.

Every answer must equal a full read of the meeting files, whatever state the index is in:
missing, stale, damaged, from another version, or a planted link."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pendulum
import pytest

from facilitate.domain.actions import ActionItem, ActionStatus
from facilitate.domain.meeting import AgendaItem, Meeting
from facilitate.storage import index as meeting_index
from facilitate.storage.workspace import Workspace

from .conftest import meetings_workspace


def _workspace(root: Path, meetings: int = 6) -> Workspace:
    return meetings_workspace(root, meetings, actions=3, closed=1)


def _answers(ws: Workspace) -> tuple[list[Meeting], list[ActionItem], list[ActionItem]]:
    tx = ws.snapshot()
    return tx.meetings(), tx.all_actions(), tx.open_actions()


def _full_read(ws: Workspace) -> tuple[list[Meeting], list[ActionItem], list[ActionItem]]:
    """The same questions answered by a writable transaction, which never uses the index."""
    with ws.transaction() as tx:
        return tx.meetings(), tx.all_actions(), tx.open_actions()


def _reopen(ws: Workspace, *, write: bool = True) -> Workspace:
    fresh = Workspace.open(ws.root)
    fresh.write_index = write
    return fresh


def test_written_once_then_used_instead_of_the_files(tmp_path: Path, parses) -> None:
    ws = _reopen(_workspace(tmp_path / "ws"))
    assert not ws.index_path.exists()
    first = _answers(ws)
    assert first == _full_read(ws)
    assert ws.index_path.exists()
    assert stat.S_IMODE(os.lstat(ws.index_path).st_mode) == ws.file_mode

    again = _reopen(ws)
    parses.clear()
    tx = again.snapshot()
    assert (tx.meetings(), tx.open_actions()) == (first[0], first[2])
    assert not [p for p in parses if p.parent == ws.meetings_dir]  # no meeting file parsed
    assert _answers(again) == first  # (all actions, closed ones too, come from the files)
    meetings, every, still_open = first
    assert len(meetings) == 6 and len(every) == 18 and len(still_open) == 12
    assert all(a.status is ActionStatus.OPEN for a in still_open)


def test_a_changed_file_is_read_again(tmp_path: Path, parses) -> None:
    ws = _reopen(_workspace(tmp_path / "ws"))
    _answers(ws)
    with ws.transaction() as tx:  # another instance renames a meeting and closes an action
        meeting = tx.get(Meeting, "mtg-002")
        meeting.title = "Renamed"
        tx.update(meeting)
        action = next(a for a in tx.all(ActionItem, "mtg-004") if a.status is ActionStatus.OPEN)
        action.status = ActionStatus.DROPPED
        tx.update(action)
    again = _reopen(ws)
    parses.clear()
    tx = again.snapshot()
    tx.meetings(), tx.open_actions()
    changed = {ws.meeting_path("mtg-002"), ws.meeting_path("mtg-004")}
    assert {p for p in parses if p.parent == ws.meetings_dir} == changed
    answers = _answers(again)
    assert answers == _full_read(again)
    assert [m.title for m in answers[0]][2] == "Renamed"
    assert len(answers[2]) == 11


def test_added_and_removed_meetings(tmp_path: Path) -> None:
    ws = _reopen(_workspace(tmp_path / "ws"))
    _answers(ws)
    with ws.transaction() as tx:
        at = pendulum.datetime(2026, 6, 1, 15, 0, tz="UTC")
        tx.add(Meeting(id="mtg-new", title="Added", start=at, end=at.add(hours=1)))
    ws.meeting_path("mtg-001").unlink()
    again = _reopen(ws)
    answers = _answers(again)
    assert answers == _full_read(again)
    ids = [m.id for m in answers[0]]
    assert "mtg-new" in ids and "mtg-001" not in ids
    stored = json.loads(ws.index_path.read_text())
    assert "mtg-001" not in stored["files"] and "mtg-new" in stored["files"]


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"version": 99, "schema_version": 1, "files": {}}',
        b'{"version": 2, "schema_version": 1, "files": {"mtg-000": {"key": "x"}}}',
        b'{"version": 1, "schema_version": 1, "files": {}}',  # an older layout
        "\u00e9\u0000\ud7ff".encode("utf-8", "surrogatepass"),
    ],
)
def test_a_damaged_index_is_ignored_and_rebuilt(tmp_path: Path, damage: bytes) -> None:
    ws = _reopen(_workspace(tmp_path / "ws"))
    expected = _answers(ws)
    ws.index_path.write_bytes(damage)
    again = _reopen(ws)
    assert _answers(again) == expected
    assert json.loads(ws.index_path.read_text())["version"] == meeting_index.INDEX_VERSION


def test_a_lying_index_entry_for_a_changed_file_is_not_believed(tmp_path: Path) -> None:
    """An entry only counts while its key matches the file; a forged title with a stale key is
    ignored."""
    ws = _reopen(_workspace(tmp_path / "ws"))
    _answers(ws)
    stored = json.loads(ws.index_path.read_text())
    stored["files"]["mtg-000"]["meeting"]["title"] = "Forged"
    stored["files"]["mtg-000"]["key"][0] -= 1
    ws.index_path.write_text(json.dumps(stored))
    assert _answers(_reopen(ws))[0][0].title == "Meeting 0"


def test_only_instances_that_ask_write_it(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    cli = _reopen(ws, write=False)
    assert _answers(cli) == _full_read(cli)
    assert not ws.index_path.exists()
    follow = Workspace.open(ws.root, read_only=True)
    follow.write_index = True  # even if asked: a read-only view never writes
    _answers(follow)
    assert not ws.index_path.exists()


def test_a_planted_link_is_neither_read_nor_written_through(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    target = tmp_path / "elsewhere.json"
    target.write_text('{"secret": true}')
    ws.index_path.symlink_to(target)
    again = _reopen(ws)
    assert _answers(again) == _full_read(again)
    assert target.read_text() == '{"secret": true}'
    assert ws.index_path.is_symlink()


def test_a_corrupt_meeting_file_is_still_reported(tmp_path: Path) -> None:
    from facilitate.storage.errors import CorruptFileError

    ws = _reopen(_workspace(tmp_path / "ws"))
    _answers(ws)
    ws.meeting_path("mtg-003").write_text("{broken")
    with pytest.raises(CorruptFileError, match="mtg-003"):
        _reopen(ws).snapshot().meetings()


def test_only_open_actions_are_indexed(tmp_path: Path) -> None:
    """Closed actions (most of ten years) stay out of the index: it is read at every start and
    kept in memory. An entry claiming a closed action as open is not believed."""
    assert ActionStatus.OPEN.value == meeting_index.OPEN
    ws = _reopen(_workspace(tmp_path / "ws"))
    _answers(ws)
    stored = json.loads(ws.index_path.read_text())
    listed = [a for e in stored["files"].values() for a in e["open_actions"]]
    assert len(listed) == 12 and {a["status"] for a in listed} == {"open"}
    entry = stored["files"]["mtg-000"]
    entry["open_actions"][0]["status"] = "done"
    ws.index_path.write_text(json.dumps(stored))
    again = _reopen(ws, write=False)
    assert _answers(again) == _full_read(again)


def test_an_undecodable_entry_with_a_matching_key_is_not_blamed_on_the_file(tmp_path: Path) -> None:
    """An index edited by hand: the entry's key still matches, its record does not decode. The
    answers come from the files, and no error names a meeting file that is fine."""
    ws = _reopen(_workspace(tmp_path / "ws"))
    expected = _answers(ws)
    stored = json.loads(ws.index_path.read_text())
    stored["files"]["mtg-001"]["meeting"]["start"] = "not a date"
    stored["files"]["mtg-002"]["open_actions"][0]["due_next_meeting"] = "perhaps"
    ws.index_path.write_text(json.dumps(stored))
    again = _reopen(ws)
    assert _answers(again) == expected
    assert json.loads(ws.index_path.read_text())["files"]["mtg-001"]["meeting"]["start"] != (
        "not a date"
    )  # rebuilt from the file


def test_a_snapshot_summarises_the_meeting_files_once(tmp_path: Path, monkeypatch) -> None:
    """Home asks a snapshot for the meetings and then the open actions: the files are listed
    and stat'ed once; a new snapshot sees changes made since."""
    ws = _reopen(_workspace(tmp_path / "ws"))
    _answers(ws)  # index written
    keys: list[Path] = []
    real = meeting_index.file_key

    def counting(path: Path):
        keys.append(path)
        return real(path)

    monkeypatch.setattr(meeting_index, "file_key", counting)
    tx = ws.snapshot()
    meetings, open_actions = tx.meetings(), tx.open_actions()
    assert len(meetings) == 6 and len(open_actions) == 12
    assert len(keys) == 6
    with ws.transaction() as wtx:
        extra = meetings[0].start.add(weeks=50)
        wtx.add(Meeting(id="mtg-new", title="Added", start=extra, end=extra.add(hours=1)))
    assert len(tx.meetings()) == 6  # the same snapshot: the same answer
    assert len(ws.snapshot().meetings()) == 7


def test_meeting_files_are_the_json_files_in_id_order(tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws", meetings=3)
    (ws.meetings_dir / ".mtg-000.json.tmp-1").write_text("{}")  # a temp file
    (ws.meetings_dir / ".hidden.json").write_text("{}")
    (ws.meetings_dir / "notes.txt").write_text("not a meeting")
    assert [p.name for p in ws.meeting_files()] == ["mtg-000.json", "mtg-001.json", "mtg-002.json"]
    assert all(p.parent == ws.meetings_dir for p in ws.meeting_files())
    os.rename(ws.meetings_dir, tmp_path / "moved")
    assert ws.meeting_files() == []


def test_some_decodes_only_the_records_asked_for(tmp_path: Path, monkeypatch) -> None:
    from facilitate.domain.roster import Member
    from facilitate.storage import reading as reading_module

    ws = _workspace(tmp_path / "ws", meetings=1)
    with ws.transaction() as tx:
        members = [Member(name=f"Member {n}", organization_id="org-1") for n in range(5)]
        for m in members:
            tx.add(m)
    decoded: list[str] = []
    real = reading_module.from_doc

    def counting(cls, doc):
        decoded.append(doc.get("id"))
        return real(cls, doc)

    monkeypatch.setattr(reading_module, "from_doc", counting)
    wanted = {members[1].id, members[3].id, "mem-unknown"}
    found = ws.snapshot().some(Member, wanted)
    assert sorted(m.name for m in found) == ["Member 1", "Member 3"]
    assert sorted(decoded) == sorted([members[1].id, members[3].id])
    assert ws.snapshot().some(Member, set()) == []


def _confidential_actions(root: Path) -> Workspace:
    """Open actions raised under: a case review (confidential by its kind), an item marked
    confidential, an ordinary item, no item, and an item id that no longer resolves."""
    from facilitate.domain.meeting import ItemKind

    ws = _workspace(root, meetings=2)
    with ws.transaction() as tx:
        case = AgendaItem(meeting_id="mtg-001", title="Case review", kind=ItemKind.CASE_REVIEW)
        marked = AgendaItem(meeting_id="mtg-001", title="Sensitive", confidential=True)
        plain = AgendaItem(meeting_id="mtg-001", title="Outreach")
        for item in (case, marked, plain):
            tx.add(item)
        for text, item_id in [
            ("Case HV-1: arrange the interview", case.id),
            ("Marked: call the shelter", marked.id),
            ("Print the flyers", plain.id),
            ("Gone: item deleted since", "itm-no-longer-there"),
        ]:
            tx.add(
                ActionItem(
                    meeting_id="mtg-001",
                    text=text,
                    owner_id="mem-1",
                    due_next_meeting=True,
                    agenda_item_id=item_id,
                )
            )
    return ws


def _withheld_texts(ws: Workspace, ids: set[str]) -> set[str]:
    return {a.text for a in ws.snapshot().open_actions() if a.id in ids}


def test_withheld_open_actions_from_the_index_equal_a_full_read(tmp_path: Path, parses) -> None:
    """Home withholds the text of open actions raised under a confidential item without
    reading any agenda: the index says which they are, and says what a full read says."""
    ws = _reopen(_confidential_actions(tmp_path / "ws"))
    expected = {"Case HV-1: arrange the interview", "Marked: call the shelter"}
    expected.add("Gone: item deleted since")  # when in doubt, withheld
    with ws.transaction() as tx:
        full = tx.withheld_open_actions()
    assert _withheld_texts(ws, full) == expected

    first = ws.snapshot().withheld_open_actions()
    assert first == full
    again = _reopen(ws)
    parses.clear()
    assert again.snapshot().withheld_open_actions() == full
    assert not [p for p in parses if p.parent == ws.meetings_dir]  # from the index alone

    # A change to the file is seen: the ordinary item becomes confidential.
    with again.transaction() as tx:
        plain = next(i for i in tx.all(AgendaItem, "mtg-001") if i.title == "Outreach")
        plain.confidential = True
        tx.update(plain)
    now = _reopen(again).snapshot().withheld_open_actions()
    assert _withheld_texts(again, now) == {*expected, "Print the flyers"}


def test_an_index_from_before_withheld_was_kept_is_rebuilt(tmp_path: Path) -> None:
    """A version-2 index (no "withheld") must not be read as "nothing withheld"."""
    ws = _reopen(_confidential_actions(tmp_path / "ws"))
    full = ws.snapshot().withheld_open_actions()
    stored = json.loads(ws.index_path.read_text())
    stored["version"] = 2
    for entry in stored["files"].values():
        del entry["withheld"]
    ws.index_path.write_text(json.dumps(stored))
    assert _reopen(ws).snapshot().withheld_open_actions() == full
    assert json.loads(ws.index_path.read_text())["version"] == meeting_index.INDEX_VERSION
