"""The read-only follow view, for a projector or a second screen.

The agenda with the current item highlighted, a large timer, the decisions and actions so far
and who is present. What may be shown comes from collab.follow.public_view: no notes, nothing
of a confidential item. It reads snapshots only (no lock, no writes) and polls the workspace's
stat stamp once a second, so it follows the facilitator's instance while that one writes.
"""

from __future__ import annotations

from typing import Any, cast

from pendulum import DateTime
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.visual import RulesMap
from textual.widgets import DataTable, Digits, Static

from ...collab.follow import PublicView, public_view
from ...domain.common import Clock, FacilitateError, counted
from ...domain.meeting import MeetingStatus
from ...domain.speaking import limit_seconds, speaker_clock
from ...domain.timer import TimerState, fmt_mmss, item_clock, meeting_clock
from ...storage.workspace import MeetingBundle, Workspace
from ..commands import FOLLOW, bindings
from ..redraw import ChangedOnly, SteadyFooter, TickingScreen
from ..safe_text import labelled, one_line, safe
from ..tables import FixedTable
from ..widgets.speakers import QueueShown, SpeakersPanel

POLL_INTERVAL = 1.0  # seconds between two stat checks
TICK_INTERVAL = 0.5  # seconds between two timer redraws
PRESENT_LINES = 3  # the present box's max-height (follow.tcss)


class FollowScreen(TickingScreen):
    CSS_PATH = "follow.tcss"  # parsed when first shown (see app.tcss)
    COMMAND_TABLE = FOLLOW
    BINDINGS = bindings(FOLLOW)

    def __init__(self, ws: Workspace, meeting_id: str, clock: Clock) -> None:
        super().__init__()
        self.ws = ws
        self.meeting_id = meeting_id
        self.clock = clock
        self.bundle: MeetingBundle | None = None
        self.view: PublicView | None = None
        self._stamp: tuple[Any, ...] | None = None
        self.error = ""
        self._redraw = ChangedOnly()  # ticks twice a second, new values once a second
        self._speaker_limit_default = 0  # the profile's per-speaker minutes (0: none)

    def compose(self) -> ComposeResult:
        yield Static(id="follow-status")
        with Horizontal(id="follow-body"):
            yield FixedTable(id="follow-agenda", cursor_type="row", zebra_stripes=False)
            with Vertical(id="follow-side"):
                yield Static(id="follow-item-title")
                yield Digits("0:00", id="follow-timer")
                yield Static(id="follow-item-state")
                yield SpeakersPanel(id="follow-speakers")
                yield Static(id="follow-captured")
        yield Static(id="follow-present")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#follow-agenda", DataTable)
        table.can_focus = False
        table.add_column("", key="mark", width=1)
        table.add_column("Item", key="title", width=22)
        table.add_column("Min", key="plan", width=3)
        table.add_column("Used", key="used", width=5)
        self.load()
        self.set_interval(TICK_INTERVAL, self.tick)
        self.set_interval(POLL_INTERVAL, self.poll)
        start_pacing = getattr(self.app, "start_gc_pacing", None)
        if start_pacing is not None:  # full collections once a minute, not when Python picks
            self.call_after_refresh(start_pacing)

    def on_resize(self) -> None:
        if self.view is not None:
            self.call_after_refresh(self._show_present)  # (fitted to the new width)

    # --- data -------------------------------------------------------------------------------

    def poll(self) -> None:
        try:
            stamp = self.ws.stamp(self.meeting_id)
        except FacilitateError as exc:
            self._failed(exc)
            return
        if stamp != self._stamp:
            self.load()

    def load(self) -> None:
        """Read a fresh snapshot (reads only) and redraw what it shows."""
        try:
            stamp = self.ws.stamp(self.meeting_id)
            tx = self.ws.snapshot()
            bundle = tx.bundle(self.meeting_id)
            roster = tx.roster()
            names = {m.id: m.name for m in roster.members}
        except FacilitateError as exc:
            self._failed(exc)
            return
        self._stamp = stamp
        self.error = ""
        self.bundle = bundle
        self.view = public_view(bundle, names)
        self._speaker_limit_default = roster.profile.speaker_limit_minutes
        self._fill_agenda()
        self._show_captured()
        self._show_present()
        self.tick()

    def _failed(self, exc: FacilitateError) -> None:
        # Shown in the status line and retried at the next poll (a follow view never gives up).
        self.error = f"Cannot read the meeting: {exc} (retrying)"
        self._stamp = None
        self._redraw.static(self.query_one("#follow-status", Static), safe(self.error))

    def _fill_agenda(self) -> None:
        assert self.view is not None and self.bundle is not None
        table = self.query_one("#follow-agenda", FixedTable)
        table.clear()
        self._redraw.forget(table)
        now = self.clock()
        current_row = -1
        rows: list[tuple[str, tuple[Any, ...]]] = []
        for row, item in enumerate(self.view.items):
            stored = self.bundle.item(item.id)
            used = stored.elapsed_seconds(now) if stored is not None else 0.0
            if item.current:
                current_row = row
            cells = (
                ">" if item.current else " ",
                safe(f"{item.number}. {one_line(item.title)}"),
                str(item.planned_minutes),
                fmt_mmss(used) if item.started else "-",
            )
            table.widen_for("used", cells[-1])  # (an hour or more: "1:06:12", whole)
            rows.append((item.id, cells))
        table.add_keyed_rows(rows)
        table.show_cursor = current_row >= 0
        if current_row >= 0:
            table.move_cursor(row=current_row)

    def _show_captured(self) -> None:
        assert self.view is not None
        lines = [f"Decisions ({len(self.view.decisions)})"]
        lines += [f"- {one_line(d.text, 200)}" for d in self.view.decisions[-4:]]
        lines.append(f"Actions ({len(self.view.actions)})")
        lines += [
            f"- {one_line(a.text, 200)} ({one_line(a.detail, 60)})" for a in self.view.actions[-6:]
        ]
        self.query_one("#follow-captured", Static).update(safe("\n".join(lines)))

    def _show_present(self) -> None:
        """Who is present, in the lines the box has (PRESENT_LINES): as many names as fit,
        then "+N more" (a long roll call was cut off mid-name with no sign of the rest)."""
        assert self.view is not None
        v = self.view
        box = self.query_one("#follow-present", Static)
        names = [one_line(name, 60) for name in v.present]

        def text(shown: int) -> Content:
            listed = ", ".join(names[:shown]) or "nobody marked yet"
            if shown < len(names):
                listed += f" +{len(names) - shown} more"
            return labelled(
                "[b]Present $n of $expected[/b] ($orgs): $names",
                n=len(v.present),
                expected=v.expected,
                orgs=counted(v.organizations, "organization"),
                names=listed,
            )

        width = box.content_region.width or max(1, self.app.size.width - 2)
        rules = cast(RulesMap, box.styles)
        shown = len(names)
        content = text(shown)
        while shown > 0 and content.get_height(rules, width) > PRESENT_LINES:
            shown -= 1
            content = text(shown)
        box.update(content)

    # --- clock ------------------------------------------------------------------------------

    def tick(self) -> None:
        if self.bundle is None or self.view is None:
            return
        now = self.clock().in_timezone("UTC")
        m = self.bundle.meeting
        mc = meeting_clock(m, self.bundle.items, now)
        status = {
            MeetingStatus.PLANNED: "NOT STARTED",
            MeetingStatus.LIVE: "LIVE",
            MeetingStatus.ENDED: "ENDED",
        }[m.status]
        if m.paused and m.status is MeetingStatus.LIVE:
            status = "PAUSED"
        if not self.error:
            times = (
                f"Now {m.local(now).format('HH:mm:ss')}  Ends {m.local(m.end).format('HH:mm')}  "
                f"Projected {m.local(mc.projected_end).format('HH:mm')}  {mc.status_text}"
            )
            room = self.size.width - len(status) - len(times) - 6
            self._redraw.static(
                self.query_one("#follow-status", Static),
                labelled(
                    "[b]$status[/b]  $title$gap$times",
                    status=status,
                    title=one_line(m.title, max(room, 8)) if room > 0 else "",
                    gap="  " if room > 0 else "",
                    times=times,
                ),
                layout=False,  # one line (follow.tcss)
            )
        self.query_one("#follow-status").set_class(not mc.on_track, "behind")
        current = self.view.current
        item = self.bundle.item(current.id) if current is not None else None
        title = self.query_one("#follow-item-title", Static)
        digits = self.query_one("#follow-timer", Digits)
        state = self.query_one("#follow-item-state", Static)
        side = self.query_one("#follow-side")
        if current is None or item is None:
            waiting = (
                "The meeting has ended. Thank you for taking part."
                if m.status is MeetingStatus.ENDED
                else "Waiting for the facilitator to start an item."
            )
            self._redraw.static(title, waiting)
            self._redraw.digits(digits, "0:00")
            self._redraw.static(state, "", layout=False)
            side.set_class(False, "warning")
            side.set_class(False, "overrun")
            self.query_one("#follow-speakers", SpeakersPanel).show(QueueShown())
            return
        clock = item_clock(item, now)
        self._redraw.static(title, safe(f"{current.number}. {one_line(current.title, 120)}"))
        self._redraw.digits(digits, clock.display.replace("over by ", "+"))
        words = {
            TimerState.IDLE: "not started",
            TimerState.NORMAL: "remaining",
            TimerState.WARNING: "remaining - wrap up",
            TimerState.OVERRUN: clock.display,
        }[clock.state]
        if m.paused:
            words += " (paused)"
        self._redraw.static(state, f"{words}  (planned {item.planned_minutes} min)", layout=False)
        side.set_class(clock.state is TimerState.WARNING, "warning")
        side.set_class(clock.state is TimerState.OVERRUN, "overrun")
        self._show_queue(now)
        if item.running:
            table = self.query_one("#follow-agenda", FixedTable)
            used = fmt_mmss(clock.elapsed_seconds)
            table.widen_for("used", used)
            try:
                self._redraw.cell(table, item.id, "used", used)
            except Exception:  # the row is not shown (deferred)
                self.log.debug("no row for the running item")

    def _show_queue(self, now: DateTime) -> None:
        """The current speaker, with the time taken against the limit, and who waits: names
        only (public_queue), never a note."""
        assert self.view is not None and self.bundle is not None
        queue = self.view.queue
        panel = self.query_one("#follow-speakers", SpeakersPanel)
        turn = next((t for t in self.bundle.turns if t.id == queue.speaking_turn_id), None)
        item = self.bundle.item(self.bundle.meeting.current_item_id)
        if turn is None or item is None:
            panel.show(QueueShown(waiting=queue.waiting, hidden=queue.hidden, spoken=queue.spoken))
            return
        rnd = next((r for r in self.bundle.rounds if r.id == turn.round_id), None)
        limit = limit_seconds(item, self._speaker_limit_default, rnd)
        clock = speaker_clock(turn, limit, now)
        panel.show(
            QueueShown(
                speaker=queue.speaker,
                elapsed_seconds=clock.elapsed_seconds,
                countdown=clock.display if clock.limit_seconds else "",
                state=clock.state,
                paused=self.bundle.meeting.paused,
                waiting=queue.waiting,
                hidden=queue.hidden,
                spoken=queue.spoken,
            )
        )
