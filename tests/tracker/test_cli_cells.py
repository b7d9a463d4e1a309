"""`facilitate actions` as a table measured in terminal cells, as wide as the terminal.

Widths are measured here with Rich's cell_len (an implementation independent of the
wcwidth the CLI uses): a CJK character is two cells, a combining mark none, an emoji
ZWJ sequence two."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from facilitate.cli import main
from facilitate.tracker import cli as tracker_cli
from facilitate.tracker.actions import WITHHELD

from .conftest import NOW

CJK = "田中 太郎"  # a CJK owner: 5 characters, 9 cells
LONG_TEXT = (
    "Ask the three shelters for their weekly bed counts and send the summary to the "
    "victim services subcommittee before the next case review."  # 137 characters
)


def _names(hostile_strings: list[str]) -> tuple[str, str]:
    emoji = next(s for s in hostile_strings if "\u200d" in s)  # the judge: a ZWJ sequence
    zalgo = next(s for s in hostile_strings if s.startswith("Zalgo"))  # combining marks
    return emoji, zalgo


@pytest.fixture
def data(tmp_path: Path, capsys, monkeypatch, hostile_strings: list[str]) -> Path:
    """The sample task force, three of whose members have world-shaped non-ASCII names, and
    one action with a long text."""
    monkeypatch.setattr(tracker_cli, "system_clock", lambda: NOW)
    root = tmp_path / "ws"
    assert main(["--data", str(root), "init", "--sample"]) == 0
    capsys.readouterr()
    collab = root / "collaborative.json"
    doc = json.loads(collab.read_text("utf-8"))
    emoji, zalgo = _names(hostile_strings)
    for member in doc["members"].values():  # three owners of the sample's actions
        member["name"] = {
            "mem-sofia-ramirez": CJK,
            "mem-hana-kobayashi": emoji,
            "mem-rebecca-stein": zalgo,
        }.get(member["id"], member["name"])
    collab.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    meeting = root / "meetings" / "mtg-2026-11.json"
    doc = json.loads(meeting.read_text("utf-8"))
    next(iter(doc["actions"].values()))["text"] = LONG_TEXT
    meeting.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return root


def _table(data: Path, capsys, monkeypatch, columns: int, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(columns))
    code = main(["--data", str(data), "actions", "--all", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out.splitlines()


@pytest.mark.parametrize("columns", [80, 120])
def test_non_ascii_owners_align_with_ascii_rows(data, capsys, monkeypatch, columns) -> None:
    lines = _table(data, capsys, monkeypatch, columns)
    header, rows = lines[0], lines[1:-1]
    at = header.index("ACTION")  # the header is ASCII: characters are cells
    texts = _action_texts(data)
    starts = {}
    for line in rows:
        text = next(t for t in texts if t[:12] in line)
        starts[line] = cell_len(line[: line.index(text[:12])])
    assert set(starts.values()) == {at}, starts
    owners = "\n".join(rows)
    assert "田中" in owners and "\u200d" in owners and "z\u0351" in owners
    assert all(cell_len(line) <= columns for line in lines)


def _action_texts(data: Path) -> list[str]:
    texts = []
    for path in (data / "meetings").glob("*.json"):
        doc = json.loads(path.read_text("utf-8"))
        texts += [" ".join(a["text"].split()) for a in doc.get("actions", {}).values()]
    return [t for t in texts if t] + [WITHHELD]


def test_a_wide_terminal_widens_the_table(data, capsys, monkeypatch) -> None:
    wide = _table(data, capsys, monkeypatch, 200)
    assert any(LONG_TEXT in line for line in wide)  # 137 characters: shown whole
    assert all(cell_len(line) <= 200 for line in wide)
    narrow = _table(data, capsys, monkeypatch, 80)
    assert not any(LONG_TEXT in line for line in narrow)
    assert all(cell_len(line) <= 80 for line in narrow)
    assert max(map(cell_len, wide)) > max(map(cell_len, narrow))


def test_a_narrow_terminal_narrows_the_table(data, capsys, monkeypatch) -> None:
    lines = _table(data, capsys, monkeypatch, 60)
    assert all(cell_len(line) <= 60 for line in lines), max(lines, key=cell_len)
    assert lines[-1].startswith("13 action(s), 4 overdue")
    cut = [line for line in lines[1:-1] if line.endswith("…")]
    assert cut  # long cells end in an ellipsis, never mid-character


def test_a_cut_never_splits_a_wide_character(data, capsys, monkeypatch) -> None:
    collab = data / "collaborative.json"
    doc = json.loads(collab.read_text("utf-8"))
    for member in doc["members"].values():
        if member["id"] == "mem-daniel-okafor":
            member["name"] = "田中" * 30  # 120 cells
    collab.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    lines = _table(data, capsys, monkeypatch, 80)
    header_at = lines[0].index("ACTION")
    row = next(line for line in lines if "田中田中" in line)
    owner = row[21 : row.index("…") + 1]
    assert owner.endswith("…") and "田中" in owner
    assert cell_len(row[: row.index("…") + 1]) <= header_at - 1
    assert cell_len(row[: row.index("…") + 1].rstrip()) >= header_at - 3  # filled, not halved


def test_a_table_written_to_a_file_keeps_whole_cells(data, capsys, monkeypatch, tmp_path):
    target = tmp_path / "actions.txt"
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["--data", str(data), "actions", "--all", "-o", str(target)]) == 0
    lines = target.read_text("utf-8").splitlines()
    assert any(LONG_TEXT in line for line in lines) and "…" not in "\n".join(lines)
    at = lines[0].index("ACTION")
    texts = _action_texts(data)
    for line in lines[1:-1]:
        text = next(t for t in texts if t[:12] in line)
        assert cell_len(line[: line.index(text[:12])]) == at, line
