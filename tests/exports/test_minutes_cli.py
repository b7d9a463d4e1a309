"""`facilitate minutes ...` through cli.main: exit codes, -o/--force, 0600."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.domain.meeting import Meeting, MinutesStatus
from facilitate.minutes.docx import read_docx_text
from facilitate.storage.workspace import Workspace
from tests.agenda.builders import small_workspace


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


def test_minutes_md_to_stdout(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--data", data, "minutes", "mtg-past")
    assert code == 0 and err == ""
    assert out.startswith("# Minutes: January meeting")
    assert "RT-4711" not in out


def test_minutes_latest_and_next(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    from facilitate.cli_common import resolve_meeting

    tx = Workspace.open(Path(data)).snapshot()
    for ref in ("latest", "next"):
        expected = resolve_meeting(tx, ref)  # depends on today's date; the CLI must agree
        code, out, _ = run(capsys, "--data", data, "minutes", ref, "--format", "html")
        assert code == 0 and f"<title>Minutes: {expected.title}</title>" in out


def test_include_confidential_to_stdout_warns(
    data: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--data", data, "minutes", "mtg-past", "--include-confidential")
    assert code == 0
    assert "CONFIDENTIAL: members only" in out and "RT-4711" in out
    assert "includes confidential items" in err


def test_output_file_is_0600_and_not_overwritten(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "minutes.docx"
    target.parent.mkdir()
    code, out, _ = run(
        capsys, "--data", data, "minutes", "mtg-past", "-f", "docx", "-o", str(target)
    )
    assert code == 0 and str(target) in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    paragraphs, tables, _ = read_docx_text(target.read_bytes())
    assert paragraphs[0] == "Minutes: January meeting" and tables
    before = target.read_bytes()
    code, _, err = run(
        capsys, "--data", data, "minutes", "mtg-past", "-f", "docx", "-o", str(target)
    )
    assert code == 1 and "already exists" in err and "--force" in err
    assert target.read_bytes() == before
    code, _, _ = run(
        capsys, "--data", data, "minutes", "mtg-past", "-f", "md", "-o", str(target), "--force"
    )
    assert code == 0 and target.read_text("utf-8").startswith("# Minutes")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_docx_needs_an_output_file(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--data", data, "minutes", "mtg-past", "-f", "docx")
    assert code == 2 and out == ""
    assert "-o minutes-2026-01-13-january-meeting.docx" in err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["minutes", "mtg-nope"], 2, "No meeting with id 'mtg-nope'"),
        (["minutes", "mtg-past", "-f", "pdf"], 2, "invalid choice"),
        (["minutes", "mtg-past", "--on", "2026-02-01"], 2, "belong to 'facilitate minutes approve"),
        (["minutes", "approve"], 2, "Which meeting?"),
        (["minutes", "approve", "mtg-past", "-o", "x.md"], 2, "takes only --on"),
        (["minutes", "approve", "mtg-next"], 1, "not been held"),
        (["minutes", "approve", "mtg-past", "--on", "soon"], 2, "Cannot read 'soon'"),
        (["minutes", "mtg-past", "extra"], 2, "Unexpected argument 'extra'"),
    ],
)
def test_errors(
    data: str, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, message: str
) -> None:
    got, _, err = run(capsys, "--data", data, *argv)
    assert got == code
    assert message in err
    assert "Traceback" not in err


def test_output_into_missing_folder(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "--data", data, "minutes", "mtg-past", "-o", str(tmp_path / "no" / "m.md")
    )
    assert code == 1 and "does not exist" in err


def test_approve_cli(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "--data",
        data,
        "minutes",
        "approve",
        "mtg-past",
        "--on",
        "2026-02-10",
        "--corrections",
        "Spelling of Bo's name",
    )
    assert code == 0
    assert "approved on 10 February 2026" in out
    assert "Corrections: Spelling of Bo's name" in out
    assert "Recorded under 'Approval of previous minutes'" in out
    meeting = Workspace.open(Path(data)).snapshot().get(Meeting, "mtg-past")
    assert meeting.minutes_status is MinutesStatus.APPROVED
    code, out, _ = run(capsys, "--data", data, "minutes", "mtg-past")
    assert "**Minutes:** Approved on 10 February 2026" in out


def test_missing_workspace_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--data", str(tmp_path / "none"), "minutes", "latest")
    assert code == 1 and "No workspace" in err
