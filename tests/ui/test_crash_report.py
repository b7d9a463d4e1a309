"""A crash shows no data: one line on the terminal naming a private (0600) crash file that
holds the traceback without local values, and a non-zero exit code.

Textual's default crash screen prints a traceback with the values of local variables: every
agenda item of the meeting, the case review's notes included, into SSH scrollback or onto a
projected screen. These tests run the real program in a pseudo-terminal and read every byte
the terminal got; none relies on Textual's default crash screen.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import select
import stat
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest

from facilitate.crash import EXIT_CRASH, crash_line, write_crash_report
from facilitate.ui.app import FacilitateApp
from facilitate.ui.follow_app import FollowApp

from .conftest import make_sample

CASE_TEXT = "HV-2598"  # in the sample's confidential case-review notes
SRC = Path(__file__).resolve().parents[2] / "src"


def run_in_pty(argv: list[str], env: dict[str, str], *, timeout: float = 30.0) -> tuple[int, str]:
    """Run ``argv`` on a fresh 80x24 pseudo-terminal; its exit code and every byte the terminal
    was sent (stdout and stderr both). If it is still running after ``timeout`` seconds it is
    asked to quit with Ctrl+Q, then killed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    out = bytearray()
    deadline = time.monotonic() + timeout
    quit_sent = False
    while True:
        if time.monotonic() > deadline and not quit_sent:
            quit_sent = True
            deadline += 10
            with contextlib.suppress(OSError):
                os.write(master, b"\x11")  # Ctrl+Q
        elif time.monotonic() > deadline:
            proc.kill()
            break
        ready, _, _ = select.select([master], [], [], 0.1)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program ended and the terminal closed
            break
        if not chunk:
            break
        out += chunk
    code = proc.wait(timeout=10)
    os.close(master)
    return code, out.decode("utf-8", "replace")


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TERM": "xterm-256color",
        "PYTHONPATH": str(SRC),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "TEXTUAL_ANIMATIONS": "none",
    }


INJECTED = """
    import sys
    from facilitate.ui.screens import home

    def on_mount(self):
        # A local holding every note of every meeting, as a bug deep in a screen would.
        snapshot = self.app.ws.snapshot()
        notes = [i.notes for m in snapshot.meetings() for i in snapshot.bundle(m.id).items]
        raise OverflowError("int too large to convert to float")

    home.HomeScreen.on_mount = on_mount
    from facilitate.launcher import main
    sys.exit(main(sys.argv[1:]))
"""


_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\\\)|\x1b[=>]")


def after_the_app(screen: str) -> list[str]:
    """The lines printed once the app left the alternate screen, terminal sequences removed."""
    tail = screen.rsplit("\x1b[?1049l", 1)[-1]
    text = _SEQUENCE.sub("", tail).replace("\r", "")
    return [line for line in text.split("\n") if line.strip()]


def _crash_files(root: Path) -> list[Path]:
    return sorted((root / "logs").glob("crash-*.txt")) if (root / "logs").is_dir() else []


def test_an_injected_crash_shows_no_data_and_exits_non_zero(tmp_path: Path) -> None:
    ws = make_sample(tmp_path / "ws")
    script = tmp_path / "crashing.py"
    script.write_text(textwrap.dedent(INJECTED))
    code, screen = run_in_pty([sys.executable, str(script), "--data", str(ws.root)], _env(tmp_path))
    assert code == EXIT_CRASH != 0
    assert CASE_TEXT not in screen and "adult domestic worker" not in screen
    assert "Traceback" not in screen and "notes" not in screen
    (report,) = _crash_files(ws.root)
    # One line after the app has left the screen: what happened and where the details are.
    lines = after_the_app(screen)
    assert len(lines) == 1, lines
    assert "internal error (OverflowError)" in lines[0] and str(report) in lines[0]
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE((ws.root / "logs").stat().st_mode) == 0o700
    text = report.read_text()
    assert "Traceback (most recent call last)" in text and "OverflowError" in text
    assert "raise OverflowError" in text  # the failing line is named...
    assert CASE_TEXT not in text  # ...but no local value is written


def test_a_start_up_crash_on_a_deeply_nested_file_shows_no_data(tmp_path: Path) -> None:
    """A meeting file nested 100,000 arrays deep: at worst the one crash line (the file may
    instead be reported as damaged), never the records."""
    ws = make_sample(tmp_path / "ws")
    target = max((ws.root / "meetings").glob("mtg-*.json"))
    doc = json.loads(target.read_text())
    first = next(iter(doc["agenda"]))
    doc["agenda"][first]["notes"] = "@DEEP@"
    target.write_text(json.dumps(doc).replace('"@DEEP@"', "[" * 100_000 + "]" * 100_000))
    code, screen = run_in_pty(
        [sys.executable, "-m", "facilitate", "--data", str(ws.root)], _env(tmp_path), timeout=20
    )
    assert CASE_TEXT not in screen and "Traceback" not in screen
    if code != 0:
        lines = after_the_app(screen)
        assert len(lines) == 1 and lines[0].startswith("facilitate"), lines
    for report in _crash_files(ws.root):
        assert stat.S_IMODE(report.stat().st_mode) == 0o600
        assert CASE_TEXT not in report.read_text()


async def test_the_app_writes_the_report_and_returns_the_crash_code(tmp_path: Path) -> None:
    ws = make_sample(tmp_path / "ws")
    app = FacilitateApp(ws)
    app.crash_root = ws.root

    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
    assert app.crash_message is not None and "ZeroDivisionError" in app.crash_message
    assert app.return_code == EXIT_CRASH
    (report,) = _crash_files(ws.root)
    assert str(report) in app.crash_message
    assert app._exit_renderables == []  # Textual's own report (locals included) is not made


async def test_the_follow_view_writes_the_report_too(tmp_path: Path, capsys) -> None:
    ws = make_sample(tmp_path / "ws")
    meeting_id = ws.snapshot().meetings()[-1].id
    app = FollowApp(ws, meeting_id)
    app.crash_root = ws.root
    with pytest.raises(KeyError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(lambda: dict[str, str]()["Case HV-2598"])
            await pilot.pause()
    assert app.exit_code() == EXIT_CRASH
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (KeyError)" in err and CASE_TEXT not in err
    (report,) = _crash_files(ws.root)
    assert stat.S_IMODE(report.stat().st_mode) == 0o600


def test_the_report_falls_back_to_the_state_folder(tmp_path: Path, monkeypatch) -> None:
    """A workspace whose logs folder cannot be used (here a symlink, which is never followed)
    sends the report to the user's state folder; with no folder at all, the line says so."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    ws = tmp_path / "ws"
    ws.mkdir(mode=0o700)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ws / "logs").symlink_to(elsewhere)
    try:
        raise ValueError("x")
    except ValueError as exc:
        path = write_crash_report(exc, ws)
    assert path is not None and path.parent == tmp_path / "state" / "facilitate" / "logs"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert list(elsewhere.iterdir()) == []
    assert "no crash report could be written" in crash_line(ValueError(), None)


def test_a_command_that_crashes_gives_one_line_too(tmp_path: Path, capsys, monkeypatch) -> None:
    from facilitate import cli

    ws = make_sample(tmp_path / "ws")

    def broken(args):
        secret = "Case HV-2598"  # noqa: F841 (a local that must not be shown)
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "cmd_meetings", broken)
    assert cli.main(["--data", str(ws.root), "meetings"]) == EXIT_CRASH
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "internal error (RuntimeError)" in err
    (report,) = _crash_files(ws.root)
    assert str(report) in err and CASE_TEXT not in report.read_text()
