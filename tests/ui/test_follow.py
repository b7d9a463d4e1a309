"""`facilitate follow`: the read-only projector view, while the facilitator's instance writes.

It never writes (every workspace file ends byte-for-byte as the writer left it), takes no lock
(it runs while the lock is held), cleans and creates nothing, keeps up with the writer, and no
confidential text (notes, titles, decisions, actions) ever appears on its screen, sampled many
times a second while the writer works through a confidential case review. Hostile strings are
shown literally."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pendulum
from textual.widgets import DataTable

from facilitate.domain.common import clean_text
from facilitate.domain.meeting import AgendaItem, Attendance, AttendanceStatus, Decision
from facilitate.services.live import LiveMeeting
from facilitate.storage.workspace import Workspace
from facilitate.ui.follow_app import FollowApp
from facilitate.ui.screens.follow import FollowScreen

from ..agenda.builders import SECRET_ACTION, SECRET_DECISION, SECRET_NOTE, SECRETS, small_workspace
from ..conftest import HOSTILE_STRINGS
from ..storage._util import child_env, write_script

USABLE = [s for s in HOSTILE_STRINGS if clean_text(s).strip()]
NEVER_SHOWN = (*SECRETS, "Prep:", "safe house", "Maple")

WRITER = """
    import hashlib, json, sys, time
    from pathlib import Path
    from facilitate.domain.actions import ActionItem
    from facilitate.domain.meeting import AttendanceStatus, Decision
    from facilitate.services.live import LiveMeeting
    from facilitate.storage.workspace import Workspace

    root, mid = Path(sys.argv[1]), sys.argv[2]
    secret_note, secret_decision, secret_action = sys.argv[3:6]
    hostile = json.loads(sys.argv[6])
    ws = Workspace.open(root)
    live = LiveMeeting(ws, mid)
    print("STARTED", flush=True)
    items = live.load().items
    case = next(i for i in items if i.confidential)
    for item in items[:4]:
        live.goto(item.id)
        time.sleep(0.4)
        if item.id == case.id:
            live.save_notes(item.id, secret_note + " (typed live)")
            live.add_decision(
                Decision(meeting_id=mid, agenda_item_id=item.id, text=secret_decision)
            )
            live.add_action(ActionItem(meeting_id=mid, agenda_item_id=item.id, text=secret_action,
                                       owner_id="mem-bo", due_next_meeting=True))
            time.sleep(1.5)  # the follow view shows the case review for a while
        else:
            live.save_notes(item.id, "Ordinary notes are not shown either")
            live.add_decision(Decision(meeting_id=mid, agenda_item_id=item.id,
                                       text=hostile[len(items) % len(hostile)]))
    for a in live.load().attendance:
        live.mark(a.id, AttendanceStatus.PRESENT)
    live.add_decision(Decision(meeting_id=mid, text="Public decision: meet monthly"))
    live.add_action(ActionItem(meeting_id=mid, text="Public action: book the hall",
                               owner_id="mem-ann", due_next_meeting=True))
    with ws.lock.hold():  # (the lock file holds this writer's note meanwhile: left out)
        hashes = {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                  for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".lock"}
    print("HASHES " + json.dumps(hashes), flush=True)
"""


def screen_text(app) -> str:
    """Every character on the screen right now, line by line."""
    update = app.screen._compositor.render_update(full=True)
    return "\n".join("".join(segment.text for segment in strip) for strip in update.strips)


def file_hashes(root: Path) -> dict[str, str]:
    import hashlib

    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _prepare(root: Path) -> tuple[Workspace, str]:
    small = small_workspace(root)
    ws = small.ws
    mid = small.upcoming
    with ws.transaction() as tx:
        for n, text in enumerate(USABLE[:6]):
            tx.add(AgendaItem(meeting_id=mid, position=10 + n, title=text, presenter=text))
        tx.add(
            Attendance(
                meeting_id=mid,
                name=USABLE[0],
                organization_name=USABLE[1],
                status=AttendanceStatus.PRESENT,
            )
        )
        tx.add(Decision(meeting_id=mid, text=USABLE[2]))
    live = LiveMeeting(ws, mid)
    live.start()
    live.acknowledge_confidentiality()
    return ws, mid


async def test_follow_reads_only_keeps_up_and_hides_confidential_text(tmp_path: Path) -> None:
    ws, mid = _prepare(tmp_path / "ws")
    root = ws.root
    orphan = root / "meetings" / ".tmp-mtg-next.json.999.1"
    orphan.write_bytes(b"a writer's temp file: not follow's to clean")
    follow_ws = Workspace.open(root, read_only=True)
    app = FollowApp(follow_ws, mid)
    quits: list[str] = []
    app.action_quit = lambda: quits.append("quit")  # type: ignore[method-assign, assignment, return-value]
    seen: list[str] = []

    def look() -> str:
        text = screen_text(app)
        seen.append(text)
        for secret in NEVER_SHOWN:
            assert secret not in text, f"{secret!r} on the follow screen:\n{text}"
        return text

    # Phase 1: alone, with the workspace lock held by someone else. Nothing may change.
    before = file_hashes(root)
    listing = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    lock_fd = os.open(root / ".lock", os.O_RDWR)
    fcntl.flock(lock_fd, fcntl.LOCK_EX)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause(0.5)
            assert isinstance(app.screen, FollowScreen)
            text = look()
            assert "February meeting" in text and "NOT STARTED" not in text
            await pilot.pause(1.2)  # a poll or two
            look()
            fcntl.flock(lock_fd, fcntl.LOCK_UN)
            os.close(lock_fd)
            lock_fd = -1
            # Nothing written, cleaned or created (the orphan is the writer's to clean).
            assert file_hashes(root) == before
            assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == listing

            # Phase 2: the facilitator's instance writes in another process.
            script = write_script(tmp_path, "writer.py", WRITER)
            writer = subprocess.Popen(
                [
                    sys.executable,
                    str(script),
                    str(root),
                    mid,
                    SECRET_NOTE,
                    SECRET_DECISION,
                    SECRET_ACTION,
                    json.dumps(USABLE),
                ],
                stdout=subprocess.PIPE,
                text=True,
                env=child_env(),
            )
            try:
                out = asyncio.get_running_loop().run_in_executor(None, writer.communicate)
                saw_case_review = False
                while not out.done():
                    text = look()
                    saw_case_review |= "4. Case review (confidential)" in text
                    await pilot.pause(0.1)
                stdout, _ = await out
                assert writer.returncode == 0, stdout
                final = json.loads(stdout.split("HASHES ", 1)[1])
                deadline = time.monotonic() + 20  # only keeps a broken build from hanging
                while "Public action: book the hall" not in look():
                    assert time.monotonic() < deadline, "follow never caught up"
                    await pilot.pause(0.1)
                text = look()
                await pilot.pause(1.5)  # a few more polls and ticks
                look()
            finally:
                if writer.poll() is None:
                    writer.kill()
    finally:
        if lock_fd >= 0:
            os.close(lock_fd)

    assert saw_case_review, "the follow view never showed the confidential item as current"
    assert "Public decision: meet monthly" in text
    assert "Decision on a confidential item (confidential)" in text
    assert "Action on a confidential item (confidential)" in text
    assert "Present" in text and "Ann" in text
    assert len(seen) > 30
    assert quits == []
    # Afterwards every file is exactly as the writer left it: follow wrote nothing (and the
    # lock file is empty again: its note is only there while someone holds it).
    after = file_hashes(root)
    assert after.pop(".lock") == hashlib.sha256(b"").hexdigest()
    assert final == after
    assert before != final  # the writer really wrote


async def test_follow_shows_hostile_strings_literally(tmp_path: Path) -> None:
    ws, mid = _prepare(tmp_path / "ws")
    live = LiveMeeting(ws, mid)
    hostile_item = next(i for i in live.load().items if i.title == clean_text(USABLE[0]).strip())
    live.goto(hostile_item.id)
    before = file_hashes(ws.root)
    app = FollowApp(Workspace.open(ws.root, read_only=True), mid)
    ran: list[str] = []
    app.action_quit = lambda: ran.append("quit")  # type: ignore[method-assign, assignment, return-value]
    app.action_screenshot = lambda *a, **k: ran.append("screenshot")  # type: ignore[method-assign]
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause(0.5)
        screen = app.screen
        assert isinstance(screen, FollowScreen)
        title = str(screen.query_one("#follow-item-title").render())
        assert "\x1b" not in title and "\x07" not in title
        assert clean_text(USABLE[0]).strip().split("\n")[0][:20] in title.replace("\n", " ")
        table = screen.query_one("#follow-agenda", DataTable)
        cells = [str(table.get_row_at(r)[1]) for r in range(table.row_count)]
        for text in USABLE[:6]:
            shown = " ".join(clean_text(text).split())
            assert any(shown[:15] in c for c in cells), (text, cells)
        captured = str(screen.query_one("#follow-captured").render())
        assert " ".join(clean_text(USABLE[2]).split())[:15] in captured
        await pilot.press("x", "enter", "space")  # nothing to act on: no crash, no write
        await pilot.pause(0.3)
    assert ran == []
    assert file_hashes(ws.root) == before


async def test_follow_survives_a_damaged_file_and_recovers(tmp_path: Path) -> None:
    ws, mid = _prepare(tmp_path / "ws")
    path = ws.meeting_path(mid)
    good = path.read_bytes()
    app = FollowApp(Workspace.open(ws.root, read_only=True), mid)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        path.write_bytes(b'{"_meta": ')  # not how facilitate writes: someone edited by hand

        async def status_shows(*words: str) -> str:
            deadline = time.monotonic() + 20  # only keeps a broken build from hanging
            while True:
                status = str(app.screen.query_one("#follow-status").render())
                if all(word in status for word in words) or time.monotonic() > deadline:
                    return status
                await pilot.pause(0.1)

        status = await status_shows("Cannot read the meeting", "retrying")
        assert "Cannot read the meeting" in status and "retrying" in status
        path.write_bytes(good)
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
        status = await status_shows("LIVE")
        assert "LIVE" in status
    assert path.read_bytes() == good


async def test_follow_app_exits_on_q_and_never_remembers_the_theme(tmp_path: Path) -> None:
    ws, mid = _prepare(tmp_path / "ws")
    before = file_hashes(ws.root)
    app = FollowApp(Workspace.open(ws.root, read_only=True), mid)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("ctrl+t")
        await pilot.pause(0.2)
        assert app.theme == "facilitate-light"
        await pilot.press("q")
        await pilot.pause(0.2)
    assert app.return_code == 0
    assert file_hashes(ws.root) == before
    assert pendulum.now("UTC")  # (the follow view used the real clock throughout)


async def test_follow_lists_as_many_present_as_fit_then_how_many_more(tmp_path: Path) -> None:
    """The present box has three lines: a long roll call ends in "+N more" (it was cut off
    mid-name), and a short one is listed in full."""
    ws, mid = _prepare(tmp_path / "ws")
    with ws.transaction() as tx:
        for n in range(40):
            tx.add(
                Attendance(
                    meeting_id=mid,
                    name=f"Participant Number {n:02d}",
                    organization_name="Visiting agency",
                    status=AttendanceStatus.PRESENT,
                )
            )
    app = FollowApp(Workspace.open(ws.root, read_only=True), mid)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#follow-present")
        text = str(box.render())
        assert "Present 41 of" in text
        shown = text.count("Participant Number")
        more = re.search(r"\+(\d+) more$", text.rstrip())
        assert 0 < shown < 40 and more is not None
        assert 40 - shown <= int(more.group(1)) <= 41 - shown  # (+ the one _prepare marked)
        assert box.size.height <= 3 and len(text.splitlines()) <= 3
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        wider = str(box.render())
        assert wider.count("Participant Number") > shown and "more" in wider
