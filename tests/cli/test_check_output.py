"""Where `facilitate check` writes: problems and their count on stderr (stdout only says
"Workspace OK." or a note), or everything on stdout as one JSON object with --format json.
The exit codes are the same either way: 0 clean, 1 problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facilitate.cli import main

MEETING = "mtg-2026-10"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def broken(data: Path, hostile_strings: list[str]) -> Path:
    """Three problems a member would really meet: a file opened to other users, an action
    pointing at a subcommittee that was deleted, and a member (with a name from the hostile
    list) in an organization that no longer exists."""
    (data / "collaborative.json").chmod(0o644)
    path = data / "meetings" / f"{MEETING}.json"
    doc = json.loads(path.read_text("utf-8"))
    next(iter(doc["actions"].values()))["subcommittee_id"] = "sub-dissolved"
    path.write_text(json.dumps(doc), "utf-8")
    collab = data / "collaborative.json"
    roster = json.loads(collab.read_text("utf-8"))
    member = next(iter(roster["members"].values()))
    member["name"] = next(s for s in hostile_strings if "\x1b]0;" in s)
    member["organization_id"] = "org-merged-away"
    collab.write_text(json.dumps(roster), "utf-8")
    return data


def test_problems_and_their_count_go_to_stderr(broken: Path, capsys) -> None:
    code, out, err = run(capsys, "--data", str(broken), "check")
    assert code == 1
    assert out == ""  # nothing to parse on stdout when something is wrong
    lines = err.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) found."
    assert any("sub-dissolved" in line and f"{MEETING}.json" in line for line in lines)
    assert any("org-merged-away" in line for line in lines)
    assert any("collaborative.json: mode 0644" in line for line in lines)
    assert "\x1b" not in err


def test_a_clean_workspace_says_so_on_stdout(data: Path, capsys) -> None:
    assert run(capsys, "--data", str(data), "check") == (0, "Workspace OK.\n", "")


def test_json_puts_every_problem_on_stdout(broken: Path, capsys) -> None:
    code, _, err = run(capsys, "--data", str(broken), "check")
    text_lines = err.splitlines()[:-1]
    code_json, out, err_json = run(capsys, "--data", str(broken), "check", "--format", "json")
    assert (code_json, err_json) == (code, "")
    report = json.loads(out)
    assert set(report) == {"ok", "count", "problems", "notes"}
    assert report["ok"] is False
    assert report["count"] == len(report["problems"]) == len(text_lines) >= 3
    assert [p["message"] for p in report["problems"]] == text_lines
    files = {p["file"] for p in report["problems"]}
    assert {"collaborative.json", f"meetings/{MEETING}.json"} <= files
    assert all(set(p) == {"file", "message"} for p in report["problems"])
    assert "\x1b" not in out and "\x07" not in out  # the hostile name, filtered


def test_json_for_a_clean_workspace(data: Path, capsys) -> None:
    code, out, err = run(capsys, "--data", str(data), "check", "-f", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"ok": True, "count": 0, "problems": [], "notes": []}


def test_json_names_the_workspace_folder_and_no_file_for_a_refusal(data: Path, capsys) -> None:
    data.chmod(0o755)
    code, out, _ = run(capsys, "--data", str(data), "check", "--format", "json")
    assert code == 1
    problems = json.loads(out)["problems"]
    assert problems[0]["file"] is None and "can be read by other users" in problems[0]["message"]
    assert any(p["file"] == "." and "chmod 0700" in p["message"] for p in problems)


def test_an_unknown_format_is_a_usage_error(data: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--data", str(data), "check", "--format", "xml"])
    out, err = capsys.readouterr()
    assert (exited.value.code, out) == (2, "")
    assert err.startswith("facilitate: ") and "json" in err and err.count("\n") == 1


def test_json_names_a_damaged_file_relative_to_the_workspace(data: Path, capsys) -> None:
    """A damaged file's message starts with its absolute path and quotes the parser (with a
    colon of its own): the file is still the path, relative to the workspace."""
    target = data / "meetings" / f"{MEETING}.json"
    target.write_text('{"_meta": {"1": {"schema_version": 1}}, "agenda": {', "utf-8")
    code, out, _ = run(capsys, "--data", str(data), "check", "--format", "json")
    assert code == 1
    problems = json.loads(out)["problems"]
    damaged = [p for p in problems if "damaged" in p["message"]]
    assert damaged and all(p["file"] == f"meetings/{MEETING}.json" for p in damaged)
    assert all(p["file"] for p in problems), problems
