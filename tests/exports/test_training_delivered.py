"""Training in the minutes: delivered only when marked delivered at the meeting (d).

A user trial left the training item after a second without marking it; the minutes listed it under
"Training delivered" as "0 min (planned 6)". The same rule decides the next suggestion.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pendulum import DateTime

from facilitate.domain.meeting import AgendaItem, ItemKind
from facilitate.domain.training import TrainingSnippet, least_recently_delivered
from facilitate.minutes.export import render_minutes
from facilitate.services.live import LiveMeeting
from facilitate.storage.workspace import Workspace
from tests.agenda.builders import sample_workspace
from tests.exports.helpers import docx_text, html_text, md_text

MEETING = "mtg-2026-12"  # the sample's planned meeting, with a 6-minute training item
TITLE = "Vicarious trauma and care for responders"


class Clock:
    def __init__(self, start: DateTime) -> None:
        self.at = start

    def __call__(self) -> DateTime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at = self.at.add(seconds=seconds)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return sample_workspace(tmp_path / "ws")


def run_training(ws: Workspace, seconds: float, *, mark: bool) -> TrainingSnippet:
    """Start the meeting, spend ``seconds`` on the training item (marking it or not), end."""
    meeting = ws.snapshot().bundle(MEETING).meeting
    clock = Clock(meeting.start)
    live = LiveMeeting(ws, MEETING, clock)
    live.start()
    item = next(i for i in live.load().items if i.kind is ItemKind.TRAINING)
    assert item.training_id is not None
    live.goto(item.id)
    clock.advance(seconds)
    if mark:
        live.deliver_training(item.training_id, item.id)
    live.step(+1)
    clock.advance(300)
    live.end()
    return ws.snapshot().get(TrainingSnippet, item.training_id)


def training_lines(ws: Workspace) -> dict[str, list[str]]:
    """The training section's line for the training, as a reader sees it in each format (the
    agenda's 'Training: ...' row is not one)."""
    texts = {
        "md": md_text(render_minutes(ws, MEETING, "md").decode()),
        "html": html_text(render_minutes(ws, MEETING, "html").decode()),
        "docx": docx_text(render_minutes(ws, MEETING, "docx")),
    }
    return {
        fmt: [ln for ln in t.splitlines() if ln.strip().startswith(TITLE)]
        for fmt, t in texts.items()
    }


def test_a_skipped_training_is_not_delivered(ws: Workspace) -> None:
    snippet = run_training(ws, 1, mark=False)
    for fmt, lines in training_lines(ws).items():
        assert lines, fmt
        assert all("not delivered" in ln for ln in lines), (fmt, lines)
        assert not any("0 min (planned 6)" in ln for ln in lines), (fmt, lines)
    # Not recorded either: the next suggestion still sees it as never delivered.
    assert not snippet.delivered_at_meeting(MEETING)
    assert snippet.last_delivered is None
    order = [s.id for s in least_recently_delivered(ws.snapshot().all(TrainingSnippet))]
    never = [s.id for s in ws.snapshot().all(TrainingSnippet) if s.last_delivered is None]
    assert snippet.id in order[: len(never)]


def test_time_on_the_item_alone_is_not_delivery(ws: Workspace) -> None:
    run_training(ws, 6 * 60, mark=False)
    for fmt, lines in training_lines(ws).items():
        assert lines and all("not delivered" in ln for ln in lines), (fmt, lines)


@pytest.mark.parametrize(
    ("seconds", "shown"), [(6 * 60, "6 min (planned 6)"), (31, "1 min (planned 6)")]
)
def test_a_training_marked_delivered_shows_its_time(
    ws: Workspace, seconds: float, shown: str
) -> None:
    snippet = run_training(ws, seconds, mark=True)
    for fmt, lines in training_lines(ws).items():
        assert lines and all(shown in ln for ln in lines), (fmt, lines)
        assert not any("not delivered" in ln for ln in lines), (fmt, lines)
    assert snippet.delivered_at_meeting(MEETING)
    assert snippet.last_delivered is not None


def test_a_training_marked_during_another_item_is_listed(ws: Workspace) -> None:
    meeting = ws.snapshot().bundle(MEETING).meeting
    clock = Clock(meeting.start)
    live = LiveMeeting(ws, MEETING, clock)
    live.start()
    items = live.load().items
    first = min(items, key=lambda i: i.position)
    scheduled = next(i.training_id for i in items if i.kind is ItemKind.TRAINING)
    other = next(s for s in ws.snapshot().all(TrainingSnippet) if s.id != scheduled)
    live.goto(first.id)
    clock.advance(120)
    live.deliver_training(other.id, None)
    live.end()
    assert ws.snapshot().get(AgendaItem, first.id, MEETING).training_id is None
    md = md_text(render_minutes(ws, MEETING, "md").decode())
    line = next(ln for ln in md.splitlines() if ln.startswith(other.title))
    assert f"delivered, planned {other.minutes} min" in line
    assert "not delivered" in next(ln for ln in md.splitlines() if ln.startswith(TITLE))
