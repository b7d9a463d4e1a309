"""The running meeting: clock bar, timed agenda, current item with countdown and notes.

Another instance (a note-taker in another SSH session) may work on the same meeting. Once a
second the screen compares the workspace's stat stamp and reloads only when it changed. A
reload never touches notes with unsaved edits, and never moves the notes box to another item
while someone types in it; if the other side saved different notes for the same item, the next
save is refused and a modal shows both versions (keep mine / take theirs / keep both).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult, ScreenStackError
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.renderables.digits import Digits as DigitsRenderable
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Digits, Header, ProgressBar, Static, TextArea

from ...collab.merge import merge_notes
from ...domain.common import FacilitateError, counted
from ...domain.meeting import AgendaItem, ItemKind, MeetingStatus
from ...domain.timer import (
    TimerState,
    crossed_into_overrun,
    fmt_mmss,
    item_clock,
    meeting_clock,
    move_to,
    ordered,
    seconds_to_next_change,
)
from ...services.live import LiveMeeting, NotesConflictError
from ...storage.workspace import MeetingBundle
from ..commands import MEETING, MEETING_HELP_AT, bindings
from ..redraw import ChangedOnly, SteadyFooter, TickingScreen, update_auto_height
from ..safe_text import labelled, one_line, plain, safe
from ..tables import FixedTable, update_in_place
from ..widgets.speakers import SpeakersPanel
from .meeting_speakers import MeetingSpeakers

if TYPE_CHECKING:  # (loaded when a form first opens)
    from .dialogs import ItemForm

D = TypeVar("D", bound=Screen[Any])

GC_AFTER_TICK = 0.25  # seconds after a second is drawn, when a paced collection runs
NOTES_SAVE_DELAY = 0.5  # seconds after the last keystroke
AGENDA_COLUMNS = ("mark", "title", "plan", "used")
POLL_INTERVAL = 1.0  # seconds between two stat checks for changes made by another instance
PREBUILD_AFTER = 0.5  # seconds after the screen opens: its dialogs are built (see _prebuild)
PREBUILD_GAP = 0.15  # seconds between building two of them
AGENDA_TITLE_WIDTH = 19  # the least; the agenda's titles widen with the terminal


class Countdown(Digits):
    """The item's countdown, in a box of fixed width (``WIDTH`` cells: m:ss, mm:ss and +m:ss
    fit), so a new value is drawn without a layout pass. Digits' own ``update`` asks for one
    whenever the number of characters changes (4:59 -> 10:00): a layout pass re-arranges the
    whole screen and, as sizes settle, costs a second frame; with the title's height fixed
    too, moving to the next item went from ~33 to ~11 ms on screen. A wider value (an
    overrun of ten minutes or more) widens the box, and only then is the screen laid out."""

    WIDTH = 15

    def update(self, value: str) -> None:
        width = max(self.WIDTH, DigitsRenderable.get_width(value))
        if self.styles.width is None or self.styles.width.value != width:
            self.styles.width = width  # (an inline style: lays the screen out)
        self._value = value
        self.refresh()


class MeetingScreen(MeetingSpeakers, TickingScreen):
    CSS_PATH = "meeting.tcss"  # parsed when first shown (see app.tcss)
    COMMAND_TABLE = MEETING
    BINDINGS = bindings(MEETING, help_at=MEETING_HELP_AT)
    PACES_GC = True  # full collections run GC_AFTER_TICK after a second is drawn (gc_pacing)

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live
        self.bundle: MeetingBundle = live.load()
        self._last_state: dict[str, TimerState] = {}
        self._redraw = ChangedOnly()  # the clock ticks 4 times a second: see _show
        self._notes_item: str | None = None
        # The notes of _notes_item as last loaded from or saved to disk: what "unsaved edits"
        # and "someone else changed them" are measured against.
        self._notes_base = ""
        self._notes_timer: Timer | None = None
        self._notes_dirty = False
        # The box's text as of its last change: what save_pending saves once the widgets are
        # gone (Unmount arrives after the children were removed).
        self._notes_text = ""
        self._conflict: NotesConflictError | None = None
        self._stamp: tuple[Any, ...] | None = None
        self._poll_error = ""
        self._second_timer: Timer | None = None
        self._kept: dict[type[Screen[Any]], Screen[Any]] = {}  # see _push_kept
        self._unsaved_steps: list[Callable[[], object]] = []  # drawn, saved next: see _step
        self._captured: str | None = None  # the text of #captured as shown

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="clockbar")
        with Horizontal(id="meeting-body"):
            yield FixedTable(id="agenda", cursor_type="row", zebra_stripes=False)
            with Vertical(id="item-panel"):
                yield Static(id="item-title")
                with Horizontal(id="timer-row"):
                    yield Countdown("0:00", id="countdown")
                    yield Static(id="item-state")
                yield ProgressBar(total=100, show_eta=False, id="progress")
                yield SpeakersPanel(id="speakers")
                yield Static(id="notes-label")
                yield TextArea(id="notes", soft_wrap=True, tab_behavior="focus")
                yield Static(id="captured")
        yield SteadyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#agenda", FixedTable)
        table.add_column("", key="mark", width=1)
        table.add_column("Item", key="title", width=AGENDA_TITLE_WIDTH)
        table.add_column("Plan", key="plan", width=4)
        table.add_column("Used", key="used", width=5)
        table.fitted = {"title": AGENDA_TITLE_WIDTH}  # wider terminals: longer titles
        self.title = self.bundle.meeting.title
        self.reload()
        table.focus()
        if self.bundle.meeting.confidentiality_ack_at is None:
            self._ask_confidentiality(first=True)
        elif self.bundle.meeting.current_item_id is None and self.bundle.items:
            self._goto(self.bundle.items[0].id)
        self.set_interval(0.25, self.tick)  # clock bar, and a fallback for the countdown
        self.set_interval(POLL_INTERVAL, self.poll)
        self._schedule_second_tick()
        self.set_timer(PREBUILD_AFTER, self._prebuild)
        start_pacing = getattr(self.app, "start_gc_pacing", None)
        if start_pacing is not None:
            self.call_after_refresh(start_pacing)

    # --- data ---------------------------------------------------------------------------

    @property
    def typing_notes(self) -> bool:
        """The notes box has the focus: as soon as it is given (Screen.focused), not a message
        later (has_focus, set by the Focus event). A key queued right behind "o" sees it."""
        return self.focused is self.query_one("#notes", TextArea)

    @property
    def current(self) -> AgendaItem | None:
        return self.bundle.item(self.bundle.meeting.current_item_id)

    def reload(self) -> None:
        """Re-read the meeting from disk and redraw everything but the notes being typed."""
        # Stamp first: a write landing between the two is seen (again) by the next poll.
        self._stamp = self.live.ws.stamp(self.live.meeting_id)
        was_ended = self.bundle.meeting.status is MeetingStatus.ENDED
        self.bundle = self.live.load()
        self._fill_agenda()
        self._show_current()
        self._show_captured()
        self.speakers_reloaded()
        self.tick()
        # (The second-aligned tick re-aligns itself to a new item at its next firing.)
        ended = self.bundle.meeting.status is MeetingStatus.ENDED and not was_ended
        if ended and self.app.screen is self:
            # (Ended here, the close screen is on top and says so itself.)
            self.notify("This meeting has been ended (on another screen).", timeout=6)

    def poll(self) -> None:
        """Reload if another instance committed something (stat only when nothing changed)."""
        if self._covered():
            # A reload (after each roll-call mark) would cost the roll call a full frame:
            # looked at again when this screen is shown (on_screen_resume).
            return
        try:
            if self.live.ws.stamp(self.live.meeting_id) == self._stamp:
                return
            self.reload()
        except FacilitateError as exc:
            if str(exc) != self._poll_error:  # say it once, not every second
                self._poll_error = str(exc)
                self.app.report(exc)  # type: ignore[attr-defined]
            return
        self._poll_error = ""

    def on_screen_resume(self) -> None:
        """Shown again: catch up with what changed while covered."""
        self.poll()
        self.tick()
        self.set_timer(PREBUILD_AFTER, self._prebuild)  # (what waited for this screen)

    def _visible_items(self) -> list[AgendaItem]:
        return [i for i in self.bundle.items if not i.deferred]

    def _fill_agenda(self) -> None:
        """Show the agenda. When the rows are the same items in the same order (the usual
        case: next item, pause, a note saved), only the cells that changed are updated, so a
        key press does not re-render the whole table."""
        table = self.query_one("#agenda", FixedTable)
        self._redraw.forget(table)  # the tick's "Used" cell is written here too
        now = self.live.now()
        rows: list[tuple[str, tuple[Any, ...]]] = []
        for n, item in enumerate(self._visible_items(), start=1):
            mark = ">" if item.id == self.bundle.meeting.current_item_id else " "
            conf = "(C) " if item.confidential else ""
            pin = "^" if item.pinned else ""
            used = item.elapsed_seconds(now)
            cells = (
                mark,
                safe(f"{n}. {conf}{one_line(item.title)}"),
                f"{item.planned_minutes}{pin}",
                fmt_mmss(used) if item.started else "-",
            )
            table.widen_for("used", cells[-1])  # (an hour or more: "1:06:12", whole)
            rows.append((item.id, cells))
        if update_in_place(table, AGENDA_COLUMNS, rows):
            return
        keep = table.cursor_row
        table.clear()
        table.add_keyed_rows(rows)
        if table.row_count:
            if self.current is not None and keep < 0:
                keep = [i.id for i in self._visible_items()].index(self.current.id)
            table.move_cursor(row=min(max(keep, 0), table.row_count - 1))

    def _show(self, selector: str, content: str | Content) -> None:
        """Update one of the fixed-size lines (clock bar, item title and state, notes label:
        their size is set in meeting.tcss) only when what it shows changes, and without a
        layout pass: the clock redraws them four times a second, and a layout pass
        re-arranges and redraws the whole screen."""
        self._redraw.static(self.query_one(selector, Static), content, layout=False)

    def _show_current(self) -> None:
        item = self.current
        notes = self.query_one("#notes", TextArea)
        if item is None:
            self._show("#item-title", Content("No current item. Press n to start the first item."))
            self._show("#notes-label", "")
            return
        who = f"  ({item.presenter})" if item.presenter else ""
        self._show("#item-title", safe(f"{item.title}{who}"))
        self._sync_notes(item, notes)
        shown = self.bundle.item(self._notes_item) or item
        # On the two widgets it restyles, not on the panel: a class on the panel restyled its
        # every widget (the countdown, the notes box...) at each step into or out of a case.
        for selector in ("#notes-label", "#notes"):
            self.query_one(selector).set_class(bool(shown.confidential), "confidential")
        if shown.id != item.id:
            self._show(
                "#notes-label",
                labelled("[b]Notes of $old[/b] - Esc follows", old=one_line(shown.title, 14)),
            )
            return
        hint = "  i: roll call" if item.kind is ItemKind.INTRODUCTIONS else ""
        self._show(
            "#notes-label",
            labelled("[b reverse] CONFIDENTIAL [/] notes for members only (o to type)")
            if item.confidential
            else f"Notes (o to type, Esc to leave){hint}",
        )

    def _sync_notes(self, item: AgendaItem, notes: TextArea) -> None:
        """Point the notes box at the current item, unless that would disturb typing."""
        if self._notes_item != item.id:
            if self._notes_item is not None and (self.typing_notes or self._conflict is not None):
                # Someone else moved the meeting on while this person types: keep their box.
                self._refresh_notes_from_disk(notes)
                return
            self._flush_notes()
            if self._notes_dirty or self._conflict is not None:
                return  # unsaved text is never replaced (the save failed or conflicts)
            self._notes_item = item.id
            self._notes_base = item.notes
            self._notes_dirty = False
            notes.load_text(plain(item.notes))
            notes.move_cursor(notes.document.end)  # reopened notes continue at the end
            return
        self._refresh_notes_from_disk(notes)

    def _refresh_notes_from_disk(self, notes: TextArea) -> None:
        """Show notes another instance saved, if this one has no unsaved edits to them."""
        stored = self.bundle.item(self._notes_item)
        if stored is None or stored.notes == self._notes_base:
            return
        if self._notes_dirty or self._conflict is not None:
            return  # checked at save time: the save is refused and both versions shown
        self._notes_base = stored.notes
        self._load_notes(notes, stored.notes)

    def _load_notes(self, notes: TextArea, text: str, *, at_end: bool = False) -> None:
        """Replace the notes shown, keeping the cursor where the user had it (at the end, if
        it was at the end: someone appending keeps appending)."""
        row, col = notes.cursor_location
        at_end = at_end or notes.cursor_location == notes.document.end
        notes.load_text(plain(text))
        if at_end:
            notes.move_cursor(notes.document.end)
            return
        row = min(row, notes.document.line_count - 1)
        notes.move_cursor((row, min(col, len(notes.document.get_line(row)))))

    def _show_captured(self) -> None:
        lines = []
        for d in self.bundle.decisions[-3:]:
            lines.append(f"Decision: {one_line(d.text, 60)}")
        for a in self.bundle.actions[-3:]:
            lines.append(f"Action: {one_line(a.text, 50)} ({a.due_label()})")
        counts = (
            f"{counted(len(self.bundle.decisions), 'decision')}, "
            f"{counted(len(self.bundle.actions), 'action')}"
        )
        text = "\n".join([counts, *lines[-4:]])
        if text != self._captured:  # (a reload after each step: the same, most of the time)
            self._captured = text
            update_auto_height(self.query_one("#captured", Static), safe(text))

    # --- clock ----------------------------------------------------------------------------

    def next_tick_delay(self) -> float:
        """Seconds until the running item's countdown shows its next value (1 s when no item
        runs). Ticking then, not at a fixed 0.25 s phase, keeps the display from lagging up to
        a quarter of a second behind the true remaining time."""
        item = self.current
        if item is None or not item.running or self.bundle.meeting.paused:
            return 1.0
        return seconds_to_next_change(item.elapsed_seconds(self.live.now()))

    def _schedule_second_tick(self) -> None:
        if self._second_timer is not None:
            self._second_timer.stop()
        # A couple of milliseconds late, so the new second has surely begun.
        self._second_timer = self.set_timer(self.next_tick_delay() + 0.001, self._second_tick)

    def _second_tick(self) -> None:
        self._second_timer = None
        self.tick()
        self._schedule_second_tick()
        pacer = getattr(self.app, "gc_pacer", None)
        if pacer is not None and pacer.due:
            # A moment after this second is drawn (the frame is out well within GC_AFTER_TICK),
            # so the pause falls where the display stands still anyway.
            self.set_timer(GC_AFTER_TICK, pacer.collect)

    def tick(self) -> None:
        now = self.live.now()
        m = self.bundle.meeting
        if self._covered():  # nothing to draw (see _covered), but the overrun bell rings
            item = self.current
            if item is not None:
                self._ring_at_overrun(item, item_clock(item, now).state)
            self.speakers_tick(now, draw=False)
            return
        mc = meeting_clock(m, self.bundle.items, now)
        paused = " PAUSED" if m.paused else ""
        self._show(
            "#clockbar",
            labelled(
                "Now $now  Ends $end  Projected $proj  [b]$status[/b]$paused",
                now=m.local(now).format("HH:mm:ss"),
                end=m.local(m.end).format("HH:mm"),
                proj=m.local(mc.projected_end).format("HH:mm"),
                status=mc.status_text,
                paused=paused,
            ),
        )
        self.query_one("#clockbar").set_class(not mc.on_track, "behind")
        item = self.current
        if (
            item is not None
            and item.id != self._notes_item
            and not self._notes_dirty
            and self._conflict is None
            and not self.typing_notes
        ):
            self._show_current()  # the box was kept on an item while someone typed
        self.speakers_tick(now)
        digits = self.query_one("#countdown", Digits)
        bar = self.query_one("#progress", ProgressBar)
        if item is None:
            self._redraw.digits(digits, "0:00")
            self._show("#item-state", "")
            bar.update(progress=0)
            return
        clock = item_clock(item, now)
        state = clock.state
        text = clock.display
        self._redraw.digits(digits, text.replace("over by ", "+"))
        words = {
            TimerState.IDLE: "not started",
            TimerState.NORMAL: "remaining",
            TimerState.WARNING: "remaining - wrap up",
            TimerState.OVERRUN: text,
        }[state]
        if m.paused:
            words += " (paused)"
        self._show("#item-state", f"{words}\nplanned {item.planned_minutes} min")
        bar.update(progress=round(clock.progress * 100))
        panel = self.query_one("#item-panel")
        panel.set_class(state is TimerState.WARNING, "warning")
        panel.set_class(state is TimerState.OVERRUN, "overrun")
        self._ring_at_overrun(item, state)
        # Keep the "Used" column live for the running item.
        if item.running:
            table = self.query_one("#agenda", FixedTable)
            used = fmt_mmss(clock.elapsed_seconds)
            table.widen_for("used", used)
            # A deferred item has no row: nothing to update.
            with contextlib.suppress(Exception):
                self._redraw.cell(table, item.id, "used", used)

    def _ring_at_overrun(self, item: AgendaItem, state: TimerState) -> None:
        before = self._last_state.get(item.id, state)
        if crossed_into_overrun(before, state) and not self.bundle.meeting.paused:
            self.app.bell()
        self._last_state[item.id] = state

    # --- actions ---------------------------------------------------------------------------

    def _run(self, fn, *args):  # type: ignore[no-untyped-def]
        """A save, then a redraw; None if it failed (reported) or waits for the workspace lock
        (saved by the app's SaveQueue once another process lets go of it)."""
        self._save_steps()
        return self.app.saves.save(partial(fn, *args), self._reload_after)  # type: ignore[attr-defined]

    def _reload_after(self, result: object) -> None:
        self.reload()

    def _goto(self, item_id: str) -> None:
        self._flush_notes()
        previous = self.current
        self._run(self.live.goto, item_id)
        new = self.current
        if new is not None and new.id != getattr(previous, "id", None):
            self._highlight_current()
            self._entered(new, previous)

    def _highlight_current(self) -> None:
        """Move the agenda's highlight to the current item (it stayed where it was, so Enter
        then went back to the item before)."""
        item = self.current
        ids = [i.id for i in self._visible_items()]
        if item is not None and item.id in ids:
            self.query_one("#agenda", DataTable).move_cursor(row=ids.index(item.id))

    def _entered(self, item: AgendaItem, previous: AgendaItem | None) -> None:
        self._last_state[item.id] = item_clock(item, self.live.now()).state
        if previous is not None:
            self._check_training_marked(previous)
            if previous.confidential and not item.confidential:  # (people out for a case)
                from .case_review import offer_back_in

                offer_back_in(self, self.live, previous, item)
        if item.confidential:
            self._ask_confidentiality(first=False, back_to=previous)

    def _check_training_marked(self, left: AgendaItem) -> None:
        """Leaving a training item that ran a minute or more without being marked delivered:
        say so (only a delivery marked with d counts, in the minutes and the suggestions)."""
        if left.kind is not ItemKind.TRAINING and not left.training_id:
            return
        if left.elapsed_seconds(self.live.now()) < 60:
            return  # skipped, not given
        if left.training_id:
            from ...domain.training import TrainingSnippet

            try:
                snippet = self.live.ws.snapshot().find(TrainingSnippet, left.training_id)
            except FacilitateError:
                return  # (a damaged file is reported where it is read)
            if snippet is None or snippet.delivered_at_meeting(self.live.meeting_id):
                return
        self.notify(
            "The training was not marked delivered, so the minutes will say 'not delivered'. "
            "If it was given: t, choose it, then d.",
            title="Training",
            markup=False,
            timeout=8,
        )

    def _step(self, offset: int) -> None:
        """Next or previous item. The step is drawn first, from the meeting in memory (the
        same rule as the save, domain.timer.move_to), and saved right after that frame: the
        durable save (four fsyncs) and the re-read no longer stand between the key and the
        screen. The save is relative (+1/-1 from the current item on disk, under the lock) and
        saves are made in order, so keys typed ahead land as typed; its reload then shows
        what is on disk (another instance may have moved the meeting meanwhile)."""
        self._flush_notes()
        previous = self.current
        now = self.live.now()
        items = ordered(self._visible_items())
        ids = [i.id for i in items]
        current = self.bundle.meeting.current_item_id
        index = (
            ids.index(current) + offset if current in ids else (0 if offset > 0 else len(ids) - 1)
        )
        if not 0 <= index < len(ids):
            self.notify(
                "That was the last item: press e to close." if offset > 0 else "First item."
            )
            return
        new = items[index]
        move_to(self.bundle.meeting, self.bundle.items, new.id, now)
        self._fill_agenda()
        self._show_current()
        self.tick()
        self._highlight_current()
        save = partial(self.live.step, offset, at=now)
        self._unsaved_steps.append(partial(self._save_step, save, new.id))
        self.call_after_refresh(self._save_steps)
        self._entered(new, previous)

    def _save_steps(self) -> None:
        """Save the steps drawn and not saved yet, in order. Every other save of this screen
        comes after them (``_run`` and ``_flush_notes`` call this first): Esc at the reminder
        typed right after n must not back out before the step into the item is saved."""
        while self._unsaved_steps:
            self._unsaved_steps.pop(0)()

    def _save_step(self, save: Callable[[], AgendaItem | None], shown: str) -> None:
        saves = self.app.saves  # type: ignore[attr-defined]
        if saves.save(save, partial(self._stepped, shown)) is None and not saves.waiting:
            self.reload()  # (refused, and reported: the screen shows what is on disk again)

    def _stepped(self, shown: str, new: AgendaItem | None) -> None:
        self.reload()
        if new is not None and new.id != shown:  # (another instance had moved the meeting)
            self._highlight_current()

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
            item = self.bundle.item(key)
            if item is not None:
                # Set what the screen shows as toggled (idempotent if someone else pinned it).
                self._run(self.live.set_pinned, item.id, not item.pinned)

    def action_focus_notes(self) -> None:
        """A priority key (commands.MEETING): run by the app at its place in the queue, so
        it focuses the notes now, before the app hands on the keys queued behind it ("Room
        214" over a laggy link); with Widget.focus (a message later) they went to the
        agenda, and R, A, k or a opened what they open on this screen."""
        if self.typing_notes:
            raise SkipAction()  # (typed into the notes, it is a letter)
        if self.current is None:
            self.notify("Start an item first (n).")
            return
        self.set_focus(self.query_one("#notes", TextArea))

    def action_leave_notes(self) -> None:
        self._flush_notes()
        self.set_focus(self.query_one("#agenda", DataTable))
        if self.current is not None:
            self._show_current()  # follow the meeting if it moved on while typing

    def action_roll_call(self) -> None:
        from .roll_call import RollCallScreen

        self._flush_notes()
        self.app.push_screen(RollCallScreen(self.live), lambda _: self.reload())

    def action_decision(self) -> None:
        from .dialogs import DecisionForm

        self._open_form(DecisionForm)

    def action_action(self) -> None:
        from .dialogs import ActionForm

        self._open_form(ActionForm)

    def _open_form(self, form_type: type[ItemForm]) -> None:
        self._flush_notes()
        item = self.current
        self._push_kept(
            form_type,
            lambda: form_type(self.live, item),
            lambda form: form.reuse(item),
            lambda _: self.reload(),
        )

    def _push_kept(
        self,
        kind: type[D],
        make: Callable[[], D],
        reuse: Callable[[D], bool],
        callback: Callable[[Any], None],
    ) -> None:
        """Push a dialog this screen opens again and again (decision and action forms, the
        confidentiality reminder). Each is built once and kept (installed, so Textual does
        not remove it when it closes): building and styling a modal screen of ~20 widgets
        was most of what opening one cost. ``reuse`` prepares a kept one for this use, or
        says it must be built anew. (One still being built in idle time, see _prebuild, is
        built anew: it cannot be prepared before its widgets exist.)"""
        kept = self._kept.get(kind)
        dialog = kept if isinstance(kept, kind) and kept.is_mounted and reuse(kept) else None
        if dialog is None:
            if kept is not None:
                self._drop_kept(kept)
            dialog = self._keep(kind, make())
        self.app.push_screen(dialog, callback)

    def _keep(self, kind: type[D], dialog: D) -> D:
        self.app.install_screen(dialog, f"{kind.__name__}-{id(self)}")
        self._kept[kind] = dialog
        return dialog

    def _kept_dialogs(self) -> list[tuple[type[Screen[Any]], Callable[[], Screen[Any]]]]:
        """What _prebuild builds, in this order: the case reminder when the agenda has a
        confidential item (it comes up in the middle of a step, "n"), then the two forms."""
        from .case_review import CaseReviewReminder
        from .dialogs import ActionForm, DecisionForm

        item = self.current
        dialogs: list[tuple[type[Screen[Any]], Callable[[], Screen[Any]]]] = []
        if any(i.confidential for i in self.bundle.items):
            dialogs.append((CaseReviewReminder, lambda: CaseReviewReminder(self._statement())))
        dialogs.append((DecisionForm, lambda: DecisionForm(self.live, item)))
        dialogs.append((ActionForm, lambda: ActionForm(self.live, item)))
        if self.app.screen is self:  # (built while this screen shows, not under a form)
            from .agenda_edit import AddItemForm, new_add_form
            from .meeting_record import DecisionEditForm

            dialogs.append((AddItemForm, lambda: new_add_form(self)))
            dialogs.append((DecisionEditForm, self._new_edit_form))
            dialogs += self.speaker_dialogs()
            dialogs += self.round_screen()
        return dialogs

    def _new_edit_form(self) -> Screen[Any]:
        """The record's decision form (c, then e), kept here between openings of the record."""
        from ...services.corrections import RecordEditor
        from .meeting_record import DecisionEditForm

        return DecisionEditForm(RecordEditor(self.live.ws, self.live.meeting_id), None)

    def _prebuild(self) -> None:
        """Build the next dialog this screen keeps (see _push_kept) before it is first
        opened, starting while a person still reads the screen just shown. One per call,
        PREBUILD_GAP apart, so no single pause is long. A built dialog is registered with
        the app (Textual's ``_get_screen``, as push_screen does): composed and styled, then
        laid out while hidden (``KeptScreen.build_ahead``). Its first showing is then like
        any later one: the decision form's went from ~80-100 ms to ~15 ms, the case
        reminder's from ~50 to ~25 ms."""
        from .kept import KeptScreen

        if self.bundle.meeting.status is MeetingStatus.ENDED:
            return
        if self.current is None and self.bundle.items:
            # Not started yet (the statement is being read): a form built now would be
            # about no item, and its first showing would lay out the "On:" line it shows.
            self.set_timer(PREBUILD_AFTER, self._prebuild)
            return
        for kind, make in self._kept_dialogs():
            if kind not in self._kept:
                dialog = self._keep(kind, make())
                if isinstance(dialog, KeptScreen):
                    dialog.build_ahead()
                self.app._get_screen(dialog)
                self.set_timer(PREBUILD_GAP, self._prebuild)
                return

    def _drop_kept(self, dialog: Screen[Any]) -> None:
        self._kept.pop(type(dialog), None)
        with contextlib.suppress(ScreenStackError):  # (open: Textual removes it when it closes)
            self.app.uninstall_screen(dialog)
            if dialog.is_mounted:
                dialog.remove()
            else:  # (still being built: removed once its own mounting is done)
                dialog.call_next(dialog.remove)

    # --- the live agenda and the record (agenda_edit, meeting_record) ----------------------

    def action_live_agenda(self, step: str, offset: int = 0) -> None:
        from .agenda_edit import run_step

        self._flush_notes()
        run_step(self, step, offset)

    def action_correct_record(self) -> None:
        from .meeting_record import open_record

        self._flush_notes()
        from .meeting_record import DecisionEditForm

        live = self.live
        kept = self._kept.get(DecisionEditForm)
        open_record(
            self,
            live.ws,
            live.meeting_id,
            show_confidential=True,
            clock=live.now,
            after=lambda _: self.reload(),
            decision_form=kept if isinstance(kept, DecisionEditForm) and kept.is_mounted else None,
        )

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

    def _statement(self) -> str:
        return self.live.ws.snapshot().profile().confidentiality_statement

    def _ask_confidentiality(self, *, first: bool, back_to: AgendaItem | None = None) -> None:
        """``first``: the statement read out before the meeting starts (Esc leaves the
        meeting). Otherwise the reminder on entering a confidential item: Esc goes back to
        ``back_to``, the item before (the room is not ready for case discussion yet)."""
        from .case_review import CaseReviewReminder, step_out, who_must_step_out
        from .dialogs import ConfidentialityDialog

        statement = self._statement()
        entering = self.current

        def done(acknowledged: bool | None) -> None:
            # (Back to another confidential item, the room is ready already: stay.)
            if not first and not acknowledged and not (back_to and back_to.confidential):
                # As if never entered: the item stays pending (no "Used", still projected).
                # (No item before it, as when the meeting opens on a case review: none runs.)
                self._flush_notes()
                to_id = back_to.id if back_to else None
                self._run(self.live.back_out, getattr(entering, "id", ""), to_id)
                self._highlight_current()
                where = one_line(back_to.title, 40) if back_to else "no item running (n starts it)"
                self.notify(f"Back to {where}.", markup=False, timeout=3)
                return
            reminder = self._kept.get(CaseReviewReminder)
            if isinstance(reminder, CaseReviewReminder) and reminder.step_out_chosen:
                reminder.step_out_chosen = False
                message = self._run(step_out, self.live, reminder, entering)
                if message:
                    self.notify(message, timeout=5)
            if first:
                if not acknowledged:
                    self.notify("The meeting starts once confidentiality is acknowledged.")
                    self.dismiss(None)
                    return
                self._run(self.live.acknowledge_confidentiality)
                if self.bundle.meeting.current_item_id is None and self.bundle.items:
                    self._goto(self.bundle.items[0].id)

        if first:  # (once per meeting)
            self.app.push_screen(ConfidentialityDialog(statement, first=True), done)
            return
        # Before case discussion, the reminder names who may not stay (guests, no MOU...).
        people = who_must_step_out(self.live, self.bundle)
        self._push_kept(
            CaseReviewReminder,
            lambda: CaseReviewReminder(statement, people),
            lambda dialog: dialog.statement == statement and dialog.show_people(people),
            done,
        )

    # --- notes autosave ---------------------------------------------------------------------

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self, event: TextArea.Changed) -> None:
        # Compared with the text on disk, so loading text (which also posts Changed) is no edit.
        self._notes_text = event.text_area.text
        self._notes_dirty = event.text_area.text != self._notes_base
        if not self._notes_dirty:
            return
        if self._notes_timer is not None:
            self._notes_timer.stop()
        self._notes_timer = self.set_timer(NOTES_SAVE_DELAY, self._flush_notes)

    def _flush_notes(self) -> None:
        self._save_steps()  # (what the screen shows is saved first: see _save_steps)
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        if not self._notes_dirty or self._notes_item is None or self._conflict is not None:
            return
        text = self.query_one("#notes", TextArea).text
        try:
            saved = self.live.save_notes(self._notes_item, text, base=self._notes_base)
        except NotesConflictError as exc:
            self._open_conflict(exc)
            return
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]  # kept dirty: retried later
            return
        self._saved(saved)

    def _saved(self, saved: AgendaItem) -> None:
        self._notes_base = saved.notes
        self._notes_dirty = False
        for n, item in enumerate(self.bundle.items):
            if item.id == saved.id:
                self.bundle.items[n] = saved

    def _open_conflict(self, conflict: NotesConflictError) -> None:
        from .conflict import ConflictScreen, Resolution

        self._conflict = conflict
        item_id = self._notes_item

        def done(choice: Resolution | None) -> None:
            self._conflict = None
            if choice is None:
                self.notify(
                    "Your version stays on screen, unsaved; it is compared again at the next save.",
                    timeout=6,
                )
                return
            self._resolve(conflict, item_id, choice.text)

        screen = ConflictScreen(conflict, timezone=self.bundle.meeting.timezone)
        self.app.push_screen(screen, done)

    def _resolve(self, conflict: NotesConflictError, item_id: str | None, text: str) -> None:
        if item_id is None:
            return
        try:
            saved = self.live.save_notes(item_id, text, base=conflict.theirs_text)
        except NotesConflictError as again:  # changed once more while the modal was open
            if item_id == self._notes_item:
                self._open_conflict(again)
            return
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        if item_id == self._notes_item:
            self._saved(saved)
            self._load_notes(self.query_one("#notes", TextArea), saved.notes, at_end=True)
        self.reload()

    def save_pending(self) -> None:
        """Save unsaved notes now, with no questions (the terminal is going away, or the
        screen closes). A conflict is settled by keeping both versions: nothing is lost."""
        with contextlib.suppress(NoMatches, ScreenStackError):  # (a step drawn just before)
            self._save_steps()
        if self._notes_timer is not None:
            self._notes_timer.stop()
            self._notes_timer = None
        if self._notes_item is None:
            return
        conflict = self._conflict
        if conflict is None and self._notes_dirty:
            try:
                text = self.query_one("#notes", TextArea).text
            except NoMatches:  # unmounting: the box is gone, its last text is not
                text = self._notes_text
            try:
                saved = self.live.save_notes(self._notes_item, text, base=self._notes_base)
            except NotesConflictError as exc:
                conflict = exc
            except FacilitateError:
                return
            else:
                self._saved(saved)
                return
        if conflict is None:
            return
        merged = merge_notes(conflict.base_text, conflict.mine_text, conflict.theirs_text)
        try:
            self.live.save_notes(self._notes_item, merged, base=conflict.theirs_text)
        except FacilitateError:
            return
        self._conflict = None
        self._notes_dirty = False

    def on_unmount(self) -> None:
        self.save_pending()
        for dialog in list(self._kept.values()):
            self._drop_kept(dialog)
