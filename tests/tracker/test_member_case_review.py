"""A member's case-review standing (issue 16): an individual confidentiality undertaking, or a
roster flag to step out; kept through the roster CSV and the member form."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate.domain.common import FacilitateError
from facilitate.domain.roster import Profile
from facilitate.storage.workspace import Workspace
from facilitate.tracker.roster_csv import COLUMNS, export_csv, import_roster

CSV = (
    "organization,sector,mou_status,member,role,undertaking,steps_out\r\n"
    "Unified Schools,educators,none,Linda Johansson,Director,yes,\r\n"
    "Unified Schools,educators,none,Mateo Herrera,Counselor,,\r\n"
    "Harbor PD,law_enforcement_local,none,Priya Raman,Officer,no,yes\r\n"
)


def empty(root: Path) -> Workspace:
    ws = Workspace.create(root)
    with ws.transaction() as tx:
        tx.add(Profile(name="Task force"))
    return ws


def flags(ws: Workspace) -> dict[str, tuple[bool, bool]]:
    return {m.name: (m.undertaking, m.steps_out) for m in ws.snapshot().roster().members}


def test_csv_import_sets_the_flags_and_export_round_trips(tmp_path: Path) -> None:
    ws = empty(tmp_path / "a")
    import_roster(ws, CSV.encode())
    assert flags(ws) == {
        "Linda Johansson": (True, False),
        "Mateo Herrera": (False, False),
        "Priya Raman": (False, True),
    }
    assert COLUMNS[-2:] == ["undertaking", "steps_out"]
    data = export_csv(ws.snapshot().roster())
    again = empty(tmp_path / "b")
    import_roster(again, data)
    assert flags(again) == flags(ws)
    # An empty cell keeps the value; a change is listed.
    plan = import_roster(
        ws, b"organization,member,undertaking\r\nUnified Schools,Mateo Herrera,yes\r\n"
    )
    assert any("undertaking yes" in line for line in plan.changes)
    assert flags(ws)["Mateo Herrera"] == (True, False)
    assert flags(ws)["Linda Johansson"] == (True, False)


def test_a_bad_flag_is_named_with_its_row_and_nothing_is_written(tmp_path: Path) -> None:
    ws = empty(tmp_path / "a")
    bad = CSV.replace("Officer,no,yes", "Officer,no,perhaps")
    with pytest.raises(FacilitateError) as info:
        import_roster(ws, bad.encode())
    assert "steps_out" in str(info.value) and "4" in str(info.value)
    assert ws.snapshot().roster().members == []
