"""Command-line details: --data anywhere, one-line usage errors, refused dates and durations."""

from __future__ import annotations

import re
from pathlib import Path

import pendulum
import pytest

from facilitate.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    root = str(tmp_path / "ws")
    assert run(capsys, "--data", root, "init", "--sample")[0] == 0
    return root


def test_data_is_accepted_after_the_command(tmp_path: Path, capsys) -> None:
    root = tmp_path / "late"
    code, _out, err = run(capsys, "init", "--data", str(root))
    assert code == 0, err
    assert (root / "collaborative.json").exists()
    code, _out, err = run(capsys, "meetings", f"--data={root}")
    assert code == 0, err


def test_data_after_the_command_names_the_same_workspace(data: str, capsys) -> None:
    before = run(capsys, "--data", data, "meetings")
    after = run(capsys, "meetings", "--data", data)
    assert before == after and before[0] == 0 and "mtg-2026-10" in before[1]


@pytest.mark.parametrize(
    "argv",
    [
        ["minutes"],
        ["minutes", "latest", "--format", "pdf"],
        ["agenda", "submit", "next", "Title", "--minutes", "ten"],
        ["nonsense"],
    ],
)
def test_usage_errors_are_one_line(data: str, capsys, argv: list[str]) -> None:
    code, _, err = run(capsys, "--data", data, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err


def test_future_approval_date_is_refused(data: str, capsys) -> None:
    future = pendulum.now("America/Chicago").add(days=3).to_date_string()
    code, _, err = run(capsys, "--data", data, "minutes", "approve", "mtg-2026-11", "--on", future)
    assert code != 0 and "in the future" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("verb", ["submit", "accept"])
def test_zero_minute_items_are_refused(data: str, capsys, verb: str) -> None:
    if verb == "submit":
        argv = ["agenda", "submit", "next", "Shelter beds", "--minutes", "0", "--by", "Ana"]
    else:
        code, out, _ = run(
            capsys, "--data", data, "agenda", "submit", "next", "Beds", "--by", "Ana"
        )
        proposal = out.split()[1].rstrip(":")
        argv = ["agenda", "accept", "next", proposal, "--minutes", "0"]
    code, _, err = run(capsys, "--data", data, *argv)
    assert code != 0 and "at least 1 minute" in err


def test_a_past_date_for_a_new_meeting_asks_for_past(data: str, capsys) -> None:
    code, _, err = run(capsys, "--data", data, "meetings", "new", "--date", "2020-03-12")
    assert code == 2 and "--past" in err
    code, out, err = run(
        capsys, "--data", data, "meetings", "new", "--date", "2020-03-12", "--past"
    )
    assert code == 0, err
    assert "12 March 2020" in out


def test_titles_are_one_line_at_input(data: str, capsys) -> None:
    code, out, err = run(
        capsys, "--data", data, "agenda", "submit", "next", "Beds\tand\nshelter", "--by", "Ana"
    )
    assert code == 0, err
    code, out, _ = run(capsys, "--data", data, "agenda", "proposals", "next")
    line = next(x for x in out.splitlines() if "Beds" in x)
    assert "Beds and shelter" in line


def test_agenda_show_marks_a_day_change(data: str, capsys) -> None:
    code, out, err = run(
        capsys, "--data", data, "meetings", "new", "--date", "in 10 weeks", "--time", "22:30"
    )
    assert code == 0, err
    mid = out.split()[1].rstrip(":")
    code, out, err = run(capsys, "--data", data, "agenda", "show", mid)
    assert code == 0, err
    late = [x for x in out.splitlines() if x[:4].strip().rstrip(".").isdigit()]
    assert late and "(" not in late[0].split()[1]  # the first item: the day goes without saying
    assert any(re.search(r"0\d:\d\d \(\w{3} \d{1,2} \w{3}\)", x) for x in late), out


def test_a_missing_subcommand_is_one_line(data: str, capsys) -> None:
    code, _, err = run(capsys, "--data", data, "agenda")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "show" in err and "submit" in err and "send" in err
