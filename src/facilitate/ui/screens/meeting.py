"""The running meeting: clock bar, timed agenda, current item with countdown and notes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Digits, Footer, Header, ProgressBar, Static, TextArea

from ...domain.common import FacilitateError
from ...domain.meeting import AgendaItem, ItemKind
from ...domain.timer import (
    TimerState,
    crossed_into_overrun,
    fmt_mmss,
    item_clock,
    meeting_clock,
)
from ...services.live import LiveMeeting
from ...storage.workspace import MeetingBundle
from ..commands import MEETING, bindings
from ..safe_text import labelled, one_line, plain, safe

NOTES_SAVE_DELAY = 0.5  # seconds after the last keystroke


class MeetingScreen(Screen[None]):
    COMMAND_TABLE = MEETING
    BINDINGS = bindings(MEETING)

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live
        self.bundle: MeetingBundle = live.load()
        self._last_state: dict[str, TimerState] = {}
        self._notes_item: str | None = None
        self._notes_timer: Timer | None = None
        self._notes_dirty = False
        self._loading_notes = False

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="clockbar")
        with Horizontal(id="meeting-body"):
            yield DataTable(id="agenda", cursor_type="row", zebra_stripes=False)
            with Vertical(id="item-panel"):
                yield Static(id="item-title")
                with Horizontal(id="timer-row"):
                    yield Digits("0:00", id="countdown")
                    yield Static(id="item-state")
                yield ProgressBar(total=100, show_eta=False, id="progress")
                yield Static(id="notes-label")
                yield TextArea(id="notes", soft_wrap=True, tab_behavior="focus")
                yield Static(id="captured")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#agenda", DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column("Item", key="title", width=19)
        table.add_column("Plan", key="plan", width=4)
        table.add_column("Used", key="used", width=5)
        self.title = self.bundle.meeting.title
        self.reload()
        table.focus()
        if self.bundle.meeting.confidentiality_ack_at is None:
            self._ask_confidentiality(first=True)
        elif self.bundle.meeting.current_item_id is None and self.bundle.items:
            self._goto(self.bundle.items[0].id)
        self.set_interval(0.25, self.tick)

    # --- data ---------------------------------------------------------------------------

    @property
    def current(self) -> AgendaItem | None:
        return self.bundle.item(self.bundle.meeting.current_item_id)

    def reload(self) -> None:
        """Re-read the meeting from disk and redraw everything but the notes being typed."""
        self.bundle = self.live.load()
        self._fill_agenda()
        self._show_current()
        self._show_captured()
        self.tick()

    def _visible_items(self) -> list[AgendaItem]:
        return [i for i in self.bundle.items if not i.deferred]

    def _fill_agenda(self) -> None:
        table = self.query_one("#agenda", DataTable)
        keep = table.cursor_row
        table.clear()
        now = self.live.now()
        for n, item in enumerate(self._visible_items(), start=1):
            mark = ">" if item.id == self.bundle.meeting.current_item_id else " "
            conf = "(C) " if item.confidential else ""
            pin = "^" if item.pinned else ""
            used = item.elapsed_seconds(now)
            table.add_row(
                mark,
                safe(f"{n}. {conf}{one_line(item.title)}"),
                f"{item.planned_minutes}{pin}",
                fmt_mmss(used) if item.started else "-",
                key=item.id,
            )
        if table.row_count:
            if self.current is not None and keep < 0:
                keep = [i.id for i in self._visible_items()].index(self.current.id)
            table.move_cursor(row=min(max(keep, 0), table.row_count - 1))

    def _show_current(self) -> None:
        item = self.current
        notes = self.query_one("#notes", TextArea)
        title = self.query_one("#item-title", Static)
        label = self.query_one("#notes-label", Static)
        if item is None:
            title.update("No current item. Press n to start the first item.")
            label.update("")
            return
        who = f"  ({item.presenter})" if item.presenter else ""
        title.update(safe(f"{item.title}{who}"))
        self.query_one("#item-panel").set_class(item.confidential, "confidential")
        hint = "  i: roll call" if item.kind is ItemKind.INTRODUCTIONS else ""
        label.update(
            labelled("[b reverse] CONFIDENTIAL [/] notes for members only (o to type)")
            if item.confidential
            else f"Notes (o to type, Esc to leave){hint}"
        )
        if self._notes_item != item.id:
            self._flush_notes()
            self._notes_item = item.id
            self._loading_notes = True
            notes.load_text(plain(item.notes))
            self._loading_notes = False

    def _show_captured(self) -> None:
        lines = []
        for d in self.bundle.decisions[-3:]:
            lines.append(f"Decision: {one_line(d.text, 60)}")
        for a in self.bundle.actions[-3:]:
            lines.append(f"Action: {one_line(a.text, 50)} ({a.due_label()})")
        counts = f"{len(self.bundle.decisions)} decisions, {len(self.bundle.actions)} actions"
        self.query_one("#captured", Static).update(safe("\n".join([counts, *lines[-4:]])))

    # --- clock ----------------------------------------------------------------------------

    def tick(self) -> None:
        now = self.live.now()
        m = self.bundle.meeting
        mc = meeting_clock(m, self.bundle.items, now)
        paused = " PAUSED" if m.paused else ""
        self.query_one("#clockbar", Static).update(
            labelled(
                "Now $now  Ends $end  Projected $proj  [b]$status[/b]$paused",
                now=m.local(now).format("HH:mm:ss"),
                end=m.local(m.end).format("HH:mm"),
                proj=m.local(mc.projected_end).format("HH:mm"),
                status=mc.status_text,
                paused=paused,
            )
        )
        self.query_one("#clockbar").set_class(not mc.on_track, "behind")
        item = self.current
        digits = self.query_one("#countdown", Digits)
        state_label = self.query_one("#item-state", Static)
        bar = self.query_one("#progress", ProgressBar)
        if item is None:
            digits.update("0:00")
            state_label.update("")
            bar.update(progress=0)
            return
        clock = item_clock(item, now)
        state = clock.state
        text = clock.display
        digits.update(text.replace("over by ", "+"))
        words = {
            TimerState.IDLE: "not started",
            TimerState.NORMAL: "remaining",
            TimerState.WARNING: "remaining - wrap up",
            TimerState.OVERRUN: text,
        }[state]
        if m.paused:
            words += " (paused)"
        state_label.update(f"{words}\nplanned {item.planned_minutes} min")
        bar.update(progress=round(clock.progress * 100))
        panel = self.query_one("#item-panel")
        panel.set_class(state is TimerState.WARNING, "warning")
        panel.set_class(state is TimerState.OVERRUN, "overrun")
        before = self._last_state.get(item.id, state)
        if crossed_into_overrun(before, state) and not m.paused:
            self.app.bell()
        self._last_state[item.id] = state
        # Keep the "Used" column live for the running item.
        if item.running:
            table = self.query_one("#agenda", DataTable)
            try:
                table.update_cell(item.id, "used", fmt_mmss(clock.elapsed_seconds))
            except Exception:  # row not shown (deferred) - nothing to update
                pass

    # --- actions ---------------------------------------------------------------------------

    def _run(self, fn, *args):  # type: ignore[no-untyped-def]
        try:
            result = fn(*args)
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return None
        self.reload()
        return result

    def _goto(self, item_id: str) -> None:
        self._flush_notes()
        previous = self.current
        self._run(self.live.goto, item_id)
        new = self.current
        if new is not None and new.id != getattr(previous, "id", None):
            self._entered(new)

    def _entered(self, item: AgendaItem) -> None:
        self._last_state[item.id] = item_clock(item, self.live.now()).state
        if item.confidential:
            self._ask_confidentiality(first=False)

    def _step(self, offset: int) -> None:
        self._flush_notes()
        previous = self.current
        try:
            new = self.live.step(offset)
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self.reload()
        if new is None:
            self.notify("That was the last item: press e to close." if offset > 0 else "First item.")
        elif new.id != getattr(previous, "id", None):
            self._entered(self.current or new)

    def action_next_item(self) -> None:
        self._step(+1)

    def action_previous_item(self) -> None:
        self._step(-1)

    def action_toggle_pause(self) -> None:
        if self.bundle.meeting.paused:
            self._run(self.live.resume)
        elif self.current is not None:
            self._run(self.live.pause)

    def action_revisit(self) -> None:
        table = self.query_one("#agenda", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key and key != self.bundle.meeting.current_item_id:
            self._goto(key)

    @on(DataTable.RowSelected, "#agenda")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_revisit()

    def action_pin(self) -> None:
        table = self.query_one("#agenda", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                self._run(self.live.toggle_pin, key)

    def action_focus_notes(self) -> None:
        if self.current is None:
            self.notify("Start an item first (n).")
            return
        self.query_one("#notes", TextArea).focus()

    def action_leave_notes(self) -> None:
        self._flush_notes()
        self.query_one("#agenda", DataTable).focus()

    def action_roll_call(self) -> None:
        from .roll_call import RollCallScreen

        self._flush_notes()
        self.app.push_screen(RollCallScreen(self.live), lambda _: self.reload())

    def action_decision(self) -> None:
        from .dialogs import DecisionForm

        self._flush_notes()
        self.app.push_screen(DecisionForm(self.live, self.current), lambda _: self.reload())

    def action_action(self) -> None:
        from .dialogs import ActionForm

        self._flush_notes()
        self.app.push_screen(ActionForm(self.live, self.current), lambda _: self.reload())

    def action_training(self) -> None:
        from .dialogs import TrainingPicker

        self._flush_notes()
        self.app.push_screen(TrainingPicker(self.live, self.current), lambda _: self.reload())

    def action_replan(self) -> None:
        from .dialogs import ReplanDialog

        self._flush_notes()
        self.app.push_screen(ReplanDialog(self.live), lambda _: self.reload())

    def action_close_meeting(self) -> None:
        from .close import CloseScreen

        self._flush_notes()
        self.app.push_screen(CloseScreen(self.live), self._after_close)

    def _after_close(self, ended: bool | None) -> None:
        if ended:
            self.dismiss(None)
        else:
            self.reload()

    def _ask_confidentiality(self, *, first: bool) -> None:
        from .dialogs import ConfidentialityDialog

        statement = self.live.ws.snapshot().profile().confidentiality_statement

        def done(acknowledged: bool | None) -> None:
            if first:
                if not acknowledged:
                    self.notify("The meeting starts once confidentiality is acknowledged.")
                    self.dismiss(None)
                    return
                self._run(self.live.acknowledge_confidentiality)
                if self.bundle.meeting.current_item_id is None and self.bundle.items:
                    self._goto(self.bundle.items[0].id)

        self.app.push_screen(ConfidentialityDialog(statement, first=first), done)

    # --- notes autosave ---------------------------------------------------------------------

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        if self._loading_notes:
            return
        self._notes_dirty = True
        if self._notes_timer is not None:
            self._notes_timer.stop()
        self._notes_timer = self.set_timer(NOTES_SAVE_DELAY, self._flush_notes)

    def _flush_notes(self) -> None:
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        if not self._notes_dirty or self._notes_item is None:
            return
        text = self.query_one("#notes", TextArea).text
        try:
            saved = self.live.save_notes(self._notes_item, text)
        except FacilitateError as exc:
            self.app.report(exc)  # keep _notes_dirty: the text stays on screen, retried later
            return
        self._notes_dirty = False
        for n, item in enumerate(self.bundle.items):
            if item.id == saved.id:
                self.bundle.items[n] = saved

    def on_unmount(self) -> None:
        self._flush_notes()
