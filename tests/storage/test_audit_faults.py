"""The fault suite, on the real CLI (issue #18, defect 3): a save killed at every step
(FACILITATE_FAULT, see storage/faults.py), a full disk (RLIMIT_FSIZE, as `ulimit -f` sets it)
and a read-only audit log. In every case what the command printed is true, and afterwards the
data and the log agree: check is clean once the workspace has been opened again, and the item
is in the meeting file exactly as often as the log says it was added (a retry never
duplicates it)."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.storage.ledger import STEPS

from ._util import child_env

TITLE = "Shelter beds update"
SUBMIT = ["agenda", "submit", "next", TITLE, "--minutes", "5", "--by", "Ana Ruiz"]
MEETING = Path("meetings") / "mtg-2026-12.json"
DATA = ("collaborative.json", "audit.log", "audit.anchor", str(MEETING))


def cli(
    root: Path,
    *argv: str,
    fault: str | None = None,
    preexec: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    env = child_env()
    env.pop("FACILITATE_FAULT", None)
    if fault:
        env["FACILITATE_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "facilitate", "--data", str(root), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=preexec,
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults") / "ws"
    old = os.umask(0o077)
    try:
        assert main(["--data", str(root), "init", "--sample"]) == 0
        assert main(["--data", str(root), *SUBMIT[:3], "Earlier item", *SUBMIT[4:]]) == 0
    finally:
        os.umask(old)
    return root


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(template, root, symlinks=True)
    os.chmod(root, 0o700)
    return root


def in_data(root: Path) -> int:
    data = json.loads((root / MEETING).read_text())
    return sum(1 for doc in data.get("proposals", {}).values() if doc.get("title") == TITLE)


def in_log(root: Path) -> int:
    count = 0
    for line in (root / "audit.log").read_text().splitlines():
        entry = json.loads(line)
        if entry.get("op") == "add" and entry.get("summary") == TITLE:
            count += 1
    return count


def data_hashes(root: Path) -> dict[str, bytes | None]:
    return {n: (root / n).read_bytes() if (root / n).exists() else None for n in DATA}


def assert_agree(root: Path) -> int:
    """Open the workspace (finishing any interrupted save), then check must be clean and the
    data and the log must agree. Returns how many times the item is there."""
    opened = cli(root, "agenda", "proposals", "next")
    assert opened.returncode == 0, opened.stdout + opened.stderr
    checked = cli(root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "Workspace OK.", checked.stdout
    assert in_data(root) == in_log(root)
    return in_data(root)


# --- SIGKILL at every step ----------------------------------------------------------------

KILLED_AT = [s for s in STEPS if not s.startswith("recover")]


@pytest.mark.parametrize("step", KILLED_AT)
def test_a_save_killed_at_any_step_leaves_data_and_log_agreeing(ws: Path, step: str) -> None:
    killed = cli(ws, *SUBMIT, fault=step)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    assert killed.stdout == ""  # it said nothing, so nothing it said can be false

    # check (read-only, finishes nothing) sees no tampering: at most a save in progress.
    checked = cli(ws, "check")
    assert checked.returncode == 0, checked.stdout
    assert "Workspace OK." in checked.stdout

    saved = assert_agree(ws)
    assert saved == (0 if step == "after-intent" else 1)

    retried = cli(ws, *SUBMIT)
    assert retried.returncode == 0, retried.stderr
    assert assert_agree(ws) == saved + 1


def test_a_kill_while_finishing_an_interrupted_save_is_finished_later(ws: Path) -> None:
    assert cli(ws, *SUBMIT, fault="after-writes").returncode == -9
    recovering = cli(ws, "agenda", "proposals", "next", fault="recover-after-done")
    assert recovering.returncode == -9
    assert cli(ws, "check").returncode == 0
    assert assert_agree(ws) == 1


def test_every_step_is_reached(ws: Path) -> None:
    """The suite's steps are the ones a save really passes (a renamed step would silently
    never fire)."""
    for step in STEPS:
        if step.startswith("recover"):
            assert cli(ws, *SUBMIT, fault="after-intent").returncode == -9
            assert cli(ws, "check", fault=step).returncode == 0  # read-only: no recovery
            assert cli(ws, "agenda", "proposals", "next", fault=step).returncode == -9
        else:
            assert cli(ws, *SUBMIT, fault=step).returncode == -9, step


# --- a full disk --------------------------------------------------------------------------


def limit_to(size: int) -> Callable[[], None]:
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return preexec


def test_a_full_disk_before_the_log_says_nothing_changed_and_nothing_did(ws: Path) -> None:
    """`ulimit -f` at the log's size: no line can be appended. The old code wrote the meeting
    file, then failed on the log and said "Nothing was changed on disk"."""
    log_size = (ws / "audit.log").stat().st_size
    assert (ws / MEETING).stat().st_size + 4096 < log_size  # the data file itself fits
    before = data_hashes(ws)

    failed = cli(ws, *SUBMIT, preexec=limit_to(log_size))

    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr
    assert "Nothing was changed on disk" in failed.stderr
    assert "free some disk space" in failed.stderr
    assert data_hashes(ws) == before  # true
    assert assert_agree(ws) == 0
    assert cli(ws, *SUBMIT).returncode == 0  # the retry it asks for: exactly one
    assert assert_agree(ws) == 1


def test_a_full_disk_after_the_data_says_it_was_saved_and_the_log_is_completed(
    ws: Path, tmp_path: Path
) -> None:
    """Room for the intent line, none for the done line: the change is saved, the command says
    so (and not to enter it again), and the next open completes the log."""
    dry = tmp_path / "dry"
    shutil.copytree(ws, dry, symlinks=True)
    size = (dry / "audit.log").stat().st_size
    assert cli(dry, *SUBMIT).returncode == 0
    added = (dry / "audit.log").read_bytes()[size:]
    intent = added.split(b"\n", 1)[0]
    assert json.loads(intent)["op"] == "intent"

    failed = cli(ws, *SUBMIT, preexec=limit_to(size + len(intent) + 1))

    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr
    assert "Nothing was changed" not in failed.stderr
    assert "WAS saved" in failed.stderr and "Do not enter it again" in failed.stderr
    assert in_data(ws) == 1  # true
    checked = cli(ws, "check")
    assert checked.returncode == 0 and "a save is in progress or was interrupted" in checked.stdout
    assert assert_agree(ws) == 1


# --- a read-only log ----------------------------------------------------------------------


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The log made unwritable: chmod 0400 for a normal user; as root (whom modes do not stop)
    the immutable attribute."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"running as root and chattr +i failed: {made.stderr!r}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        os.chmod(path, 0o400)
        try:
            yield
        finally:
            os.chmod(path, 0o600)


def test_a_read_only_log_says_nothing_changed_and_nothing_did(ws: Path) -> None:
    before = data_hashes(ws)
    with read_only(ws / "audit.log"):
        failed = cli(ws, *SUBMIT)
        assert failed.returncode != 0
        assert "Traceback" not in failed.stderr
        assert "Could not save audit.log" in failed.stderr
        assert "Nothing was changed on disk" in failed.stderr
        assert data_hashes(ws) == before  # true
        assert cli(ws, "check").returncode == 0
    assert assert_agree(ws) == 0
    assert cli(ws, *SUBMIT).returncode == 0
    assert assert_agree(ws) == 1
