"""`facilitate backups` and `facilitate restore BACKUP [NEW_FOLDER]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .cli_common import EXIT_OK, EXIT_PROBLEM, data_dir
from .console import echo
from .domain.common import counted


def register(sub: Any) -> None:
    p = sub.add_parser("backups", help="list the workspace's backups: time, folder, size, files")
    p.set_defaults(func=cmd_backups)
    p = sub.add_parser(
        "restore",
        help="restore a backup into a NEW folder (never overwrites anything)",
        description=(
            "Copy one backup (a folder name from 'facilitate backups') into a new folder as a "
            "workspace of its own, then check it. The workspace it came from is not changed; "
            "open the restored one with --data NEW_FOLDER, or copy the files you need back."
        ),
    )
    p.add_argument("backup", metavar="BACKUP", help="a folder name from 'facilitate backups'")
    p.add_argument(
        "target",
        metavar="NEW_FOLDER",
        nargs="?",
        help="where to restore it; must not exist (default: <workspace>-restored-<BACKUP>)",
    )
    p.set_defaults(func=cmd_restore)


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1000:.1f} kB"
    return f"{n / 1_000_000:.1f} MB"


def _open(args: argparse.Namespace) -> Any:
    """The workspace, read-only. One whose collaborative.json is missing is exactly the one
    whose backups are needed: its folder is used as it is."""
    from .storage.errors import DamagedWorkspaceError
    from .storage.workspace import Workspace

    root = data_dir(args)
    try:
        return Workspace.open(root, read_only=True)
    except DamagedWorkspaceError:
        from .services.check import _unopened

        return _unopened(root)


def cmd_backups(args: argparse.Namespace) -> int:
    from .storage.backups import backups

    ws = _open(args)
    found = backups(ws)
    if not found:
        echo(f"No backups yet in {ws.backups_dir} (one is taken each time the app opens).")
        return EXIT_OK
    for b in found:
        when = b.taken.format("YYYY-MM-DD HH:mm:ss") + " UTC" if b.taken else "(time unknown)"
        kind = {"rotating": "", "pre-migration": "  before an upgrade"}.get(
            b.kind, "  no manifest (incomplete, or from an older facilitate)"
        )
        echo(f"{when}  {b.name}  {_size(b.size)}  {counted(len(b.files), 'file')}{kind}")
    echo(f"{counted(len(found), 'backup')} in {ws.backups_dir}; restore one with "
          "'facilitate restore BACKUP [NEW_FOLDER]'.")  # fmt: skip
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from .services.check import check_workspace
    from .storage.backups import default_target, find_backup, restore

    ws = _open(args)
    backup = find_backup(ws, args.backup)
    target = Path(args.target).expanduser() if args.target else default_target(ws, backup)
    names = restore(ws, backup, target)
    meetings = len(names) - 1
    echo(
        f"Restored backup {backup.name} (collaborative.json and "
        f"{counted(meetings, 'meeting file')}) into {target}. The workspace at {ws.root} was not "
        f"changed; open the copy with: facilitate --data '{target}'"
    )
    problems = check_workspace(target)
    for problem in problems:
        echo(problem)
    if problems:
        echo(f"The restored copy has {counted(len(problems), 'problem')} (above).")
        return EXIT_PROBLEM
    echo("Restored copy checked: OK.")
    return EXIT_OK
