"""A kill -9 during a speaking turn (issue 20): the queue and the running speaker come back,
and the turn's time is recomputed from its stored start instant."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pendulum

from facilitate.domain.meeting import AttendanceStatus, ItemKind, MeetingStatus
from facilitate.domain.speaking import TurnStatus
from facilitate.domain.timer import TimerState
from facilitate.services.live import LiveMeeting
from facilitate.services.sample import load_sample
from facilitate.services.speaking import Speakers
from facilitate.storage import audit
from facilitate.storage.workspace import Workspace

from ._util import child_env, write_script

CHAIR = """
    import sys
    import time
    from pathlib import Path

    import pendulum

    from facilitate.services.live import LiveMeeting
    from facilitate.services.speaking import Speakers
    from facilitate.storage.workspace import Workspace

    root, meeting_id, at = Path(sys.argv[1]), sys.argv[2], pendulum.parse(sys.argv[3])
    live = LiveMeeting(Workspace.open(root), meeting_id, lambda: at)
    turn = Speakers(live).next_speaker()
    print("speaking", turn.id, flush=True)
    n = 0
    while True:  # the facilitator keeps typing notes until the power goes
        n += 1
        live.save_notes(live.load().meeting.current_item_id, f"note {n}")
        print("saved", n, flush=True)
        time.sleep(0.01)
"""


def test_kill_during_a_turn_resumes_with_the_right_elapsed_time(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    ws = Workspace.create(root)
    load_sample(ws)
    meeting = next(m for m in ws.snapshot().meetings() if m.status is MeetingStatus.PLANNED)
    start = meeting.start.add(minutes=30)
    live = LiveMeeting(ws, meeting.id, lambda: start)
    live.start()
    for record in live.load().attendance:
        live.mark(record.id, AttendanceStatus.PRESENT)
    info = next(i for i in live.load().items if i.kind is ItemKind.INFORMATION_SHARING)
    live.goto(info.id)
    people = sorted(live.load().attendance, key=lambda a: a.name)[:3]
    queued = [Speakers(live).enqueue(p.id) for p in people]

    speaks_at = start.add(seconds=20)
    script = write_script(tmp_path, "chair.py", CHAIR)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(root), meeting.id, speaks_at.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("speaking"), proc.stderr.read() if proc.stderr else ""
        turn_id = line.split()[1]
        proc.stdout.readline()  # (wait for at least one more write after the turn began)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    for path in root.joinpath("meetings").glob("*.json"):
        assert isinstance(json.loads(path.read_bytes()), dict), path

    # Reopened 150 seconds after the turn began (the laptop restarted meanwhile).
    later = speaks_at.add(seconds=150)
    reopened = LiveMeeting(Workspace.open(root), meeting.id, lambda: later)
    speakers = Speakers(reopened)
    view = speakers.view()
    assert view.current is not None and view.current.id == turn_id == queued[0].id
    assert view.current.status is TurnStatus.SPEAKING and view.current.running
    assert view.current.spans[0].start == speaks_at
    assert view.clock is not None and view.clock.elapsed_seconds == 150
    assert view.clock.state is TimerState.WARNING  # 150 s of the profile's 3 minutes
    assert [t.id for t in view.waiting] == [q.id for q in queued[1:]]
    assert audit.verify(reopened.ws.audit_path) == []

    # And it goes on: the next speaker closes the turn at its true length.
    assert speakers.next_speaker() is not None
    done = next(t for t in reopened.load().turns if t.id == turn_id)
    assert done.status is TurnStatus.SPOKE
    assert done.elapsed_seconds(pendulum.now("UTC")) == 150
