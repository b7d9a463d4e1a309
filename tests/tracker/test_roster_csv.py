"""Roster CSV: export, validating all-or-nothing import, round trips, hostile names."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pendulum
import pytest

from facilitate.domain.common import FacilitateError, clean_text
from facilitate.domain.roster import Member, MouStatus, Organization, Profile, Sector
from facilitate.storage.workspace import Workspace
from facilitate.tracker.csv_cells import protect, unprotect
from facilitate.tracker.roster_csv import (
    COLUMNS,
    RosterImportError,
    export_csv,
    export_json,
    import_roster,
)

from ..conftest import HOSTILE_STRINGS
from .conftest import digest

HEADER = ",".join(COLUMNS)


def empty_workspace(root: Path) -> Workspace:
    ws = Workspace.create(root)
    with ws.transaction() as tx:
        tx.add(Profile(name="Fresh task force"))
    return ws


def roster_shape(ws: Workspace) -> tuple:
    """Everything a roster export carries, without ids or revs."""
    roster = ws.snapshot().roster()
    orgs = {o.id: o for o in roster.organizations}
    return (
        sorted(
            (o.name, o.sector, o.mou_status, o.mou_signed_on, o.partnership, o.active)
            for o in roster.organizations
        ),
        sorted(
            (m.name, m.role, m.contact, m.active, orgs[m.organization_id].name)
            for m in roster.members
        ),
    )


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# --- export -------------------------------------------------------------------------------


def test_export_has_one_row_per_member_and_memberless_orgs(sample):
    with sample.transaction() as tx:
        tx.add(Organization(name="Empty Org", sector=Sector.MEDIA))
    data = export_csv(sample.snapshot().roster())
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM so Excel reads UTF-8"
    rows = rows_of(data)
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 25 + 1
    empty = [r for r in rows if r["organization"] == "Empty Org"]
    assert empty == [
        {
            "organization": "Empty Org",
            "sector": "media",
            "mou_status": "none",
            "mou_signed_on": "",
            "partnership": "informal",
            "organization_active": "yes",
            "member": "",
            "role": "",
            "contact": "",
            "member_active": "",
            "email": "",
            "undertaking": "",
            "steps_out": "",
        }
    ]
    pmpd = [r for r in rows if r["organization"] == "Port Merrow Police Department"]
    assert {r["member"] for r in pmpd} == {"Marcus Delaney", "Priya Raman"}
    assert {r["mou_status"] for r in pmpd} == {"signed"}
    assert {r["mou_signed_on"] for r in pmpd} == {"2024-03-14"}


def test_json_export(sample):
    doc = json.loads(export_json(sample.snapshot().roster()))
    assert len(doc["organizations"]) == 13
    assert sum(len(o["members"]) for o in doc["organizations"]) == 25
    assert doc["organizations"][0]["sector_label"]


# --- import: reading ------------------------------------------------------------------------


def test_bom_excel_quoting_and_line_breaks(tmp_path):
    ws = empty_workspace(tmp_path / "ws")
    text = (
        "\ufeffOrganization,Sector,MOU status,MOU signed on,Partnership,Organization active,"
        "Member,Role,Contact,Member active\r\n"
        '"Smith, Jones & Partners LLP",private_sector,Signed,2025-02-01,formal,yes,'
        '"Ana ""Nana"" Ortiz","Counsel, pro bono\nTuesdays",ana@sj.example,yes\r\n'
        '"Smith, Jones & Partners LLP",,,,,,Bo Li,,,\r\n'
    )
    plan = import_roster(ws, text.encode("utf-8"), source="excel.csv")
    assert plan.summary().startswith("1 organization(s) added")
    roster = ws.snapshot().roster()
    [org] = roster.organizations
    assert org.name == "Smith, Jones & Partners LLP"
    assert (org.sector, org.mou_status) == (Sector.PRIVATE_SECTOR, MouStatus.SIGNED)
    assert org.mou_signed_on == pendulum.date(2025, 2, 1)
    ana = next(m for m in roster.members if m.name.startswith("Ana"))
    assert ana.name == 'Ana "Nana" Ortiz'
    assert ana.role == "Counsel, pro bono\nTuesdays"
    assert {m.name for m in roster.members} == {'Ana "Nana" Ortiz', "Bo Li"}


def test_without_bom_with_semicolons_and_labels(tmp_path):
    ws = empty_workspace(tmp_path / "ws")
    text = (
        "organization;sector;mou_status;member;email\n"
        "Clinique Sainte-Anne;Health care;In review;Élodie Brün;elodie@clinique.example\n"
    )
    import_roster(ws, text.encode("utf-8"))
    roster = ws.snapshot().roster()
    assert roster.organizations[0].sector is Sector.HEALTH_CARE
    assert roster.organizations[0].mou_status is MouStatus.IN_REVIEW
    assert roster.members[0].name == "Élodie Brün"
    assert roster.members[0].email == "elodie@clinique.example"  # the email column


def test_not_utf8_is_one_clear_error(tmp_path):
    ws = empty_workspace(tmp_path / "ws")
    data = "organization,sector\nCaf\xe9 Org,media\n".encode("latin-1")
    with pytest.raises(FacilitateError, match=r"not UTF-8 .*CSV UTF-8"):
        import_roster(ws, data, source="old.csv")


# --- import: validation ---------------------------------------------------------------------


BAD = f"""{HEADER}
Port Merrow Police Department,,,,,,Zoe New,Officer,zoe@pmpd,
Nowhere Agency,,,,,,Al,,,
Harbor Legal Aid,lawyers,,,,,Bea,,,
Harbor Valley Courts,judges,signed,,,,,,,
Port Merrow Police Department,,,,,,Marcus Delaney,,,
Port Merrow Police Department,,,,,,marcus  DELANEY,,,
Harbor Valley Courts,judges,maybe,,,,,,,
Harbor Valley Courts,media,,,,,,,,
St. Brigid Regional Medical Center,,,13/45/2026,,,,,,
Safe Passage Harbor Valley,,,,,sometimes,,,,
,,,,,,Orphan,,,
Lantern House Youth Shelter,,,,,,,Director,,
Lantern House Youth Shelter,,,,,,Kim,,,perhaps
"""


def test_every_problem_is_reported_with_row_and_column(sample):
    before = digest(sample.root)
    with pytest.raises(RosterImportError) as info:
        import_roster(sample, BAD.encode("utf-8"), source="bad.csv")
    message = str(info.value)
    expected = [
        "row 2, column contact: bad e-mail address 'zoe@pmpd'",
        "row 3, column organization: unknown organization 'Nowhere Agency'",
        "row 4, column sector: unknown sector 'lawyers'",
        "row 5, column mou_signed_on: empty, but the MOU is signed",
        "row 7, column member: duplicate person 'marcus  DELANEY'",
        "already on row 6",
        "row 8, column mou_status: Unknown MOU status 'maybe'",
        "row 9, column sector: 'media' differs from row 5",
        "row 10, column mou_signed_on: '13/45/2026' is not a date",
        "row 11, column organization_active: 'sometimes' is not yes or no",
        "row 12, column organization: empty",
        "row 13, column member: empty, but role is given",
        "row 14, column member_active: 'perhaps' is not yes or no",
    ]
    for line in expected:
        assert line in message, line
    assert "unknown organization 'Harbor Legal Aid'" not in message  # its sector was the issue
    assert message.startswith("bad.csv: ")
    assert "nothing was imported" in message
    assert "Sectors: law_enforcement_local" in message  # the list, once, at the end
    assert digest(sample.root) == before, "nothing is written when any row is bad"


def test_header_problems(sample):
    with pytest.raises(RosterImportError, match="header, column organization: missing"):
        import_roster(sample, b"member,role\nA,B\n")
    with pytest.raises(RosterImportError, match="header, column Colour: unknown column"):
        import_roster(sample, b"organization,Colour\nA,red\n")
    with pytest.raises(RosterImportError, match="the file is empty"):
        import_roster(sample, b"\xef\xbb\xbf\r\n")


def test_an_impossible_mou_date_says_why(tmp_path):
    ws = empty_workspace(tmp_path / "ws")
    data = f"{HEADER}\nOrg A,media,signed,2026-02-30,,,,,,\n".encode()
    with pytest.raises(RosterImportError) as info:
        import_roster(ws, data)
    assert (
        "row 2, column mou_signed_on: 2026-02-30 is not a real date: February 2026 has 28 days"
        in str(info.value)
    )


def test_one_bad_row_among_many_writes_nothing(tmp_path):
    ws = empty_workspace(tmp_path / "ws")
    lines = [HEADER] + [f"Org {n},media,,,,,Person {n},,p{n}@x.example,yes" for n in range(50)]
    lines.append("Org 51,media,,,,,Bad Email,,bad@,yes")
    before = digest(ws.root)
    with pytest.raises(RosterImportError) as info:
        import_roster(ws, "\n".join(lines).encode("utf-8"))
    assert "row 52, column contact" in str(info.value)
    assert len(info.value.problems) == 1
    assert digest(ws.root) == before
    assert ws.snapshot().roster().organizations == []


def test_dry_run_reports_changes_and_writes_nothing(sample):
    text = f"""{HEADER}
Port Merrow Police Department,,,,,,Priya Raman,Sergeant,,
Harbor Valley Unified School District,,signed,2026-12-01,formal,,,,,
Ashford County Public Defender,defense_attorneys,,,,,Carla Jensen,Deputy,,
"""
    before = digest(sample.root)
    plan = import_roster(sample, text.encode("utf-8"), dry_run=True)
    assert digest(sample.root) == before
    assert plan.changes == [
        "~ organization Harbor Valley Unified School District: MOU In review -> Signed "
        "2026-12-01, partnership informal -> formal",
        "+ organization Ashford County Public Defender (Defense attorneys, MOU None)",
        "~ member Priya Raman (Port Merrow Police Department): role 'Youth Services Officer' "
        "-> 'Sergeant'",
        "+ member Carla Jensen (Ashford County Public Defender)",
    ]
    plan = import_roster(sample, text.encode("utf-8"))
    roster = sample.snapshot().roster()
    assert roster.member("mem-priya-raman").role == "Sergeant"
    assert roster.org("org-hvusd").mou_label() == "Signed 2026-12-01"
    assert any(o.name == "Ashford County Public Defender" for o in roster.organizations)
    # Empty cells keep what was there; nobody missing from the file is removed.
    assert roster.member("mem-priya-raman").contact == "praman@pmpd.example"
    assert len(roster.members) == 26


# --- round trips ----------------------------------------------------------------------------


def test_round_trip_into_a_fresh_workspace(sample, tmp_path):
    with sample.transaction() as tx:
        org = tx.get(Organization, "org-interfaith")
        org.active = False
        tx.update(org)
        member = tx.get(Member, "mem-priya-raman")
        member.active = False
        tx.update(member)
        tx.add(Organization(name="No members yet", sector=Sector.MEDIA))
    data = export_csv(sample.snapshot().roster())
    fresh = empty_workspace(tmp_path / "fresh")
    plan = import_roster(fresh, data)
    assert not plan.problems
    assert roster_shape(fresh) == roster_shape(sample)
    # And importing the same file again changes nothing.
    again = import_roster(fresh, data)
    assert not again.has_changes
    assert export_csv(fresh.snapshot().roster()) == data


USABLE = [s for s in HOSTILE_STRINGS if clean_text(s).strip()]
FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1 555 0100",
    "-2+3",
    "@SUM(A1:A2)",
    "'quoted",
    "''=double",
]


def test_hostile_names_and_formulas_round_trip(tmp_path):
    source = empty_workspace(tmp_path / "source")
    sectors = [s for s in Sector]
    with source.transaction() as tx:
        for n, text in enumerate(USABLE + FORMULAS):
            org = tx.add(Organization(name=f"{text} org", sector=sectors[n % len(sectors)]))
            tx.add(Member(name=text, role=text, organization_id=org.id))
            tx.add(Member(name=f"{text} (2)", organization_id=org.id, contact="+1 555"))
        # A hostile organization name alone, starting with a formula character.
        tx.add(Organization(name="=cmd|' /C calc'!A0", sector=Sector.OTHER))
    data = export_csv(source.snapshot().roster())
    for row in rows_of(data):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    fresh = empty_workspace(tmp_path / "fresh")
    import_roster(fresh, data)
    assert roster_shape(fresh) == roster_shape(source)
    names = {m.name for m in fresh.snapshot().roster().members}
    for text in USABLE + FORMULAS:
        assert clean_text(text).strip() in names


def test_hostile_strings_imported_as_typed(tmp_path):
    """Hostile values typed into a spreadsheet are cleaned like any other input."""
    ws = empty_workspace(tmp_path / "ws")
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["organization", "sector", "member", "role"])
    for n, text in enumerate(HOSTILE_STRINGS):
        writer.writerow([f"Org {n} {text}", "media", text, text])
    import_roster(ws, buf.getvalue().encode("utf-8"))
    roster = ws.snapshot().roster()
    # A blank name is an empty cell: that row adds its organization only.
    assert len(roster.organizations) == len(HOSTILE_STRINGS)
    assert sorted(m.name for m in roster.members) == sorted(clean_text(s).strip() for s in USABLE)
    for m in roster.members:
        assert "\x1b" not in m.name and "\x07" not in m.name and "\x1b" not in m.role
    for o in roster.organizations:
        assert "\x1b" not in o.name


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+x", "-x", "@x", "\tx", "'x", "plain", "", "x=1"],
)
def test_protect_and_unprotect_are_inverse(value):
    protected = protect(value)
    assert not protected.startswith(("=", "+", "-", "@", "\t"))
    assert unprotect(protected) == value
