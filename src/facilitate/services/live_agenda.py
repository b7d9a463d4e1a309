"""The agenda during the meeting: add an item, change its title or planned minutes, move it up
or down, drop it (deferred to the next meeting). Each step is one locked transaction on the
meeting file, so the projection and re-plan (which read the items) take it into account at
once, and another instance or the follow view sees it at its next stat poll.

Each change is in the audit log; a changed title or planned time with the old and new value
(a confidential item's title is named, not shown)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.common import ValidationError, require_minutes
from ..domain.live_agenda import check_droppable, insert_after, move
from ..domain.meeting import AgendaItem, ItemKind, Meeting, MeetingStatus
from ..storage.workspace import Transaction, Workspace


@dataclass
class LiveAgenda:
    ws: Workspace
    meeting_id: str

    def _meeting(self, tx: Transaction) -> Meeting:
        meeting = tx.get(Meeting, self.meeting_id)
        if meeting.status is MeetingStatus.ENDED:
            raise ValidationError(
                f"{meeting.title} has ended (perhaps on another screen): its agenda can no "
                "longer change."
            )
        return meeting

    def add(
        self,
        title: str,
        minutes: int,
        *,
        kind: ItemKind = ItemKind.OTHER,
        presenter: str = "",
        confidential: bool | None = None,
        after: str | None = None,
    ) -> AgendaItem:
        """A new item right after ``after`` (the end of the agenda when None)."""
        with self.ws.transaction() as tx:
            self._meeting(tx)
            item = AgendaItem(
                meeting_id=self.meeting_id,
                title=title,
                kind=kind,
                planned_minutes=minutes,
                presenter=presenter,
                confidential=confidential,  # type: ignore[arg-type]  # None: by the kind
            )
            item.validate()
            items = tx.all(AgendaItem, self.meeting_id)
            for moved in insert_after(items, item, after):
                tx.update(moved)
            return tx.add(item)

    def change(
        self, item_id: str, *, title: str | None = None, minutes: int | None = None
    ) -> AgendaItem:
        with self.ws.transaction() as tx:
            self._meeting(tx)
            item = tx.get(AgendaItem, item_id, self.meeting_id)
            changes: dict[str, tuple[object, object]] = {}
            if title is not None and title.strip() != item.title:
                changes["title"] = (item.title, title.strip())
                item.title = title
            if minutes is not None:
                minutes = require_minutes(minutes)
                if minutes != item.planned_minutes:
                    changes["planned_minutes"] = (item.planned_minutes, minutes)
                    item.planned_minutes = minutes
            if not changes:
                return item
            return tx.update(item, changes=changes)

    def move(self, item_id: str, offset: int) -> bool:
        """Up (-1) or down (+1). False at either end (nothing changed)."""
        with self.ws.transaction() as tx:
            self._meeting(tx)
            moved = move(tx.all(AgendaItem, self.meeting_id), item_id, offset)
            for item in moved:
                tx.update(item)
            return bool(moved)

    def drop(self, item_id: str) -> AgendaItem:
        """Defer an item not yet taken up to the next meeting (it is carried over when that
        meeting is planned, as a re-plan's deferrals are)."""
        with self.ws.transaction() as tx:
            meeting = self._meeting(tx)
            item = tx.get(AgendaItem, item_id, self.meeting_id)
            check_droppable(item, meeting.current_item_id)
            item.deferred = True
            return tx.update(item, changes={"deferred": (False, True)})
