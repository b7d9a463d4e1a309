"""The tamper suite: each case tampers with a sample workspace the way a hostile group member
could (edit, delete, reorder, truncate, restore an older copy, remove the anchor, plant lines),
then `facilitate check` must report it; then a normal CLI save runs, and check must STILL
report it (or the save must have been refused, changing nothing). Issue #18, defects 4 and 5.

Also: `check --accept-tamper REASON` records the finding (signed with the OS user) and work
continues; an older workspace whose log has no file hashes keeps working.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.domain.roster import Organization
from facilitate.storage import audit
from facilitate.storage.workspace import Workspace

from ._util import tree_hashes

SUBMIT = ["agenda", "submit", "next", "Shelter beds update", "--minutes", "5", "--by", "Ana Ruiz"]


def run(root: Path, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    old = os.umask(0o077)
    try:
        code = main(["--data", str(root), *argv])
    finally:
        os.umask(old)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tamper") / "ws"
    old = os.umask(0o077)
    try:
        assert main(["--data", str(root), "init", "--sample"]) == 0
        assert main(["--data", str(root), *SUBMIT]) == 0  # a log with a save of the CLI's own
    finally:
        os.umask(old)
    return root


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(template, root, symlinks=True)
    os.chmod(root, 0o700)
    return root


# --- the tampering ----------------------------------------------------------------------------


def _log(root: Path) -> list[str]:
    return (root / "audit.log").read_text().splitlines(keepends=True)


def _set_log(root: Path, lines: list[str]) -> None:
    (root / "audit.log").write_text("".join(lines))


def _meeting(root: Path, name: str = "mtg-2026-11") -> Path:
    return root / "meetings" / f"{name}.json"


def _edit_json(path: Path, change: Callable[[dict], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=1))


def edit_decision_text(root: Path) -> None:
    def change(data: dict) -> None:
        doc = next(iter(data["decisions"].values()))
        doc["text"] = "Adopted without objection."

    _edit_json(_meeting(root), change)


def delete_an_action(root: Path) -> None:
    _edit_json(_meeting(root), lambda data: data["actions"].pop(next(iter(data["actions"]))))


def edit_file_the_save_writes(root: Path) -> None:
    def change(data: dict) -> None:
        doc = next(iter(data["agenda"].values()))
        doc["title"] = "Renamed by hand"

    _edit_json(_meeting(root, "mtg-2026-12"), change)


def restore_older_meeting_copy(root: Path) -> None:
    path = _meeting(root, "mtg-2026-12")
    older = path.read_bytes()
    assert main(["--data", str(root), *SUBMIT[:3], "Interim item", *SUBMIT[4:]]) == 0
    path.write_bytes(older)


def restore_older_collaborative_copy(root: Path) -> None:
    path = root / "collaborative.json"
    older = path.read_bytes()
    ws = Workspace.open(root)  # (no CLI command writes the roster alone)
    with ws.transaction() as tx:
        tx.add(Organization(name="Harbour Police"))
    path.write_bytes(older)


def delete_meeting_file(root: Path) -> None:
    _meeting(root, "mtg-2026-10").unlink()


def plant_meeting_file(root: Path) -> None:
    shutil.copy(_meeting(root, "mtg-2026-10"), _meeting(root, "mtg-2026-09"))


def plant_unmarked_meeting_file(root: Path) -> None:
    """A meeting file made by hand, without the mark facilitate's saves leave."""
    source = _meeting(root, "mtg-2026-10")
    target = _meeting(root, "mtg-2026-08")
    shutil.copy(source, target)
    _edit_json(target, lambda data: data["_meta"]["1"].pop("audited", None))


def edit_collaborative(root: Path) -> None:
    def change(data: dict) -> None:
        doc = next(iter(data["members"].values()))
        doc["name"] = "Someone Else"

    _edit_json(root / "collaborative.json", change)


def delete_last_line(root: Path) -> None:
    _set_log(root, _log(root)[:-1])


def delete_last_three_lines(root: Path) -> None:
    _set_log(root, _log(root)[:-3])


def delete_middle_line(root: Path) -> None:
    lines = _log(root)
    del lines[len(lines) // 2]
    _set_log(root, lines)


def truncate_log_half(root: Path) -> None:
    raw = (root / "audit.log").read_bytes()
    (root / "audit.log").write_bytes(raw[: len(raw) // 2])


def truncate_log_to_line(root: Path) -> None:
    _set_log(root, _log(root)[: len(_log(root)) // 2])


def empty_log(root: Path) -> None:
    (root / "audit.log").write_bytes(b"")


def remove_log(root: Path) -> None:
    (root / "audit.log").unlink()


def remove_log_and_anchor(root: Path) -> None:
    (root / "audit.log").unlink()
    (root / "audit.anchor").unlink()


def remove_anchor(root: Path) -> None:
    (root / "audit.anchor").unlink()


def edit_anchor_hash(root: Path) -> None:
    _edit_json(root / "audit.anchor", lambda data: data.update(hash="0" * 64))


def edit_anchor_back(root: Path) -> None:
    """Cut the last line and point the anchor at the line now last (a careful tamperer)."""
    lines = _log(root)[:-1]
    _set_log(root, lines)
    seq = json.loads(lines[-1])["seq"]
    _edit_json(root / "audit.anchor", lambda data: data.update(seq=seq, hash="f" * 64))


def reorder_middle_lines(root: Path) -> None:
    lines = _log(root)
    n = len(lines) // 2
    lines[n], lines[n + 1] = lines[n + 1], lines[n]
    _set_log(root, lines)


def swap_last_two_lines(root: Path) -> None:
    lines = _log(root)
    lines[-1], lines[-2] = lines[-2], lines[-1]
    _set_log(root, lines)


def plant_line_in_middle(root: Path) -> None:
    lines = _log(root)
    fake = dict(json.loads(lines[10]), summary="Nothing to see here", id="org-fake")
    lines.insert(11, json.dumps(fake) + "\n")
    _set_log(root, lines)


def plant_line_at_end(root: Path) -> None:
    lines = _log(root)
    last = json.loads(lines[-1])
    fake = {**last, "seq": last["seq"] + 1, "op": "delete", "prev": "1" * 64}
    _set_log(root, [*lines, json.dumps(fake) + "\n"])


def half_written_line(root: Path) -> None:
    with (root / "audit.log").open("a") as fh:
        fh.write('{"seq": 999, "op": "add", "summary": "cut of')


def edit_middle_line_summary(root: Path) -> None:
    lines = _log(root)
    n = len(lines) // 3
    lines[n] = lines[n].replace('"rev": 1', '"rev": 7')
    _set_log(root, lines)


def edit_last_line(root: Path) -> None:
    lines = _log(root)
    lines[-1] = lines[-1].replace('"op": "done"', '"op": "dona"')
    _set_log(root, lines)


def duplicate_a_line(root: Path) -> None:
    lines = _log(root)
    lines.insert(5, lines[4])
    _set_log(root, lines)


def edit_intent_hashes(root: Path) -> None:
    """Rewrite the recorded hash of the last save's file in its done line."""
    lines = _log(root)
    done = json.loads(lines[-1])
    done["files"] = {name: "a" * 64 for name in done["files"]}
    lines[-1] = json.dumps(done, ensure_ascii=False, sort_keys=True) + "\n"
    _set_log(root, lines)


CASES: dict[str, Callable[[Path], None]] = {
    f.__name__: f
    for f in (
        edit_decision_text,
        delete_an_action,
        edit_file_the_save_writes,
        restore_older_meeting_copy,
        restore_older_collaborative_copy,
        delete_meeting_file,
        plant_meeting_file,
        plant_unmarked_meeting_file,
        edit_collaborative,
        delete_last_line,
        delete_last_three_lines,
        delete_middle_line,
        truncate_log_half,
        truncate_log_to_line,
        empty_log,
        remove_log,
        remove_log_and_anchor,
        remove_anchor,
        edit_anchor_hash,
        edit_anchor_back,
        reorder_middle_lines,
        swap_last_two_lines,
        plant_line_in_middle,
        plant_line_at_end,
        half_written_line,
        edit_middle_line_summary,
        edit_last_line,
        duplicate_a_line,
        edit_intent_hashes,
    )
}


def test_the_suite_has_twenty_or_more_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", sorted(CASES))
def test_tampering_is_detected_and_not_hidden_by_the_next_save(
    ws: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(ws, "check", capsys=capsys)
    assert (code, out.strip()) == (0, "Workspace OK.")

    old = os.umask(0o077)
    try:
        CASES[case](ws)
    finally:
        os.umask(old)
    capsys.readouterr()

    code, found = run(ws, "check", capsys=capsys)
    assert code == 1, f"{case} not detected:\n{found}"
    assert "Workspace OK" not in found

    before = tree_hashes(ws)
    code, saved = run(ws, *SUBMIT, capsys=capsys)
    if code != 0:  # refused: then nothing at all changed, and it says so
        assert "Nothing was changed on disk" in saved
        assert "Traceback" not in saved
        assert tree_hashes(ws) == before
    code, after = run(ws, "check", capsys=capsys)
    assert code == 1, f"{case} hidden by a later save:\n{after}"
    assert "Workspace OK" not in after


def test_what_check_says_names_the_file_and_the_entry_that_agrees(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_decision_text(ws)
    _code, out = run(ws, "check", capsys=capsys)
    assert "meetings/mtg-2026-11.json: changed outside facilitate" in out
    assert "since entry " in out and "the last entry that wrote it" in out

    restore_older_meeting_copy(ws)
    capsys.readouterr()
    _code, out = run(ws, "check", capsys=capsys)
    assert "meetings/mtg-2026-12.json: an older copy: it matches entry" in out

    delete_meeting_file(ws)
    _code, out = run(ws, "check", capsys=capsys)
    assert "meetings/mtg-2026-10.json: deleted; entry" in out


def test_a_save_on_a_cut_log_is_refused_with_a_clear_error(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delete_last_line(ws)
    before = tree_hashes(ws)
    code, out = run(ws, *SUBMIT, capsys=capsys)
    assert code != 0
    assert "the audit log does not end where facilitate left it" in out
    assert "--accept-tamper" in out
    assert tree_hashes(ws) == before


def test_accept_tamper_records_who_and_why_and_work_continues(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delete_last_line(ws)
    edit_decision_text(ws)
    code, out = run(ws, "check", "--accept-tamper", "", capsys=capsys)
    assert code != 0 and "Say why" in out

    reason = "restored after the disk failure"
    code, out = run(ws, "check", "--accept-tamper", reason, capsys=capsys)
    assert code == 0, out
    assert f"signed by {audit.os_user()}" in out and "Workspace OK." in out
    entry = json.loads(_log(ws)[-1])
    assert entry["op"] == "tamper" and entry["user"] == audit.os_user()
    assert entry["reason"] == "restored after the disk failure"
    assert entry["uid"] == os.getuid()
    assert any("mtg-2026-11.json" in line for line in entry["found"])
    assert any("removed" in line for line in entry["found"])

    code, out = run(ws, *SUBMIT, capsys=capsys)
    assert code == 0, out
    assert run(ws, "check", capsys=capsys) == (0, "Workspace OK.\n")
    code, out = run(ws, "log", "--tail", "2", capsys=capsys)
    assert "tamper" in out and "restored after the disk failure" in out

    code, out = run(ws, "check", "--accept-tamper", "again", capsys=capsys)
    assert code != 0 and "Nothing to accept" in out


def test_a_half_written_line_is_never_merged_with_the_next_entry(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    half_written_line(ws)
    raw = (ws / "audit.log").read_bytes()
    code, out = run(ws, *SUBMIT, capsys=capsys)
    assert code != 0 and "half-written" in out
    assert (ws / "audit.log").read_bytes() == raw
    _code, out = run(ws, "check", capsys=capsys)
    assert "half-written" in out

    assert run(ws, "check", "--accept-tamper", "power cut", capsys=capsys)[0] == 0
    lines = _log(ws)
    assert lines[-2] == '{"seq": 999, "op": "add", "summary": "cut of\n'  # still its own line
    assert json.loads(lines[-1])["op"] == "tamper"
    assert run(ws, *SUBMIT, capsys=capsys)[0] == 0
    assert run(ws, "check", capsys=capsys) == (0, "Workspace OK.\n")


def test_a_workspace_from_before_the_hashes_keeps_working(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entries without hashes, files without the audited mark: check says 'not yet covered'
    (a note, exit 0); the first save covers the file it writes."""
    old_entries = [
        {k: v for k, v in json.loads(line).items() if k not in ("seq", "prev", "at", "user")}
        for line in _log(ws)
        if json.loads(line)["op"] not in ("intent", "done")
    ]
    (ws / "audit.log").unlink()
    (ws / "audit.anchor").unlink()
    for entry in old_entries:
        entry.pop("anchored", None)
    audit.append(ws / "audit.log", old_entries, "2026-01-01T00:00:00+00:00")
    for path in [ws / "collaborative.json", *sorted((ws / "meetings").glob("*.json"))]:
        _edit_json(path, lambda data: data["_meta"]["1"].pop("audited", None))
        os.chmod(path, 0o600)

    code, out = run(ws, "check", capsys=capsys)
    assert code == 0, out
    assert "Workspace OK." in out
    assert "4 file(s) not yet covered by the audit trail" in out

    assert run(ws, *SUBMIT, capsys=capsys)[0] == 0
    code, out = run(ws, "check", capsys=capsys)
    assert code == 0, out
    assert "3 file(s) not yet covered" in out and "mtg-2026-12" not in out

    edit_file_the_save_writes(ws)  # covered now: an edit is caught
    assert run(ws, "check", capsys=capsys)[0] == 1
