"""`facilitate agenda import`: the dry run shows what the real run does, and the file is bounded
(regular files only, 5 MB, 2,000 items)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from facilitate.cli import main
from tests.agenda.builders import small_workspace

AGENDA = """\
# Task force meeting

- Host: Tri-County Justice Center
- Dial-in: shared by email

## Agenda

1. Welcome (5m) - Co-chairs
2. Partner updates (10-15m)
3. Budget (20m) - Ana Ruiz

## Case review

- Placement for a referred minor (15m) - Bo Advocate
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path) -> str:
    small_workspace(tmp_path / "ws")
    return str(tmp_path / "ws")


def _items(out: str) -> list[str]:
    return [line for line in out.splitlines() if line[:4].strip().rstrip(".").isdigit()]


def test_dry_run_prints_what_the_real_run_does(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md = tmp_path / "agenda.md"
    md.write_text(AGENDA, "utf-8")
    before = (Path(data) / "meetings" / "mtg-next.json").read_bytes()
    code, dry, _ = run(capsys, "--data", data, "agenda", "import", str(md), "--dry-run")
    assert code == 0
    assert (Path(data) / "meetings" / "mtg-next.json").read_bytes() == before
    assert "Would replace the existing agenda (6 items" in dry
    assert "upper bound" in dry  # the range rule
    assert "Skipped line 3: line 'Host: Tri-County Justice Center'" in dry
    assert "Skipped line 4:" in dry
    assert "CONFIDENTIAL (under 'Case review')" in dry
    assert "Nothing was imported (--dry-run)." in dry
    code, real, _ = run(capsys, "--data", data, "agenda", "import", str(md))
    assert code == 0
    assert _items(dry) == _items(real) and len(_items(dry)) == 4
    assert "  2. Partner updates [information sharing, 15 min]" in _items(real)
    stored = (Path(data) / "meetings" / "mtg-next.json").read_text("utf-8")
    assert "Placement for a referred minor" in stored


def test_dry_run_refuses_an_ended_meeting_like_the_real_run(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md = tmp_path / "agenda.md"
    md.write_text(AGENDA, "utf-8")
    argv = ["--data", data, "agenda", "import", str(md), "--meeting", "mtg-past"]
    dry = run(capsys, *argv, "--dry-run")
    real = run(capsys, *argv)
    assert dry[0] == real[0] == 1
    assert dry[2] == real[2] and "already started" in dry[2]


def test_help_states_the_range_rule_and_the_limits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "agenda", "import", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert "10-15m is 15 min" in text and "5 MB" in text and "2,000 items" in text


# --- bounds ------------------------------------------------------------------------------------


def test_a_fifo_is_refused_without_hanging(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "agenda.md"
    os.mkfifo(fifo)
    result: list[tuple[int, str, str]] = []
    worker = threading.Thread(
        target=lambda: result.append(run(capsys, "--data", data, "agenda", "import", str(fifo))),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # unblock the reader so the test run can end, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("importing a FIFO blocked")
    code, _, err = result[0]
    assert code == 1 and "FIFO" in err and "not a file" in err


def test_a_device_is_refused(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--data", data, "agenda", "import", "/dev/zero", "--dry-run")
    assert code == 1 and "is a device" in err


def test_a_file_over_5_mb_is_refused_naming_the_limit(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.md"
    line = "- An item with a fairly ordinary title (5m)\n"
    big.write_text(line * (5 * 1024 * 1024 // len(line) + 10), "utf-8")
    code, _, err = run(capsys, "--data", data, "agenda", "import", str(big), "--dry-run")
    assert code == 1 and "5 MB limit" in err


def test_more_than_2000_items_is_refused_naming_the_limit(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    many = tmp_path / "many.md"
    many.write_text("".join(f"- Item {n} (5m)\n" for n in range(2001)), "utf-8")
    code, _, err = run(capsys, "--data", data, "agenda", "import", str(many), "--dry-run")
    assert code == 1 and "2,000" in err and "Nothing was imported" in err
    many.write_text("".join(f"- Item {n} (5m)\n" for n in range(2000)), "utf-8")
    code, out, _ = run(capsys, "--data", data, "agenda", "import", str(many), "--dry-run")
    assert code == 0 and "would import 2000 items" in out
