"""Who may stay for a confidential item (case review).

Task-force guidance: case details are shared only among members bound by a signed MOU (or by
a confidentiality undertaking of their own). Everyone else still in the room steps out while a
confidential item is discussed: walk-in guests, members whose organization's MOU is not signed
and who signed no individual undertaking, and members the roster flags to step out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .meeting import Attendance
from .roster import MouStatus, Roster


@dataclass(frozen=True)
class StepOut:
    attendance: Attendance
    reason: str  # why they may not stay, one short phrase


def must_step_out(records: list[Attendance], roster: Roster) -> list[StepOut]:
    """Everyone in the room who may not stay for a confidential item, in roll-call order
    (members first, by organization and name; then guests), each with the reason."""
    out: list[StepOut] = []
    for record in records:
        if not record.in_room:
            continue
        reason = _reason(record, roster)
        if reason:
            out.append(StepOut(record, reason))
    out.sort(
        key=lambda s: (
            s.attendance.is_guest,
            s.attendance.organization_name.lower(),
            s.attendance.name.lower(),
        )
    )
    return out


def _reason(record: Attendance, roster: Roster) -> str:
    if record.is_guest:
        return "guest"
    member = roster.member(record.member_id or "")
    if member is not None and member.steps_out:
        return "flagged in the roster"
    if member is not None and member.undertaking:
        return ""
    org = roster.org(record.organization_id or (member.organization_id if member else ""))
    if org is None:
        return "no organization on the roster"
    if org.mou_status is MouStatus.SIGNED:
        return ""
    return f"MOU {org.mou_status.label.lower()}, no undertaking"


def stepped_out(records: list[Attendance]) -> list[Attendance]:
    """Who is out of the room now (to be asked back in when the item ends)."""
    return [r for r in records if r.stepped_out and r.status.in_room]
