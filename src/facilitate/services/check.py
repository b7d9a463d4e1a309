"""`facilitate check`: verify every file and every reference between records.

It only reads (the workspace is opened read-only: no lock, no clean-up, nothing created), so it
is safe to run while a meeting is live. Permission problems come with the command that fixes
them: owners, groups and modes for a private (0700/0600) or group-shared (2770/0660) workspace.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from collections.abc import Iterator
from pathlib import Path

from ..domain.common import FacilitateError, clean_text
from ..domain.meeting import Meeting
from ..domain.speaking import TurnStatus
from ..domain.training import TrainingSnippet
from ..storage.atomic import read_json
from ..storage.errors import WorkspacePermissionError
from ..storage.workspace import META, MeetingBundle, Workspace
from .check_audit import audit_report
from .check_records import check_records


def _q(path: Path) -> str:
    """A path quoted for a shell command line."""
    return "'" + str(path).replace("'", "'\\''") + "'"


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _walk(ws: Workspace) -> Iterator[tuple[Path, os.stat_result]]:
    """Every entry of the workspace (lstat, links never followed), folders first."""
    pending = [ws.root]
    while pending:
        folder = pending.pop(0)
        try:
            st = os.lstat(folder)
        except FileNotFoundError:
            continue
        yield folder, st
        if not stat.S_ISDIR(st.st_mode):
            continue
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                est = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(est.st_mode):
                pending.append(path)
            else:
                yield path, est


def _group_members(gid: int) -> set[str]:
    try:
        members = set(grp.getgrgid(gid).gr_mem)
    except KeyError:
        return set()
    for entry in pwd.getpwall():
        if entry.pw_gid == gid:
            members.add(entry.pw_name)
    return members


def permission_problems(ws: Workspace) -> list[str]:
    """Links, special files, owners, groups and modes, each with the command that fixes it."""
    problems: list[str] = []
    root_st = os.lstat(ws.root)
    owner = _user(root_st.st_uid)
    gid: int | None = None
    members: set[str] = set()
    if ws.shared_group:
        try:
            gid = grp.getgrnam(ws.shared_group).gr_gid
        except KeyError:
            problems.append(
                f"{ws.root}: shared group {ws.shared_group!r} does not exist on this machine; "
                f"fix: sudo groupadd {ws.shared_group} (and add the members with "
                f"sudo usermod -aG {ws.shared_group} USER)"
            )
        else:
            members = _group_members(gid)
    for path, st in _walk(ws):
        is_dir = stat.S_ISDIR(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            problems.append(
                f"{path}: is a symbolic link, which facilitate refuses; fix: rm {_q(path)} "
                "(then restore the real file from backups/ if it held data)"
            )
            continue
        if not is_dir and not stat.S_ISREG(st.st_mode):
            problems.append(
                f"{path}: is not a regular file (a pipe or device); fix: "
                f"mv {_q(path)} {_q(path.with_name(path.name + '.bad'))}"
            )
            continue
        want = ws.dir_mode if is_dir else ws.file_mode
        mode = stat.S_IMODE(st.st_mode)
        if mode != want:
            if mode & 0o007 or (not ws.shared_group and mode & 0o070):
                why = "lets other users in"
            elif mode & ~want & 0o7777:
                why = "is wider than needed"
            else:
                why = "is missing permissions facilitate needs"
            if ws.shared_group and is_dir and not mode & stat.S_ISGID:
                why = "lacks the setgid bit, so new files would not get the shared group"
            problems.append(
                f"{path}: mode {mode:04o} {why} (expected {want:04o}); "
                f"fix: chmod {want:04o} {_q(path)}"
            )
        user = _user(st.st_uid)
        if ws.shared_group:
            if gid is not None and st.st_gid != gid:
                problems.append(
                    f"{path}: group is {_group_name(st.st_gid)}, not {ws.shared_group}; "
                    f"fix: chgrp {ws.shared_group} {_q(path)}"
                )
            if gid is not None and user not in members:
                problems.append(
                    f"{path}: owned by {user}, who is not in group {ws.shared_group}; fix: "
                    f"sudo chown {owner} {_q(path)} (or sudo usermod -aG {ws.shared_group} {user})"
                )
        elif st.st_uid != root_st.st_uid:
            problems.append(
                f"{path}: owned by {user}, not by {owner} who owns the workspace; "
                f"fix: sudo chown {owner} {_q(path)}"
            )
    return problems


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _unopened(root: Path) -> Workspace | None:
    """The workspace as described by its collaborative.json (or, if that cannot be read, by
    its folder: setgid means group-shared), without open()'s refusals, so the permission scan
    can say exactly what to fix. None if there is no folder."""
    root = Path(root)
    try:
        st = os.lstat(root)
    except OSError:
        return None
    shared = _group_name(st.st_gid) if st.st_mode & stat.S_ISGID else None
    try:
        data = read_json(root / "collaborative.json")
        if data is not None:
            shared = data[META]["1"].get("shared_group")
    except (FacilitateError, OSError, KeyError, TypeError, AttributeError):
        pass
    return Workspace(root, shared_group=shared, read_only=True)


def check_workspace(root: Path, notes: list[str] | None = None) -> list[str]:
    """Every problem as one line naming the file and record. Empty list: all good. Lines
    that are not problems (files not yet covered by the audit trail) go to ``notes``.

    Lines quote names from the data, so they are cleaned of control characters (a hostile
    name cannot move the cursor or retitle the terminal of whoever runs check)."""
    found: list[str] = []
    problems = [" ".join(clean_text(_with_fix(line)).split()) for line in _check(Path(root), found)]
    if notes is not None:
        notes += [" ".join(clean_text(line).split()) for line in found]
    return problems


REFERENCE_FIX = (
    "; fix: point it at an existing record by hand, or restore the file from a backup "
    "('facilitate backups')"
)


def _with_fix(line: str) -> str:
    """A broken reference says how to fix it, like every other problem."""
    if "fix:" in line or not (" unknown " in line or line.endswith("does not exist")):
        return line
    return line + REFERENCE_FIX


def _check(root: Path, notes: list[str] | None = None) -> list[str]:
    try:
        ws = Workspace.open(root, read_only=True)
    except WorkspacePermissionError as exc:
        found = _unopened(root)
        scan = permission_problems(found) if found is not None else []
        return [str(exc), *scan]
    except FacilitateError as exc:
        return [str(exc)]
    problems = permission_problems(ws)
    records = check_records(ws)  # damaged records, ids, rules, stored controls and bidi
    problems += records.problems
    if ws.collaborative_path in records.unreadable:
        return problems
    tx = ws.snapshot()
    try:
        roster = tx.roster()
        training = tx.all(TrainingSnippet)
    except FacilitateError as exc:
        return [*problems, str(exc)]
    org_ids = {o.id for o in roster.organizations}
    member_ids = {m.id for m in roster.members}
    sub_ids = {s.id for s in roster.subcommittees}
    training_ids = {t.id for t in training}
    collab = ws.collaborative_path.name
    for m in roster.members:
        if m.organization_id not in org_ids:
            problems.append(
                f"{collab}: member {m.id} ({m.name}) refers to unknown organization "
                f"{m.organization_id}"
            )
    for s in roster.subcommittees:
        if s.chair_id and s.chair_id not in member_ids:
            problems.append(f"{collab}: subcommittee {s.id} has unknown chair {s.chair_id}")
        for mid in s.member_ids:
            if mid not in member_ids:
                problems.append(f"{collab}: subcommittee {s.id} lists unknown member {mid}")
    for path in ws.meeting_files():
        if path in records.unreadable:
            continue  # (reported above, record by record)
        rel = f"meetings/{path.name}"
        try:
            bundle = tx.bundle(path.stem)
        except FacilitateError as exc:
            problems.append(f"{rel}: {exc}")
            continue
        if not isinstance(bundle.meeting, Meeting) or bundle.meeting.id != path.stem:
            problems.append(f"{rel}: meeting id does not match the file name")
        item_ids = {i.id for i in bundle.items}
        for a in bundle.actions:
            if a.subcommittee_id and a.subcommittee_id not in sub_ids:
                problems.append(
                    f"{rel}: action {a.id} refers to unknown subcommittee {a.subcommittee_id}"
                )
            if a.owner_id and a.owner_id not in member_ids:
                problems.append(f"{rel}: action {a.id} refers to unknown owner {a.owner_id}")
            if a.agenda_item_id and a.agenda_item_id not in item_ids:
                problems.append(
                    f"{rel}: action {a.id} refers to unknown agenda item {a.agenda_item_id}"
                )
        for d in bundle.decisions:
            if d.agenda_item_id and d.agenda_item_id not in item_ids:
                problems.append(
                    f"{rel}: decision {d.id} refers to unknown agenda item {d.agenda_item_id}"
                )
        for att in bundle.attendance:
            if att.member_id and att.member_id not in member_ids:
                problems.append(
                    f"{rel}: attendance {att.id} refers to unknown member {att.member_id}"
                )
            if att.organization_id and att.organization_id not in org_ids:
                problems.append(
                    f"{rel}: attendance {att.id} refers to unknown organization "
                    f"{att.organization_id}"
                )
        for item in bundle.items:
            if item.training_id and item.training_id not in training_ids:
                problems.append(
                    f"{rel}: agenda item {item.id} refers to unknown training {item.training_id}"
                )
        if bundle.meeting.current_item_id and bundle.meeting.current_item_id not in item_ids:
            problems.append(f"{rel}: current item {bundle.meeting.current_item_id} does not exist")
        problems.extend(_turn_problems(rel, bundle, item_ids))
    report = audit_report(ws)  # the log, and every data file against its last entry
    if notes is not None:
        notes += report.notes
    return problems + report.problems


def _turn_problems(rel: str, bundle: MeetingBundle, item_ids: set[str]) -> list[str]:
    """Speaking turns pointing at nothing, and more than one speaker holding the floor."""
    out = []
    attendance_ids = {a.id for a in bundle.attendance}
    round_ids = {r.id for r in bundle.rounds}
    for r in bundle.rounds:
        if r.item_id not in item_ids:
            out.append(f"{rel}: speaking round {r.id} refers to unknown agenda item {r.item_id}")
    for t in bundle.turns:
        if t.item_id not in item_ids:
            out.append(f"{rel}: speaking turn {t.id} refers to unknown agenda item {t.item_id}")
        if t.attendance_id and t.attendance_id not in attendance_ids:
            out.append(
                f"{rel}: speaking turn {t.id} refers to unknown attendance {t.attendance_id}"
            )
        if t.round_id and t.round_id not in round_ids:
            out.append(f"{rel}: speaking turn {t.id} refers to unknown round {t.round_id}")
    holding = [t.id for t in bundle.turns if t.status is TurnStatus.SPEAKING]
    if len(holding) > 1:
        out.append(
            f"{rel}: {len(holding)} speaking turns hold the floor at once ({', '.join(holding)}); "
            "fix: mark all but one 'spoke' by hand or restore the file from a backup."
        )
    return out
