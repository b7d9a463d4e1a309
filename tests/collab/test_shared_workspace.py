"""Group-shared workspaces, done safely: setgid 2770 folders and 0660 files whatever the umask,
links and special files refused everywhere (data, lock, log, backups), read-only opening that
touches nothing, and `check` naming wrong owners, groups and modes with the fixing command."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.domain.meeting import AgendaItem
from facilitate.domain.roster import Organization
from facilitate.services.check import check_workspace
from facilitate.services.live import LiveMeeting
from facilitate.storage.errors import StorageError, WorkspacePermissionError
from facilitate.storage.workspace import Workspace

from ..storage._util import mode_of, sha256, temp_files, tree_hashes
from .conftest import start_sample

GROUP = grp.getgrgid(os.getgid()).gr_name
IS_ROOT = os.geteuid() == 0


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def shared(tmp_path: Path, umask_022) -> Workspace:
    root = tmp_path / "shared"
    assert main(["--data", str(root), "init", "--sample", "--shared-group", GROUP]) == 0
    ws = Workspace.open(root, backup=True)
    live = LiveMeeting(ws, ws.snapshot().meetings()[-1].id)
    live.start()
    live.save_notes(live.load().items[0].id, "typed")
    return ws


def _tree(root: Path) -> tuple[list[Path], list[Path]]:
    dirs = [root, *sorted(p for p in root.rglob("*") if p.is_dir())]
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return dirs, files


def test_shared_workspace_is_setgid_2770_with_0660_files(shared: Workspace) -> None:
    dirs, files = _tree(shared.root)
    gid = grp.getgrnam(GROUP).gr_gid
    assert len(dirs) >= 4 and len(files) >= 6  # root, meetings, backups, a backup; data, log...
    assert {p.name for p in files} >= {"collaborative.json", ".lock", "audit.log", "audit.anchor"}
    for d in dirs:
        st = os.lstat(d)
        assert stat.S_IMODE(st.st_mode) == 0o2770, d
        assert st.st_mode & stat.S_ISGID and st.st_gid == gid
    for f in files:
        st = os.lstat(f)
        assert stat.S_IMODE(st.st_mode) == 0o660, f
        assert st.st_gid == gid
    assert check_workspace(shared.root) == []


@pytest.mark.parametrize(
    "name", ["collaborative.json", ".lock", "audit.log", "audit.anchor", "meeting", "backup"]
)
def test_symlinked_file_in_a_shared_workspace_is_refused(shared, tmp_path, name) -> None:
    root = shared.root
    path = {
        "meeting": next((root / "meetings").glob("*.json")),
        "backup": root / "backups",
    }.get(name, root / name)
    victim = tmp_path / "victim"
    victim.write_bytes(b"somebody else's private file")
    if name == "backup":
        # A planted meeting link: a backup must not copy the victim's file into the group's
        # backups folder (where the whole group could read it).
        path = root / "meetings" / "mtg-zz-planted.json"
        os.utime(victim)  # the most recent "meeting"
    else:
        path.unlink()
    path.symlink_to(victim)
    before = tree_hashes(root)

    with pytest.raises(WorkspacePermissionError, match="symbolic link"):
        ws = Workspace.open(root, backup=True)
        with ws.transaction() as tx:
            tx.add(Organization(name="Through the link"))

    assert victim.read_bytes() == b"somebody else's private file"
    assert tree_hashes(root) == before
    copied = [
        p for p in (root / "backups").rglob("*") if p.is_file() and sha256(p) == sha256(victim)
    ]
    assert copied == []
    problems = check_workspace(root)
    assert any(str(path) in p and "symbolic link" in p and "fix: rm" in p for p in problems)


@pytest.mark.parametrize("name", [".lock", "audit.log", "collaborative.json"])
def test_a_pipe_planted_in_the_workspace_is_refused_without_hanging(shared, name) -> None:
    path = shared.root / name
    path.unlink()
    os.mkfifo(path, 0o660)
    result: list[BaseException | None] = []

    def attempt() -> None:
        try:
            with Workspace(shared.root, shared_group=GROUP).transaction() as tx:
                tx.add(Organization(name="x"))
        except BaseException as exc:
            result.append(exc)
        else:
            result.append(None)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "blocked on a named pipe"
    assert isinstance(result[0], StorageError)
    assert "not a regular file" in str(result[0]) or "symbolic" in str(result[0])
    assert any("not a regular file" in p for p in check_workspace(shared.root))


def test_a_subfolder_swapped_for_a_link_is_refused_at_write_time(shared, tmp_path) -> None:
    ws = shared
    item = ws.snapshot().bundle(ws.snapshot().meetings()[-1].id).items[0]
    elsewhere = tmp_path / "elsewhere"
    shutil.move(ws.meetings_dir, elsewhere)
    ws.meetings_dir.symlink_to(elsewhere)
    before = tree_hashes(elsewhere)
    with pytest.raises(WorkspacePermissionError), ws.transaction() as tx:
        fresh = tx.get(AgendaItem, item.id, item.meeting_id)
        fresh.notes = "through the swapped folder"
        tx.update(fresh)
    assert tree_hashes(elsewhere) == before


def test_a_hard_linked_audit_log_is_refused(shared, tmp_path) -> None:
    other = tmp_path / "other-name"
    os.link(shared.audit_path, other)
    before = sha256(other)
    with pytest.raises(WorkspacePermissionError, match="hard link"), shared.transaction() as tx:
        tx.add(Organization(name="x"))
    assert sha256(other) == before


def test_read_only_open_touches_nothing(shared) -> None:
    root = shared.root
    orphan = root / "meetings" / ".tmp-in-flight.json.1.2"
    orphan.write_bytes(b"a writer is busy")
    (root / ".lock").unlink()
    shutil.rmtree(root / "backups")
    before = tree_hashes(root)
    listing = sorted(str(p.relative_to(root)) for p in root.rglob("*"))

    ws = Workspace.open(root, read_only=True)
    snap = ws.snapshot()
    for mid in snap.meeting_ids():
        snap.bundle(mid)
    with pytest.raises(StorageError, match="read-only"), ws.transaction():
        pass
    with pytest.raises(StorageError):
        Workspace.open(root, read_only=True, backup=True)

    assert tree_hashes(root) == before
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == listing
    assert temp_files(root) == [orphan]


def test_read_only_open_works_while_another_process_holds_the_lock(shared) -> None:
    import fcntl

    fd = os.open(shared.root / ".lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        done: list[int] = []

        def read() -> None:
            ws = Workspace.open(shared.root, read_only=True)
            done.append(len(ws.snapshot().meetings()))

        worker = threading.Thread(target=read, daemon=True)
        worker.start()
        worker.join(10)
        assert done and done[0] > 0
    finally:
        os.close(fd)


# --- check: owners, groups, modes, with the fix ------------------------------------------------


def test_check_reports_wrong_modes_with_the_fix(shared) -> None:
    root = shared.root
    meeting_file = next((root / "meetings").glob("*.json"))
    os.chmod(meeting_file, 0o640)  # the group cannot write
    os.chmod(root / "audit.log", 0o666)  # everybody can
    os.chmod(root / "meetings", 0o770)  # no setgid: new files lose the group
    problems = check_workspace(root)
    text = "\n".join(problems)
    assert f"{meeting_file}: mode 0640 is missing permissions" in text
    assert f"fix: chmod 0660 '{meeting_file}'" in text
    assert f"{root / 'audit.log'}: mode 0666 lets other users in" in text
    assert f"{root / 'meetings'}: mode 0770 lacks the setgid bit" in text
    assert f"fix: chmod 2770 '{root / 'meetings'}'" in text
    assert len(problems) == 3
    # The suggested commands fix it.
    os.chmod(meeting_file, 0o660)
    os.chmod(root / "audit.log", 0o660)
    os.chmod(root / "meetings", 0o2770)
    assert check_workspace(root) == []


def test_check_reports_a_world_open_shared_workspace(shared, capsys) -> None:
    os.chmod(shared.root, 0o2775)
    code = main(["--data", str(shared.root), "check"])
    out = capsys.readouterr().err  # problems go to stderr
    assert code == 1
    assert "chmod -R o-rwx" in out  # the refusal, with its fix
    assert f"fix: chmod 2770 '{shared.root}'" in out


def test_check_private_workspace_modes(tmp_path, umask_022) -> None:
    live = start_sample(tmp_path / "ws")
    root = live.ws.root
    os.chmod(root / "collaborative.json", 0o644)
    os.chmod(root / "backups", 0o750)
    problems = check_workspace(root)
    assert any("collaborative.json: mode 0644" in p and "fix: chmod 0600" in p for p in problems)
    assert any(
        "backups: mode 0750 lets other users in" in p and "chmod 0700" in p for p in problems
    )


def _other_group() -> int | None:
    for g in grp.getgrall():
        if g.gr_gid != os.getgid():
            return g.gr_gid
    return None


@pytest.mark.skipif(not IS_ROOT, reason="changing a file's owner needs root")
def test_check_reports_wrong_owner_and_group_with_the_fix(shared) -> None:
    root = shared.root
    nobody = pwd.getpwnam("nobody")
    other_gid = _other_group()
    assert other_gid is not None
    os.chown(root / "audit.log", nobody.pw_uid, -1)
    os.chown(root / "collaborative.json", -1, other_gid)
    problems = check_workspace(root)
    other = grp.getgrgid(other_gid).gr_name
    owner = pwd.getpwuid(os.lstat(root).st_uid).pw_name
    assert any(
        f"{root / 'audit.log'}: owned by nobody, who is not in group {GROUP}" in p
        and f"sudo chown {owner} '{root / 'audit.log'}'" in p
        for p in problems
    ), problems
    assert any(
        f"{root / 'collaborative.json'}: group is {other}, not {GROUP}" in p
        and f"fix: chgrp {GROUP} '{root / 'collaborative.json'}'" in p
        for p in problems
    ), problems


@pytest.mark.skipif(not IS_ROOT, reason="changing a file's owner needs root")
def test_check_reports_a_foreign_owner_in_a_private_workspace(tmp_path) -> None:
    live = start_sample(tmp_path / "ws")
    target = live.ws.root / "collaborative.json"
    os.chown(target, pwd.getpwnam("nobody").pw_uid, -1)
    problems = check_workspace(live.ws.root)
    owner = pwd.getpwuid(os.getuid()).pw_name
    assert any(
        f"{target}: owned by nobody, not by {owner}" in p and f"sudo chown {owner} '{target}'" in p
        for p in problems
    )


def test_unknown_shared_group_is_reported(shared) -> None:
    from facilitate.services import check

    ws = Workspace(shared.root, shared_group="no-such-group-xyz")
    problems = check.permission_problems(ws)
    assert any("sudo groupadd no-such-group-xyz" in p for p in problems)
    assert mode_of(shared.root) == 0o2770


SYSTEM_PYTHON = Path("/usr/bin/python3.11")


def _runtime_distributions() -> list[str]:
    """facilitate's installed run-time dependencies, transitively (no extras)."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = ["facilitate"]
    while todo:
        name = todo.pop()
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for text in requires:
            req = Requirement(text)
            key = req.name.lower().replace("_", "-")
            if key in seen or (req.marker and not req.marker.evaluate({"extra": ""})):
                continue
            seen.add(key)
            todo.append(req.name)
    return sorted(seen)


@pytest.fixture(scope="module")
def readable_copy() -> Iterator[Path]:
    """facilitate and its run-time dependencies copied into a fresh folder any user may read
    (0755 folders, 0644 files): the clone itself may sit in a private (0700) home folder,
    which another user cannot enter. Skips, saying why, if that user cannot use the copy."""
    import tempfile
    from importlib.metadata import distribution

    from ..storage._util import SRC

    base = Path(tempfile.mkdtemp(prefix="facilitate-other-user-", dir="/tmp"))
    code = base / "code"
    try:
        shutil.copytree(SRC / "facilitate", code / "facilitate", ignore=_no_caches)
        for name in _runtime_distributions():
            dist = distribution(name)
            for file in dist.files or []:
                source = Path(str(dist.locate_file(file)))
                if ".." in file.parts or "__pycache__" in file.parts or not source.is_file():
                    continue
                target = code / file
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        for path in [base, *base.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        probe = subprocess.run(
            [str(SYSTEM_PYTHON), "-c", "import facilitate.cli, pendulum, tinydb"],
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin", "HOME": "/"},
            preexec_fn=_as_nobody,
            timeout=60,
        )
        if probe.returncode != 0:
            pytest.skip(f"nobody cannot use a copy of the code in {base}: {probe.stderr[-300:]}")
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _no_caches(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__"]


def _as_nobody() -> None:
    nobody = pwd.getpwnam("nobody")
    os.setgid(nobody.pw_gid)
    os.setgroups([])
    os.setuid(nobody.pw_uid)


@pytest.mark.skipif(
    not IS_ROOT or not SYSTEM_PYTHON.exists(),
    reason="needs root (to run as another user) and a python3.11 that user may execute",
)
@pytest.mark.parametrize("command", [["log"], ["follow"], ["check"], ["meetings"]])
def test_a_user_who_may_not_enter_gets_one_clear_line(readable_copy, umask_022, command) -> None:
    """Someone outside the group (here: nobody) is told what is wrong, not shown a traceback.
    The code and the workspace sit in a folder anyone may enter, so it is the workspace's own
    2770 mode that turns them away, wherever the clone lives."""
    root = readable_copy / f"ws-{command[0]}"
    assert main(["--data", str(root), "init", "--sample", "--shared-group", GROUP]) == 0
    env = {"PYTHONPATH": str(readable_copy / "code"), "PATH": "/usr/bin:/bin", "HOME": "/"}
    result = subprocess.run(
        [str(SYSTEM_PYTHON), "-m", "facilitate", "--data", str(root), *command],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_as_nobody,
        timeout=60,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Permission denied" in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("facilitate:")]
    assert len(lines) == 1 or command == ["check"]
