"""`facilitate actions`, `facilitate roster export|import` and `facilitate search`."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.tracker import cli as tracker_cli

from .conftest import NOW, digest


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path, capsys, monkeypatch) -> str:
    monkeypatch.setattr(tracker_cli, "system_clock", lambda: NOW)
    root = str(tmp_path / "ws")
    run(capsys, "--data", root, "init", "--sample")
    return root


def test_actions_table_open_by_default(data, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")  # wide enough for the whole withheld marker
    code, out, err = run(capsys, "--data", data, "actions")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("REPORT BACK")
    assert len(lines) == 1 + 7 + 1
    assert lines[1].startswith("2026-08-31  OVERDUE")
    assert "7 action(s), 4 overdue" in lines[-1]
    assert "HV-2611" not in out and "withheld" in out


def test_actions_overdue_subcommittee_owner(data, capsys):
    _, out, _ = run(capsys, "--data", data, "actions", "--overdue")
    assert "4 action(s), 4 overdue" in out
    _, out, _ = run(capsys, "--data", data, "actions", "--all", "--subcommittee", "data and")
    assert "4 action(s)" in out and "dropped" in out
    _, out, _ = run(capsys, "--data", data, "actions", "--owner", "rebecca")
    assert "1 action(s)" in out
    _, out, _ = run(capsys, "--data", data, "actions", "--due-before", "2026-12-02")
    assert "2 action(s)" in out


def test_unknown_or_ambiguous_names_are_usage_errors(data, capsys):
    code, _, err = run(capsys, "--data", data, "actions", "--owner", "nobody at all")
    assert code == 2 and "No member matches 'nobody at all'" in err
    code, _, err = run(capsys, "--data", data, "actions", "--owner", "an")
    assert code == 2 and "be more specific" in err


def test_actions_csv_json_and_files(data, capsys, tmp_path):
    code, out, _ = run(capsys, "--data", data, "actions", "--all", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 13
    assert {r["status"] for r in rows} == {"open", "done", "dropped"}
    assert sum(r["overdue"] == "yes" for r in rows) == 4
    code, out, _ = run(capsys, "--data", data, "actions", "--format", "json")
    doc = json.loads(out)
    assert len(doc) == 7 and doc[0]["id"] == "act-2026-11-03" and doc[0]["overdue"]
    target = tmp_path / "actions.json"
    code, out, _ = run(capsys, "--data", data, "actions", "-f", "json", "-o", str(target))
    assert code == 0 and "Wrote 7 action(s)" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    code, _, err = run(capsys, "--data", data, "actions", "-f", "json", "-o", str(target))
    assert code == 1 and "--force" in err
    code, _, _ = run(capsys, "--data", data, "actions", "-o", str(target), "--force")
    assert code == 0 and target.read_text().startswith("REPORT BACK")


def test_confidential_action_text_only_when_asked(data, capsys):
    _, out, _ = run(capsys, "--data", data, "actions", "-f", "json")
    assert "HV-2611" not in out
    _, out, err = run(capsys, "--data", data, "actions", "-f", "json", "--include-confidential")
    assert "HV-2611" in out and "confidential" in err


def test_actions_ics(data, capsys, tmp_path):
    target = tmp_path / "report-backs.ics"
    code, _out, err = run(capsys, "--data", data, "actions", "-f", "ics", "-o", str(target))
    assert code == 0, err
    text = target.read_text()
    assert text.count("BEGIN:VEVENT") == 7
    assert "DTSTART;VALUE=DATE:20261210" in text  # the "next meeting" action, on its day
    assert "HV-2611" not in text and "details withheld" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_roster_export_and_import(data, capsys, tmp_path):
    code, out, _ = run(capsys, "--data", data, "roster", "export")
    assert code == 0 and out.startswith("organization,sector,")
    assert len(out.strip().splitlines()) == 26
    code, out, _ = run(capsys, "--data", data, "roster", "export", "--format", "json")
    assert len(json.loads(out)["organizations"]) == 13
    target = tmp_path / "roster.csv"
    code, out, _ = run(capsys, "--data", data, "roster", "export", "-o", str(target))
    assert code == 0 and "13 organizations and 25 members" in out
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    fresh = str(tmp_path / "fresh")
    run(capsys, "--data", fresh, "init", "--name", "Fresh")
    before = digest(Path(fresh))
    code, out, _ = run(capsys, "--data", fresh, "roster", "import", str(target), "--dry-run")
    assert code == 0 and "Dry run: 13 organization(s) added" in out
    assert "+ member Marcus Delaney (Port Merrow Police Department)" in out
    assert digest(Path(fresh)) == before
    code, out, _ = run(capsys, "--data", fresh, "roster", "import", str(target))
    assert code == 0 and out.strip().endswith("25 member(s) added, 0 updated (from 25 row(s)).")
    code, out, _ = run(capsys, "--data", fresh, "roster", "import", str(target))
    assert "Nothing to change" in out


def test_roster_import_errors(data, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("organization,sector,member,contact\nNowhere,,Al,al@\n", "utf-8")
    before = digest(Path(data))
    code, _, err = run(capsys, "--data", data, "roster", "import", str(bad))
    assert code == 1
    assert "row 2, column organization: unknown organization 'Nowhere'" in err
    assert "row 2, column contact: bad e-mail address 'al@'" in err
    assert "Traceback" not in err
    assert digest(Path(data)) == before
    code, _, err = run(capsys, "--data", data, "roster", "import", str(tmp_path / "none.csv"))
    assert code == 2 and "No file" in err
    code, _, err = run(capsys, "--data", data, "roster")
    assert code == 2 and "roster export" in err


def test_search(data, capsys):
    code, out, err = run(capsys, "--data", data, "search", "referral", "flowchart")
    assert code == 0
    assert "mtg-2026-11  Decision" in out
    assert "match(es) for 'referral flowchart'" in out
    assert "confidential notes were not searched" in err
    _, out, _ = run(capsys, "--data", data, "search", "HV-2611")
    assert out.strip() == "0 match(es) for 'HV-2611'."
    _, out, err = run(capsys, "--data", data, "search", "HV-2611", "--include-confidential")
    assert out.count("(C)") == 3 and "include confidential" in err
    _, out, _ = run(capsys, "--data", data, "search", "flowchart", "--format", "json")
    assert {h["kind"] for h in json.loads(out)} >= {"decision", "action"}


def test_terminal_output_has_no_control_sequences(data, capsys):
    # Written straight into the file, as a hand-edited or foreign file could hold it.
    path = Path(data) / "meetings" / "mtg-2026-11.json"
    doc = json.loads(path.read_text("utf-8"))
    for record in doc["actions"].values():
        if record["id"] == "act-2026-11-01":
            record["text"] = "Evil\x1b]0;TITLE\x07 text \x1b[31mred"
    path.write_text(json.dumps(doc), "utf-8")
    _, out, _ = run(capsys, "--data", data, "actions")
    assert "Evil text red" in out
    assert "\x1b" not in out and "\x07" not in out
