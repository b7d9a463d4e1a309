"""The roster as a spreadsheet: CSV (and JSON) export, and a validating CSV import.

Coalitions keep their rosters in spreadsheets, so the CSV has one row per member with the
organization's details repeated on each row, plus one row for each organization without members:

    organization, sector, mou_status, mou_signed_on, partnership, organization_active,
    member, role, contact, member_active, email, undertaking, steps_out

``undertaking``: the member signed a confidentiality undertaking of their own (may stay for case
review without a signed MOU); ``steps_out``: the task force asks them to step out of case
review whatever the MOU says (both yes/no).
``email``: where circulated minutes and agendas are sent (optional).

Import rules:
- UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), Excel-style quoting (doubled
  quotes, commas and line breaks inside quoted cells); a header row is required, columns may come
  in any order, and ``;`` separated files (Excel in many European locales) are recognised.
- Organizations and members are matched by name (ignoring case and extra spaces); members within
  their organization. Unknown organizations are created when the row gives a sector. Cells left
  empty keep the existing value. Nothing is deleted: people missing from the file stay.
- Every row is validated first and every problem reported with its row number (the header is
  row 1, as a spreadsheet shows it) and column. Nothing is written unless every row is valid.
- Cells are protected against formula injection on export and unprotected on import; see
  ``csv_cells``.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

import pendulum
from pendulum import Date

from ..console import dumps_json
from ..domain.common import (
    MAX_NAME,
    FacilitateError,
    ValidationError,
    clean_text,
    impossible_date,
)
from ..domain.roster import (
    Member,
    MouStatus,
    Organization,
    Roster,
    Sector,
    check_email,
)
from ..storage.workspace import Workspace
from .csv_cells import protect, unprotect
from .roster import EMAIL, name_key, parse_mou, parse_partnership, parse_sector

COLUMNS = [
    "organization",
    "sector",
    "mou_status",
    "mou_signed_on",
    "partnership",
    "organization_active",
    "member",
    "role",
    "contact",
    "member_active",
    "email",
    "undertaking",
    "steps_out",
]
MEMBER_FLAGS = ("undertaking", "steps_out")  # yes/no cells of a member's row
ALIASES = {
    "org": "organization",
    "organisation": "organization",
    "organization_name": "organization",
    "mou": "mou_status",
    "mou_date": "mou_signed_on",
    "mou_signed": "mou_signed_on",
    "signed_on": "mou_signed_on",
    "partnership_type": "partnership",
    "name": "member",
    "member_name": "member",
    "person": "member",
    "title": "role",
    "e_mail": "email",
    "email_address": "email",
    "active": "member_active",
}
MAX_ROLE = 200
MAX_CONTACT = 200
MAX_ERRORS_SHOWN = 100


# --- export ---------------------------------------------------------------------------------


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def roster_records(roster: Roster) -> list[dict[str, str]]:
    """One dict per CSV row: every member with their organization, then member-less orgs."""
    rows: list[dict[str, str]] = []
    by_org: dict[str, list[Member]] = {}
    for m in roster.members:
        by_org.setdefault(m.organization_id, []).append(m)
    for org in sorted(roster.organizations, key=lambda o: (o.name.lower(), o.id)):
        org_cells = {
            "organization": org.name,
            "sector": org.sector.value,
            "mou_status": org.mou_status.value,
            "mou_signed_on": org.mou_signed_on.to_date_string() if org.mou_signed_on else "",
            "partnership": org.partnership.value,
            "organization_active": _yes(org.active),
        }
        members = sorted(by_org.get(org.id, []), key=lambda m: (m.name.lower(), m.id))
        if not members:
            rows.append(
                {
                    **org_cells,
                    "member": "",
                    "role": "",
                    "contact": "",
                    "member_active": "",
                    "email": "",
                }
                | dict.fromkeys(MEMBER_FLAGS, "")
            )
        for m in members:
            rows.append(
                {
                    **org_cells,
                    "member": m.name,
                    "role": m.role,
                    "contact": m.contact,
                    "member_active": _yes(m.active),
                    "email": m.email,
                    "undertaking": _yes(m.undertaking),
                    "steps_out": _yes(m.steps_out),
                }
            )
    return rows


def export_csv(roster: Roster) -> bytes:
    """The roster as UTF-8 CSV (with a BOM, so Excel reads the accents right)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in roster_records(roster):
        writer.writerow([protect(clean_text(record[c])) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_json(roster: Roster) -> bytes:
    by_org: dict[str, list[Member]] = {}
    for m in roster.members:
        by_org.setdefault(m.organization_id, []).append(m)
    orgs = []
    for org in sorted(roster.organizations, key=lambda o: (o.name.lower(), o.id)):
        orgs.append(
            {
                "id": org.id,
                "name": org.name,
                "sector": org.sector.value,
                "sector_label": org.sector.label,
                "mou_status": org.mou_status.value,
                "mou_signed_on": org.mou_signed_on.to_date_string() if org.mou_signed_on else None,
                "partnership": org.partnership.value,
                "active": org.active,
                "members": [
                    {
                        "id": m.id,
                        "name": m.name,
                        "role": m.role,
                        "contact": m.contact,
                        "email": m.email,
                        "active": m.active,
                        "undertaking": m.undertaking,
                        "steps_out": m.steps_out,
                    }
                    for m in sorted(by_org.get(org.id, []), key=lambda m: (m.name.lower(), m.id))
                ],
            }
        )
    doc = {"collaborative": roster.profile.name, "organizations": orgs}
    return (dumps_json(doc) + "\n").encode("utf-8")  # (stored text filtered, as every output)


# --- import: reading the file -------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "header"
        return f"{where}, column {self.column}: {self.message}"


class RosterImportError(FacilitateError):
    """The file has problems; nothing was written. ``problems`` lists every one."""

    def __init__(self, source: str, problems: list[RowProblem], hint: str = "") -> None:
        self.problems = problems
        shown = [f"  {p}" for p in problems[:MAX_ERRORS_SHOWN]]
        more = len(problems) - len(shown)
        lines = [
            f"{source}: {len(problems)} problem(s); nothing was imported.",
            *shown,
            *([f"  ... and {more} more"] if more > 0 else []),
            *([hint] if hint else []),
        ]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class CsvRow:
    number: int
    cells: dict[str, str]


def decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FacilitateError(
            f"{source} is not UTF-8 text (byte {exc.start}). Save it from your spreadsheet as "
            "'CSV UTF-8 (comma delimited)' and import it again."
        ) from exc


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    if "," not in header and ";" in header:
        return ";"
    if "," not in header and "\t" in header:
        return "\t"
    return ","


def _column_name(raw: str) -> str:
    key = re.sub(r"[\s\-]+", "_", clean_text(unprotect(raw.strip())).strip().lower())
    return ALIASES.get(key, key)


def read_rows(data: bytes, source: str) -> list[CsvRow]:
    """The data rows of a roster CSV, keyed by canonical column names."""
    text = decode(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise FacilitateError(f"{source}: cannot read the CSV ({exc}).") from exc
    while records and not any(c.strip() for c in records[0]):
        records.pop(0)
    if not records:
        raise RosterImportError(
            source, [RowProblem(0, "organization", "the file is empty: expected a header row")]
        )
    header = [_column_name(c) for c in records[0]]
    problems = []
    for n, name in enumerate(header):
        if name and name not in COLUMNS:
            problems.append(
                RowProblem(
                    0,
                    records[0][n].strip() or f"#{n + 1}",
                    f"unknown column (expected: {', '.join(COLUMNS)})",
                )
            )
        elif name and header.index(name) != n:
            problems.append(RowProblem(0, name, "appears twice"))
    if "organization" not in header:
        problems.append(RowProblem(0, "organization", "missing: every row needs an organization"))
    if problems:
        raise RosterImportError(source, problems)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(c.strip() for c in record):
            continue
        cells = {c: "" for c in COLUMNS}
        for n, value in enumerate(record):
            name = header[n] if n < len(header) else ""
            if name:
                cells[name] = unprotect(value.strip()).strip()
            elif value.strip():
                problems.append(
                    RowProblem(number, f"#{n + 1}", "a value outside the header's columns")
                )
        rows.append(CsvRow(number, cells))
    if problems:
        raise RosterImportError(source, problems)
    return rows


# --- import: planning -----------------------------------------------------------------------


@dataclass
class ImportPlan:
    """What an import would do. Built from a roster without touching the workspace."""

    orgs_added: list[Organization] = field(default_factory=list)
    orgs_updated: list[Organization] = field(default_factory=list)
    members_added: list[Member] = field(default_factory=list)
    members_updated: list[Member] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(
            self.orgs_added or self.orgs_updated or self.members_added or self.members_updated
        )

    def summary(self) -> str:
        return (
            f"{len(self.orgs_added)} organization(s) added, {len(self.orgs_updated)} updated; "
            f"{len(self.members_added)} member(s) added, {len(self.members_updated)} updated "
            f"(from {self.rows} row(s))."
        )


_YES = {"yes", "y", "true", "1", "active", "x"}
_NO = {"no", "n", "false", "0", "inactive", "deactivated"}


def _flag(text: str) -> bool:
    key = text.strip().casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValidationError(f"{text!r} is not yes or no")


def _date(text: str) -> Date:
    try:
        parsed = pendulum.parse(text.strip(), exact=True, strict=True)
    except Exception as exc:
        impossible = impossible_date(text)
        if impossible:
            raise ValidationError(impossible) from exc
        raise ValidationError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2026-03-14") from exc
    if isinstance(parsed, pendulum.DateTime):
        return parsed.date()
    if isinstance(parsed, Date):
        return parsed
    raise ValidationError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2026-03-14")


def _text(value: str, limit: int) -> str:
    text = clean_text(value).strip()
    if len(text) > limit:
        raise ValidationError(f"{len(text)} characters long: keep it under {limit}")
    return text


ORG_COLUMNS = ["sector", "mou_status", "mou_signed_on", "partnership", "organization_active"]
_ORG_PARSERS: dict[str, Any] = {
    "sector": parse_sector,
    "mou_status": parse_mou,
    "mou_signed_on": lambda text: _date(text),
    "partnership": parse_partnership,
    "organization_active": lambda text: _flag(text),
}


@dataclass
class _OrgInFile:
    """An organization as the file describes it: its name, the first row naming it, and for
    each organization column the first row that gives a value (later rows must agree)."""

    name: str
    row: int
    values: dict[str, tuple[int, Any]] = field(default_factory=dict)
    failed: bool = False
    sector_given: bool = False  # some row has a sector cell (valid or not)


def _read_orgs(rows: list[CsvRow], problem: Any) -> dict[str, _OrgInFile]:
    """Pass 1: every organization named in the file, with its (agreeing) column values."""
    found: dict[str, _OrgInFile] = {}
    for row in rows:
        cells, n = row.cells, row.number
        try:
            org_name = _text(cells["organization"], MAX_NAME)
            if not org_name:
                raise ValidationError("empty: every row needs the organization's name")
        except ValidationError as exc:
            problem(RowProblem(n, "organization", str(exc)))
            continue
        key = name_key(org_name)
        entry = found.setdefault(key, _OrgInFile(org_name, n))
        entry.sector_given = entry.sector_given or bool(cells["sector"])
        for column in ORG_COLUMNS:
            if not cells[column]:
                continue
            try:
                value = _ORG_PARSERS[column](cells[column])
            except ValidationError as exc:
                message = str(exc)
                if column == "sector":
                    message = f"unknown sector {cells[column]!r} (the sectors are listed below)"
                problem(RowProblem(n, column, message))
                entry.failed = True
                continue
            earlier = entry.values.get(column)
            if earlier is None:
                entry.values[column] = (n, value)
            elif earlier[1] != value:
                problem(
                    RowProblem(
                        n,
                        column,
                        f"{cells[column]!r} differs from row {earlier[0]} for the same "
                        "organization: make the rows agree",
                    )
                )
                entry.failed = True
    return found


def plan_import(rows: list[CsvRow], roster: Roster) -> ImportPlan:
    """Validate every row against ``roster`` and work out the changes (nothing is written)."""
    plan = ImportPlan(rows=len(rows))
    problem = plan.problems.append
    existing_orgs = {name_key(o.name): copy.deepcopy(o) for o in roster.organizations}
    members: dict[tuple[str, str], Member] = {
        (m.organization_id, name_key(m.name)): copy.deepcopy(m) for m in roster.members
    }

    # Pass 2: organizations to add or update. An organization with a bad cell is still
    # checked (so every problem is reported) but never planned.
    orgs: dict[str, Organization] = {}
    for key, entry in _read_orgs(rows, problem).items():
        values = {column: value for column, (_, value) in entry.values.items()}
        org = existing_orgs.get(key)
        if org is None:
            if "sector" not in values:
                if not entry.sector_given:
                    problem(
                        RowProblem(
                            entry.row,
                            "organization",
                            f"unknown organization {entry.name!r}: check the spelling, or "
                            "give a sector to add it",
                        )
                    )
                continue
            org = Organization(name=entry.name, sector=values["sector"])
            if _apply_org(org, values, entry, problem) and not entry.failed:
                orgs[key] = org
                plan.orgs_added.append(org)
                plan.changes.append(
                    f"+ organization {org.name} ({org.sector.label}, MOU {org.mou_label()})"
                )
        else:
            before = copy.deepcopy(org)
            if _apply_org(org, values, entry, problem) and not entry.failed:
                orgs[key] = org
                diff = _org_diff(before, org)
                if diff:
                    plan.orgs_updated.append(org)
                    plan.changes.append(f"~ organization {org.name}: {diff}")

    # Pass 3: members.
    people: dict[tuple[str, str], int] = {}
    added_ids: set[str] = set()
    for row in rows:
        cells, n = row.cells, row.number
        person = cells["member"]
        if not person:
            for column in ("role", "contact", "member_active", "email", *MEMBER_FLAGS):
                if cells[column]:
                    problem(RowProblem(n, "member", f"empty, but {column} is given: add the name"))
                    break
            continue
        try:
            person_name = _text(person, MAX_NAME)
            if not person_name:
                raise ValidationError("empty after removing control characters")
        except ValidationError as exc:
            problem(RowProblem(n, "member", str(exc)))
            continue
        org_key = name_key(clean_text(cells["organization"]))
        person_key = (org_key, name_key(person_name))
        if person_key in people:
            problem(
                RowProblem(
                    n,
                    "member",
                    f"duplicate person {person_name!r} in {cells['organization']!r}: already "
                    f"on row {people[person_key]}",
                )
            )
            continue
        people[person_key] = n
        ok = True
        cells_ok: dict[str, Any] = {}
        for column, limit in (("role", MAX_ROLE), ("contact", MAX_CONTACT)):
            if cells[column]:
                try:
                    cells_ok[column] = _text(cells[column], limit)
                except ValidationError as exc:
                    problem(RowProblem(n, column, str(exc)))
                    ok = False
        contact = cells_ok.get("contact", "")
        if "@" in contact and not EMAIL.match(contact):
            problem(
                RowProblem(n, "contact", f"bad e-mail address {contact!r}: use name@example.org")
            )
            ok = False
        if cells["email"]:
            try:
                cells_ok["email"] = check_email(cells["email"])
            except ValidationError as exc:
                problem(RowProblem(n, "email", str(exc)))
                ok = False
        if cells["member_active"]:
            try:
                cells_ok["active"] = _flag(cells["member_active"])
            except ValidationError as exc:
                problem(RowProblem(n, "member_active", str(exc)))
                ok = False
        for column in MEMBER_FLAGS:
            if cells[column]:
                try:
                    cells_ok[column] = _flag(cells[column])
                except ValidationError as exc:
                    problem(RowProblem(n, column, str(exc)))
                    ok = False
        org = orgs.get(org_key)
        if not ok or org is None:
            continue  # the organization's own problem was reported on its row
        existing = members.get((org.id, name_key(person_name)))
        try:
            if existing is None:
                member = Member(
                    name=person_name,
                    organization_id=org.id,
                    role=cells_ok.get("role", ""),
                    contact=cells_ok.get("contact", ""),
                    email=cells_ok.get("email", ""),
                    active=cells_ok.get("active", True),
                    undertaking=cells_ok.get("undertaking", False),
                    steps_out=cells_ok.get("steps_out", False),
                ).validate()
                members[(org.id, name_key(person_name))] = member
                added_ids.add(member.id)
                plan.members_added.append(member)
                plan.changes.append(f"+ member {member.name} ({org.name})")
            else:
                before_member = copy.deepcopy(existing)
                existing.role = cells_ok.get("role", existing.role)
                existing.contact = cells_ok.get("contact", existing.contact)
                existing.email = cells_ok.get("email", existing.email)
                existing.active = cells_ok.get("active", existing.active)
                existing.undertaking = cells_ok.get("undertaking", existing.undertaking)
                existing.steps_out = cells_ok.get("steps_out", existing.steps_out)
                existing.validate()
                diff = _member_diff(before_member, existing)
                if diff:
                    plan.members_updated.append(existing)
                    plan.changes.append(f"~ member {existing.name} ({org.name}): {diff}")
        except ValidationError as exc:
            problem(RowProblem(n, "member", str(exc)))
    plan.problems.sort(
        key=lambda p: (p.row, COLUMNS.index(p.column) if p.column in COLUMNS else 99)
    )
    return plan


def _apply_org(org: Organization, values: dict[str, Any], entry: _OrgInFile, problem: Any) -> bool:
    """Set the file's values on ``org``; report problems on the row that gave the value."""

    def row_of(column: str) -> int:
        return entry.values[column][0] if column in entry.values else entry.row

    if "sector" in values:
        org.sector = values["sector"]
    if "mou_status" in values:
        org.mou_status = values["mou_status"]
    if "partnership" in values:
        org.partnership = values["partnership"]
    if "organization_active" in values:
        org.active = values["organization_active"]
    if "mou_signed_on" in values:
        if org.mou_status is not MouStatus.SIGNED:
            problem(
                RowProblem(
                    row_of("mou_signed_on"),
                    "mou_signed_on",
                    "a signing date needs MOU status 'signed' (this organization's is "
                    f"'{org.mou_status.value}')",
                )
            )
            return False
        org.mou_signed_on = values["mou_signed_on"]
    if org.mou_status is MouStatus.SIGNED and org.mou_signed_on is None:
        problem(
            RowProblem(
                row_of("mou_status"), "mou_signed_on", "empty, but the MOU is signed: add the date"
            )
        )
        return False
    try:
        org.validate()
    except ValidationError as exc:
        problem(RowProblem(entry.row, "organization", str(exc)))
        return False
    return True


def _org_diff(before: Organization, after: Organization) -> str:
    parts = []
    if before.sector is not after.sector:
        parts.append(f"sector {before.sector.value} -> {after.sector.value}")
    if before.mou_label() != after.mou_label():
        parts.append(f"MOU {before.mou_label()} -> {after.mou_label()}")
    if before.partnership is not after.partnership:
        parts.append(f"partnership {before.partnership.value} -> {after.partnership.value}")
    if before.active != after.active:
        parts.append("reactivated" if after.active else "deactivated")
    return ", ".join(parts)


def _member_diff(before: Member, after: Member) -> str:
    parts = []
    if before.role != after.role:
        parts.append(f"role {before.role!r} -> {after.role!r}")
    if before.contact != after.contact:
        parts.append(f"contact {before.contact!r} -> {after.contact!r}")
    if before.email != after.email:
        parts.append(f"e-mail {before.email!r} -> {after.email!r}")
    if before.active != after.active:
        parts.append("reactivated" if after.active else "deactivated")
    for column in MEMBER_FLAGS:
        if getattr(before, column) != getattr(after, column):
            parts.append(f"{column} {_yes(getattr(after, column))}")
    return ", ".join(parts)


def _hint(plan: ImportPlan) -> str:
    if any(p.column == "sector" for p in plan.problems):
        return "Sectors: " + ", ".join(s.value for s in Sector) + "."
    return ""


def check_import(data: bytes, roster: Roster, source: str = "roster.csv") -> ImportPlan:
    """Read and validate a roster CSV; raise RosterImportError listing every problem."""
    plan = plan_import(read_rows(data, source), roster)
    if plan.problems:
        raise RosterImportError(source, plan.problems, _hint(plan))
    return plan


def import_roster(
    ws: Workspace, data: bytes, *, source: str = "roster.csv", dry_run: bool = False
) -> ImportPlan:
    """Import a roster CSV: all rows or none. With ``dry_run`` nothing is written."""
    rows = read_rows(data, source)
    if dry_run:
        plan = plan_import(rows, ws.snapshot().roster())
        if plan.problems:
            raise RosterImportError(source, plan.problems, _hint(plan))
        return plan
    with ws.transaction() as tx:
        # Planned under the lock, against what is on disk now: nobody can change it in between.
        plan = plan_import(rows, tx.roster())
        if plan.problems:
            raise RosterImportError(source, plan.problems, _hint(plan))
        for org in plan.orgs_added:
            tx.add(org)
        for org in plan.orgs_updated:
            tx.update(org)
        for member in plan.members_added:
            tx.add(member)
        for member in plan.members_updated:
            tx.update(member)
    return plan
