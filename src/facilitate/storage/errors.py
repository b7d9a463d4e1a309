"""Storage errors. Each message names the file or record and says how to fix it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..domain.common import FacilitateError


class StorageError(FacilitateError):
    pass


class CorruptFileError(StorageError):
    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(
            f"{path} is damaged ({detail}). It was left untouched and nothing can be saved "
            "to it until it is repaired: fix the named record by hand, or restore a copy "
            "('facilitate backups' lists them, 'facilitate restore BACKUP' restores one into a "
            "new folder), then run 'facilitate check'."
        )


class SchemaTooNewError(StorageError):
    def __init__(self, path: Path, found: int, known: int) -> None:
        super().__init__(
            f"{path} was written by a newer facilitate (schema {found}; this program knows up "
            f"to {known}). Upgrade facilitate to open it; the file was not changed."
        )


class StaleRecordError(StorageError):
    """Someone else saved this record after you loaded it. Both versions are kept here."""

    def __init__(self, kind: str, record_id: str, mine: Any, theirs: Any) -> None:
        self.kind, self.record_id, self.mine, self.theirs = kind, record_id, mine, theirs
        mine_rev, their_rev = getattr(mine, "rev", "?"), getattr(theirs, "rev", "?")
        super().__init__(
            f"{kind} {record_id} was changed by someone else since you opened it "
            f"(your copy: rev {mine_rev}, saved: rev {their_rev}). "
            "Nothing was overwritten: reload, compare both versions and save again."
        )


class UnknownIdError(StorageError):
    def __init__(self, kind: str, record_id: str) -> None:
        self.kind, self.record_id = kind, record_id
        super().__init__(
            f"No {kind.lower()} with id {record_id!r}. List them with 'facilitate "
            f"{'meetings' if kind == 'Meeting' else 'check'}' to find the right id."
        )


class WorkspacePermissionError(StorageError):
    pass


class WorkspaceMissingError(StorageError):
    pass


class DamagedWorkspaceError(WorkspaceMissingError):
    """Meeting files without the collaborative.json that holds the roster they refer to."""

    def __init__(self, root: Path, meetings: int) -> None:
        self.root = root
        super().__init__(
            f"{root} holds {meetings} meeting file(s) but no collaborative.json: the workspace "
            "is damaged (not new), so nothing was created or changed. Restore collaborative.json "
            f"from a backup: 'facilitate --data {root} backups' lists them and 'facilitate "
            f"--data {root} restore BACKUP' restores one into a new folder, from which you can "
            "copy collaborative.json back."
        )


class DiskWriteError(StorageError):
    def __init__(self, path: Path, exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        self.reason = reason
        hint = (
            "free some disk space"
            if exc.errno in (28, 27, 122)  # ENOSPC, EFBIG, EDQUOT
            else "check the folder's permissions and free space"
        )
        super().__init__(
            f"Could not save {path.name}: {reason}. Nothing was changed on disk; {hint} and "
            "try again. What you typed is still on screen."
        )


class AccessDeniedError(WorkspacePermissionError):
    """The operating system refused access (EACCES): say what to check, not a traceback."""

    def __init__(self, path: object, group: str | None = None) -> None:
        self.path = path
        if group:
            hint = (
                f"It is a workspace shared with group '{group}': your user must be a member "
                f"(see 'id -nG'; an administrator adds you with 'sudo usermod -aG {group} "
                "USER', then log in again)."
            )
        else:
            hint = (
                "Check who owns it and its mode ('ls -ld'); the workspace's owner can run "
                "'facilitate check' to see the commands that fix it."
            )
        super().__init__(f"Permission denied: {path}. {hint}")


ACCEPT_HINT = (
    "Run 'facilitate check' to see what changed; once you know why, record it with "
    'facilitate check --accept-tamper "REASON" and work continues.'
)


class AuditLogMismatchError(StorageError):
    """The audit log's end is not what ``audit.anchor`` recorded: appending would hide it."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            f"Not saved: the audit log does not end where facilitate left it ({detail}). "
            f"Nothing was changed on disk. {ACCEPT_HINT}"
        )


class LogIncompleteError(StorageError):
    """The data was saved but its audit entry could not be completed: it is on disk, and the
    log is completed from the pending entry the next time the workspace is opened."""

    def __init__(self, saved: list[str], reason: str) -> None:
        self.saved = saved
        super().__init__(
            f"Your change WAS saved ({', '.join(saved)}), but audit.log could not record its "
            f"completion: {reason}. Do not enter it again: facilitate completes the log entry "
            "the next time it opens this workspace (free some disk space or fix audit.log's "
            "permissions first)."
        )


class PartialSaveError(StorageError):
    """A save that touched two files wrote the first and failed on the second."""

    def __init__(self, saved: list[str], failed: str, reason: str) -> None:
        self.saved = saved
        super().__init__(
            f"Only part of the change was saved: {', '.join(saved)} was written, {failed} was "
            f"not ({reason}). The audit log records exactly that. Check what is on screen "
            "against 'facilitate check' before entering anything again."
        )
