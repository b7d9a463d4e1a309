"""The speakers' queue on the meeting screen: its panel, its keys and its bell.

A mixin of MeetingScreen (kept here so the meeting screen stays small): ``s`` opens the quick
picker (queue someone, withdraw or move who waits), ``k`` gives the floor to the next one,
``l`` changes the item's per-speaker limit, ``R`` starts (or opens) a round around the table
and ``A`` shows the airtime panel. Each step is one save through the Speakers service.

The panel is drawn from what was read at the last reload (the turns, the limit); each tick
only works the clock out again (no file is read four times a second).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from textual.actions import SkipAction

from ...domain.common import FacilitateError
from ...domain.meeting import AgendaItem
from ...domain.speaking import (
    ROUND_KINDS,
    SpeakingTurn,
    TurnStatus,
    pass_floor,
    sector_label,
    speaker_clock,
)
from ...domain.timer import TimerState, crossed_into_overrun
from ...services.speaking import Speakers
from ..safe_text import one_line
from ..widgets.speakers import QueueShown, SpeakersPanel
from .speakers import Candidate, LimitForm, QueueActions, SpeakerPicker, Waiting

if TYPE_CHECKING:
    from ...services.live import LiveMeeting
    from ...storage.workspace import MeetingBundle
    from ..redraw import TickingScreen

    _Screen = TickingScreen  # (what it is mixed into, for the type checker)
else:
    _Screen = object


def speaker_name(turn: SpeakingTurn) -> str:
    """ "Name (Organization)", or whichever of them the turn has."""
    name, org = one_line(turn.name, 40), one_line(turn.organization, 40)
    if name and org and name != org:
        return f"{name} ({org})"
    return name or org


class MeetingSpeakers(_Screen):
    """Mixed into MeetingScreen, which provides ``live``, ``bundle``, ``_run``,
    ``_flush_notes``, ``_push_kept``, ``query_one``, ``app`` and ``notify``."""

    live: LiveMeeting
    bundle: MeetingBundle
    _speakers_service: Speakers | None = None
    _speaker_state: dict[str, TimerState]  # turn id -> its clock's state at the last tick
    _queue_waiting: tuple[str, ...] = ()
    _queue_turn: SpeakingTurn | None = None
    _queue_limit: int | None = None
    _queue_round_text = ""
    _queue_spoken = 0  # turns done on the item (the panel stays up once it has had one)
    _speakers_panel: SpeakersPanel | None = None
    _round_open = False  # the round screen is over this one: it rings for the turns

    if TYPE_CHECKING:
        _run: Callable[..., Any]
        _flush_notes: Callable[[], None]
        _push_kept: Callable[..., None]
        _kept: dict[type[Any], Any]
        reload: Callable[[], None]

        @property
        def current(self) -> AgendaItem | None: ...

        @property
        def typing_notes(self) -> bool: ...

    @property
    def speakers(self) -> Speakers:
        if self._speakers_service is None:
            self._speakers_service = Speakers(self.live)
        return self._speakers_service

    # --- the panel ----------------------------------------------------------------------------

    def speakers_reloaded(self) -> None:
        """After each reload: what the queue holds for the current item."""
        if "_speaker_state" not in self.__dict__:  # (the first reload: one per screen)
            self._speaker_state = {}
        item = self.current
        self._queue_turn = None
        self._queue_limit = None
        self._queue_round_text = ""
        self._queue_waiting = ()
        self._queue_spoken = 0
        if item is None:
            return
        try:
            view = self.speakers.view(self.bundle)
        except FacilitateError as exc:  # (a damaged file is reported where it is read)
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self._queue_turn = view.current
        # (A round's turn runs against its share of the item, not the item's limit.)
        self._queue_limit = view.clock.limit_seconds if view.clock is not None else None
        self._queue_waiting = tuple(one_line(t.name, 40) for t in view.waiting)  # (names: room)
        self._queue_spoken = len(view.done)
        if view.round is not None and view.round.left:
            left = len(view.round.left)
            pace = "on time" if view.round.will_end_on_time else "over time"
            self._queue_round_text = f"Round: {left} left, {pace}"

    def speakers_tick(self, now: DateTime, *, draw: bool = True) -> None:
        """The panel (when ``draw``), and the bell when the speaker crosses the limit.
        Not while the round screen is on top: what was read here is stale meanwhile (this
        screen reloads when shown again), and the round screen rings, sharing the record of
        which turns rang (``_speaker_state``), so a bell rings once either way."""
        if self._round_open:
            return
        turn = self._queue_turn
        paused = self.bundle.meeting.paused
        state = TimerState.IDLE
        shown = QueueShown(
            waiting=self._queue_waiting,
            round_text=self._queue_round_text,
            spoken=self._queue_spoken,
        )
        if turn is not None:
            clock = speaker_clock(turn, self._queue_limit, now)
            state = clock.state
            shown = QueueShown(
                speaker=speaker_name(turn),
                elapsed_seconds=clock.elapsed_seconds,
                countdown=clock.display if clock.limit_seconds else "",
                state=state,
                paused=paused,
                waiting=self._queue_waiting,
                round_text=self._queue_round_text,
                spoken=self._queue_spoken,
            )
            before = self._speaker_state.get(turn.id, state)
            if crossed_into_overrun(before, state) and not paused:
                self.app.bell()
            self._speaker_state[turn.id] = state
        if draw:
            if self._speakers_panel is None:  # (found once: a query walks this screen, ~0.3 ms)
                self._speakers_panel = self.query_one("#speakers", SpeakersPanel)
            self._speakers_panel.show(shown)

    # --- keys ---------------------------------------------------------------------------------

    def _queue_step(self, fn: Callable[..., Any], *args: Any) -> Any:
        """A save of the queue, then a redraw of the queue only: it changed nothing else on
        this screen (a full reload costs a few ms more per key). The workspace's stamp is
        left as it was, so the next poll (within a second) reloads it all anyway, in case
        another instance changed something meanwhile."""
        return self.app.saves.save(partial(fn, *args), self._queue_saved)  # type: ignore[attr-defined]

    def _queue_saved(self, result: object) -> None:
        try:
            self.bundle = self.live.load()
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self.speakers_reloaded()
        self.speakers_tick(self.live.now())

    def _item_or_say(self) -> AgendaItem | None:
        item = self.current
        if item is None:
            self.notify("Start an item first (n): the queue belongs to an item.", timeout=4)
        return item

    def _candidates(self, item: AgendaItem) -> list[Candidate]:
        waiting = {t.attendance_id: n for n, t in enumerate(self._waiting(item), start=1)}
        here = [a for a in self.bundle.attendance if a.in_room]
        here.sort(key=lambda a: (a.name.casefold(), a.organization_name.casefold()))
        return [Candidate(a.id, a.name, a.organization_name, waiting.get(a.id, 0)) for a in here]

    def _waiting(self, item: AgendaItem) -> list[SpeakingTurn]:
        turns = [
            t for t in self.bundle.turns if t.item_id == item.id and t.status is TurnStatus.QUEUED
        ]
        return sorted(turns, key=lambda t: (t.position, t.id))

    def _waiting_rows(self, item: AgendaItem) -> list[Waiting]:
        return [Waiting(t.id, t.name, t.organization) for t in self._waiting(item)]

    def speaker_dialogs(self) -> list[tuple[type[Any], Callable[[], Any]]]:
        """The picker, for MeetingScreen._prebuild: built ahead, its filter has the focus
        when it opens, so a name typed right after ``s`` lands in it."""
        item = self.current
        if item is None:
            return []
        actions = QueueActions(self._withdraw, self._move)
        return [
            (
                SpeakerPicker,
                lambda: SpeakerPicker(
                    item.title, self._candidates(item), self._waiting_rows(item), actions
                ),
            )
        ]

    def action_add_speaker(self) -> None:
        if self.typing_notes:
            raise SkipAction()  # (a priority key: typed into the notes, it is a letter)
        item = self._item_or_say()
        if item is None:
            return
        self._flush_notes()
        actions = QueueActions(self._withdraw, self._move)
        candidates, waiting = self._candidates(item), self._waiting_rows(item)
        self._push_kept(
            SpeakerPicker,
            lambda: SpeakerPicker(item.title, candidates, waiting, actions),
            lambda picker: picker.reuse(item.title, candidates, waiting),
            partial(self._picked, item.id),
        )

    def _picked(self, item_id: str, ok: bool | None) -> None:
        picker = self._kept.get(SpeakerPicker)
        picked = getattr(picker, "picked", None) if ok else None
        if picked is None:
            self.reload()  # (withdrawn or moved meanwhile)
            return
        turn = self._queue_step(self.speakers.enqueue, picked, item_id)
        if isinstance(turn, SpeakingTurn):
            self.notify(f"Queued: {speaker_name(turn)}", markup=False, timeout=2)

    def _after_queue_change(self) -> list[Waiting]:
        self._queue_saved(None)
        item = self.current
        return self._waiting_rows(item) if item is not None else []

    def _withdraw(self, turn_id: str) -> list[Waiting]:
        self.app.saves.save(partial(self.speakers.withdraw, turn_id))  # type: ignore[attr-defined]
        return self._after_queue_change()

    def _move(self, turn_id: str, offset: int) -> list[Waiting]:
        self.app.saves.save(partial(self.speakers.move, turn_id, offset))  # type: ignore[attr-defined]
        return self._after_queue_change()

    def action_next_speaker(self) -> None:
        """Drawn first, from the turns in memory (the rule the save uses, pass_floor), and
        saved right after that frame, as the meeting screen's next item is: the durable save
        no longer stands between the key and the panel. The save is made after any step
        drawn before it, and its reload shows what is on disk."""
        item = self._item_or_say()
        if item is None:
            return
        saves = self.app.saves  # type: ignore[attr-defined]
        now = self.live.now()
        changed, _turn = pass_floor(self.bundle.turns, item, now)
        if not changed and not saves.waiting:
            self.notify("Nobody is waiting: s adds a speaker.", timeout=3)
            return
        self.speakers_reloaded()
        self.speakers_tick(now)
        self.call_after_refresh(self._save_next_speaker, now)

    def _save_next_speaker(self, at: DateTime) -> None:
        self._save_steps()  # type: ignore[attr-defined]
        saves = self.app.saves  # type: ignore[attr-defined]
        save = partial(self.speakers.next_speaker, at=at)
        if saves.save(save, self._queue_saved) is None and not saves.waiting:
            self.reload()  # (refused, and reported: the screen shows what is on disk again)

    def action_speaker_limit(self) -> None:
        item = self._item_or_say()
        if item is None:
            return
        default = self.live.ws.snapshot().profile().speaker_limit_minutes
        default_text = f"{default} min" if default else "no limit"
        mine = item.speaker_limit_minutes
        current = "" if mine is None else str(mine)

        def save(minutes: int | None) -> object:
            return self.speakers.set_limit(item.id, minutes)

        form = LimitForm(item.title, current, default_text, save)
        self.app.push_screen(form, lambda _: self.reload())

    def action_round(self) -> None:
        item = self._item_or_say()
        if item is None:
            return
        if item.kind not in ROUND_KINDS:
            self.notify(
                f"R starts a round on information-sharing and report-back items; "
                f"{one_line(item.title, 40)} is a {item.kind.label.lower()} item. "
                "Use s to queue speakers one by one.",
                markup=False,
                timeout=6,
            )
            return
        from .round import RoundScreen

        self._flush_notes()
        # A round still going on this item is opened again; otherwise a new one starts.
        going = {t.round_id for t in self.bundle.turns if t.round_id and not t.status.done}
        existing = next(
            (r for r in self.bundle.rounds if r.item_id == item.id and r.id in going), None
        )
        if existing is None:
            # (This screen is redrawn when the round screen closes: not now, under it.)
            started = self.app.saves.save(partial(self.speakers.start_round, item.id))  # type: ignore[attr-defined]
            if started is None:
                return  # (refused and reported, or waits for the lock)
            round_id = started.id
        else:
            round_id = existing.id
        self._round_open = True

        def closed(_: object) -> None:
            self._round_open = False
            self.reload()

        self._push_kept(
            RoundScreen,
            lambda: RoundScreen(self.live, self.speakers, round_id, self._speaker_state),
            lambda screen: screen.reuse(round_id),
            closed,
        )

    def round_screen(self) -> list[tuple[type[Any], Callable[[], Any]]]:
        """The round screen, for MeetingScreen._prebuild, when the agenda has an item a round
        is for: built ahead, ``R`` shows it with the new round's turns."""
        if not any(i.kind in ROUND_KINDS for i in self.bundle.items):
            return []
        from .round import RoundScreen

        return [
            (RoundScreen, lambda: RoundScreen(self.live, self.speakers, None, self._speaker_state))
        ]

    def action_airtime(self) -> None:
        from .airtime import AirtimePanel

        def figures() -> Any:
            return self.speakers.airtime(self.bundle)

        self.app.push_screen(AirtimePanel(figures, sector_label))
