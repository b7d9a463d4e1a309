"""The audit link: a change and its audit entry are committed together.

Every save runs, under the workspace lock:

1. **check the log's end** against ``audit.anchor``. A log cut short, edited at its end, left
   with a half-written line, or whose anchor was removed or edited is refused
   (``AuditLogMismatchError``): appending would cover it up. ``check --accept-tamper`` records
   what was found and lets work continue.
2. **intent**: one line naming the transaction, the sha256 of every file it will write, before
   and after, and the record changes. Fsynced. A failure here changes nothing.
3. **data**: each file replaced atomically.
4. **done**: the record changes (what ``facilitate log`` shows) and a line with the sha256 of
   every file written; then the anchor moves to it.

A save killed between 2 and 4 leaves an intent without its done. The next writer (on open, or
before its own save, always under the lock) finishes it: a file whose content is the intent's
"after" was written, any other was not, and the done line says exactly which (``recovered``).
So data and log always agree, and a retry never duplicates what was saved.

``facilitate check`` replays the log: each file must match the last entry that wrote it, and
each save must have started from what the entry before it left. A direct edit, a restored
older copy, a deleted file or an unlogged change is reported with the entry that agrees.

Fault injection (test-only): ``FACILITATE_FAULT=STEP`` makes the process SIGKILL itself at that
step of a save; see ``STEPS``. Nothing sets it outside the fault tests.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import audit
from .atomic import open_regular_nofollow, read_bytes_nofollow
from .errors import (
    AuditLogMismatchError,
    DiskWriteError,
    LogIncompleteError,
    PartialSaveError,
    StorageError,
    WorkspacePermissionError,
)
from .faults import fault
from .portable import O_BINARY, O_CLOEXEC, O_NOFOLLOW, pread, user_id

if TYPE_CHECKING:
    from .paths import WorkspacePaths

INTENT = "intent"
DONE = "done"
TAMPER = audit.TAMPER
# The steps of a save where FACILITATE_FAULT can kill the process (test-only).
STEPS = (
    "after-intent",  # intent logged, no data written
    "after-first-write",  # the first data file replaced
    "after-writes",  # every data file replaced, done not logged
    "after-done",  # done logged, anchor not moved
    "after-anchor",  # all finished
    "recover-after-done",  # a pending intent finished by the next writer, anchor not moved
)


def sha256(data: bytes) -> str:
    import hashlib  # on the first save, not at start-up (it loads OpenSSL)

    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path) -> str | None:
    """The sha256 of a data file as it is on disk; None when it does not exist."""
    data = read_bytes_nofollow(path)
    return None if data is None else sha256(data)


def rel_name(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def change_file(change: dict[str, Any]) -> str:
    """The data file a record change belongs to."""
    meeting = change.get("meeting")
    if change.get("file"):
        return str(change["file"])
    return f"meetings/{meeting}.json" if meeting else "collaborative.json"


# --- the log's end ---------------------------------------------------------------------------


@dataclass
class LogEnd:
    problem: str | None = None
    last: dict[str, Any] | None = None  # the last line, parsed (None: empty or not JSON)
    last_seq: int = 0
    anchor_seq: int | None = None


def _tail_lines(path: Path, *, whole: bool) -> tuple[list[str], bool]:
    """Complete lines at the end of the log (all of them with ``whole``), and whether the log
    ends with a newline."""
    fd = open_regular_nofollow(path)
    if fd is None:
        return [], True
    try:
        size = os.fstat(fd).st_size
        start = 0 if whole else max(0, size - audit.TAIL_BLOCK)
        raw = pread(fd, size - start, start)
    finally:
        os.close(fd)
    ends_whole = not raw or raw.endswith(b"\n")
    lines = raw.decode("utf-8", errors="replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if start > 0 and lines:
        lines.pop(0)  # may start mid-line
    return lines, ends_whole


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def log_end(log: Path, anchor: Path) -> LogEnd:
    """Does the log end where the anchor says (or later, with lines that chain on from it)?"""
    lines, ends_whole = _tail_lines(log, whole=False)
    end = LogEnd()
    if lines:
        end.last = _parse(lines[-1])
        seq = (end.last or {}).get("seq")
        end.last_seq = seq if isinstance(seq, int) and not isinstance(seq, bool) else 0
    if not ends_whole:
        end.problem = "its last line is half-written"
        return end
    data = audit.read_anchor(anchor)
    if data is None:
        if end.last is not None and end.last.get("anchored") is True:
            end.problem = f"{anchor.name} was removed"
        elif lines and end.last is None:
            end.problem = "its last line is not a valid entry"
        return end
    seq, digest = data.get("seq"), data.get("hash")
    if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(digest, str):
        end.problem = f"{anchor.name} is damaged"
        return end
    end.anchor_seq = seq
    if seq == 0:
        return end
    if not lines:
        end.problem = f"the log is empty or missing, but {anchor.name} says it had {seq} entries"
        return end
    if end.last_seq < seq:  # (cut: no need to walk the lines)
        end.problem = f"it ends at entry {end.last_seq}, but {anchor.name} says entry {seq}"
        return end
    found = _find_anchored(lines, seq, digest)
    if found is None and _first_seq(lines) > seq:
        found = _find_anchored(_tail_lines(log, whole=True)[0], seq, digest)
    if found is not None:
        end.problem = found or None
        return end
    end.problem = f"it ends at entry {end.last_seq}, but {anchor.name} says entry {seq}"
    return end


def _first_seq(lines: list[str]) -> int:
    first = _parse(lines[0]) or {}
    seq = first.get("seq")
    return seq if isinstance(seq, int) else 0


def _find_anchored(lines: list[str], seq: int, digest: str) -> str | None:
    """Walk back from the end to the anchored line. "" when found and every later line
    chains on from it; a problem when it was edited or the chain after it is broken; None when
    it is not among ``lines``."""
    after: str | None = None
    for raw in reversed(lines):
        record = _parse(raw)
        if record is None:
            return "a line after the last anchored entry is not a valid entry"
        if after is not None and (_parse(after) or {}).get("prev") != audit.line_hash(raw):
            return "the entries after the last anchored one do not chain"
        if record.get("seq") == seq:
            if audit.line_hash(raw) != digest:
                return f"entry {seq} was edited after it was written"
            return ""
        after = raw
    return None


# --- a save -------------------------------------------------------------------------------


@dataclass
class Save:
    """What one commit writes."""

    writes: list[tuple[Path, bytes]]
    changes: list[dict[str, Any]]
    at: str
    on_written: Callable[[Path, tuple[int, int, int]], None] = field(default=lambda p, k: None)


def commit(ws: WorkspacePaths, save: Save) -> None:
    """Write ``save`` with its audit entries (see the module docstring). Call under the lock."""
    log, anchor, mode = ws.audit_path, ws.audit_anchor_path, ws.file_mode
    end = log_end(log, anchor)
    if end.problem:
        raise AuditLogMismatchError(end.problem)
    finish_pending(ws, end, save.at)
    files = {
        rel_name(ws.root, path): {"before": file_sha(path), "after": sha256(data)}
        for path, data in save.writes
    }
    tx = os.urandom(8).hex()
    intent = {"op": INTENT, "tx": tx, "files": files, "changes": save.changes}
    size = _size(log)
    audit.append(log, [intent], save.at, mode, anchored=True)  # a failure: nothing changed
    fault("after-intent")
    written: dict[str, str] = {}
    for path, data in save.writes:
        name = rel_name(ws.root, path)
        try:
            key = ws.write_file(path, data)
        except (DiskWriteError, WorkspacePermissionError) as exc:
            if not written and _take_back(log, size):
                raise  # the intent is gone again: truly nothing changed
            _finish(ws, tx, save.changes, written, save.at, not_written=[name])
            if written:
                raise PartialSaveError(sorted(written), name, _reason(exc)) from exc
            raise
        written[name] = sha256(data)
        save.on_written(path, key)
        if len(written) == 1:
            fault("after-first-write")
    fault("after-writes")
    try:
        _finish(ws, tx, save.changes, written, save.at)
    except (DiskWriteError, WorkspacePermissionError, AuditLogMismatchError) as exc:
        raise LogIncompleteError(sorted(written), _reason(exc)) from exc


def _reason(exc: Exception) -> str:
    if isinstance(exc, DiskWriteError):
        return exc.reason
    cause = exc.__cause__
    if isinstance(cause, OSError):
        return cause.strerror or str(cause)
    return str(exc)


def _size(path: Path) -> int:
    try:
        return os.lstat(path).st_size
    except FileNotFoundError:
        return 0


def _take_back(log: Path, size: int) -> bool:
    """Cut the intent just appended (no data was written): the log is as it was."""
    try:
        fd = os.open(log, os.O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_BINARY)
    except OSError:
        return False
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _finish(
    ws: WorkspacePaths,
    tx: str,
    changes: list[dict[str, Any]],
    written: dict[str, str],
    at: str,
    *,
    not_written: list[str] | None = None,
    recovered: bool = False,
) -> None:
    lines = [{**c, "tx": tx} for c in changes if change_file(c) in written]
    done: dict[str, Any] = {"op": DONE, "tx": tx, "files": written}
    if not_written:
        done["not_written"] = sorted(not_written)
    if recovered:
        done["recovered"] = True
        for line in lines:
            line["recovered"] = True
    audit.append(
        ws.audit_path,
        [*lines, done],
        at,
        ws.file_mode,
        anchor=ws.audit_anchor_path,
        anchored=True,
        fault_step="recover-after-done" if recovered else "after-done",
    )
    if not recovered:
        fault("after-anchor")


def finish_pending(ws: WorkspacePaths, end: LogEnd, at: str) -> bool:
    """Finish a save that was interrupted after its intent (under the lock). True if one was."""
    last = end.last
    if last is None or last.get("op") != INTENT:
        if end.anchor_seq is not None and end.last_seq > end.anchor_seq:
            # Done was logged but the anchor not moved: move it.
            with contextlib.suppress(DiskWriteError, WorkspacePermissionError, OSError):
                _reanchor(ws, at)
        return False
    found = last.get("files")
    files: dict[str, Any] = found if isinstance(found, dict) else {}
    written: dict[str, str] = {}
    not_written: list[str] = []
    for name, hashes in sorted(files.items()):
        after = hashes.get("after") if isinstance(hashes, dict) else None
        if after is not None and _inside(name) and file_sha(ws.root / name) == after:
            written[name] = after
        else:
            not_written.append(name)
    listed = last.get("changes")
    changes: list[Any] = listed if isinstance(listed, list) else []
    _finish(
        ws,
        str(last.get("tx", "")),
        [c for c in changes if isinstance(c, dict)],
        written,
        at,
        not_written=not_written,
        recovered=True,
    )
    return True


def _inside(name: str) -> bool:
    """A name from the log that stays inside the workspace (never /etc/... or ../...)."""
    return not Path(name).is_absolute() and ".." not in Path(name).parts


def _reanchor(ws: WorkspacePaths, at: str) -> None:
    found = audit.current_anchor(ws.audit_path)
    if found is not None:
        audit.write_anchor(ws.audit_anchor_path, found[0], found[1], at, ws.file_mode)


def recover(ws: WorkspacePaths, at: str) -> None:
    """On open, under the lock: finish an interrupted save when the log's end is sound (when
    it is not, the next save is refused and ``check`` says why)."""
    with contextlib.suppress(StorageError, OSError):
        end = log_end(ws.audit_path, ws.audit_anchor_path)
        if not end.problem:
            finish_pending(ws, end, at)


def data_files(ws: WorkspacePaths) -> list[Path]:
    return [ws.collaborative_path, *ws.meeting_files()]


def accept_tamper(ws: WorkspacePaths, reason: str, found: list[str], at: str) -> int:
    """Record, under the lock, that the user accepts the state found (signed with the OS
    user): the files' current hashes become the new baseline. Returns the entry's number."""
    files = {rel_name(ws.root, p): file_sha(p) for p in data_files(ws)}
    entry = {
        "op": TAMPER,
        "reason": reason,
        "found": [line[:300] for line in found[:100]],
        "found_count": len(found),
        "files": files,
        "uid": user_id(),  # (None on Windows)
    }
    return audit.append(
        ws.audit_path,
        [entry],
        at,
        ws.file_mode,
        anchor=ws.audit_anchor_path,
        anchored=True,
        terminate_partial=True,
    )
