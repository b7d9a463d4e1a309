"""The lock helper's Windows branch (``msvcrt.locking``), driven by a fake msvcrt in this
process: same timeout, same "waiting for ..." notice, same errors as the flock branch, and the
holder's note stays readable while the lock is held (Windows locks are mandatory)."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitate import cli
from facilitate.storage import atomic, locking
from facilitate.storage.atomic import LockBusyError, LockTimeoutError, WorkspaceLock


class FakeMsvcrt:
    """msvcrt's locking API; ``held_elsewhere`` makes LK_NBLCK fail as Windows does."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = range(5)

    def __init__(self, *, held_elsewhere: bool = False, error: int = errno.EDEADLOCK) -> None:
        self.held_elsewhere = held_elsewhere
        self.error = error
        self.calls: list[tuple[int, int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        self.calls.append((mode, nbytes, os.lseek(fd, 0, os.SEEK_CUR)))
        if mode == self.LK_NBLCK and self.held_elsewhere:
            raise OSError(self.error, os.strerror(self.error))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMsvcrt]:
    msvcrt = FakeMsvcrt()
    monkeypatch.setattr(locking, "_backend", locking.WindowsLocks(msvcrt))
    yield msvcrt


def test_a_free_lock_is_one_byte_past_the_note_and_released(
    tmp_path: Path, fake: FakeMsvcrt
) -> None:
    lock = WorkspaceLock(tmp_path / ".lock")
    with lock.hold():
        assert fake.calls == [(FakeMsvcrt.LK_NBLCK, 1, locking.WINDOWS_LOCK_OFFSET)]
        # The note is outside the locked byte: whoever waits can read who holds it.
        assert lock.holder().startswith(f"{atomic._who()[0]} (pid {os.getpid()}")
        with lock.hold():  # re-entrant: no second OS lock
            pass
        assert len(fake.calls) == 1
    assert fake.calls[-1] == (FakeMsvcrt.LK_UNLCK, 1, locking.WINDOWS_LOCK_OFFSET)
    assert (tmp_path / ".lock").stat().st_size == 0  # the note is wiped on release


@pytest.mark.parametrize("error", [errno.EDEADLOCK, errno.EACCES])
def test_a_held_lock_waits_says_so_and_times_out(
    tmp_path: Path,
    fake: FakeMsvcrt,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: int,
) -> None:
    fake.held_elsewhere, fake.error = True, error
    monkeypatch.setenv("FACILITATE_LOCK_TIMEOUT", "0.3")
    monkeypatch.setattr(atomic, "LOCK_NOTICE", 0.05)
    monkeypatch.setattr(WorkspaceLock, "on_wait", staticmethod(cli._tell_lock_wait))
    path = tmp_path / ".lock"
    path.write_bytes(
        atomic.holder_note("facilitate agenda submit")  # what the other process wrote
    )
    lock = WorkspaceLock(path)
    with pytest.raises(LockTimeoutError) as caught, lock.hold():
        pytest.fail("the lock was taken while held elsewhere")
    message = str(caught.value)
    assert message.startswith("Gave up after waiting 0 s for the workspace lock, held by ")
    assert "facilitate agenda submit" in message
    assert "set FACILITATE_LOCK_TIMEOUT to wait longer" in message
    err = capsys.readouterr().err
    assert "waiting for " in err and "who holds the workspace lock (giving up after 0 s)" in err
    assert "facilitate agenda submit" in err
    assert len(fake.calls) > 2  # tried again, never a blocking LK_LOCK
    assert {mode for mode, _, _ in fake.calls} == {FakeMsvcrt.LK_NBLCK}


def test_the_app_is_told_at_once_when_the_lock_is_held(tmp_path: Path, fake: FakeMsvcrt) -> None:
    fake.held_elsewhere = True
    lock = WorkspaceLock(tmp_path / ".lock")
    lock.blocking = False
    with pytest.raises(LockBusyError, match="Not saved yet"), lock.hold():
        pass
    assert len(fake.calls) == 1


def test_another_locking_error_is_not_taken_for_a_busy_lock(
    tmp_path: Path, fake: FakeMsvcrt
) -> None:
    fake.held_elsewhere, fake.error = True, errno.EBADF
    with pytest.raises(OSError) as caught, WorkspaceLock(tmp_path / ".lock").hold():
        pass
    assert caught.value.errno == errno.EBADF


def test_posix_uses_flock_and_imports_no_msvcrt() -> None:
    assert isinstance(locking.backend(), locking.PosixLocks)
    assert locking.backend().name == "flock"


# --- writes where a folder cannot be held open (Windows) -----------------------------------


@pytest.fixture
def by_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "DIR_FDS", False)
    monkeypatch.setattr(atomic, "WINDOWS", True)
    monkeypatch.setattr(atomic, "REPLACE_PAUSE", 0.001)


def _replace_refused(monkeypatch: pytest.MonkeyPatch, times: int) -> list[str]:
    """os.replace refused ``times`` times, as Windows refuses while a reader has the file."""
    calls: list[str] = []
    real = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(str(dst))
        if len(calls) <= times:
            raise PermissionError(13, "The process cannot access the file", str(dst))
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    return calls


def test_a_save_retries_while_a_reader_holds_the_file(
    tmp_path: Path, by_path: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "collaborative.json"
    target.write_bytes(b'{"old": 1}')
    calls = _replace_refused(monkeypatch, 3)
    atomic.atomic_write_bytes(target, b'{"new": 2}')
    assert target.read_bytes() == b'{"new": 2}'
    assert len(calls) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collaborative.json"]


def test_a_save_that_stays_refused_fails_with_the_old_file_intact(
    tmp_path: Path, by_path: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "collaborative.json"
    target.write_bytes(b'{"old": 1}')
    calls = _replace_refused(monkeypatch, 10_000)
    with pytest.raises(atomic.DiskWriteError) as caught:
        atomic.atomic_write_bytes(target, b'{"new": 2}')
    assert "Could not save collaborative.json" in str(caught.value)
    assert "Nothing was changed on disk" in str(caught.value)
    assert len(calls) == atomic.REPLACE_RETRIES
    assert target.read_bytes() == b'{"old": 1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collaborative.json"]  # no temp left


def test_a_save_by_path_refuses_a_linked_target(tmp_path: Path, by_path: None) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(b"{}")
    target = tmp_path / "collaborative.json"
    target.symlink_to(elsewhere)
    with pytest.raises(atomic.WorkspacePermissionError, match="symbolic link"):
        atomic.atomic_write_bytes(target, b'{"new": 2}')
    assert elsewhere.read_bytes() == b"{}"
