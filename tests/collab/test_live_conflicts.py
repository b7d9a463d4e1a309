"""Two instances on one meeting: a stale edit is refused with both versions, never lost."""

from __future__ import annotations

import pendulum
import pytest

from facilitate.domain.meeting import AgendaItem, Decision
from facilitate.services.live import LiveMeeting, NotesConflictError
from facilitate.storage.errors import StaleRecordError, StorageError

from ..storage._util import sha256


def _other(live_sample) -> LiveMeeting:
    """A second instance: its own LiveMeeting on the same workspace."""
    return LiveMeeting(live_sample.ws, live_sample.meeting_id, live_sample.live.clock)


def test_notes_saved_by_someone_else_are_a_conflict(live_sample) -> None:
    item = live_sample.item_ids[0]
    me, other = live_sample.live, _other(live_sample)
    other.save_notes(item, "Theirs: phones on silent", base="")
    path = live_sample.ws.meeting_path(live_sample.meeting_id)
    before, log_before = sha256(path), sha256(live_sample.ws.audit_path)

    with pytest.raises(NotesConflictError) as info:
        me.save_notes(item, "Mine: Room 214", base="")

    conflict = info.value
    assert isinstance(conflict, StaleRecordError)  # reported like any stale record
    assert conflict.mine_text == "Mine: Room 214"
    assert conflict.theirs_text == "Theirs: phones on silent"
    assert conflict.base_text == ""
    assert conflict.mine.notes == "Mine: Room 214" and conflict.theirs.notes == conflict.theirs_text
    assert conflict.changed_by is not None and conflict.changed_by["user"]
    assert "Nothing was overwritten" in str(conflict)
    # Nothing was written: the other version is intact, and no log line was added.
    assert sha256(path) == before and sha256(live_sample.ws.audit_path) == log_before
    assert me.load().item(item).notes == "Theirs: phones on silent"

    # Resolving: save the chosen text against the version now on disk.
    saved = me.save_notes(
        item, "Theirs: phones on silent\nMine: Room 214", base=conflict.theirs_text
    )
    assert saved.notes == "Theirs: phones on silent\nMine: Room 214"


def test_timer_changes_by_someone_else_are_no_conflict(live_sample) -> None:
    """Going to the next item bumps the item's rev, but the notes were not touched."""
    first, second = live_sample.item_ids[:2]
    me = live_sample.live
    later = me.clock().add(minutes=5)  # (held longer than the grace period: its time is kept)
    other = LiveMeeting(live_sample.ws, live_sample.meeting_id, lambda: later)
    base = me.load().item(first).notes
    other.goto(second)
    other.pause()
    saved = me.save_notes(first, base + "typed while they moved on", base=base)
    assert saved.notes.endswith("typed while they moved on")
    stored = me.load().item(first)
    assert not stored.running and stored.spans  # their timer change is kept too


def test_same_text_on_both_sides_is_no_conflict_and_writes_nothing(live_sample) -> None:
    item = live_sample.item_ids[0]
    me, other = live_sample.live, _other(live_sample)
    other.save_notes(item, "agreed wording", base="")
    log = sha256(live_sample.ws.audit_path)
    assert me.save_notes(item, "agreed wording", base="").notes == "agreed wording"
    assert sha256(live_sample.ws.audit_path) == log


def test_without_base_the_save_overwrites(live_sample) -> None:
    """The resolved text of a conflict is saved against 'theirs'; base=None is last-wins."""
    item = live_sample.item_ids[0]
    _other(live_sample).save_notes(item, "theirs", base="")
    assert live_sample.live.save_notes(item, "mine").notes == "mine"


def test_pin_is_idempotent_from_two_screens(live_sample) -> None:
    item = live_sample.item_ids[2]
    me, other = live_sample.live, _other(live_sample)
    other.set_pinned(item, True)
    rev = me.load().item(item).rev
    me.set_pinned(item, True)  # my screen showed it unpinned; I meant "pin it"
    after = me.load().item(item)
    assert after.pinned and after.rev == rev


def test_stale_edit_of_any_record_is_refused_with_both_versions(live_sample) -> None:
    me, other = live_sample.live, _other(live_sample)
    decision = me.add_decision(
        Decision(meeting_id=live_sample.meeting_id, text="Meet monthly", agenda_item_id=None)
    )
    mine = me.load().decisions[-1]
    theirs = other.load().decisions[-1]
    theirs.text = "Meet every two weeks"
    other.save(theirs)
    mine.text = "Meet monthly, online"
    with pytest.raises(StaleRecordError) as info:
        me.save(mine)
    assert info.value.mine.text == "Meet monthly, online"
    assert info.value.theirs.text == "Meet every two weeks"
    assert me.load().decisions[-1].text == "Meet every two weeks"
    assert decision.id == mine.id


def test_save_refuses_a_record_of_another_meeting(live_sample) -> None:
    item = live_sample.live.load().items[0]
    item.meeting_id = "mtg-other"
    with pytest.raises(StorageError, match="another meeting"):
        live_sample.live.save(item)
    assert isinstance(item, AgendaItem)


def test_timer_steps_are_refused_once_another_screen_ended_the_meeting(live_sample) -> None:
    from facilitate.domain.common import ValidationError

    me, other = live_sample.live, _other(live_sample)
    other.end()
    before = sha256(live_sample.ws.meeting_path(live_sample.meeting_id))
    for step in (lambda: me.goto(live_sample.item_ids[1]), me.pause, me.resume, lambda: me.step(1)):
        with pytest.raises(ValidationError, match="has ended"):
            step()
    assert sha256(live_sample.ws.meeting_path(live_sample.meeting_id)) == before
    # Notes can still be finished after the meeting.
    me.save_notes(live_sample.item_ids[0], "finished afterwards")


def test_steps_from_two_instances_at_once_are_never_lost(live_sample) -> None:
    """'Next item' reads the current item under the lock, in the same transaction that moves
    on: two instances pressing it at the same moment move the meeting two items, not one."""
    import itertools
    import threading

    from facilitate.storage.workspace import Workspace

    per_instance = 4
    # Each step a minute after the one before (a visit within the grace period leaves no span).
    minutes = itertools.count(1)
    start_at = live_sample.live.clock()

    def clock() -> pendulum.DateTime:
        return start_at.add(minutes=next(minutes))

    others = [
        LiveMeeting(Workspace.open(live_sample.ws.root), live_sample.meeting_id, clock)
        for _ in range(2)
    ]
    start = threading.Barrier(len(others))
    errors: list[BaseException] = []

    def press_next(live: LiveMeeting) -> None:
        try:
            start.wait()
            for _ in range(per_instance):
                assert live.step(+1) is not None
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=press_next, args=(o,)) for o in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    bundle = live_sample.live.load()
    visible = [i.id for i in bundle.items if not i.deferred]
    assert len(visible) > 2 * per_instance
    assert bundle.meeting.current_item_id == visible[2 * per_instance]
    # Exactly one item is running, and every item passed through has a closed span.
    assert [i.id for i in bundle.items if i.running] == [visible[2 * per_instance]]
    for item_id in visible[: 2 * per_instance]:
        assert bundle.item(item_id).spans and not bundle.item(item_id).running
