"""A round around the table (meeting ``R``, on an information-sharing or report-back item):
one turn per organization present (per subcommittee for report-backs), in an order the
facilitator changes with ``[``/``]``. Each turn is marked spoke, passed or skipped, and may take
a short note that goes into the item's notes under the organization's name. The bottom lines
say who is left and whether the item will end on time.

Every key is one save through the Speakers service (locked, audited, at once), then a redraw
from disk; the speaking turn's time ticks once a second.

The meeting screen keeps one round screen (a KeptScreen, built ahead when the agenda has an
item a round is for) and shows it again for each round: building and styling a new screen
with its table was most of what ``R`` cost.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from ...domain.common import ValidationError, counted
from ...domain.speaking import (
    RoundBy,
    SpeakingRound,
    SpeakingTurn,
    TurnStatus,
    round_progress,
    speaker_clock,
)
from ...domain.timer import TimerState, fmt_mmss
from ...services.live import LiveMeeting
from ...services.speaking import Speakers
from ...storage.workspace import MeetingBundle
from ..commands import ROUND, ROUND_HELP_AT, bindings
from ..redraw import ChangedOnly, SteadyFooter
from ..safe_text import SafeTitles, labelled, one_line, safe
from ..tables import FixedTable, update_in_place
from .dialogs import _Form
from .kept import KeptScreen
from .room_clock import room_clock

ROUND_COLUMNS = (
    ("n", "#", 2),
    ("who", "Organization", 24),
    ("status", "Status", 9),
    ("time", "Time", 5),
    ("note", "Note", 22),
)
STATUS_TEXT = {
    TurnStatus.QUEUED: "-",
    TurnStatus.SPEAKING: "SPEAKING",
    TurnStatus.SPOKE: "spoke",
    TurnStatus.PASSED: "passed",
    TurnStatus.SKIPPED: "skipped",
}


def turn_label(turn: SpeakingTurn) -> str:
    """Who the turn is: "Organization (Name)", or the one of them it has."""
    who, org = one_line(turn.name), one_line(turn.organization)
    if org and who and who != org:
        return f"{org} ({who})"
    return org or who


class RoundScreen(SafeTitles, KeptScreen, Screen[None]):
    CSS_PATH = "meeting.tcss"  # (the meeting screen's: parsed already, see there)
    COMMAND_TABLE = ROUND
    BINDINGS = bindings(ROUND, help_at=ROUND_HELP_AT)

    def __init__(
        self,
        live: LiveMeeting,
        speakers: Speakers,
        round_id: str | None,
        bell_states: dict[str, TimerState] | None = None,
    ) -> None:
        """``round_id``: None for one built ahead (``reuse`` gives it its round).
        ``bell_states``: turn id -> its clock's state at the last tick, shared with the
        meeting screen so that a turn crossing its limit rings once, on either screen."""
        super().__init__()
        self.live = live
        self.speakers = speakers
        self.round_id = round_id
        self.bundle: MeetingBundle | None = None
        self.round: SpeakingRound | None = None
        self.turns: list[SpeakingTurn] = []
        self._redraw = ChangedOnly()
        self._last_state = bell_states if bell_states is not None else {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="round-title")
        yield FixedTable(id="round-table", cursor_type="row", zebra_stripes=False)
        yield Static(id="round-summary")
        yield SteadyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#round-table", FixedTable)
        for key, label, width in ROUND_COLUMNS:
            table.add_column(label, key=key, width=width)
        table.fitted = {"who": 24, "note": 22}
        self.reload()
        table.focus()
        self.set_interval(1.0, self.tick)

    def reuse(self, round_id: str) -> bool:
        """Shown again, for ``round_id``: read from disk now (the screen is not redrawn until
        it is pushed). The cursor goes back to the first turn for another round."""
        table = self.query_one("#round-table", FixedTable)
        if round_id != self.round_id:
            self.round_id = round_id
            table.move_cursor(row=0)
        self.reload()
        table.focus()
        return True

    # --- data -------------------------------------------------------------------------------

    def reload(self) -> None:
        if self.round_id is None:
            return  # (built ahead: nothing to show until reuse gives it a round)
        bundle = self.live.load()
        self.bundle = bundle
        self.round = next((r for r in bundle.rounds if r.id == self.round_id), None)
        self.turns = [t for t in bundle.turns if t.round_id == self.round_id]
        self.turns.sort(key=lambda t: (t.position, t.id))
        table = self.query_one("#round-table", FixedTable)
        by_subcommittee = self.round is not None and self.round.by is RoundBy.SUBCOMMITTEE
        who = "Subcommittee" if by_subcommittee else "Organization"  # (kept: either, in turn)
        for column in table.columns.values():
            if column.key.value == "who" and column.label.plain != who:
                column.label = Text(who)
                table.refresh()
        rows = [(t.id, self._cells(n, t)) for n, t in enumerate(self.turns, start=1)]
        if not update_in_place(table, [key for key, _, _ in ROUND_COLUMNS], rows):
            keep = table.cursor_row
            table.clear()
            table.add_keyed_rows(rows)
            if rows:
                table.move_cursor(row=min(max(keep, 0), len(rows) - 1))
        self.draw()

    def _cells(self, n: int, turn: SpeakingTurn) -> tuple[Any, ...]:
        now = self.live.now()
        time = fmt_mmss(turn.elapsed_seconds(now)) if turn.spans else ""
        return (
            str(n),
            safe(turn_label(turn)),
            STATUS_TEXT[turn.status],
            time,
            safe(one_line(turn.note)),
        )

    def _item_title(self) -> str:
        item = self.bundle.item(self.round.item_id) if self.bundle and self.round else None
        return one_line(item.title, 40) if item is not None else ""

    def tick(self) -> None:
        """Once a second, while shown (kept under the meeting screen, it waits: that one
        rings meanwhile, and this one reads the file again when it is shown)."""
        if self.is_current:
            self.draw()

    def draw(self) -> None:
        bundle, rnd = self.bundle, self.round
        if bundle is None:
            return
        now = self.live.now()
        title = self.query_one("#round-title", Static)
        if rnd is None:
            self._redraw.static(title, "This round is no longer stored (Esc: back).")
            return
        share = fmt_mmss(rnd.turn_seconds) if rnd.turn_seconds else "no set time"
        by = "subcommittee" if rnd.by is RoundBy.SUBCOMMITTEE else "organization"
        self._redraw.static(
            title,
            labelled(
                "$clock\n[b]Round on $item[/b], by $by: $share a turn",
                clock=room_clock(bundle, now),
                item=self._item_title(),
                by=by,
                share=share,
            ),
            layout=False,
        )
        table = self.query_one("#round-table", FixedTable)
        for turn in self.turns:
            if turn.running:
                clock = speaker_clock(turn, rnd.turn_seconds, now)
                self._redraw.cell(table, turn.id, "time", fmt_mmss(clock.elapsed_seconds))
                before = self._last_state.get(turn.id, clock.state)
                crossed = clock.state is TimerState.OVERRUN and before is not TimerState.OVERRUN
                if crossed and not bundle.meeting.paused:
                    self.app.bell()
                self._last_state[turn.id] = clock.state
        item = bundle.item(rnd.item_id)
        summary = self.query_one("#round-summary", Static)
        if item is None:
            return
        progress = round_progress(rnd, bundle.turns, item, now)
        left = [turn_label(t) for t in progress.left]
        names = "; ".join(one_line(n, 30) for n in left[:6])
        if progress.on_time:
            pace = "the item ends on time at this pace"
        else:
            pace = f"the item runs over by {fmt_mmss(progress.over_seconds)} at this pace"
        done = len(progress.turns) - len(progress.left)
        text = labelled(
            "[b]Left $left of $all[/b]: $names\n$done done; $pace",
            left=len(left),
            all=len(progress.turns),
            names=names or "nobody - the round is complete",
            done=counted(done, "turn"),
            pace=pace,
        )
        self._redraw.static(summary, text, layout=False)
        summary.set_class(not progress.on_time, "behind")

    # --- actions ------------------------------------------------------------------------------

    def _selected(self) -> SpeakingTurn | None:
        table = self.query_one("#round-table", FixedTable)
        if not table.row_count or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((t for t in self.turns if t.id == key), None)

    def _apply(self, fn, *args) -> None:  # type: ignore[no-untyped-def]
        """A save (kept in order by the app's SaveQueue while another process holds the
        lock), then a redraw from disk (also when it failed: what is stored is shown)."""
        saved = False

        def done(_: object) -> None:
            nonlocal saved
            saved = True
            self.reload()

        self.app.saves.save(partial(fn, *args), done)  # type: ignore[attr-defined]
        if not saved:
            self.reload()

    def action_next_turn(self) -> None:
        """The one speaking spoke; the round's next waiting turn speaks, ahead of anyone
        queued with ``s`` on the item (who keep their places): one save."""
        if self.bundle is None:
            return
        self._apply(partial(self.speakers.next_speaker, round_id=self.round_id))
        self._follow_speaker()

    def _follow_speaker(self) -> None:
        """Put the highlight on the turn now speaking."""
        ids = [t.id for t in self.turns]
        speaking = next((t for t in self.turns if t.status is TurnStatus.SPEAKING), None)
        if speaking is not None:
            self.query_one("#round-table", FixedTable).move_cursor(row=ids.index(speaking.id))

    def action_mark(self, status: str) -> None:
        turn = self._selected()
        if turn is None:
            return
        self._apply(self.speakers.mark, turn.id, TurnStatus(status))
        table = self.query_one("#round-table", FixedTable)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_move(self, offset: int) -> None:
        turn = self._selected()
        if turn is None:
            return
        if turn.status is not TurnStatus.QUEUED:
            self.notify("Only a turn still waiting moves.", timeout=3)
            return
        self._apply(self.speakers.move, turn.id, offset)
        ids = [t.id for t in self.turns]
        if turn.id in ids:
            self.query_one("#round-table", FixedTable).move_cursor(row=ids.index(turn.id))

    def action_note(self) -> None:
        turn = self._selected()
        if turn is None:
            return
        form = TurnNoteForm(turn, self.speakers)
        self.app.push_screen(form, lambda _: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)


class TurnNoteForm(_Form):
    """A short note on one turn; it goes into the item's notes under the organization's name
    (a second note is added to the first). Saving marks the turn spoke (a turn already marked
    keeps its mark)."""

    TITLE_TEXT = "Note on a turn"

    def __init__(self, turn: SpeakingTurn, speakers: Speakers) -> None:
        super().__init__()
        self.turn = turn
        self.speakers = speakers

    def compose_fields(self) -> ComposeResult:
        status = self.turn.status
        mark = status if status.done else TurnStatus.SPOKE
        yield Static(
            labelled(
                "$who (saved as $mark; it goes into the item's notes)",
                who=turn_label(self.turn),
                mark=mark.value,
            ),
            classes="hint",
        )
        if self.turn.note:
            yield Static(labelled("Noted so far: $note", note=one_line(self.turn.note, 200)))
        yield Input(placeholder="A short note", id="turn-note")

    def save(self) -> None:
        if not self.value("#turn-note").strip():
            raise ValidationError("The note is empty: type a short note, or Esc to close.")
        status = self.turn.status if self.turn.status.done else TurnStatus.SPOKE
        self.speakers.mark(self.turn.id, status, self.value("#turn-note"))
