"""Where a workspace keeps its files, and the modes they get.

A private workspace is 0700/0600; a group-shared one (``init --shared-group``) 2770/0660, with
the group named in collaborative.json. Everything here is stat and path arithmetic: nothing is
parsed (see ``cache``) and nothing is locked (see ``workspace``).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from . import index as meeting_index
from . import migrations
from .atomic import WorkspaceLock, atomic_write_bytes, refuse_symlink
from .errors import UnknownIdError, WorkspacePermissionError
from .portable import SHARED_GROUP_POSIX_ONLY, WINDOWS, PosixOnlyError, group_name, set_mode

META = "_meta"
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$")


def _setgid_group(root: Path) -> str | None:
    """The group of a group-shared (setgid) folder, to name in a permission error."""
    try:
        st = os.stat(root)
    except OSError:
        return None
    if not st.st_mode & stat.S_ISGID:
        return None
    return group_name(st.st_gid)


class WorkspacePaths:
    """The folder, its files' names and the modes they are created with."""

    def __init__(
        self, root: Path, *, shared_group: str | None = None, read_only: bool = False
    ) -> None:
        self.root = root
        self.shared_group = shared_group
        self.read_only = read_only
        self.file_mode = 0o660 if shared_group else 0o600
        self.dir_mode = 0o2770 if shared_group else 0o700
        self.lock = WorkspaceLock(root / ".lock", self.file_mode, group=shared_group)
        self._cache: dict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = {}
        # What this instance last wrote to each file, for its next transaction (see

    # --- paths ---------------------------------------------------------------------------

    @property
    def collaborative_path(self) -> Path:
        return self.root / "collaborative.json"

    @property
    def meetings_dir(self) -> Path:
        return self.root / "meetings"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def audit_path(self) -> Path:
        return self.root / "audit.log"

    @property
    def audit_anchor_path(self) -> Path:
        return self.root / "audit.anchor"

    @property
    def index_path(self) -> Path:
        return self.root / meeting_index.INDEX_NAME

    @property
    def lock_path(self) -> Path:
        return self.root / ".lock"

    def meeting_path(self, meeting_id: str) -> Path:
        if not SAFE_ID.match(meeting_id or ""):
            raise UnknownIdError("Meeting", meeting_id)
        return self.meetings_dir / f"{meeting_id}.json"

    def meeting_files(self) -> list[Path]:
        folder = self.meetings_dir
        try:
            with os.scandir(folder) as entries:
                names = sorted(
                    e.name for e in entries if e.name.endswith(".json") and e.name[0] != "."
                )
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            return []  # as Path.glob did (an unreadable folder is reported by check_permissions)
        return [folder / name for name in names]

    def _meta(self, kind: str) -> dict[str, Any]:
        meta: dict[str, Any] = {"schema_version": migrations.SCHEMA_VERSION, "kind": kind}
        if self.shared_group:
            meta["shared_group"] = self.shared_group
        return meta

    def _ensure_dir(self, path: Path) -> None:
        """Create a workspace folder with exactly ``dir_mode`` (mkdir's mode obeys the umask)."""
        try:
            path.mkdir(mode=self.dir_mode)
        except FileExistsError:
            refuse_symlink(path)
            return
        set_mode(path, self.dir_mode)

    def check_permissions(self) -> list[str]:
        """Refuse a workspace others can read (unless it is group-shared). Returns warnings.

        Not on Windows: its modes are only a read-only flag (every folder shows as 0777), and
        a workspace is private there by its folder's access list (see README)."""
        if WINDOWS:
            if self.shared_group:
                raise PosixOnlyError(SHARED_GROUP_POSIX_ONLY)
            return []
        st = os.stat(self.root)
        if self.shared_group:
            if st.st_mode & 0o007:
                raise WorkspacePermissionError(
                    f"Shared workspace {self.root} is open to all users (mode "
                    f"{stat.S_IMODE(st.st_mode):04o}). Fix it with: chmod -R o-rwx '{self.root}'"
                )
            return []
        if st.st_mode & 0o077:
            raise WorkspacePermissionError(
                f"Workspace {self.root} can be read by other users (mode "
                f"{stat.S_IMODE(st.st_mode):04o}); it holds confidential case notes. Fix it with: "
                f"chmod -R go-rwx '{self.root}'  (or create a group-shared workspace with "
                f"'facilitate init --shared-group GROUP')."
            )
        return []

    def write_file(self, path: Path, data: bytes) -> tuple[int, int, int]:
        """Atomically replace a workspace file; a linked subfolder is refused as well.
        Returns the new file's (mtime_ns, size, inode)."""
        return atomic_write_bytes(path, data, self.file_mode, nofollow_dir=path.parent != self.root)
