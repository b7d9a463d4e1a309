"""Speaking turns for the generated history (issue 20): a round on information sharing and a
short queue on new business and case reviews, laid out inside each item's time span.

Drawn from a generator seeded by the meeting id, so adding turns leaves every other generated
record as it was.
"""

from __future__ import annotations

import random

from facilitate.domain.meeting import AgendaItem, Attendance, ItemKind, TimeSpan
from facilitate.domain.roster import Organization
from facilitate.domain.speaking import GUEST_SECTOR, SpeakingTurn, TurnStatus

# Items that get turns, and how many speakers at most.
SPEAKERS = {ItemKind.INFORMATION_SHARING: 8, ItemKind.NEW_BUSINESS: 4, ItemKind.CASE_REVIEW: 3}


def speaking_turns(
    mid: str,
    items: list[AgendaItem],
    attendance: list[Attendance],
    org_by_id: dict[str, Organization],
) -> list[SpeakingTurn]:
    rng = random.Random(f"turns-{mid}")
    here = [a for a in attendance if a.status.attending]
    turns: list[SpeakingTurn] = []
    for item in items:
        most = SPEAKERS.get(item.kind)
        if not most or not here or not item.spans or item.spans[0].end is None:
            continue
        span = item.spans[0]
        assert span.end is not None
        seconds = (span.end - span.start).total_seconds()
        speakers = rng.sample(here, min(len(here), rng.randint(2, most)))
        cursor = span.start
        for n, person in enumerate(speakers, start=1):
            length = int(seconds / len(speakers) * rng.uniform(0.5, 0.95))
            org = org_by_id.get(person.organization_id or "")
            turns.append(
                SpeakingTurn(
                    id=f"trn-{mid[4:]}-{item.position + 1:02d}-{n:02d}",
                    meeting_id=mid,
                    item_id=item.id,
                    attendance_id=person.id,
                    name=person.name,
                    organization=person.organization_name,
                    sector=org.sector.value if org and not person.is_guest else GUEST_SECTOR,
                    status=TurnStatus.SPOKE,
                    position=n,
                    spans=[TimeSpan(start=cursor, end=cursor.add(seconds=length))],
                    confidential=bool(item.confidential),
                )
            )
            cursor = cursor.add(seconds=int(seconds / len(speakers)))
    return turns
