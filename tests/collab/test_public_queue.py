"""What the follow view may show of the speakers' queue (issue 20): the current speaker and who
waits, names only, never a note; on a confidential item not even the names."""

from __future__ import annotations

import dataclasses

import pendulum

from facilitate.collab.follow import HIDDEN, public_queue, public_view
from facilitate.domain.meeting import TimeSpan
from facilitate.domain.speaking import SpeakingTurn, TurnStatus

from ..agenda.builders import small_workspace

NOTE = "Shelter has two beds left for the Maple case"


def _turn(bundle, item_id: str, name: str, org: str, status: TurnStatus, position: int, **kw):
    return SpeakingTurn(
        meeting_id=bundle.meeting.id,
        item_id=item_id,
        name=name,
        organization=org,
        sector="ngo_advocacy",
        status=status,
        position=position,
        **kw,
    )


def _with_queue(bundle, item):
    start = pendulum.datetime(2026, 1, 13, 15, tz="UTC")
    turns = [
        _turn(
            bundle,
            item.id,
            "Ann Officer",
            "Riverside Police",
            TurnStatus.SPOKE,
            1,
            note=NOTE,
            spans=[TimeSpan(start=start, end=start.add(minutes=2))],
        ),
        _turn(
            bundle,
            item.id,
            "Bo Advocate",
            "Safe Harbor NGO",
            TurnStatus.SPEAKING,
            2,
            note=NOTE,
            spans=[TimeSpan(start=start.add(minutes=2))],
        ),
        _turn(bundle, item.id, "Cy Nurse", "General Hospital", TurnStatus.QUEUED, 3, note=NOTE),
        _turn(bundle, "another-item", "Di Other", "Elsewhere", TurnStatus.QUEUED, 1),
    ]
    meeting = dataclasses.replace(bundle.meeting, current_item_id=item.id)
    return dataclasses.replace(bundle, meeting=meeting, turns=turns)


def test_the_speaker_and_who_waits_names_only(tmp_path) -> None:
    small = small_workspace(tmp_path / "ws")
    bundle = small.ws.snapshot().bundle(small.past)
    item = next(i for i in bundle.items if not i.confidential)
    queue = public_queue(_with_queue(bundle, item))
    assert queue.speaker == "Bo Advocate (Safe Harbor NGO)"
    assert queue.waiting == ("Cy Nurse",)  # this item's queue only
    assert not queue.hidden
    view = public_view(_with_queue(bundle, item))
    assert NOTE not in repr(view)  # never a note, anywhere in what the view may show


def test_a_confidential_item_shows_no_names(tmp_path) -> None:
    small = small_workspace(tmp_path / "ws")
    bundle = small.ws.snapshot().bundle(small.past)
    case = next(i for i in bundle.items if i.confidential)
    queue = public_queue(_with_queue(bundle, case))
    assert queue.hidden
    assert queue.speaker == "A speaker"
    assert queue.waiting == (HIDDEN,)
    text = repr(public_view(_with_queue(bundle, case)).queue)
    for name in ("Ann", "Bo Advocate", "Cy Nurse", "Riverside", "Safe Harbor", NOTE):
        assert name not in text


def test_no_current_item_no_queue(tmp_path) -> None:
    small = small_workspace(tmp_path / "ws")
    bundle = small.ws.snapshot().bundle(small.past)
    meeting = dataclasses.replace(bundle.meeting, current_item_id=None)
    queue = public_queue(dataclasses.replace(bundle, meeting=meeting))
    assert queue.speaker == "" and queue.waiting == ()
