"""2. Saves during a live meeting: durable save latency (fsync included) of one LiveMeeting
step, on the 10-year workspace against the empty one (same roster, same meeting, no past
meetings), plus two anchors for the same operations: stock TinyDB JSONStorage holding the same
history in one file, and a stdlib sqlite3 commit with synchronous=FULL."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._common import Context, Row, Stats, interleaved, med_p95, ms
from facilitate.domain.actions import ActionItem
from facilitate.domain.meeting import AttendanceStatus, Decision
from facilitate.services.live import LiveMeeting
from facilitate.storage.workspace import Workspace

OPS = ("note", "attendance", "next item", "decision", "action")
HISTORY_TARGET = 1.2
SQLITE_TARGET = 3.0
NOTE = (
    "Outreach staff reported referrals received since the last meeting. The hotline asked for "
    "help with translation of the safety-planning leaflet, pending supervisor approval. Child "
    "welfare confirmed progress on the new screening questions at intake and will report back "
    "in writing. The shelter raised concerns about bed availability for youth over the holidays."
)


class LiveTarget:
    """A started meeting on a copy of a generated workspace, driven through LiveMeeting."""

    def __init__(self, root: Path, meeting_id: str) -> None:
        self.ws = Workspace.open(root)
        self.live = LiveMeeting(self.ws, meeting_id)
        self.live.start()
        self.live.acknowledge_confidentiality()
        bundle = self.live.load()
        self.items = [i.id for i in bundle.items if not i.deferred]
        self.attendance = [a.id for a in bundle.attendance]
        self.member = next(a.member_id for a in bundle.attendance if a.member_id)
        self.live.goto(self.items[0])
        self.position = 0
        self.n = 0
        self.notes: dict[str, str] = {}  # item id -> the text last saved

    def op(self, name: str) -> float:
        self.n += 1
        n = self.n
        live = self.live
        if name == "note":
            # As the meeting screen saves: with the text it last saved as the base.
            item, text = self.items[self.position], f"{NOTE} ({n})"
            base = self.notes.get(item, "")
            took = _time(lambda: live.save_notes(item, text, base=base))
            self.notes[item] = text
            return took
        if name == "attendance":
            status = AttendanceStatus.PRESENT if n % 2 else AttendanceStatus.REMOTE
            return _time(live.mark, self.attendance[n % len(self.attendance)], status)
        if name == "next item":
            if self.position == len(self.items) - 1:
                live.goto(self.items[0])  # not timed: back to the top
                self.position = 0
            self.position += 1
            return _time(live.step, +1)
        if name == "decision":
            decision = Decision(
                meeting_id=live.meeting_id,
                agenda_item_id=self.items[self.position],
                text=f"The task force agreed to renew the data-sharing protocol ({n}).",
            )
            return _time(live.add_decision, decision)
        if name == "action":
            action = ActionItem(
                meeting_id=live.meeting_id,
                agenda_item_id=self.items[self.position],
                text=f"Circulate the revised referral form to all member agencies ({n}).",
                owner_id=self.member,
                due_next_meeting=True,
            )
            return _time(live.add_action, action)
        raise KeyError(name)


def _time(fn: Callable[..., Any], *args: Any) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def _history_docs(root: Path) -> dict[str, list[dict[str, Any]]]:
    """Every record of a workspace, by table, as stored."""
    tables: dict[str, list[dict[str, Any]]] = {}
    files = [root / "collaborative.json", *sorted((root / "meetings").glob("*.json"))]
    for path in files:
        data = json.loads(path.read_text("utf-8"))
        for table, docs in data.items():
            if table != "_meta":
                tables.setdefault(table, []).extend(docs.values())
    return tables


class TinyDBTarget:
    """Stock TinyDB (default JSONStorage, no caching middleware) with everything in one file."""

    def __init__(self, root: Path, meeting_id: str) -> None:
        from tinydb import Query, TinyDB

        self.Query = Query
        tables = _history_docs(root)
        path = root.parent / f"{root.name}-tinydb.json"
        path.unlink(missing_ok=True)
        # The file as TinyDB writes it: {"table": {"1": doc, ...}, ...}
        path.write_text(
            json.dumps(
                {t: {str(n): d for n, d in enumerate(docs, 1)} for t, docs in tables.items()}
            ),
            "utf-8",
        )
        self.db = TinyDB(path)
        self.meeting_id = meeting_id
        self.items = sorted(d["id"] for d in tables["agenda"] if d["meeting_id"] == meeting_id)
        self.attendance = [f"bench-att-{n}" for n in range(60)]
        self.db.table("attendance").insert_multiple(
            {"id": a, "meeting_id": meeting_id, "status": "expected", "rev": 1}
            for a in self.attendance
        )
        self.position = 0
        self.n = 0

    def op(self, name: str) -> float:
        self.n += 1
        n = self.n
        q = self.Query()
        start = time.perf_counter()
        if name == "note":
            self.db.table("agenda").update(
                {"notes": f"{NOTE} ({n})"}, q.id == self.items[self.position]
            )
        elif name == "attendance":
            self.db.table("attendance").update(
                {"status": "present" if n % 2 else "remote"},
                q.id == self.attendance[n % len(self.attendance)],
            )
        elif name == "next item":
            self.position = (self.position + 1) % len(self.items)
            now = time.time()
            self.db.table("agenda").update_multiple(
                [
                    (
                        {"spans": [{"start": now - 60, "end": now}]},
                        q.id == self.items[self.position - 1],
                    ),
                    ({"spans": [{"start": now, "end": None}]}, q.id == self.items[self.position]),
                ]
            )
            self.db.table("meeting").update(
                {"current_item_id": self.items[self.position]}, q.id == self.meeting_id
            )
        elif name == "decision":
            self.db.table("decisions").insert(
                {"id": f"dec-bench-{n}", "meeting_id": self.meeting_id, "text": NOTE[:80]}
            )
        elif name == "action":
            self.db.table("actions").insert(
                {"id": f"act-bench-{n}", "meeting_id": self.meeting_id, "text": NOTE[:80]}
            )
        return time.perf_counter() - start


class SqliteTarget:
    """The durable-write anchor: one sqlite3 file holding the same records (JSON per record),
    rollback journal, synchronous=FULL, one commit per step."""

    def __init__(self, root: Path, meeting_id: str) -> None:
        path = root.parent / f"{root.name}.sqlite"
        path.unlink(missing_ok=True)
        self.con = sqlite3.connect(path, isolation_level=None)
        self.con.execute("PRAGMA synchronous=FULL")
        self.con.execute(
            "CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT, meeting_id TEXT, doc TEXT)"
        )
        self.con.execute("BEGIN")
        for table, docs in _history_docs(root).items():
            self.con.executemany(
                "INSERT INTO records VALUES (?, ?, ?, ?)",
                (
                    (f"{table}:{d.get('id')}", table, d.get("meeting_id"), json.dumps(d))
                    for d in docs
                ),
            )
        self.con.execute("COMMIT")
        self.meeting_id = meeting_id
        rows = self.con.execute(
            "SELECT id FROM records WHERE kind='agenda' AND meeting_id=? ORDER BY id", (meeting_id,)
        )
        self.items = [r[0] for r in rows]
        self.attendance = [f"attendance:bench-{n}" for n in range(60)]
        self.con.execute("BEGIN")
        self.con.executemany(
            "INSERT INTO records VALUES (?, 'attendance', ?, ?)",
            ((a, meeting_id, json.dumps({"status": "expected"})) for a in self.attendance),
        )
        self.con.execute("COMMIT")
        self.position = 0
        self.n = 0

    def _update(self, record_id: str, change: dict[str, Any]) -> None:
        (doc,) = self.con.execute("SELECT doc FROM records WHERE id=?", (record_id,)).fetchone()
        data = json.loads(doc)
        data.update(change)
        self.con.execute("UPDATE records SET doc=? WHERE id=?", (json.dumps(data), record_id))

    def op(self, name: str) -> float:
        self.n += 1
        n = self.n
        start = time.perf_counter()
        self.con.execute("BEGIN")
        if name == "note":
            self._update(self.items[self.position], {"notes": f"{NOTE} ({n})"})
        elif name == "attendance":
            status = "present" if n % 2 else "remote"
            self._update(self.attendance[n % len(self.attendance)], {"status": status})
        elif name == "next item":
            self.position = (self.position + 1) % len(self.items)
            now = time.time()
            self._update(
                self.items[self.position - 1], {"spans": [{"start": now - 60, "end": now}]}
            )
            self._update(self.items[self.position], {"spans": [{"start": now, "end": None}]})
            self._update(f"meeting:{self.meeting_id}", {"current_item_id": "x"})
        else:
            kind = "decisions" if name == "decision" else "actions"
            doc = {"id": f"bench-{n}", "meeting_id": self.meeting_id, "text": NOTE[:80]}
            self.con.execute(
                "INSERT INTO records VALUES (?, ?, ?, ?)",
                (f"{kind}:bench-{n}", kind, self.meeting_id, json.dumps(doc)),
            )
        self.con.execute("COMMIT")
        return time.perf_counter() - start


def measure(ctx: Context) -> dict[str, dict[str, Stats]]:
    """{op: {target: Stats}} for targets ws10, empty, sqlite, tinydb10, tinydb_empty."""
    ws10 = LiveTarget(ctx.copy("ws10", "saves"), ctx.upcoming_id)
    empty = LiveTarget(ctx.copy("empty", "saves"), ctx.upcoming_id)
    sqlite_ws10 = SqliteTarget(ctx.workspace("ws10"), ctx.upcoming_id)
    out: dict[str, dict[str, Stats]] = {}
    for op in OPS:
        out[op] = interleaved(
            {
                "ws10": lambda op=op: ws10.op(op),
                "empty": lambda op=op: empty.op(op),
                "sqlite": lambda op=op: sqlite_ws10.op(op),
            },
            reps=ctx.reps(40),
            warmup=2,
        )
    # The one-file TinyDB anchor is slow at 10 years (that is the point): fewer repetitions.
    tiny10 = TinyDBTarget(ctx.copy("ws10", "tinydb"), ctx.upcoming_id)
    tiny0 = TinyDBTarget(ctx.copy("empty", "tinydb"), ctx.upcoming_id)
    for op in OPS:
        out[op] |= {
            f"tinydb_{k}": v
            for k, v in interleaved(
                {"ws10": lambda op=op: tiny10.op(op), "empty": lambda op=op: tiny0.op(op)},
                reps=ctx.reps(12),
                warmup=1,
            ).items()
        }
    return out


def run(ctx: Context) -> list[Row]:
    results = measure(ctx)
    rows: list[Row] = []
    for op in OPS:
        s = results[op]
        ratio = s["ws10"].median / s["empty"].median
        rows.append(
            Row(
                f"2. Save '{op}', 10-year vs empty workspace",
                med_p95(s["ws10"]),
                f"empty {med_p95(s['empty'])}",
                ratio,
                "median",
                f"<= {HISTORY_TARGET}x",
                ratio <= HISTORY_TARGET,
                f"n={s['ws10'].n}",
            )
        )
    for op in OPS:
        s = results[op]
        ratio = s["ws10"].median / s["sqlite"].median
        rows.append(
            Row(
                f"2. Save '{op}', 10-year vs sqlite3 commit (synchronous=FULL)",
                med_p95(s["ws10"]),
                f"sqlite3 {med_p95(s['sqlite'])}",
                ratio,
                "median",
                f"<= {SQLITE_TARGET}x",
                ratio <= SQLITE_TARGET,
            )
        )
    for op in OPS:
        s = results[op]
        rows.append(
            Row(
                f"2. Anchor: stock TinyDB JSONStorage '{op}', 10-year vs empty",
                med_p95(s["tinydb_ws10"]),
                f"empty {med_p95(s['tinydb_empty'])}",
                s["tinydb_ws10"].median / s["tinydb_empty"].median,
                "median",
                "(reported)",
                None,
                f"{s['tinydb_ws10'].median / s['ws10'].median:.1f}x facilitate's "
                f"{ms(s['ws10'].median)}",
            )
        )
    return rows
