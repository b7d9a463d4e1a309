"""Run facilitate as it would run on Windows, on this (Linux) machine.

CI has no Windows runner, so this is how the Windows claims of the README are checked: the
program runs in a subprocess started with ``python -c BOOTSTRAP``, where

- ``fcntl``, ``grp``, ``pwd``, ``termios``, ``tty`` and ``resource`` cannot be imported (a
  meta-path finder raises ModuleNotFoundError, as on Windows, and records the attempt);
- the signals Windows lacks (SIGHUP, SIGTSTP, SIGWINCH, SIGKILL...) and the POSIX-only ``os``
  functions and flags (getuid, fchmod, chown, pread, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC...)
  are deleted, and ``os.supports_dir_fd`` is empty, as on Windows;
- ``sys.platform`` is ``"win32"``, which is what facilitate branches on (``storage/portable``);
- ``msvcrt`` is a fake that records every ``locking`` call and implements it with a POSIX
  byte-range lock on the same byte, so two simulated processes really exclude each other;
- the user name comes from ``USERNAME``, as on Windows (LOGNAME and USER are unset).

What is not simulated: the third-party libraries (Textual, Rich, pendulum, platformdirs,
TinyDB, python-docx, markdown-it) and the standard library's own platform branches are
imported before the switch, with their POSIX code: they support Windows themselves, and their
Windows branches need real Windows APIs (ctypes.windll, _winapi). Nor are NTFS semantics
simulated (a file open elsewhere cannot be replaced; modes are a read-only flag): the tests
widen the modes to what Windows reports (0777 folders, 0666 files) instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BLOCKED = ("fcntl", "grp", "pwd", "termios", "tty", "resource")
MISSING_SIGNALS = (
    "SIGHUP", "SIGTSTP", "SIGWINCH", "SIGKILL", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM",
    "SIGCHLD", "SIGPIPE", "SIGCONT", "SIGTTIN", "SIGTTOU",
)  # fmt: skip
MISSING_OS = (
    "getuid", "geteuid", "getgid", "getegid", "getgroups", "fchmod", "fchown", "chown",
    "lchown", "pread", "pwrite", "sync", "getpgid", "setsid", "killpg", "O_DIRECTORY",
    "O_NOFOLLOW", "O_CLOEXEC", "O_NONBLOCK", "O_NOCTTY",
)  # fmt: skip

_BODY = r"""
import errno, importlib.abc, json, os, signal, sys, types

record = {"blocked_imports": [], "locking": [], "platform_seen": None}

# The libraries facilitate uses, and the standard library's platform branches, with their
# POSIX code (see windows_sim.py: what is not simulated).
import asyncio, getpass, shutil, subprocess, tempfile, zipfile, uuid, mimetypes, socket
import platformdirs, rich, rich.console, pendulum, tinydb, markdown_it, docx, textual
import textual.app, textual.drivers.linux_driver  # (Textual picks its driver by its own check)
import fcntl as _fcntl

class _Windows(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            record["blocked_imports"].append(name)
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

for _name in list(sys.modules):
    if _name.partition(".")[0] in BLOCKED:
        del sys.modules[_name]
sys.meta_path.insert(0, _Windows())
for _name in MISSING_SIGNALS:
    if hasattr(signal, _name):
        delattr(signal, _name)
for _name in MISSING_OS:
    if hasattr(os, _name):
        delattr(os, _name)
os.supports_dir_fd = set()

msvcrt = types.ModuleType("msvcrt")
msvcrt.LK_UNLCK, msvcrt.LK_LOCK, msvcrt.LK_NBLCK, msvcrt.LK_RLCK, msvcrt.LK_NBRLCK = range(5)

def _locking(fd, mode, nbytes):
    pos = os.lseek(fd, 0, os.SEEK_CUR)
    record["locking"].append([mode, nbytes, pos])
    if mode == msvcrt.LK_UNLCK:
        _fcntl.lockf(fd, _fcntl.LOCK_UN, nbytes, pos, os.SEEK_SET)
        return
    if mode != msvcrt.LK_NBLCK:
        raise AssertionError(f"facilitate used locking mode {mode}, not LK_NBLCK")
    try:
        _fcntl.lockf(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB, nbytes, pos, os.SEEK_SET)
    except OSError:
        raise OSError(errno.EDEADLOCK, "Resource deadlock avoided") from None

msvcrt.locking = _locking
sys.modules["msvcrt"] = msvcrt
sys.platform = "win32"

def _save_record():
    portable = sys.modules.get("facilitate.storage.portable")
    if portable is not None:
        record["platform_seen"] = "windows" if portable.WINDOWS else "posix"
    with open(os.environ["FACILITATE_SIM_RECORD"], "w") as fh:
        json.dump(record, fh)

kind, *args = sys.argv[1:]
code = 0
try:
    if kind == "cli":
        from facilitate.launcher import main
        sys.argv = ["facilitate", *args]
        code = main(args)
    else:
        import runpy
        sys.argv = [args[0], *args[1:]]
        runpy.run_path(args[0], run_name="__main__")
except SystemExit as exc:
    code = exc.code
finally:
    _save_record()
sys.exit(code)
"""
BOOTSTRAP = (
    f"BLOCKED = set({BLOCKED!r})\nMISSING_SIGNALS = {MISSING_SIGNALS!r}\n"
    f"MISSING_OS = {MISSING_OS!r}\n" + _BODY
)


@dataclass
class SimRun:
    code: int
    out: str
    err: str
    blocked_imports: list[str]
    locking: list[list[int]]
    platform_seen: str | None


def windows_env(record: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LOGNAME", "USER", "LNAME")}
    env.update(
        USERNAME="winuser",
        FACILITATE_SIM_RECORD=str(record),
        NO_COLOR="1",
        COLUMNS="100",
    )
    env.update(extra or {})
    return env


def run_windows(
    kind: str, *args: str, cwd: Path, extra_env: dict[str, str] | None = None
) -> SimRun:
    """Run ``facilitate ARGS`` (kind "cli") or a Python script (kind "script") as on Windows."""
    record = cwd / f".sim-record-{os.getpid()}-{len(list(cwd.glob('.sim-record-*')))}.json"
    proc = subprocess.run(
        [sys.executable, "-c", BOOTSTRAP, kind, *args],
        cwd=cwd,
        env=windows_env(record, extra_env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    data: dict[str, Any] = json.loads(record.read_text()) if record.exists() else {}
    return SimRun(
        proc.returncode,
        proc.stdout,
        proc.stderr,
        data.get("blocked_imports", []),
        data.get("locking", []),
        data.get("platform_seen"),
    )


def widen_modes(root: Path) -> None:
    """Give every folder and file the mode Windows reports for it (0777 and 0666): Windows'
    modes say nothing about who may read, and facilitate must not refuse them there."""
    for folder, _dirs, files in os.walk(root):
        os.chmod(folder, 0o777)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o666)
