"""`facilitate check` looks inside every record (issue 18, defect 7): what a hand edit or a
hostile member of a shared group can leave in a file is reported on one line naming the file,
the record and the field, with how to fix it. Before, each of these gave "Workspace OK"."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitate.cli import main

MEETING = "mtg-2026-11"


def _check(data: Path, capsys) -> tuple[int, list[str]]:
    """check's exit code and what it says: its problems (on stderr), or "Workspace OK."."""
    code = main(["--data", str(data), "check"])
    out, err = capsys.readouterr()
    if code:  # problems and their count on stderr; stdout keeps at most notes
        assert all(line.startswith("Note: ") for line in out.splitlines()), out
        return code, err.splitlines()
    return code, out.splitlines()


def _meeting_doc(data: Path) -> tuple[Path, dict]:
    path = data / "meetings" / f"{MEETING}.json"
    return path, json.loads(path.read_text("utf-8"))


def _first(doc: dict, table: str) -> dict:
    return next(iter(doc[table].values()))


def _vote(doc: dict) -> dict:
    return next(d for d in doc["decisions"].values() if d["method"] == "vote")


def _turn(doc: dict, **changes: object) -> dict:
    """A speaking turn on the held meeting's first item, as the program stores it."""
    item = _first(doc, "agenda")
    attendance = _first(doc, "attendance")
    turn = {
        "id": "trn-check-1",
        "rev": 1,
        "meeting_id": MEETING,
        "item_id": item["id"],
        "attendance_id": attendance["id"],
        "name": attendance["name"],
        "organization": attendance["organization_name"],
        "sector": "survivors",
        "status": "spoke",
        "position": 1,
        "spans": [{"start": "2026-11-12T16:05:00+00:00", "end": "2026-11-12T16:07:00+00:00"}],
        "round_id": None,
        "note": "",
        "confidential": False,
    }
    turn.update(changes)
    return turn


def _two_actions(doc: dict) -> tuple[dict, dict]:
    a, b = list(doc["actions"].values())[:2]
    return a, b


# (what is done to the held meeting's file, words the problem line must hold)
CASES: dict[str, tuple[Callable[[dict], object], list[str]]] = {
    "negative minutes": (
        lambda d: _first(d, "agenda").update(planned_minutes=-5),
        ["planned_minutes", "-5", "0-1440"],
    ),
    "absurd minutes": (
        lambda d: _first(d, "agenda").update(planned_minutes=50_000),
        ["planned_minutes", "50000"],
    ),
    "negative votes": (lambda d: _vote(d).update(votes_against=-3), ["-3", "Votes against"]),
    "duplicate ids": (
        lambda d: _two_actions(d)[1].update(id=_two_actions(d)[0]["id"]),
        ["used twice"],
    ),
    "record with no id": (lambda d: _first(d, "decisions").pop("id"), ["has no id", "decisions"]),
    "unknown time zone": (
        lambda d: _first(d, "meeting").update(timezone="Mars/Olympus"),
        ["timezone", "Mars/Olympus"],
    ),
    "control characters": (
        lambda d: _first(d, "agenda").update(title="Budget\x1b]0;pwned\x07\x1b[2J"),
        ["field title", "control characters"],
    ),
    "bidi override": (
        lambda d: _first(d, "decisions").update(text="Approved \u202etxt.exe"),
        ["field text", "bidi override"],
    ),
    "huge text field": (
        lambda d: _first(d, "agenda").update(notes="x" * 100_001),
        ["notes", "100,001 characters"],
    ),
    "impossible date": (
        lambda d: _first(d, "actions").update(due="2026-02-30"),
        ["due", "2026-02-30"],
    ),
    "year 1850": (lambda d: _first(d, "actions").update(due="1850-01-01"), ["due", "1850"]),
    "bad rating": (lambda d: _first(d, "feedback").update(rating=9), ["Rating 9"]),
    "unknown agenda item": (
        lambda d: _first(d, "decisions").update(agenda_item_id="itm-gone"),
        ["unknown agenda item itm-gone"],
    ),
    "record filed under another meeting": (
        lambda d: _first(d, "actions").update(meeting_id="mtg-2026-10"),
        ["belongs to meeting 'mtg-2026-10'"],
    ),
    "damaged speaking turn": (
        lambda d: d.setdefault("turns", {}).update({"1": _turn(d, status="chatting")}),
        ["damaged record", "SpeakingTurn trn-check-1", "status", "'chatting'"],
    ),
    "speaking turn with a text for spans": (
        lambda d: d.setdefault("turns", {}).update({"1": _turn(d, spans="ten minutes")}),
        ["damaged record", "SpeakingTurn trn-check-1", "spans", "expected a list"],
    ),
    "speaking turn ending before it starts": (
        lambda d: d.setdefault("turns", {}).update(
            {
                "1": _turn(
                    d,
                    spans=[
                        {"start": "2026-11-12T16:10:00+00:00", "end": "2026-11-12T16:05:00+00:00"}
                    ],
                )
            }
        ),
        ["speaking turn trn-check-1", "ending before it starts"],
    ),
    "speaking turn on an unknown item": (
        lambda d: d.setdefault("turns", {}).update({"1": _turn(d, item_id="itm-gone")}),
        ["speaking turn trn-check-1", "unknown agenda item itm-gone"],
    ),
    "damaged speaking round": (
        lambda d: d.setdefault("rounds", {}).update(
            {"1": {"id": "rnd-x", "meeting_id": MEETING, "item_id": "i", "turn_seconds": -4}}
        ),
        ["damaged record", "SpeakingRound rnd-x", "turn_seconds"],
    ),
    "span ending before it starts": (
        lambda d: next(i for i in d["agenda"].values() if i["spans"])["spans"][0].update(
            end="2026-11-05T00:00:00+00:00"
        ),
        ["spans[0]"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_check_names_the_file_record_and_field(data, capsys, case) -> None:
    change, words = CASES[case]
    path, doc = _meeting_doc(data)
    change(doc)
    path.write_text(json.dumps(doc), "utf-8")
    before = path.read_bytes()
    code, lines = _check(data, capsys)
    assert code == 1, lines
    hits = [line for line in lines if all(w in line for w in words)]
    assert hits, (case, lines)
    assert all(f"{MEETING}.json" in line for line in hits)
    assert any(("fix" in line or "restore" in line) for line in hits)
    assert path.read_bytes() == before


def test_every_damaged_record_is_reported_not_only_the_first(data, capsys) -> None:
    path, doc = _meeting_doc(data)
    items = list(doc["agenda"].values())
    items[0]["planned_minutes"] = "five"
    items[1]["timezone"] = "ignored: not a field of agenda items"
    items[2]["title"] = 42
    path.write_text(json.dumps(doc), "utf-8")
    code, lines = _check(data, capsys)
    assert code == 1
    damaged = [line for line in lines if "damaged record" in line]
    assert len(damaged) == 2
    assert items[0]["id"] in damaged[0] and items[2]["id"] in damaged[1]


def test_a_well_formed_speaking_turn_passes(data, capsys) -> None:
    path, doc = _meeting_doc(data)
    doc.setdefault("turns", {})["1"] = _turn(doc)
    path.write_text(json.dumps(doc), "utf-8")
    _code, lines = _check(data, capsys)
    assert not [line for line in lines if "trn-check-1" in line], lines


def test_a_clean_sample_passes(sample, capsys) -> None:
    assert _check(sample, capsys) == (0, ["Workspace OK."])
