"""A ten-year workspace (120 meetings, ~1,000 actions, 300 members) loads once and filters in
memory. Functional checks only: timings belong to benchmarks/, not to tests."""

from __future__ import annotations

import pendulum
import pytest

from facilitate.tracker import load_history, load_tracker
from facilitate.tracker.actions import ActionFilter
from facilitate.tracker.search import load_search_index

from . import big_workspace


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return big_workspace.build(tmp_path_factory.mktemp("big") / "ws")


def test_ten_year_workspace(big, monkeypatch):
    now = pendulum.datetime(2025, 12, 20, tz="UTC")
    data = load_tracker(big, now)
    assert len(data.view.bundles) == big_workspace.MEETINGS
    assert len(data.view.roster.members) == big_workspace.MEMBERS
    assert len(data.rows) > 950

    # Filtering and sorting touch no file.
    def no_reads(*args, **kwargs):
        raise AssertionError("a filter read the disk")

    monkeypatch.setattr(type(big), "load_file", no_reads)
    rows = data.select(ActionFilter(status="all"))
    days = [r.report_back for r in rows]
    assert None not in days and days == sorted(d for d in days if d is not None)
    overdue = data.select(ActionFilter(overdue_only=True))
    assert overdue and all(r.overdue for r in overdue)
    monkeypatch.undo()

    history = load_history(big)
    held = [s for s in history.summaries if s.held]
    assert len(held) == big_workspace.MEETINGS - 1
    assert history.trends.window == 6
    assert len(history.trends.attendance.values) == len(held)
    index = load_search_index(big)
    assert index.search("referral")
    assert len(index.search('"action 3-1:"', include_confidential=True)) == 1
