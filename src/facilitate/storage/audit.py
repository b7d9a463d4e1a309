"""An append-only, hash-chained audit trail: who changed what, and when.

Each line is a JSON object carrying the SHA-256 of the previous line, so an edited or removed
line breaks the chain and ``verify`` reports where.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import open_private, refuse_symlink
from .errors import DiskWriteError

GENESIS = "0" * 64


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return str(os.getuid())


def _line_hash(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def _last_line(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            block = min(size, 65536)
            fh.seek(size - block)
            tail = fh.read().decode("utf-8", errors="replace").rstrip("\n")
    except FileNotFoundError:
        return None
    if not tail:
        return None
    return tail.rsplit("\n", 1)[-1]


def append(path: Path, entries: list[dict[str, Any]], at: str, mode: int = 0o600) -> None:
    """Append entries (op, kind, id, meeting, summary) with user, time and chain hashes."""
    if not entries:
        return
    refuse_symlink(path)
    last = _last_line(path)
    prev = _line_hash(last) if last else GENESIS
    seq = 0
    if last:
        try:
            seq = int(json.loads(last).get("seq", 0))
        except (ValueError, AttributeError):
            seq = 0
    user = os_user()
    lines = []
    for entry in entries:
        seq += 1
        record = {"seq": seq, "at": at, "user": user, **entry, "prev": prev}
        line = json.dumps(record, ensure_ascii=False, sort_keys=True)
        lines.append(line)
        prev = _line_hash(line)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    try:
        fd = open_private(path, os.O_WRONLY | os.O_APPEND, mode)
    except OSError as exc:
        raise DiskWriteError(path, exc) from exc
    try:
        start = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError as exc:
            # A full disk can leave half a line: cut it off so the chain stays readable.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, start)
            raise DiskWriteError(path, exc) from exc
    finally:
        os.close(fd)


@dataclass
class AuditProblem:
    line: int
    message: str


def read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    out = []
    for raw in path.read_text("utf-8", errors="replace").splitlines():
        try:
            out.append(json.loads(raw))
        except ValueError:
            out.append({"seq": None, "op": "?", "summary": raw[:80]})
    return out


def verify(path: Path) -> list[AuditProblem]:
    """Check the chain: every line's ``prev`` is the hash of the line before, seq counts up."""
    if not path.exists():
        return []
    problems = []
    prev = GENESIS
    expected_seq = 1
    for n, raw in enumerate(path.read_text("utf-8", errors="replace").splitlines(), start=1):
        try:
            record = json.loads(raw)
        except ValueError:
            problems.append(AuditProblem(n, "line is not valid JSON (edited by hand?)"))
            prev = _line_hash(raw)
            continue
        if record.get("prev") != prev:
            problems.append(
                AuditProblem(n, "chain broken: the line before it was edited or removed")
            )
        if record.get("seq") != expected_seq:
            problems.append(
                AuditProblem(n, f"sequence jumps to {record.get('seq')} (expected {expected_seq})")
            )
        expected_seq = (record.get("seq") or expected_seq) + 1
        prev = _line_hash(raw)
    return problems
