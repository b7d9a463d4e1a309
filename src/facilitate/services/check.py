"""`facilitate check`: verify every file and every reference between records."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..domain.common import FacilitateError
from ..domain.meeting import Meeting
from ..domain.training import TrainingSnippet
from ..storage import audit
from ..storage.workspace import Workspace


def _mode_problems(ws: Workspace) -> list[str]:
    problems = []
    want_file = ws.file_mode
    want_dir = ws.dir_mode
    paths = [ws.root, ws.meetings_dir, ws.backups_dir]
    for path in paths:
        if not path.exists():
            continue
        mode = stat.S_IMODE(os.lstat(path).st_mode)
        if stat.S_ISLNK(os.lstat(path).st_mode):
            problems.append(f"{path}: is a symbolic link; replace it with a real folder.")
        elif mode & ~want_dir & 0o7777 & 0o077:
            problems.append(
                f"{path}: mode {mode:04o} lets others in; fix: chmod {want_dir:04o} '{path}'"
            )
    files = [ws.collaborative_path, ws.audit_path, ws.root / ".lock", *ws.meeting_files()]
    for path in files:
        if not path.exists() and not path.is_symlink():
            continue
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            problems.append(f"{path}: is a symbolic link; replace it with a regular file.")
            continue
        mode = stat.S_IMODE(st.st_mode)
        if mode & ~want_file & 0o777:
            problems.append(
                f"{path}: mode {mode:04o} is wider than {want_file:04o}; fix: chmod {want_file:04o} '{path}'"
            )
    if ws.shared_group:
        import grp

        try:
            gid = grp.getgrnam(ws.shared_group).gr_gid
        except KeyError:
            problems.append(f"{ws.root}: shared group {ws.shared_group!r} does not exist on this machine.")
        else:
            for path in [ws.root, ws.meetings_dir, ws.backups_dir, *files]:
                if path.exists() and os.lstat(path).st_gid != gid:
                    problems.append(
                        f"{path}: group is not {ws.shared_group}; fix: chgrp {ws.shared_group} '{path}'"
                    )
    return problems


def check_workspace(root: Path) -> list[str]:
    """Every problem as one line naming the file and record. Empty list: all good."""
    try:
        ws = Workspace.open(root)
    except FacilitateError as exc:
        return [str(exc)]
    problems = _mode_problems(ws)
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
                f"{collab}: member {m.id} ({m.name}) refers to unknown organization {m.organization_id}"
            )
    for s in roster.subcommittees:
        if s.chair_id and s.chair_id not in member_ids:
            problems.append(f"{collab}: subcommittee {s.id} has unknown chair {s.chair_id}")
        for mid in s.member_ids:
            if mid not in member_ids:
                problems.append(f"{collab}: subcommittee {s.id} lists unknown member {mid}")
    for path in ws.meeting_files():
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
                problems.append(f"{rel}: action {a.id} refers to unknown subcommittee {a.subcommittee_id}")
            if a.owner_id and a.owner_id not in member_ids:
                problems.append(f"{rel}: action {a.id} refers to unknown owner {a.owner_id}")
            if a.agenda_item_id and a.agenda_item_id not in item_ids:
                problems.append(f"{rel}: action {a.id} refers to unknown agenda item {a.agenda_item_id}")
        for d in bundle.decisions:
            if d.agenda_item_id and d.agenda_item_id not in item_ids:
                problems.append(f"{rel}: decision {d.id} refers to unknown agenda item {d.agenda_item_id}")
        for att in bundle.attendance:
            if att.member_id and att.member_id not in member_ids:
                problems.append(f"{rel}: attendance {att.id} refers to unknown member {att.member_id}")
            if att.organization_id and att.organization_id not in org_ids:
                problems.append(
                    f"{rel}: attendance {att.id} refers to unknown organization {att.organization_id}"
                )
        for item in bundle.items:
            if item.training_id and item.training_id not in training_ids:
                problems.append(f"{rel}: agenda item {item.id} refers to unknown training {item.training_id}")
        if bundle.meeting.current_item_id and bundle.meeting.current_item_id not in item_ids:
            problems.append(f"{rel}: current item {bundle.meeting.current_item_id} does not exist")
    for p in audit.verify(ws.audit_path):
        problems.append(f"audit.log, line {p.line}: {p.message}")
    return problems
