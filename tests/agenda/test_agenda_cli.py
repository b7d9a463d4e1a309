"""`facilitate meetings new` and `facilitate agenda ...` through cli.main."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.domain.meeting import ProposalStatus
from facilitate.storage.workspace import Workspace
from tests.agenda.builders import SECRETS, sample_workspace, small_workspace


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path) -> str:
    small_workspace(tmp_path / "ws")
    return str(tmp_path / "ws")


def test_meetings_new(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data", data, "meetings", "new")
    assert code == 0
    assert "Tuesday 10 March 2026, 10:00–12:00 EDT (America/New_York)" in out
    assert "Agenda: standard template, 11 items, 120 of 120 min" in out
    assert "Report-backs due: 2 actions (1 overdue)" in out
    code, out, _ = run(capsys, "--data", data, "meetings")
    assert code == 0 and "2026-03-10 10:00" in out


def test_meetings_new_with_date_time_and_length(
    data: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "--data",
        data,
        "meetings",
        "new",
        "--date",
        "2026-03-02",
        "--time",
        "14:30",
        "--minutes",
        "90",
        "--title",
        "Special session",
        "--empty",
        "--past",  # a date already past must be said
    )
    assert code == 0, out
    assert "Monday 2 March 2026, 14:30–16:00" in out
    assert "Agenda:" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "someday"], "Cannot read 'someday' as a date"),
        (["--time", "25:00"], "Cannot read --time"),
        (["--minutes", "5"], "at least 15"),
    ],
)
def test_meetings_new_usage_errors(
    data: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, "--data", data, "meetings", "new", *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_meetings_new_clash_is_exit_1(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data", data, "meetings", "new", "--date", "2026-02-10", "--past")
    assert code == 1 and "already takes" in err


def test_agenda_show_md_to_stdout(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data", data, "agenda", "show", "mtg-next")
    assert code == 0
    assert out.startswith("# Agenda: February meeting")
    assert "Send the budget to the county" in out
    for secret in SECRETS:
        assert secret not in out


def test_agenda_show_ics_file_0600_and_force(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "agenda.ics"
    code, out, _ = run(
        capsys, "--data", data, "agenda", "show", "next", "--format", "ics", "-o", str(target)
    )
    assert code == 0 and str(target) in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    code, _, err = run(
        capsys, "--data", data, "agenda", "show", "next", "-f", "ics", "-o", str(target)
    )
    assert code == 1 and "already exists" in err
    code, _, _ = run(
        capsys, "--data", data, "agenda", "show", "next", "-f", "md", "-o", str(target), "--force"
    )
    assert code == 0 and target.read_text().startswith("# Agenda")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_agenda_without_subcommand_is_usage(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data", data, "agenda")
    assert code == 2 and "choose a subcommand" in err


def test_unknown_meeting_is_usage(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data", data, "agenda", "show", "mtg-nope")
    assert code == 2 and "No meeting with id 'mtg-nope'" in err


def test_submit_list_accept_defer(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "--data",
        data,
        "agenda",
        "submit",
        "next",
        "Shelter beds",
        "--minutes",
        "10",
        "--by",
        "Bo Advocate",
    )
    assert code == 0 and "Proposed prp-" in out
    first = out.split()[1].rstrip(":")
    code, out, _ = run(
        capsys, "--data", data, "agenda", "submit", "mtg-next", "A referral", "--confidential"
    )
    second = out.split()[1].rstrip(":")
    code, out, _ = run(capsys, "--data", data, "agenda", "proposals", "next")
    assert code == 0
    assert f"{first}\tpending\tShelter beds (10 min)\tby Bo Advocate" in out
    assert f"{second}\tpending\tA referral (10 min, confidential)" in out
    code, out, _ = run(
        capsys,
        "--data",
        data,
        "agenda",
        "accept",
        "next",
        first,
        "--title",
        "Shelter beds update",
        "--minutes",
        "5",
    )
    assert code == 0 and "Shelter beds update (5 min)" in out
    code, out, _ = run(capsys, "--data", data, "agenda", "defer", "next", second)
    assert code == 0 and "carried over" in out
    code, _, err = run(capsys, "--data", data, "agenda", "accept", "next", first)
    assert code == 1 and "already on the agenda" in err
    code, _, err = run(capsys, "--data", data, "agenda", "submit", "next", "x", "--minutes", "-3")
    assert code == 2 and "negative" in err


def test_submit_to_a_held_meeting_fails(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data", data, "agenda", "submit", "mtg-past", "Late idea")
    assert code == 1 and "already been held" in err


def test_import_cli_summary_and_dry_run(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md = tmp_path / "agenda.md"
    md.write_text("# Agenda\n\n- Welcome (5m) - Ann Officer\n- Reports 20 min\n- AOB\n", "utf-8")
    code, out, _ = run(capsys, "--data", data, "agenda", "import", str(md), "--dry-run")
    assert code == 0 and "Dry run: would import 3 items from agenda.md" in out
    assert "Nothing was imported (--dry-run)." in out
    md.write_text("# Agenda\n\n- Welcome (5m)\n", "utf-8")
    code, out, _ = run(capsys, "--data", data, "agenda", "import", str(md), "--dry-run")
    assert code == 0 and "Dry run: would import 1 item from agenda.md" in out
    md.write_text("# Agenda\n\n- Welcome (5m) - Ann Officer\n- Reports 20 min\n- AOB\n", "utf-8")
    code, out, _ = run(capsys, "--data", data, "agenda", "import", str(md))
    assert code == 0
    assert "Imported 3 items from agenda.md into February meeting (mtg-next" in out
    assert "Replaced the previous agenda (6 items" in out
    assert "Planned time: 30 of 120 min (90 min to spare), including 5 min assumed." in out
    assert "No duration for 1 item (5 min assumed each): AOB (line 5)." in out


def test_import_cli_malformed_writes_nothing(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (Path(data) / "meetings" / "mtg-next.json").read_bytes()
    md = tmp_path / "bad.md"
    md.write_text("- Welcome (5m)\n- Reports (20-10m)\n", "utf-8")
    code, _, err = run(capsys, "--data", data, "agenda", "import", str(md))
    assert code == 1
    assert "bad.md, line 2:" in err and "Nothing was imported" in err
    assert (Path(data) / "meetings" / "mtg-next.json").read_bytes() == before
    code, _, err = run(capsys, "--data", data, "agenda", "import", str(tmp_path / "missing.md"))
    assert code == 2 and "No such file" in err


def test_import_into_held_meeting_refused(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md = tmp_path / "a.md"
    md.write_text("- Welcome (5m)\n", "utf-8")
    code, _, err = run(capsys, "--data", data, "agenda", "import", str(md), "--meeting", "mtg-past")
    assert code == 1 and "already started" in err


def test_training_and_report_backs_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample_workspace(tmp_path / "ws")
    data = str(tmp_path / "ws")
    code, out, _ = run(capsys, "--data", data, "agenda", "training", "mtg-2026-12")
    assert code == 0 and "least recently delivered first" in out and "never delivered" in out
    code, out, _ = run(capsys, "--data", data, "agenda", "training", "mtg-2026-12", "--use", "best")
    assert code == 0 and "Training slot of" in out
    code, out, _ = run(capsys, "--data", data, "agenda", "report-backs", "mtg-2026-12")
    assert code == 0 and "OVERDUE" in out and "(action from a confidential item)" in out
    assert "HV-26" not in out


def test_accept_keeps_state_in_workspace(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--data", data, "agenda", "submit", "next", "Topic")
    ws = Workspace.open(Path(data))
    (proposal,) = ws.snapshot().all(
        __import__("facilitate.domain.meeting", fromlist=["AgendaProposal"]).AgendaProposal,
        "mtg-next",
    )
    assert proposal.status is ProposalStatus.PENDING
