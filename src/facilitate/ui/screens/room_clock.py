"""The time of day and the current item's countdown, for screens shown over the meeting."""

from __future__ import annotations

from pendulum import DateTime

from ...domain.timer import item_clock
from ...storage.workspace import MeetingBundle
from ..safe_text import one_line


def room_clock(bundle: MeetingBundle, now: DateTime) -> str:
    """'10:04  Introductions 3:12' (or 'over by 0:40'; 'paused'); just the time when no item
    is current."""
    meeting = bundle.meeting
    text = meeting.local(now).format("HH:mm")
    item = next((i for i in bundle.items if i.id == meeting.current_item_id), None)
    if item is None:
        return text
    clock = item_clock(item, now)
    state = "paused " if meeting.paused else ""
    return f"{text}  {one_line(item.title, 24)} {state}{clock.display}"
