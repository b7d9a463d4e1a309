"""A summary of every meeting file, so the home screen need not parse ten years of meetings.

``.index.json`` in the workspace holds, per meeting file, its meeting record, its open
action items as stored and the ids of those raised under a confidential agenda item (so the
home screen can withhold them without reading the agenda), keyed by the file's (mtime, size,
inode). (Closed actions, most of
ten years' worth, are left out: the index stays small to read and to keep in memory.) It is
derived data: an entry is used only while its key still matches the file, anything unreadable
or from another version is ignored and rebuilt, and losing it loses nothing. It is written
without fsync (a power cut can only cost a rebuild), never through a link, with the
workspace's file mode, and only by instances that ask for it (the TUI and ``facilitate
report``): read-only views and the other CLI commands use it without writing.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from .atomic import atomic_write_bytes, read_bytes_nofollow

INDEX_NAME = ".index.json"
INDEX_VERSION = 3  # 3: "withheld" (open actions raised under a confidential item)
OPEN = "open"  # ActionStatus.OPEN's stored value

FileKey = tuple[int, int, int]


def file_key(path: Path) -> FileKey | None:
    """(mtime_ns, size, inode) of a file, or None if it is gone. Taken before reading it, so a
    change during the read leaves a key that no longer matches (never the reverse)."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class Entry:
    __slots__ = ("key", "meeting", "open_actions", "withheld")

    def __init__(
        self,
        key: FileKey,
        meeting: dict[str, Any] | None,
        open_actions: list[Any],
        withheld: list[str],
    ) -> None:
        self.key = key
        self.meeting = meeting
        self.open_actions = open_actions
        self.withheld = withheld  # ids of the open actions raised under a confidential item

    def as_json(self) -> dict[str, Any]:
        return {
            "key": list(self.key),
            "meeting": self.meeting,
            "open_actions": self.open_actions,
            "withheld": self.withheld,
        }


def _entry(raw: Any) -> Entry | None:
    if not isinstance(raw, dict):
        return None
    key, meeting, actions = raw.get("key"), raw.get("meeting"), raw.get("open_actions")
    withheld = raw.get("withheld")
    if not (
        isinstance(key, list)
        and len(key) == 3
        and all(type(k) is int for k in key)
        and (meeting is None or isinstance(meeting, dict))
        and isinstance(actions, list)
        and all(isinstance(a, dict) and a.get("status") == OPEN for a in actions)
        and isinstance(withheld, list)
        and all(isinstance(w, str) for w in withheld)
    ):
        return None
    return Entry((key[0], key[1], key[2]), meeting, actions, withheld)


def load(path: Path, schema_version: int) -> dict[str, Entry]:
    """The stored entries; an empty index for anything missing, damaged or out of date."""
    try:
        raw = read_bytes_nofollow(path)
        data = json.loads(raw) if raw else None
    except Exception:  # unreadable, a link, not JSON: rebuilt from the meeting files
        return {}
    if (
        not isinstance(data, dict)
        or data.get("version") != INDEX_VERSION
        or data.get("schema_version") != schema_version
        or not isinstance(data.get("files"), dict)
    ):
        return {}
    out: dict[str, Entry] = {}
    for meeting_id, raw_entry in data["files"].items():
        entry = _entry(raw_entry)
        if entry is not None and isinstance(meeting_id, str):
            out[meeting_id] = entry
    return out


def save(path: Path, entries: dict[str, Entry], schema_version: int, mode: int) -> bool:
    """Write the index (best effort: a failure only means the next start parses the files)."""
    body = {
        "version": INDEX_VERSION,
        "schema_version": schema_version,
        "files": {mid: entry.as_json() for mid, entry in sorted(entries.items())},
    }
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with contextlib.suppress(Exception):
        atomic_write_bytes(path, data, mode, durable=False)
        return True
    return False
