"""The core CLI: init, check, meetings, errors and exit codes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.crash import EXIT_CRASH
from facilitate.storage.workspace import Workspace


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_sample_then_check_is_clean(tmp_path, capsys):
    data = str(tmp_path / "ws")
    code, out, _ = run(capsys, "--data", data, "init", "--sample")
    assert code == 0 and "sample task force" in out
    code, out, err = run(capsys, "--data", data, "check")
    assert code == 0, out + err
    assert "Workspace OK" in out


def test_meetings_lists_the_sample_meetings(tmp_path, capsys):
    data = str(tmp_path / "ws")
    run(capsys, "--data", data, "init", "--sample")
    code, out, _ = run(capsys, "--data", data, "meetings")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 3
    assert [line.split("\t")[-1] for line in lines] == ["ended", "ended", "planned"]
    assert all(line.startswith("mtg-") for line in lines)


def test_check_names_a_broken_reference(tmp_path, capsys):
    data = tmp_path / "ws"
    run(capsys, "--data", str(data), "init", "--sample")
    meeting_file = sorted((data / "meetings").glob("*.json"))[1]
    doc = json.loads(meeting_file.read_text())
    action = next(iter(doc["actions"].values()))
    action["subcommittee_id"] = "sub-does-not-exist"
    meeting_file.write_text(json.dumps(doc))
    code, _, out = run(capsys, "--data", str(data), "check")  # problems on stderr
    assert code == 1
    assert "sub-does-not-exist" in out
    assert meeting_file.name in out
    assert action["id"] in out


def test_check_reports_a_damaged_file_and_leaves_it(tmp_path, capsys):
    data = tmp_path / "ws"
    run(capsys, "--data", str(data), "init", "--sample")
    target = sorted((data / "meetings").glob("*.json"))[0]
    target.write_text('{"_meta": {"1": {"schema_version": 1}}, "agenda": {')
    before = target.read_bytes()
    code, _, err = run(capsys, "--data", str(data), "check")
    assert code == 1
    assert target.name in err and "line 1" in err
    assert target.read_bytes() == before


def test_missing_workspace_is_one_clear_line(tmp_path, capsys):
    code, _, err = run(capsys, "--data", str(tmp_path / "nowhere"), "meetings")
    assert code == 1
    assert err.count("\n") == 1
    assert "facilitate init" in err
    assert "Traceback" not in err


def test_usage_errors_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["--data", str(tmp_path), "frobnicate"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_bad_timezone_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(capsys, "--data", str(tmp_path / "ws"), "init", "--timezone", "Mars/Base")
    assert code == 2
    assert "Unknown timezone 'Mars/Base'" in err
    assert not (tmp_path / "ws").exists()


def test_init_refuses_to_overwrite(tmp_path, capsys):
    data = str(tmp_path / "ws")
    run(capsys, "--data", data, "init", "--name", "First")
    before = (Path(data) / "collaborative.json").read_bytes()
    code, _, err = run(capsys, "--data", data, "init", "--sample")
    assert code == 1 and "already holds a workspace" in err
    assert (Path(data) / "collaborative.json").read_bytes() == before


def test_env_var_selects_the_workspace(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FACILITATE_DATA", str(tmp_path / "envws"))
    code, _, _ = run(capsys, "init", "--sample")
    assert code == 0
    assert (tmp_path / "envws" / "collaborative.json").exists()


def test_created_workspace_is_private_under_umask_022(tmp_path, capsys):
    old = os.umask(0o022)
    try:
        data = tmp_path / "ws"
        # main() sets umask 077 itself, as the real program does at start-up.
        run(capsys, "--data", str(data), "init", "--sample")
    finally:
        os.umask(old)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_group_readable_workspace_is_refused_with_the_fix(tmp_path, capsys):
    data = tmp_path / "ws"
    run(capsys, "--data", str(data), "init", "--sample")
    data.chmod(0o755)
    code, _, err = run(capsys, "--data", str(data), "meetings")
    assert code == 1
    assert f"chmod -R go-rwx '{data}'" in err


def test_app_without_a_terminal_refuses_in_one_line(tmp_path, capsys):
    """Under pytest neither stdin nor stdout is a terminal, as with `facilitate </dev/null
    >out`: the app, demo and follow refuse (exit 2) instead of drawing into a pipe."""
    run(capsys, "--data", str(tmp_path / "ws"), "init", "--sample")
    for args in ([], ["app"], ["demo"], ["follow"]):
        code, out, err = run(capsys, "--data", str(tmp_path / "ws"), *args)
        assert code == 2, args
        assert out == ""
        assert err == ("facilitate needs a terminal; use the commands in --help for scripts.\n"), (
            args
        )
    code, _, err = run(capsys, "--data", str(tmp_path / "none"))
    assert code == 2 and "needs a terminal" in err
    assert not (tmp_path / "none").exists()


def test_hostile_collaborative_name(tmp_path, capsys, hostile_strings):
    for n, name in enumerate(s for s in hostile_strings if s.strip()):
        data = str(tmp_path / f"ws{n}")
        code, _, err = run(capsys, "--data", data, "init", "--name", name)
        assert code == 0, err
        code, out, err = run(capsys, "--data", data, "check")
        assert code == 0, out + err


def test_launcher_pauses_collection_only_while_starting(
    tmp_path, capsys, monkeypatch, fake_terminal
):
    """The program's entry point pauses garbage collection for start-up; other commands get it
    back once their arguments are parsed, the app after its first frame (see test_app_shell),
    and everything when the program ends, even on an error."""
    import gc

    from facilitate import cli, launcher

    data = str(tmp_path / "ws")
    run(capsys, "--data", data, "init", "--sample")
    during: list[bool] = []
    real_check = cli.cmd_check

    def check(args):
        during.append(gc.isenabled())
        return real_check(args)

    monkeypatch.setattr(cli, "cmd_check", check)
    assert launcher.main(["--data", data, "check"]) == 0
    assert during == [True]
    assert gc.isenabled()

    tui: list[bool] = []

    def open_tui(ws: object) -> int:
        tui.append(gc.isenabled())
        return 0

    monkeypatch.setattr(cli, "_run_tui", open_tui)
    assert launcher.main(["--data", data]) == 0
    assert tui == [False]  # paused until the app's first frame
    assert gc.isenabled()  # and never left paused

    monkeypatch.setattr(cli, "_run_tui", lambda ws: 1 / 0)
    assert launcher.main(["--data", data]) == EXIT_CRASH  # (a crash report, no traceback)
    assert gc.isenabled()


def test_the_program_defers_its_start_up_backup_to_the_app(
    tmp_path, capsys, monkeypatch, fake_terminal
):
    from facilitate import cli

    data = tmp_path / "ws"
    run(capsys, "--data", str(data), "init", "--sample")
    opened = []

    def open_tui(ws: Workspace) -> int:
        opened.append(ws)
        return 0

    monkeypatch.setattr(cli, "_run_tui", open_tui)
    assert main(["--data", str(data)]) == 0
    (ws,) = opened
    assert not any((data / "backups").iterdir())  # nothing before the app's first frame...
    assert ws.take_due_backup() is not None  # ...but it is due


@pytest.mark.parametrize(
    "tokens",
    [[], ["--data", "/srv/tf"], ["--data=/srv/tf"], ["--data", "a", "--data", "b"]],
)
def test_opening_the_app_parses_like_the_full_parser(tokens):
    """`facilitate [--data DIR]` skips building the subcommands (start-up time); the result
    is the same as the full parser's."""
    from facilitate.cli import build_parser, parse_args

    assert vars(parse_args(tokens)) == vars(build_parser().parse_args(tokens))


@pytest.mark.parametrize(
    "tokens", [["--data"], ["--data="], ["--data", "-x"], ["--help"], ["--version"], ["nope"]]
)
def test_anything_else_behaves_as_the_full_parser(tokens, capsys):
    from facilitate.cli import build_parser, parse_args

    def outcome(parse):
        try:
            result = vars(parse(tokens))
        except SystemExit as exc:
            result = exc.code
        return result, capsys.readouterr()

    mine, full = outcome(parse_args), outcome(lambda t: build_parser().parse_args(t))
    assert mine == full
    if tokens == ["--help"]:
        assert "meetings" in mine[1].out and "minutes" in mine[1].out


@pytest.mark.parametrize("args", [[], ["demo"], ["follow"], ["app"]])
def test_without_a_terminal_the_real_program_refuses_and_exits_2(tmp_path, capsys, args):
    """`facilitate </dev/null >out`: no full-screen app drawing into a file and waiting for
    keys from nowhere (it used to run forever at 80% of a CPU)."""
    import subprocess
    import sys

    from ..storage._util import child_env

    data = tmp_path / "ws"
    run(capsys, "--data", str(data), "init", "--sample")
    out = tmp_path / "out"
    with open(os.devnull, "rb") as stdin, open(out, "wb") as stdout:
        result = subprocess.run(
            [sys.executable, "-m", "facilitate", "--data", str(data), *args],
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=child_env(),
            timeout=30,
        )
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "facilitate needs a terminal; use the commands in --help for scripts.\n"
    )
    assert out.read_bytes() == b""


@pytest.mark.parametrize("where", ["--data", "FACILITATE_DATA"])
def test_a_data_path_naming_a_file_is_a_one_line_error(tmp_path, capsys, monkeypatch, where):
    target = tmp_path / "notes.txt"
    target.write_text("not a workspace")
    for args in (["meetings"], ["check"], ["init"], ["actions"], []):
        if where == "--data":
            code, out, err = run(capsys, "--data", str(target), *args)
        else:
            monkeypatch.setenv("FACILITATE_DATA", str(target))
            code, out, err = run(capsys, *args)
        assert code == 2, (args, err)
        assert err == (
            f"facilitate: {where} {target} is a file, not a folder: give the workspace's "
            "folder (the one that holds collaborative.json).\n"
        ), args
        assert out == ""
    assert target.read_text() == "not a workspace"
