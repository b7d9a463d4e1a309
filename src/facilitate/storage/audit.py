"""An append-only, hash-chained audit trail: who changed what, and when.

Each line is a JSON object carrying the SHA-256 of the previous line, so an edited or removed
line breaks the chain and ``verify`` reports where.

The chain alone cannot show that the LAST lines were cut off, so every append also rewrites an
anchor (``audit.anchor``: the sequence number and hash of the last line). ``verify`` checks that
the anchored line is still there, unchanged. Lines after the anchored one are accepted: a writer
killed between appending and anchoring leaves exactly that, and an appended line is no threat.

Limit: this is tamper-evident, not tamper-proof. Someone who can write the workspace can rewrite
the whole log, recompute every hash and the anchor. To make that visible too, keep the anchor
somewhere else as well: ``facilitate log --anchor`` prints it (put it in the minutes or an email
to the partner agencies) and a later log must still contain that exact line.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import (
    atomic_write_bytes,
    open_private,
    open_regular_nofollow,
    read_bytes_nofollow,
)
from .errors import (
    AccessDeniedError,
    AuditLogMismatchError,
    DiskWriteError,
    WorkspacePermissionError,
)
from .faults import fault
from .portable import O_BINARY, O_CLOEXEC, O_NOFOLLOW, O_NONBLOCK, login_name, pread

GENESIS = "0" * 64
TAMPER = "tamper"  # an entry recording tampering a user found and accepted, with a reason
TAIL_BLOCK = 65536


def os_user() -> str:
    return login_name()


def line_hash(line: str) -> str:
    import hashlib  # on the first save, not at start-up (it loads OpenSSL)

    return hashlib.sha256(line.encode("utf-8")).hexdigest()


_line_hash = line_hash  # kept for callers of the old private name


def _last_line_in(fd: int) -> str | None:
    size = os.fstat(fd).st_size
    block = min(size, TAIL_BLOCK)
    tail = pread(fd, block, size - block).decode("utf-8", errors="replace").rstrip("\n")
    if not tail:
        return None
    return tail.rsplit("\n", 1)[-1]


def _ends_whole(fd: int) -> bool:
    """True when the log is empty or ends with a newline (its last line is complete)."""
    size = os.fstat(fd).st_size
    return size == 0 or pread(fd, 1, size - 1) == b"\n"


def _last_seq_in(fd: int) -> int:
    """The sequence number of the last line that has one (a damaged line has none)."""
    size = os.fstat(fd).st_size
    block = min(size, TAIL_BLOCK)
    tail = pread(fd, block, size - block).decode("utf-8", errors="replace")
    for raw in reversed(tail.splitlines()):
        try:
            seq = json.loads(raw).get("seq")
        except (ValueError, AttributeError):
            continue
        if isinstance(seq, int) and not isinstance(seq, bool):
            return seq
    return 0


def _lines(path: Path) -> list[str]:
    try:
        raw = read_bytes_nofollow(path)
    except PermissionError as exc:
        raise AccessDeniedError(path) from exc
    if raw is None:
        return []
    return raw.decode("utf-8", errors="replace").splitlines()


def append(
    path: Path,
    entries: list[dict[str, Any]],
    at: str,
    mode: int = 0o600,
    *,
    anchor: Path | None = None,
    anchored: bool | None = None,
    terminate_partial: bool = False,
    fault_step: str = "",
) -> int:
    """Append entries (op, kind, id, meeting, summary) with user, time and chain hashes.
    Returns the sequence number of the last line written.

    The log is opened once (never through a link, never a second name for another file), its
    last line read from that same handle, and the new lines written with one write.

    A log whose last line is half-written (no newline at its end) is refused: a new line is
    never merged into it. ``terminate_partial`` (used only when the user accepts the state
    found, ``check --accept-tamper``) ends that line first, so it stays a line of its own.
    ``anchored`` marks the lines as written by a version that keeps an anchor (default: when
    ``anchor`` is given; an intent line is anchored by the line that completes it).
    """
    if not entries:
        return 0
    if anchored is None:
        anchored = anchor is not None
    try:
        fd = open_private(path, os.O_RDWR | os.O_APPEND, mode)
    except WorkspacePermissionError:
        raise
    except OSError as exc:
        raise DiskWriteError(path, exc) from exc
    try:
        if os.fstat(fd).st_nlink != 1:
            raise WorkspacePermissionError(
                f"{path} has another name (a hard link) elsewhere; facilitate will not append "
                f"to it. Replace it with a copy: cp '{path}' '{path}.new' && mv '{path}.new' "
                f"'{path}'"
            )
        lead = ""
        if not _ends_whole(fd):
            if not terminate_partial:
                raise AuditLogMismatchError(
                    "its last line is half-written; a new entry is never merged into it"
                )
            lead = "\n"
        last = _last_line_in(fd)
        prev = line_hash(last) if last else GENESIS
        seq = _last_seq_in(fd) if last else 0
        user = os_user()
        lines = []
        for entry in entries:
            seq += 1
            record = {"seq": seq, "at": at, "user": user, **entry, "prev": prev}
            if anchored:
                # Written by a version that anchors: from here on a missing anchor is a problem.
                record["anchored"] = True
            line = json.dumps(record, ensure_ascii=False, sort_keys=True)
            lines.append(line)
            prev = line_hash(line)
        data = (lead + "\n".join(lines) + "\n").encode("utf-8")
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
    fault(fault_step)
    if anchor is not None:
        # Best effort: the change itself is saved and logged. A stale anchor only means the
        # last lines are checked from an earlier point; `check` still verifies the chain.
        with contextlib.suppress(DiskWriteError, WorkspacePermissionError, OSError):
            write_anchor(anchor, seq, prev, at, mode)
    return seq


def write_anchor(anchor: Path, seq: int, digest: str, at: str, mode: int = 0o600) -> None:
    body = json.dumps({"seq": seq, "hash": digest, "at": at}, sort_keys=True) + "\n"
    # Its content is fsynced, its rename is not: a power cut can only bring back the previous
    # anchor, which verify accepts (lines after the anchored one are allowed). One fsync less
    # on every save.
    atomic_write_bytes(anchor, body.encode("utf-8"), mode, sync_dir=False)


def read_anchor(anchor: Path) -> dict[str, Any] | None:
    raw = read_bytes_nofollow(anchor)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def current_anchor(path: Path) -> tuple[int, str] | None:
    """(seq, hash) of the log's last line: what to keep elsewhere to detect a rewrite."""
    lines = _lines(path)
    if not lines:
        return None
    try:
        seq = int(json.loads(lines[-1]).get("seq"))
    except (ValueError, AttributeError, TypeError):
        seq = len(lines)
    return seq, line_hash(lines[-1])


CHANGE_VALUE_LIMIT = 500  # characters of an old or new value kept in the log
WITHHELD = "(confidential)"


def _loggable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(getattr(value, "value", value))  # (an enum by its stored value)
    if len(text) > CHANGE_VALUE_LIMIT:
        text = text[: CHANGE_VALUE_LIMIT - 1] + "…"
    return text


def changed_values(
    changes: dict[str, tuple[Any, Any]], *, withhold: bool
) -> dict[str, dict[str, Any]]:
    """{field: {"old": ..., "new": ...}} for a log entry. ``withhold`` (a confidential record):
    the fields are named, their values are not."""
    out: dict[str, dict[str, Any]] = {}
    for name, (old, new) in changes.items():
        if withhold:
            out[name] = {"old": WITHHELD, "new": WITHHELD}
        else:
            out[name] = {"old": _loggable(old), "new": _loggable(new)}
    return out


@dataclass
class AuditProblem:
    line: int
    message: str


def read(path: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for raw in _lines(path):
        try:
            record = json.loads(raw)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            record = {"seq": None, "op": "?", "summary": raw[:80]}
        out.append(record)
    return out


def verify(path: Path, anchor: Path | None = None) -> list[AuditProblem]:
    """Check the chain: every line's ``prev`` is the hash of the line before, seq counts up.

    With ``anchor``, also check that the anchored (last known) line is still present and
    unchanged, so a removed or edited last line is reported too.
    """
    lines = _lines(path)
    problems = []
    accepted = 0  # the last line that records an accepted tamper (check --accept-tamper)
    prev = GENESIS
    expected_seq = 1
    hashes_by_seq: dict[int, str] = {}
    anchored = False
    for n, raw in enumerate(lines, start=1):
        try:
            record = json.loads(raw)
            if not isinstance(record, dict):
                raise ValueError("not an object")
        except ValueError:
            problems.append(AuditProblem(n, "line is not valid JSON (edited by hand?)"))
            prev = line_hash(raw)
            continue
        if record.get("prev") != prev:
            problems.append(
                AuditProblem(n, "chain broken: the line before it was edited or removed")
            )
        anchored = anchored or record.get("anchored") is True
        if record.get("op") == TAMPER:
            accepted = n
        seq = record.get("seq")
        if seq != expected_seq:
            problems.append(AuditProblem(n, f"sequence jumps to {seq} (expected {expected_seq})"))
        if isinstance(seq, int) and not isinstance(seq, bool):
            hashes_by_seq[seq] = line_hash(raw)
            expected_seq = seq + 1
        else:
            expected_seq += 1
        prev = line_hash(raw)
    # What a user accepted, with a reason, in a tamper entry is recorded there, not repeated.
    problems = [p for p in problems if p.line > accepted]
    if lines and not _whole(path):
        problems.append(
            AuditProblem(len(lines), "the last line is half-written (the log ends mid-line)")
        )
    if anchor is not None:
        problems += _check_anchor(anchor, lines, hashes_by_seq, anchored)
    return problems


def _whole(path: Path) -> bool:
    try:
        fd = open_regular_nofollow(path)
    except PermissionError as exc:
        raise AccessDeniedError(path) from exc
    if fd is None:
        return True
    try:
        return _ends_whole(fd)
    finally:
        os.close(fd)


def _check_anchor(
    anchor: Path, lines: list[str], hashes_by_seq: dict[int, str], anchored: bool
) -> list[AuditProblem]:
    last = len(lines)
    try:
        data = read_anchor(anchor)
    except WorkspacePermissionError as exc:
        return [AuditProblem(last, str(exc))]
    if data is None:
        # A log written before anchors existed (older facilitate, generated data) has none;
        # once any line says it was anchored, the anchor must be there.
        if not anchored:
            return []
        return [
            AuditProblem(
                last,
                f"{anchor.name} was removed: the log's end can no longer be checked (was the "
                "last line removed with it?)",
            )
        ]
    seq, digest = data.get("seq"), data.get("hash")
    if not isinstance(seq, int) or not isinstance(digest, str):
        return [AuditProblem(last, f"{anchor.name} is damaged (edited by hand?)")]
    if seq == 0:
        return []
    found = hashes_by_seq.get(seq)
    if found is None:
        gone = seq - max(hashes_by_seq, default=0)
        what = f"the last {gone} line(s)" if gone > 0 else f"line {seq}"
        return [
            AuditProblem(
                last,
                f"{what} of the log were removed: {anchor.name} says it ended at entry {seq}",
            )
        ]
    if found != digest:
        return [
            AuditProblem(
                last,
                f"entry {seq} was edited after it was written (it no longer matches {anchor.name})",
            )
        ]
    return []


def last_change(path: Path, record_id: str, *, block: int = TAIL_BLOCK) -> dict[str, Any] | None:
    """The most recent entry about ``record_id`` among the log's last ``block`` bytes (cheap:
    used to say who saved the other version in a conflict). None if not found there."""
    try:
        fd = os.open(path, os.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_BINARY)
    except OSError:
        return None
    try:
        size = os.fstat(fd).st_size
        start = max(0, size - block)
        text = pread(fd, size - start, start).decode("utf-8", errors="replace")
    except OSError:
        return None
    finally:
        os.close(fd)
    for raw in reversed(text.splitlines()):
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("id") == record_id:
            return record
    return None
