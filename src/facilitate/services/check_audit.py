"""`facilitate check`'s audit part: the log's chain and anchor, and every data file against the
last entry that wrote it; ``check --accept-tamper REASON`` records what was found.

Each save logs the sha256 of every file it writes, before and after (see storage/ledger.py).
Replaying the log gives, for each data file, the hash the last entry left; the file on disk must
have it. A file that differs is reported as deleted, as an older copy (it matches an earlier
entry: a restored backup?) or as changed outside facilitate, naming the entry that agrees. A
save that started from a different file than the entry before it left shows an edit made
between two saves, so a later save never hides it.

Files written before the log recorded hashes (an upgraded workspace) are "not yet covered": a
note, not a problem; their next save covers them. A file marked as written under the hashed
trail that no entry covers had its entries removed: a problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum

from ..domain.common import FacilitateError, clean_text
from ..storage import audit, ledger
from ..storage.atomic import read_json
from ..storage.errors import StorageError
from ..storage.workspace import META, Workspace

REASON_MAX = 500


@dataclass
class AuditReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _seq(record: dict[str, Any]) -> str:
    seq = record.get("seq")
    return str(seq) if isinstance(seq, int) else "?"


def _files(record: dict[str, Any]) -> dict[str, Any]:
    found = record.get("files")
    return found if isinstance(found, dict) else {}


def _log_stamp(ws: Workspace) -> tuple[int, int] | None:
    try:
        st = os.lstat(ws.audit_path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def audit_report(ws: Workspace) -> AuditReport:
    """Check runs without the lock, beside live saves: a save that lands between reading the
    log and hashing the files would look like an unlogged change, so when the log grew
    meanwhile the report is made again (a few times at most)."""
    for _attempt in range(3):
        stamp = _log_stamp(ws)
        report = _report(ws)
        if not report.problems or _log_stamp(ws) == stamp:
            break
    return report


def _report(ws: Workspace) -> AuditReport:
    report = AuditReport()
    try:
        for p in audit.verify(ws.audit_path, ws.audit_anchor_path):
            report.problems.append(f"audit.log, line {p.line}: {p.message}")
        records = audit.read(ws.audit_path)
    except FacilitateError as exc:
        report.problems.append(str(exc))
        return report
    last: dict[str, tuple[str | None, str]] = {}  # file -> (hash, entry) the last entry left
    seen: dict[str, dict[str, str]] = {}  # file -> {hash: entry that wrote it}
    between: list[tuple[int, str]] = []  # (line, problem) edits found between two saves
    accepted = 0
    mentioned: set[str] = set()  # meeting files any entry names (hashed or not)
    for n, record in enumerate(records, start=1):
        op, seq = record.get("op"), _seq(record)
        for key in ("meeting", "id"):
            if isinstance(record.get(key), str):
                mentioned.add(f"meetings/{record[key]}.json")
        mentioned.update(str(name) for name in _files(record))
        if op == ledger.INTENT:
            for name, hashes in _files(record).items():
                before = hashes.get("before") if isinstance(hashes, dict) else None
                if name in last and last[name][0] != before:
                    between.append(
                        (
                            n,
                            f"{name}: changed outside facilitate between entry {last[name][1]} "
                            f"(the last that agrees) and entry {seq}, whose save started from "
                            "a different file",
                        )
                    )
        elif op in (ledger.DONE, ledger.TAMPER):
            if op == ledger.TAMPER:
                accepted = n
                last = {}
            for name, digest in _files(record).items():
                value = digest if isinstance(digest, str) else None
                last[name] = (value, seq)
                if value is not None:
                    seen.setdefault(name, {})[value] = seq
    report.problems += [text for line, text in between if line > accepted]
    pending = records[-1] if records and records[-1].get("op") == ledger.INTENT else None
    if pending is not None:
        report.notes.append(
            f"audit.log, line {len(records)}: a save is in progress or was interrupted; "
            "facilitate finishes it (or records what was not written) the next time it opens "
            "this workspace."
        )
    _compare_files(ws, last, seen, pending, report, mentioned)
    return report


def _compare_files(
    ws: Workspace,
    last: dict[str, tuple[str | None, str]],
    seen: dict[str, dict[str, str]],
    pending: dict[str, Any] | None,
    report: AuditReport,
    mentioned: set[str],
) -> None:
    on_disk = {ledger.rel_name(ws.root, p) for p in ledger.data_files(ws)}
    records_exist = bool(mentioned)
    in_flight = _files(pending) if pending else {}
    uncovered: list[str] = []
    for name in sorted(on_disk | set(last)):
        path = ws.root / name
        try:
            current = ledger.file_sha(path)
        except (StorageError, OSError):
            continue  # unreadable or not a regular file: reported by the permission scan
        flight = in_flight.get(name)
        if isinstance(flight, dict) and current == flight.get("after"):
            continue  # written by the save in progress
        if name not in last:
            if current is not None:
                if _marked(path):
                    report.problems.append(
                        f"{name}: written under the audit trail, but no log entry covers it "
                        "(were the log's entries removed?)"
                    )
                elif name not in mentioned and name != "collaborative.json" and records_exist:
                    report.problems.append(
                        f"{name}: no log entry has ever named this meeting (a planted file?)"
                    )
                else:
                    uncovered.append(name)
            continue
        digest, seq = last[name]
        if current == digest:
            continue
        if current is None:
            report.problems.append(
                f"{name}: deleted; entry {seq} wrote it last (restore it from backups/)"
            )
        elif digest is None:
            report.problems.append(f"{name}: appeared after entry {seq} recorded it as missing")
        elif current in seen.get(name, {}):
            report.problems.append(
                f"{name}: an older copy: it matches entry {seen[name][current]}, but entry "
                f"{seq} wrote it last (a restored backup?)"
            )
        else:
            report.problems.append(
                f"{name}: changed outside facilitate (a direct edit?) since entry {seq}, the "
                "last entry that wrote it"
            )
    if uncovered:
        shown = ", ".join(uncovered[:5]) + (" ..." if len(uncovered) > 5 else "")
        report.notes.append(
            f"{len(uncovered)} file(s) not yet covered by the audit trail (written before it "
            f"recorded file hashes; each is covered from its next save): {shown}"
        )


def _marked(path: Path) -> bool:
    try:
        data = read_json(path)
    except (FacilitateError, OSError):
        return False
    meta = (data or {}).get(META, {})
    first = meta.get("1") if isinstance(meta, dict) else None
    return isinstance(first, dict) and first.get("audited") is True


def accept_tamper(root: os.PathLike[str], reason: str) -> str:
    """Record, signed with the OS user, that what check found is known and accepted (with
    ``reason``); the files as they are become the new baseline. Returns what to print."""
    reason = " ".join(clean_text(reason).split())
    if not reason:
        raise StorageError(
            'Say why you accept it: facilitate check --accept-tamper "restored from backup '
            'after the disk failure"'
        )
    if len(reason) > REASON_MAX:
        raise StorageError(f"The reason is too long ({len(reason)} characters; at most 500).")
    ws = Workspace.open(Path(root))
    with ws.lock.hold():
        found = audit_report(ws).problems
        if not found:
            raise StorageError("Nothing to accept: the audit log and the data files agree.")
        seq = ledger.accept_tamper(ws, reason, found, pendulum.now("UTC").isoformat())
    return (
        f"Recorded entry {seq} in audit.log, signed by {audit.os_user()}: {len(found)} "
        f"finding(s) accepted ({reason}). Work can continue."
    )
