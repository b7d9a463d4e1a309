"""The action tracker service: loading, in-memory filters, and close/postpone/reassign."""

from __future__ import annotations

import json

import pendulum
import pytest

from facilitate.domain.actions import ActionItem, ActionStatus
from facilitate.domain.common import ValidationError
from facilitate.domain.roster import Member
from facilitate.storage.errors import StaleRecordError
from facilitate.tracker import roster as roster_edits
from facilitate.tracker.actions import (
    WITHHELD,
    ActionFilter,
    ActionRow,
    TrackerData,
    close_action,
    load_tracker,
    postpone_action,
    reassign_action,
)

from .conftest import NOW, digest

TODAY = pendulum.date(2026, 12, 10)  # NOW in Chicago
OVERDUE = ["act-2026-11-03", "act-2026-11-07", "act-2026-11-01", "act-2026-11-04"]


def ids(rows) -> list[str]:
    return [r.id for r in rows]


def row_of(data: TrackerData, action_id: str) -> ActionRow:
    row = data.row(action_id)
    assert row is not None, action_id
    return row


def test_load_tracker_finds_every_action(sample):
    data = load_tracker(sample, NOW)
    assert data.today == TODAY
    stored = [a.id for a in sample.snapshot().all_actions()]
    assert sorted(r.id for r in data.rows) == sorted(stored)
    assert data.counts() == {"all": 13, "open": 7, "overdue": 4}


def test_overdue_rows_and_sorting(sample):
    data = load_tracker(sample, NOW)
    rows = data.select(ActionFilter(overdue_only=True))
    assert ids(rows) == OVERDUE  # soonest report-back first
    assert [str(r.report_back) for r in rows] == [
        "2026-08-31",
        "2026-12-01",
        "2026-12-03",
        "2026-12-04",
    ]
    assert rows[0].days_overdue == 101
    # The "next meeting" action reports back today at the upcoming meeting: not overdue.
    nxt = row_of(data, "act-2026-11-02")
    assert nxt.report_back == TODAY and not nxt.overdue


def test_filters(sample):
    data = load_tracker(sample, NOW)
    assert len(data.select()) == 7
    assert len(data.select(ActionFilter(status="all"))) == 13
    assert {r.action.status for r in data.select(ActionFilter(status="closed"))} == {
        ActionStatus.DONE,
        ActionStatus.DROPPED,
    }
    assert ids(data.select(ActionFilter(status="dropped"))) == ["act-2026-10-04"]
    data_protocols = data.select(ActionFilter(status="all", subcommittee_id="sub-data-protocols"))
    assert ids(data_protocols) == [
        "act-2026-10-01",
        "act-2026-10-04",
        "act-2026-11-04",
        "act-2026-11-09",
    ]
    rebecca = data.select(ActionFilter(status="all", owner_id="mem-rebecca-stein"))
    assert {r.owner for r in rebecca} == {"Rebecca Stein"}
    before = data.select(ActionFilter(due_before=pendulum.date(2026, 12, 4)))
    assert ids(before) == ["act-2026-11-03", "act-2026-11-07", "act-2026-11-01"]
    latest_first = data.select(ActionFilter(newest_first=True))
    assert ids(latest_first)[0] == "act-2026-11-05"  # due 2027-01-29
    combined = ActionFilter(overdue_only=True, subcommittee_id="sub-data-protocols")
    assert ids(data.select(combined)) == ["act-2026-11-04"]
    assert "overdue" in combined.describe(data.roster)
    assert "Data and Protocols" in combined.describe(data.roster)
    with pytest.raises(ValidationError):
        ActionFilter(status="finished")


def test_confidential_action_text_is_withheld_until_unlocked(sample):
    data = load_tracker(sample, NOW)
    row = row_of(data, "act-2026-11-02")
    assert row.confidential
    assert row.text(unlocked=False) == WITHHELD
    assert "HV-2611" in row.text(unlocked=True)
    assert "HV-2611" not in json.dumps(row.as_dict(False))
    assert not row_of(data, "act-2026-11-01").confidential


def test_close_action_saves_note_status_and_history(sample):
    data = load_tracker(sample, NOW)
    row = row_of(data, "act-2026-11-01")
    saved = close_action(sample, row.action, ActionStatus.DONE, "Sent to all 13 agencies.", NOW)
    stored = sample.snapshot().get(ActionItem, "act-2026-11-01", "mtg-2026-11")
    assert stored.status is ActionStatus.DONE
    assert stored.report_back == "Sent to all 13 agencies."
    assert stored.closed_at == NOW
    assert stored.history[-1].what == "marked done"
    assert stored.rev == saved.rev == row.action.rev + 1
    assert row.action.status is ActionStatus.OPEN, "the loaded copy is left alone"
    updated = data.replace_action(saved)
    assert not updated.overdue and data.counts()["overdue"] == 3


def test_close_refuses_bad_requests_and_writes_nothing(sample):
    data = load_tracker(sample, NOW)
    before = digest(sample.root)
    row = row_of(data, "act-2026-11-01")
    with pytest.raises(ValidationError, match="note is empty"):
        close_action(sample, row.action, ActionStatus.DROPPED, "  ", NOW)
    done = row_of(data, "act-2026-10-01")
    with pytest.raises(ValidationError, match="already done"):
        close_action(sample, done.action, ActionStatus.DONE, "again", NOW)
    assert digest(sample.root) == before


def test_postpone_keeps_the_old_date_and_reason(sample):
    data = load_tracker(sample, NOW)
    row = row_of(data, "act-2026-11-03")
    new_due = pendulum.date(2027, 1, 15)
    postpone_action(sample, row.action, new_due, "HQ review takes longer", NOW, TODAY)
    stored = sample.snapshot().get(ActionItem, "act-2026-11-03", "mtg-2026-11")
    assert stored.due == new_due
    assert stored.history[-1].what == (
        "postponed from 2026-08-31 to 2027-01-15: HQ review takes longer"
    )
    with pytest.raises(ValidationError, match="in the past"):
        postpone_action(sample, stored, pendulum.date(2026, 12, 9), "x", NOW, TODAY)
    with pytest.raises(ValidationError, match="Reason for postponing is empty"):
        postpone_action(sample, stored, pendulum.date(2027, 2, 1), " ", NOW, TODAY)
    with pytest.raises(ValidationError, match="already 2027-01-15"):
        postpone_action(sample, stored, new_due, "same", NOW, TODAY)


def test_reassign(sample):
    data = load_tracker(sample, NOW)
    row = row_of(data, "act-2026-11-07")
    saved = reassign_action(sample, row.action, "mem-hana-kobayashi", data.roster, NOW)
    assert saved.owner_id == "mem-hana-kobayashi"
    assert saved.history[-1].what == "reassigned to Hana Kobayashi"
    stored = sample.snapshot().get(ActionItem, "act-2026-11-07", "mtg-2026-11")
    assert stored.owner_id == "mem-hana-kobayashi"
    with pytest.raises(ValidationError, match="already owns"):
        reassign_action(sample, stored, "mem-hana-kobayashi", data.roster, NOW)
    with pytest.raises(ValidationError, match="needs an owner"):
        reassign_action(sample, stored, None, data.roster, NOW)
    # Subcommittee actions may go back to the subcommittee as a whole.
    sub_action = row_of(data, "act-2026-11-04").action
    saved = reassign_action(sample, sub_action, None, data.roster, NOW)
    assert saved.owner_id is None
    assert saved.history[-1].what == "reassigned to Data and Protocols (no individual owner)"
    # Not to someone who left.
    member = sample.snapshot().get(Member, "mem-priya-raman")
    roster_edits.set_member_active(sample, member, False)
    roster = sample.snapshot().roster()
    with pytest.raises(ValidationError, match="no longer active"):
        reassign_action(sample, stored, "mem-priya-raman", roster, NOW)


def test_a_record_changed_elsewhere_is_not_overwritten(sample):
    data = load_tracker(sample, NOW)
    row = row_of(data, "act-2026-11-04")
    # Someone else closes it first (another screen, another process).
    close_action(sample, row.action, ActionStatus.DONE, "Form circulated.", NOW)
    before = digest(sample.root)
    with pytest.raises(StaleRecordError):
        postpone_action(sample, row.action, pendulum.date(2027, 1, 10), "later", NOW, TODAY)
    assert digest(sample.root) == before
    stored = sample.snapshot().get(ActionItem, "act-2026-11-04", "mtg-2026-11")
    assert stored.report_back == "Form circulated."


def test_reload_after_a_change_sees_it(sample):
    first = load_tracker(sample, NOW)
    close_action(sample, row_of(first, "act-2026-11-09").action, ActionStatus.DONE, "Done.", NOW)
    again = load_tracker(sample, NOW)
    assert row_of(again, "act-2026-11-09").action.status is ActionStatus.DONE
    # Files that did not change are reused, not decoded again.
    assert row_of(again, "act-2026-10-01").action is row_of(first, "act-2026-10-01").action


def test_set_today_recomputes_overdue_without_reloading(sample):
    data = load_tracker(sample, NOW)
    data.set_today(pendulum.date(2026, 12, 11))
    assert row_of(data, "act-2026-11-09").overdue  # due 10 Dec
    assert row_of(data, "act-2026-11-02").overdue  # next meeting (10 Dec) has passed
