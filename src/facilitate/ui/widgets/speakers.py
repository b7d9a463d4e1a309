"""The speakers' queue as a compact panel: who has the floor, for how long against the
per-speaker limit (coloured like the item's countdown at 80 % and 100 %), and the next few
waiting. Used by the meeting screen and the follow view.

Two lines, each one line high and cut with an ellipsis, so an 80x24 screen keeps its agenda
and notes: the first says who speaks, the second who waits. An item that has had no turn
shows nothing at all (the panel takes no room). Once it has one, both lines stay until the
item changes, saying "No one has the floor" or "Nobody waiting" as the case may be: the
screen does not jump by a line as speakers come and go (and a key that gives the floor
redraws two lines, not the whole laid-out screen: the first ``k`` of an item was ~35 ms of
layout against ~6 ms for the next). The lines are drawn from a ``QueueShown`` (plain
values), so the widget knows nothing of storage or services.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ...domain.timer import TimerState, fmt_mmss
from ..redraw import ChangedOnly
from ..safe_text import labelled, one_line


@dataclass(frozen=True)
class QueueShown:
    """What the panel shows. ``speaker``: "Name (Organization)" of the turn holding the
    floor, or "" when nobody does. ``countdown``: the limit's remaining m:ss or "over by
    m:ss", "" without a limit. ``hidden``: a confidential item seen from the follow view
    (counts only, no names). ``spoken``: turns on this item already done (they keep the
    panel up after the queue runs out)."""

    speaker: str = ""
    elapsed_seconds: float = 0.0
    countdown: str = ""
    state: TimerState = TimerState.IDLE
    paused: bool = False
    waiting: tuple[str, ...] = ()
    round_text: str = ""
    hidden: bool = False
    spoken: int = 0

    @property
    def empty(self) -> bool:
        return not self.speaker and not self.waiting and not self.round_text and not self.spoken


NEXT_SHOWN = 3  # waiting names listed; the rest are counted


def speaker_line(shown: QueueShown) -> Content:
    """The first line: "2:30 · 0:30 left: Name (Organization)" (the times first: the name
    is what an ellipsis may cut). The state is said by the line's colour (80 %: warning,
    100 %: error), and in words once over. Nobody speaking: "No one has the floor"."""
    if not shown.speaker:
        return Content("No one has the floor")
    times = fmt_mmss(shown.elapsed_seconds)
    if shown.countdown:
        left = shown.countdown if shown.countdown.startswith("over") else f"{shown.countdown} left"
        times = f"{times} · {left}"
    paused = "Paused " if shown.paused else ""
    return labelled("[b]$paused$times:[/b] $who", paused=paused, times=times, who=shown.speaker)


def waiting_line(shown: QueueShown) -> Content:
    """The second line: "Next (4): Ana Ruiz, Bo Chen, Cy Diaz +1" (or the round's state)."""
    names = [one_line(n, 40) for n in shown.waiting[:NEXT_SHOWN]]
    more = len(shown.waiting) - len(names)
    listed = ", ".join(names) + (f" +{more}" if more > 0 else "")
    if shown.hidden:
        listed = ""
    prefix = f"{shown.round_text} · " if shown.round_text else ""
    if not shown.waiting:
        return labelled("$prefix$what", prefix=prefix, what="Nobody waiting")
    return labelled(
        "$prefix[b]Next ($n):[/b] $names", prefix=prefix, n=len(shown.waiting), names=listed
    )


class SpeakersPanel(Vertical):
    """Who speaks (line 1, coloured by the limit) and who waits (line 2). Hidden when the item
    has had no turn. ``show`` redraws only what changed, laying the screen out only when the
    panel appears or goes (the clock calls it four times a second)."""

    DEFAULT_CSS = """
    SpeakersPanel { height: auto; }
    SpeakersPanel > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    SpeakersPanel > .idle { color: $text-muted; }
    SpeakersPanel > .speaker-now.warning { color: $warning; }
    SpeakersPanel > .speaker-now.overrun { color: $error; text-style: bold; }
    App.-no-color SpeakersPanel > .speaker-now.warning { text-style: bold; }
    App.-no-color SpeakersPanel > .speaker-now.overrun { text-style: reverse bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._redraw = ChangedOnly()
        self.shown = QueueShown()
        self.display = False

    def compose(self) -> ComposeResult:
        self._now = Static(classes="speaker-now", id=f"{self.id or 'speakers'}-now")
        self._next = Static(classes="speaker-next", id=f"{self.id or 'speakers'}-next")
        yield self._now
        yield self._next

    def show(self, shown: QueueShown) -> None:
        self.shown = shown
        if shown.empty:
            if self.display:
                self.display = False  # (a layout pass: when the item changes)
            return
        now, nxt = self._now, self._next
        if not self.display:
            self.display = True
        self._redraw.static(now, speaker_line(shown), layout=False)
        now.set_class(not shown.speaker, "idle")
        now.set_class(shown.state is TimerState.WARNING, "warning")
        now.set_class(shown.state is TimerState.OVERRUN, "overrun")
        self._redraw.static(nxt, waiting_line(shown), layout=False)
        nxt.set_class(not shown.waiting, "idle")
