"""The agenda changes during the meeting (issue 16): the projection and re-plan take an added,
resized, moved or dropped item into account at once; other instances see the change through
the stat stamp they poll; every change is in the audit log."""

from __future__ import annotations

import json

import pytest

from facilitate.collab.follow import public_view
from facilitate.domain.common import ValidationError
from facilitate.domain.meeting import ItemKind
from facilitate.domain.timer import meeting_clock
from facilitate.services.live import LiveMeeting
from facilitate.services.live_agenda import LiveAgenda

from .conftest import Live


def _projected(live: LiveMeeting):
    bundle = live.load()
    return meeting_clock(bundle.meeting, bundle.items, live.now()).projected_end


def test_an_added_item_moves_the_projected_end_and_enters_the_re_plan(live_sample: Live) -> None:
    live, ws = live_sample.live, live_sample.ws
    before = _projected(live)
    stamp = ws.stamp(live_sample.meeting_id)
    agenda = LiveAgenda(ws, live_sample.meeting_id)
    item = agenda.add(
        "Urgent: shelter capacity",
        45,
        kind=ItemKind.CASE_REVIEW,
        presenter="Dana",
        after=live_sample.item_ids[0],
    )
    assert _projected(live) == before.add(minutes=45)
    assert ws.stamp(live_sample.meeting_id) != stamp  # what other instances poll
    items = live.load().items
    assert [i.id for i in items][1] == item.id  # right after the current item
    assert item.confidential and item.presenter == "Dana"  # a case review is, by its kind
    proposal = live.propose()
    assert proposal.needed_minutes == sum(i.planned_minutes for i in items[1:] if not i.deferred)
    # And the next step goes to it.
    assert live.step(+1).id == item.id  # type: ignore[union-attr]


def test_resize_rename_move_and_drop(live_sample: Live) -> None:
    live, ws = live_sample.live, live_sample.ws
    agenda = LiveAgenda(ws, live_sample.meeting_id)
    target = live.load().items[3]
    before = _projected(live)
    agenda.change(target.id, minutes=target.planned_minutes + 10, title="Training: new title")
    assert _projected(live) == before.add(minutes=10)
    changed = live.load().item(target.id)
    assert changed is not None and changed.title == "Training: new title"
    lines = [json.loads(line) for line in ws.audit_path.read_text().splitlines()]
    entry = [line for line in lines if line["op"] not in ("intent", "done")][-1]
    assert entry["changes"]["planned_minutes"] == {
        "old": target.planned_minutes,
        "new": target.planned_minutes + 10,
    }
    ids = [i.id for i in live.load().items]
    assert agenda.move(target.id, -1)
    assert [i.id for i in live.load().items].index(target.id) == ids.index(target.id) - 1
    agenda.drop(target.id)
    assert _projected(live) == before.subtract(minutes=target.planned_minutes)
    view = public_view(ws.snapshot().bundle(live_sample.meeting_id))
    assert target.id not in [row.id for row in view.items]
    assert "Training: new title" not in [row.title for row in view.items]


def test_bad_changes_are_refused_with_a_message(live_sample: Live) -> None:
    agenda = LiveAgenda(live_sample.ws, live_sample.meeting_id)
    with pytest.raises(ValidationError, match="title"):
        agenda.add("  ", 10)
    with pytest.raises(ValidationError, match="negative"):
        agenda.add("Item", -5)
    with pytest.raises(ValidationError, match="current item"):
        agenda.drop(live_sample.item_ids[0])
    live_sample.live.end()
    with pytest.raises(ValidationError, match="has ended"):
        agenda.add("Late item", 5)


def test_a_confidential_item_s_title_never_reaches_the_log(live_sample: Live) -> None:
    agenda = LiveAgenda(live_sample.ws, live_sample.meeting_id)
    case = agenda.add("Case HV-2799: Jane Roe", 20, kind=ItemKind.CASE_REVIEW)
    agenda.change(case.id, title="Case HV-2799: J. Roe, safe house B", minutes=25)
    agenda.drop(case.id)
    raw = live_sample.ws.audit_path.read_text()
    assert "HV-2799" not in raw and "Roe" not in raw and "safe house" not in raw
    changed = [
        entry
        for entry in map(json.loads, raw.splitlines())
        if entry.get("id") == case.id and entry["op"] not in ("intent", "done")
    ]
    assert changed[-2]["changes"]["title"] == {"old": "(confidential)", "new": "(confidential)"}
