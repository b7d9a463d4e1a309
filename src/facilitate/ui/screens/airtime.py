"""The airtime panel (meeting ``A``): minutes spoken in this meeting by sector and by
organization, and the sectors in the room that have not been heard yet.

Confidential items' turns count in the totals (the facilitator's own screen shows the
organizations; the minutes and the follow view have their own rules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ...domain.timer import fmt_mmss
from ..safe_text import labelled, one_line, plain

BAR_WIDTH = 12  # cells of the longest bar (the sector with the most airtime)
NAME_WIDTH = 30


class AirtimeFigures(Protocol):
    """What the panel shows (domain.speaking.Airtime)."""

    @property
    def by_sector(self) -> Mapping[str, float]: ...
    @property
    def by_organization(self) -> Mapping[str, float]: ...
    @property
    def total_seconds(self) -> float: ...
    @property
    def sectors_not_heard(self) -> Sequence[str]: ...


def _share(seconds: float, total: float) -> str:
    return f"{round(100 * seconds / total)}%" if total > 0 else "-"


def _bar(seconds: float, most: float) -> str:
    if most <= 0 or seconds <= 0:
        return ""
    return "█" * max(1, round(BAR_WIDTH * seconds / most))


def airtime_lines(figures: AirtimeFigures, label: Callable[[str], str]) -> list[str]:
    """The panel's lines (plain text; the caller shows them literally). Sectors in the order
    given, organizations by airtime, most first."""
    total = figures.total_seconds
    lines = [f"Spoken so far: {fmt_mmss(total)} (m:ss)"]
    if total <= 0:
        lines.append("Nobody has spoken yet (s queues a speaker, R starts a round).")
    lines.append("")
    lines.append(f"{'By sector':<{NAME_WIDTH}} {'m:ss':>7} {'share':>5}")
    most = max(figures.by_sector.values(), default=0.0)
    for sector, seconds in figures.by_sector.items():
        name = one_line(label(sector), NAME_WIDTH)
        lines.append(
            f"{name:<{NAME_WIDTH}} {fmt_mmss(seconds):>7} {_share(seconds, total):>5} "
            f"{_bar(seconds, most)}"
        )
    not_heard = [one_line(label(s)) for s in figures.sectors_not_heard]
    lines.append("")
    if not_heard:
        lines.append(f"Not heard yet ({len(not_heard)}): " + ", ".join(not_heard))
    else:
        lines.append("Every sector in the room has been heard.")
    lines.append("")
    lines.append(f"{'By organization':<{NAME_WIDTH}} {'m:ss':>7} {'share':>5}")
    ranked = sorted(figures.by_organization.items(), key=lambda kv: (-kv[1], kv[0]))
    for org, seconds in ranked:
        name = one_line(org, NAME_WIDTH) or "(no organization)"
        lines.append(f"{name:<{NAME_WIDTH}} {fmt_mmss(seconds):>7} {_share(seconds, total):>5}")
    return lines


class AirtimePanel(ModalScreen[None]):
    """Read only; Esc (or A again) closes it."""

    CSS_PATH = "meeting.tcss"  # (the meeting screen's: parsed already, see there)
    BINDINGS = [
        Binding("escape,A", "close", "Close"),
        Binding("ctrl+r", "refresh_figures", "Refresh", show=False),
    ]

    def __init__(
        self,
        figures: Callable[[], AirtimeFigures],
        label: Callable[[str], str],
        heading: str = "Airtime this meeting",
    ) -> None:
        super().__init__()
        self.figures = figures
        self.label = label
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="airtime"):
            yield Static(labelled("$h", h=self.heading), classes="dialog-title")
            with VerticalScroll(id="airtime-scroll"):
                yield Static(id="airtime-body")
            yield Static("Esc: close   (the figures follow the clock while open)", classes="hint")

    def on_mount(self) -> None:
        self.action_refresh_figures()
        self.set_interval(1.0, self.action_refresh_figures)

    def action_refresh_figures(self) -> None:
        lines = airtime_lines(self.figures(), self.label)
        self.query_one("#airtime-body", Static).update(Content(plain("\n".join(lines))))

    def action_close(self) -> None:
        self.dismiss(None)
