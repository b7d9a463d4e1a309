"""Home: the collaborative, the next meeting, report-backs due, the last meeting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ...domain.common import FacilitateError, counted
from ...domain.meeting import Meeting, MeetingStatus, planned_total
from ...domain.roster import Member, Subcommittee
from ..commands import HOME, bindings
from ..redraw import SteadyFooter
from ..safe_text import SafeTitles, labelled, one_line, safe

if TYPE_CHECKING:
    from ...services.live import LiveMeeting

UPCOMING = (MeetingStatus.LIVE, MeetingStatus.PLANNED)
# Home is often on the projector before a meeting: an action raised under a confidential item
# never shows its text here (the action tracker shows it once unlocked).
WITHHELD = "(action from a confidential item)"


class HomeScreen(SafeTitles, Screen[None]):
    COMMAND_TABLE = HOME
    BINDINGS = bindings(HOME)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home"):
            yield Static(id="collab-name", classes="title")
            yield Static(id="mission")
            # Boxed Statics, no container each: fewer widgets to style and lay out at start-up.
            yield Static(id="next-meeting", classes="box")
            yield Static(id="due", classes="box")
            yield Static(id="last-meeting", classes="box")
        yield SteadyFooter(compact=True)

    def on_screen_resume(self) -> None:
        # Fires on first show too, so the data is loaded once at start-up.
        self.refresh_data()

    def _next_meeting(self, meetings: list[Meeting]) -> Meeting | None:
        live = [m for m in meetings if m.status is MeetingStatus.LIVE]
        if live:
            return live[0]
        planned = [m for m in meetings if m.status is MeetingStatus.PLANNED]
        return planned[0] if planned else None

    def refresh_data(self) -> None:
        try:
            self._refresh_data()
        except FacilitateError as exc:  # e.g. a damaged meeting file: said, never a crash
            self.query_one("#next-meeting", Static).update(safe(str(exc)))

    def _refresh_data(self) -> None:
        tx = self.app.ws.snapshot()  # type: ignore[attr-defined]
        try:
            profile = tx.profile()
            # Only what home shows is decoded: the live or planned meetings and the last held.
            upcoming = tx.meetings(UPCOMING)
            last_held = tx.last_meeting(MeetingStatus.ENDED)
        except FacilitateError as exc:
            self.query_one("#collab-name", Static).update(safe(str(exc)))
            return
        self.query_one("#collab-name", Static).update(safe(profile.name))
        self.query_one("#mission", Static).update(safe(profile.mission))
        nxt = self._next_meeting(upcoming)
        box = self.query_one("#next-meeting", Static)
        if nxt is None:
            box.update("No upcoming meeting. Create one with 'facilitate meetings new'.")
        else:
            items = tx.bundle(nxt.id).items
            total = planned_total(items)
            start = nxt.local(nxt.start)
            fits = "fits" if total <= nxt.slot_minutes else "over the slot"
            state = (
                "LIVE - press s to resume"
                if nxt.status is MeetingStatus.LIVE
                else "press s to start"
            )
            box.update(
                labelled(
                    "[b]Next meeting:[/b] $title\n$when - $end ($tz)  $where\n"
                    "Agenda: $count, $total of $slot min ($fits)   [b]$state[/b]",
                    title=nxt.title,
                    when=start.format("ddd D MMM YYYY, HH:mm"),
                    end=nxt.local(nxt.end).format("HH:mm"),
                    tz=nxt.timezone,
                    where=nxt.location,
                    count=counted(len([i for i in items if not i.deferred]), "item"),
                    total=total,
                    slot=nxt.slot_minutes,
                    fits=fits,
                    state=state,
                )
            )
        lines = []
        if nxt is not None:  # what is due at the next meeting
            day = nxt.local(nxt.start).date()
            today = self.app.clock().in_timezone(nxt.timezone).date()  # type: ignore[attr-defined]
            due = [a for a in tx.open_actions() if a.is_due_by(day)]
            title = "Report-backs due"
            most = 8
        else:  # no next meeting yet: what is overdue today, briefly (at 80x24 the meeting
            # just ended, below, must stay on screen; the tracker has the rest)
            day = today = self.app.clock().in_timezone(profile.timezone).date()  # type: ignore[attr-defined]
            due = [a for a in tx.open_actions() if a.is_overdue(today)]
            title = "Report-backs overdue"
            most = 2
        due.sort(key=lambda a: (a.due is None, a.due or day))
        shown = due[:most]
        # Only the owners shown are decoded (not the whole roster of ten years).
        names = {m.id: m.name for m in tx.some(Member, {a.owner_id for a in shown if a.owner_id})}
        subs = {
            s.id: s.name
            for s in tx.some(Subcommittee, {a.subcommittee_id for a in shown if a.subcommittee_id})
        }
        withheld = tx.withheld_open_actions() if shown else set()
        for a in shown:
            who = names.get(a.owner_id or "", "") or subs.get(a.subcommittee_id or "", "")
            flag = " OVERDUE" if a.is_overdue(today) else ""
            text = WITHHELD if a.id in withheld else one_line(a.text, 48)
            lines.append(f"- {text} ({one_line(who, 20)}, {a.due_label()}){flag}")
        if len(due) > most:
            lines.append(f"... and {len(due) - most} more (a: the action tracker)")
        header = f"{title} ({len(due)})"
        self.query_one("#due", Static).update(safe(header + "\n" + ("\n".join(lines) or "None.")))
        last = self.query_one("#last-meeting", Static)
        if last_held is not None:
            b = tx.bundle(last_held.id)
            m = b.meeting
            present = sum(1 for a in b.attendance if a.status.attending)
            last.update(
                labelled(
                    "[b]Last meeting:[/b] $title, $when\n$present present, $d, $a, minutes $status",
                    title=m.title,
                    when=m.local(m.start).format("D MMM YYYY"),
                    present=present,
                    d=counted(len(b.decisions), "decision"),
                    a=counted(len(b.actions), "action"),
                    status=m.minutes_status.value,
                )
            )
        else:
            last.update("No meeting held yet.")

    def action_start(self) -> None:
        try:
            self._start_next()
        except FacilitateError as exc:  # e.g. a damaged meeting file: said, never a crash
            self.app.report(exc)  # type: ignore[attr-defined]

    def _start_next(self) -> None:
        tx = self.app.ws.snapshot()  # type: ignore[attr-defined]
        nxt = self._next_meeting(tx.meetings(UPCOMING))
        if nxt is None:
            self.notify("No meeting to start: create one with 'facilitate meetings new'.")
            return
        from ...services.live import LiveMeeting, scheduled_elsewhen

        live = LiveMeeting(self.app.ws, nxt.id, self.app.clock)  # type: ignore[attr-defined]
        if not scheduled_elsewhen(nxt, live.now()):
            self._start(live, move_to_now=False)
            return
        when = nxt.local(nxt.start).format("ddd D MMM YYYY, HH:mm")
        now = live.now().in_timezone(nxt.timezone).start_of("minute")
        length = round((nxt.end - nxt.start).total_seconds() / 60)
        until = now.add(minutes=length).format("HH:mm")
        text = (
            f"{nxt.title} is scheduled for {when}, not today.\n"
            f"Start it now? It moves to today, {now.format('HH:mm')}-{until} "
            f"({length} min, as planned), so its clock and end time are about today."
        )

        def answered(start: bool | None) -> None:
            if start:
                self._start(live, move_to_now=True)

        from .dialogs import StartElsewhenDialog

        self.app.push_screen(StartElsewhenDialog(text), answered)

    def _start(self, live: LiveMeeting, *, move_to_now: bool) -> None:
        try:
            live.start(move_to_now=move_to_now)
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        from .meeting import MeetingScreen

        self.app.push_screen(MeetingScreen(live))

    # --- between meetings -------------------------------------------------------------------

    def action_roster(self) -> None:
        from .roster import RosterScreen

        self.app.push_screen(RosterScreen())

    def action_subcommittees(self) -> None:
        from .subcommittees import SubcommitteesScreen

        self.app.push_screen(SubcommitteesScreen())

    def action_actions(self) -> None:
        from .actions import ActionsScreen

        self.app.push_screen(ActionsScreen())

    def action_history(self) -> None:
        from .history import HistoryScreen

        self.app.push_screen(HistoryScreen())
