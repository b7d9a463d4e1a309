"""The speakers' queue as a compact panel: who has the floor, for how long against the
per-speaker limit (coloured like the item's countdown at 80 % and 100 %), and the next few
waiting. Used by the meeting screen and the follow view.

Two lines at most, each one line high and cut with an ellipsis, so an 80x24 screen keeps its
agenda and notes: the first says who speaks, the second who waits. An item with no queue
shows nothing at all (the panel takes no room). The lines are drawn from a ``QueueShown``
(plain values), so the widget knows nothing of storage or services.
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
    (counts only, no names)."""

    speaker: str = ""
    elapsed_seconds: float = 0.0
    countdown: str = ""
    state: TimerState = TimerState.IDLE
    paused: bool = False
    waiting: tuple[str, ...] = ()
    round_text: str = ""
    hidden: bool = False

    @property
    def empty(self) -> bool:
        return not self.speaker and not self.waiting and not self.round_text


NEXT_SHOWN = 3  # waiting names listed; the rest are counted


def speaker_line(shown: QueueShown) -> Content:
    """The first line: "2:30 · 0:30 left: Name (Organization)" (the times first: the name
    is what an ellipsis may cut). The state is said by the line's colour (80 %: warning,
    100 %: error), and in words once over."""
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
        return labelled("$prefix$what", prefix=prefix.removesuffix(" · "), what="")
    return labelled(
        "$prefix[b]Next ($n):[/b] $names", prefix=prefix, n=len(shown.waiting), names=listed
    )


class SpeakersPanel(Vertical):
    """Who speaks (line 1, coloured by the limit) and who waits (line 2). Hidden when the item
    has no queue. ``show`` redraws only what changed, laying the screen out only when a line
    appears or goes (the clock calls it four times a second)."""

    DEFAULT_CSS = """
    SpeakersPanel { height: auto; }
    SpeakersPanel > Static { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
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
        now = Static(classes="speaker-now", id=f"{self.id or 'speakers'}-now")
        now.display = False
        yield now
        nxt = Static(classes="speaker-next", id=f"{self.id or 'speakers'}-next")
        nxt.display = False
        yield nxt

    def show(self, shown: QueueShown) -> None:
        self.shown = shown
        now, nxt = self.query(Static)
        has_now = bool(shown.speaker)
        has_next = bool(shown.waiting or shown.round_text)
        visible = (has_now or has_next, has_now, has_next)
        if visible != (self.display, now.display, nxt.display):
            self.display, now.display, nxt.display = visible  # (a layout pass, rarely)
        if has_now:
            self._redraw.static(now, speaker_line(shown), layout=False)
        overrun = shown.state is TimerState.OVERRUN
        now.set_class(shown.state is TimerState.WARNING, "warning")
        now.set_class(overrun, "overrun")
        if has_next:
            self._redraw.static(nxt, waiting_line(shown), layout=False)
