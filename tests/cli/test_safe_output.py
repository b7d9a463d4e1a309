"""Stored text reaches no terminal raw: every CLI output goes through the one output filter.

Input is cleaned when typed, but a file can be edited by hand, or by any member of a shared
group. Here the hostile text is written straight into the JSON files, as such a member would,
and every command that shows it is run: no ESC, no C1 control (U+009B is a one-byte CSI) and
no bidi override may reach stdout or stderr, in text or in JSON.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.console import dumps_json, safe_document

# Window title, clipboard write (OSC 52, "hello"), clear screen; then the 8-bit forms (CSI as
# U+009B, OSC as U+009D ended by ST U+009C) and a right-to-left override.
PAYLOAD = (
    "\x1b]0;pwned\x07\x1b]52;c;aGVsbG8=\x07\x1b[2J\x9b2J\x9d0;pwned\x9c\u202egnp.exe\u2066x\u2069"
)
# What a terminal could act on, and the overrides that reorder what it shows. (A CR is allowed
# only before LF: CSV and calendar lines end so.)
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def assert_safe(text: str, where: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, f"{where}: {found.group()!r} at {found.start()} in {text!r}"
    assert "pwned" not in text and "aGVsbG8=" not in text, where


def _edit(path: Path, change) -> None:
    doc = json.loads(path.read_text("utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def _first(table: dict) -> dict:
    return table[sorted(table)[0]]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample workspace with PAYLOAD appended to what the commands print."""
    root = tmp_path_factory.mktemp("hostile") / "ws"
    assert main(["--data", str(root), "init", "--sample"]) == 0
    meetings = sorted((root / "meetings").glob("mtg-*.json"))
    held, planned = meetings[-2], meetings[-1]

    def plant_planned(doc: dict) -> None:
        _first(doc["meeting"])["title"] += PAYLOAD
        for proposal in doc["proposals"].values():
            proposal["title"] += PAYLOAD
            proposal["proposed_by"] = (proposal.get("proposed_by") or "") + PAYLOAD
        for item in doc["agenda"].values():
            item["title"] += PAYLOAD
            item["notes"] = (item.get("notes") or "") + PAYLOAD

    def plant_held(doc: dict) -> None:
        _first(doc["meeting"])["title"] += PAYLOAD
        for table in ("actions", "decisions"):
            for record in doc[table].values():
                record["text"] += PAYLOAD
        for item in doc["agenda"].values():
            item["title"] += PAYLOAD
            item["notes"] = (item.get("notes") or "") + " shelter " + PAYLOAD

    def plant_roster(doc: dict) -> None:
        _first(doc["profile"])["name"] += PAYLOAD
        for member in doc["members"].values():
            member["name"] += PAYLOAD
        for sub in doc["subcommittees"].values():
            sub["name"] += PAYLOAD

    _edit(planned, plant_planned)
    _edit(held, plant_held)
    _edit(root / "collaborative.json", plant_roster)
    lines = (root / "audit.log").read_text("utf-8").splitlines()
    first = next(n for n, line in enumerate(lines) if "summary" in json.loads(line))
    entry = json.loads(lines[first])
    entry["summary"] += PAYLOAD
    lines[first] = json.dumps(entry, ensure_ascii=False)
    (root / "audit.log").write_text("\n".join(lines) + "\n", "utf-8")
    # The audit trail now refuses saves over files changed behind its back: accept the
    # planted state, as a member would after finding it, so the writing commands run too.
    accepted = subprocess.run(
        [
            sys.executable,
            "-m",
            "facilitate",
            "--data",
            str(root),
            "check",
            "--accept-tamper",
            "planted for the output-filter test",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in accepted.stderr, accepted.stderr
    return root


COMMANDS = [
    ["meetings"],
    ["agenda", "show", "next"],
    ["agenda", "show", "next", "--format", "ics"],
    ["agenda", "proposals", "next"],
    ["agenda", "report-backs", "next"],
    ["agenda", "submit", "next", "Shelter beds update", "--minutes", "5", "--by", "Ana"],
    ["agenda", "training", "next"],
    ["actions", "--all"],
    ["actions", "--all", "--format", "json"],
    ["actions", "--all", "--format", "csv"],
    ["actions", "--all", "--include-confidential"],
    ["actions", "--owner", "nobody-by-that-name"],  # an error listing the (hostile) names
    ["search", "shelter"],
    ["search", "shelter", "--include-confidential", "--format", "json"],
    ["log"],
    ["roster", "export"],
    ["roster", "export", "--format", "json"],
    ["minutes", "latest"],
    ["minutes", "latest", "--format", "html", "--include-confidential"],
    ["minutes", "approve", "latest"],
    ["meetings", "new", "--date", "in 8 weeks"],
    ["check"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_no_control_or_bidi_character_reaches_the_terminal(planted, capsys, args) -> None:
    main(["--data", str(planted), *args])
    out, err = capsys.readouterr()
    assert out or err
    assert_safe(out, "stdout")
    assert_safe(err, "stderr")


def test_the_planted_records_are_shown_not_hidden(planted, capsys) -> None:
    """The filter removes the sequences, not the records: the titles are still listed."""
    assert main(["--data", str(planted), "meetings"]) == 0
    out = capsys.readouterr().out
    assert out.count("gnp.exex\t") == 2  # the two planted titles, their sequences removed
    assert main(["--data", str(planted), "actions", "--all", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["text"] is None or "\x9b" not in r["text"] for r in rows)


def test_json_output_removes_what_json_dumps_lets_through() -> None:
    # json.dumps escapes ESC, but not U+009B (CSI), U+009D (OSC) or the bidi overrides.
    raw = json.dumps({"t": PAYLOAD}, ensure_ascii=False)
    assert "\x9b" in raw and "\u202e" in raw
    cleaned = dumps_json({"t": PAYLOAD, PAYLOAD: [PAYLOAD, 1, None]})
    assert_safe(cleaned, "dumps_json")
    assert json.loads(cleaned)["t"] == "gnp.exex"


def test_documents_keep_their_crlf_line_ends() -> None:
    assert safe_document("a\r\nb\x1b[2J\r\nc\rd") == "a\r\nb\r\nc\nd"


def test_nothing_prints_around_the_filter() -> None:
    """Every print goes through facilitate.console: no print() or sys.stdout/stderr.write()
    anywhere else in the program (a new command cannot forget the filter)."""
    import ast

    src = Path(__file__).resolve().parents[2] / "src" / "facilitate"
    offenders = []
    for path in sorted(src.rglob("*.py")):
        if path.name == "console.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "print":
                offenders.append(f"{path.relative_to(src)}:{node.lineno} print()")
            elif (
                isinstance(func, ast.Attribute)
                and func.attr == "write"
                and isinstance(func.value, ast.Attribute)
                and func.value.attr in ("stdout", "stderr")
            ):
                offenders.append(f"{path.relative_to(src)}:{node.lineno} sys.{func.value.attr}")
    assert offenders == []
