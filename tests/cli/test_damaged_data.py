"""Damaged data is reported, never hidden, never carried forward (issue 18, defect 7).

Each case damages the sample workspace's planned meeting (mtg-2026-12) the way a hand edit, a
bad disk or a hostile group member would, then runs every command that reads or writes it. No
command may raise (a traceback), each that needs the file names it, and the file keeps its bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitate.cli import main

MEETING = "mtg-2026-12"  # planned: a write ('agenda submit') would go ahead on it
HELD = "mtg-2026-11"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _edit(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        doc = json.loads(path.read_text("utf-8"))
        change(doc)
        path.write_text(json.dumps(doc), "utf-8")

    return apply


def _first(doc: dict, table: str) -> dict:
    return next(iter(doc[table].values()))


def _replace_minutes(value: str) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        text, n = re.subn(
            r'"planned_minutes": \d+', f'"planned_minutes": {value}', path.read_text()
        )
        assert n
        path.write_text(text)

    return apply


def _nest(path: Path) -> None:
    text = path.read_text().rstrip()
    assert text.endswith("}")
    path.write_text(text[:-1] + ', "x": {"1": {"deep": ' + "[" * 100_000 + "]" * 100_000 + "}}}")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "100,000-deep nesting": _nest,
    "an integer of 5,000 digits": _replace_minutes("9" * 5000),
    "10**30 planned minutes": _edit(lambda d: _first(d, "agenda").update(planned_minutes=10**30)),
    "time zone Mars/Olympus": _edit(lambda d: _first(d, "meeting").update(timezone="Mars/Olympus")),
    "1e400": _replace_minutes("1e400"),
    "a 200,001-character title": _edit(lambda d: _first(d, "agenda").update(title="A" * 200_001)),
}

COMMANDS = [
    ["check"],
    ["meetings"],
    ["actions", "--all"],
    ["search", "referral"],
    ["agenda", "show", MEETING],
    ["minutes", MEETING],
    ["agenda", "submit", MEETING, "Shelter capacity", "--minutes", "5", "--by", "Ana Ruiz"],
]


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damage_gives_a_clear_error_in_every_command_and_no_write(data, capsys, damage) -> None:
    target = data / "meetings" / f"{MEETING}.json"
    DAMAGE[damage](target)
    before = target.read_bytes()
    for command in COMMANDS:
        code, out, err = run(capsys, "--data", str(data), *command)  # raises on a traceback
        assert target.read_bytes() == before, command
        assert "Traceback" not in out + err
        if command[0] in ("agenda", "minutes", "check"):
            assert code == 1, (command, out, err)
            assert f"{MEETING}.json" in out + err, command
            assert "Workspace OK" not in out
    assert b"Infinity" not in target.read_bytes()


def test_1e400_is_refused_not_written_back_as_infinity(data, capsys) -> None:
    target = data / "meetings" / f"{MEETING}.json"
    _replace_minutes("1e400")(target)
    code, _out, err = run(
        capsys, "--data", str(data), "agenda", "submit", MEETING, "X", "--minutes", "5", "--by", "Y"
    )
    assert code == 1
    assert "1e400" in err and "not a finite number" in err
    assert b"Infinity" not in target.read_bytes()


def test_a_record_that_does_not_decode_blocks_writes_to_its_file(data, capsys) -> None:
    """'agenda submit' never decodes the agenda items: before, it saved the file with the
    damaged item in it (and a fresh audit entry), carrying the damage forward."""
    target = data / "meetings" / f"{MEETING}.json"
    doc = json.loads(target.read_text())
    item = _first(doc, "agenda")
    item["planned_minutes"] = "five"
    target.write_text(json.dumps(doc))
    before = target.read_bytes()
    code, _out, err = run(
        capsys, "--data", str(data), "agenda", "submit", MEETING, "Shelter beds", "--minutes",
        "5", "--by", "Ana Ruiz",
    )  # fmt: skip
    assert code == 1
    assert target.read_bytes() == before
    line = err.strip()
    assert "\n" not in line
    assert f"{MEETING}.json" in line and item["id"] in line and "planned_minutes" in line
    assert "facilitate backups" in line and "nothing can be saved" in line


def test_actions_and_search_name_a_truncated_file_and_exit_1(data, capsys) -> None:
    code, out, _ = run(capsys, "--data", str(data), "actions", "--all", "--format", "json")
    assert code == 0
    every = len(json.loads(out))
    target = data / "meetings" / f"{HELD}.json"
    raw = target.read_bytes()
    target.write_bytes(raw[: len(raw) // 2])
    code, out, err = run(capsys, "--data", str(data), "actions", "--all", "--format", "json")
    assert code == 1
    assert 0 < len(json.loads(out)) < every  # the rest is still listed...
    assert f"{HELD}.json" in err and "incomplete" in err  # ...and the gap is named
    code, out, err = run(capsys, "--data", str(data), "search", "referral")
    assert code == 1
    assert f"{HELD}.json" in err and "skipped" in err
    assert target.read_bytes() == raw[: len(raw) // 2]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(data, capsys, monkeypatch) -> None:
    """A planted 200 MB title took 33 s and 2.2 GB in 'agenda show'; a file larger than any
    data file can be is now refused from its size, without reading it."""
    from facilitate.storage import atomic

    target = data / "meetings" / f"{MEETING}.json"
    limit = max(p.stat().st_size for p in data.rglob("*.json")) + 1
    with target.open("a") as fh:
        fh.write(" " * limit)  # (valid JSON still: only its size is wrong)
    monkeypatch.setattr(atomic, "MAX_DATA_FILE_BYTES", limit)
    read: list[Path] = []
    real = atomic.read_bytes_nofollow

    def reading(path: Path) -> bytes | None:
        read.append(path)
        return real(path)

    monkeypatch.setattr(atomic, "read_bytes_nofollow", reading)
    code, _out, err = run(capsys, "--data", str(data), "agenda", "show", MEETING)
    assert code == 1
    assert f"{MEETING}.json" in err and "more than any facilitate data file holds" in err
    assert target not in read


def test_a_meeting_named_by_id_is_not_blocked_by_another_damaged_file(data, capsys) -> None:
    target = data / "meetings" / f"{MEETING}.json"
    DAMAGE["time zone Mars/Olympus"](target)
    code, out, err = run(capsys, "--data", str(data), "agenda", "proposals", HELD)
    assert code == 0, err
    assert "Monthly meeting" in out
    code, _out, err = run(capsys, "--data", str(data), "agenda", "proposals", "next")
    assert code == 1 and f"{MEETING}.json" in err  # 'next' needs every meeting: said, not guessed
