"""3. Keystroke to screen under Pilot (headless, 80x24), and the between-meetings screens.

Target: each key's p95 <= 1.5x the stock-Textual floor of the same change (_floors.py), on the
10-year workspace, measured in the same run.

Rounds alternate the app sessions in one process: the minimal app (Header + Static + Footer,
a key bound to a no-op action that repaints the Static so a frame follows), facilitate on the
10-year workspace and facilitate on the empty one (same roster, no past meetings). Each
facilitate session starts from a fresh copy of its workspace.

The stock-Textual floors (_floors.py: the change each key makes, by stock widgets in an app as
small as the minimal one) run beside the 10-year session, in the same event loop: right after
each measured key, the floor of the same change is measured once (``Floors``), the other app's
timers paused. A key and its floor are thus pairs taken within a fraction of a second of each
other, and the load of the shared machine falls on both alike; measured in sessions minutes
apart (before 2026-12-03), a burst of load could fall on one side only and decide a p95 of
~40 samples. See _tui.py for what is measured.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from benchmarks._common import Context, Row, Stats, med_p95, ms, stats
from benchmarks._floors import FLOORS, Floor
from benchmarks._tui import Probe
from facilitate.storage.workspace import Workspace

FRAME = 1 / 60
LATENCY_TARGET = 1.5
NEXT = "next item"
INTO_CASE = "next item into a case review"  # (the case-review reminder comes up with it)
MEETING_OPS = (
    NEXT,
    INTO_CASE,
    "mark present",
    "open decision form",
    "add an agenda item",
    "edit a decision",
    "type into notes",
)
TRACKER_FILTER = "filter action tracker"
SPEAKING_OPS = ("next speaker", "start round")  # the speakers' queue (issue 20)
BETWEEN_OPS = ("open action tracker", TRACKER_FILTER, "open history", "search (history)")
TYPED = "Referral from the hotline; follow up with the shelter on Monday. "


class MinimalApp(App[None]):
    BINDINGS = [("x", "noop", "No-op")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello from a minimal Textual app.", id="hello")
        yield Footer()

    def action_noop(self) -> None:
        self.query_one("#hello", Static).refresh()


Samples = dict[str, list[tuple[float, float]]]


async def _minimal_session(n: int, out: Samples) -> None:
    app = MinimalApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe(app)
        for _ in range(n):
            out.setdefault("no-op key", []).append(await probe.press("x"))
        _no_frames(probe, out)


class Floors:
    """The floors of facilitate's keys, each app running beside the facilitate session (see
    the module docstring). ``after(op)`` measures the floor of ``op`` once."""

    def __init__(self, out: Samples) -> None:
        self.out = out
        self.stack = AsyncExitStack()
        self.by_op: dict[str, tuple[Floor, Probe]] = {}
        self.probes: list[Probe] = []

    async def __aenter__(self) -> Floors:
        for floor in FLOORS:
            if not floor.names:
                continue  # (the smallest change is measured in sessions, as the minimal app)
            app = floor.app()
            pilot = await self.stack.enter_async_context(app.run_test(size=(80, 24)))
            await pilot.pause()
            probe = Probe(app)
            if floor.warm:
                await _unmeasured(probe, *floor.keys)
            self.probes.append(probe)
            for name in floor.names:
                self.by_op[name] = (floor, probe)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for floor, probe in {id(p): (f, p) for f, p in self.by_op.values()}.values():
            if probe.no_frame:  # a floor whose change is not drawn measures nothing
                raise RuntimeError(f"floor {floor.what!r}: {probe.no_frame} key(s) drew nothing")
        await self.stack.aclose()

    def beside(self, probe: Probe) -> None:
        """Pause ``probe``'s app while a floor is measured, and the floors while it is."""
        probe.others = list(self.probes)
        for floor_probe in self.probes:
            floor_probe.others = [probe]

    async def after(self, op: str) -> None:
        floor, probe = self.by_op[op]
        first, *rest = floor.keys
        self.out.setdefault(floor.what, []).append(await probe.press(first))
        await _unmeasured(probe, *rest)


async def _floor_session(floor: Floor, n: int, out: Samples) -> None:
    app = floor.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe(app)
        if floor.warm:
            await _unmeasured(probe, *floor.keys)
        first, *rest = floor.keys
        for _ in range(n):
            out.setdefault(floor.what, []).append(await probe.press(first))
            await _unmeasured(probe, *rest)
        if probe.no_frame:  # a floor whose change is not drawn measures nothing
            raise RuntimeError(f"floor {floor.what!r}: {probe.no_frame} key(s) drew nothing")


def _screen(app: App[Any]) -> str:
    return type(app.screen).__name__


async def _unmeasured(probe: Probe, *keys: str) -> None:
    counted = probe.no_frame  # only measured keys count as "drew nothing"
    for key in keys:
        await probe.press(key)
    probe.no_frame = counted


async def _key(
    probe: Probe, key: str, op: str, out: Samples, floors: Floors | None
) -> tuple[float, float]:
    """Press ``key``, measured as ``op``; then its floor, once, when floors run beside."""
    sample = await probe.press(key)
    out.setdefault(op, []).append(sample)
    if floors is not None:
        await floors.after(op)
    return sample


async def _between_meetings(
    probe: Probe, app: App[Any], n: int, out: Samples, floors: Floors | None
) -> None:
    """Open and filter the action tracker, open the history and search it (from home)."""
    for _ in range(n):
        out.setdefault("open action tracker", []).append(await probe.press("a"))
        assert _screen(app) == "ActionsScreen", _screen(app)
        for key in "ssss" + "oo":  # status: done, dropped, all, open; overdue on, off
            await _key(probe, key, TRACKER_FILTER, out, floors)
        await _unmeasured(probe, "escape")
        out.setdefault("open history", []).append(await probe.press("h"))
        assert _screen(app) == "HistoryScreen", _screen(app)
        await _unmeasured(probe, "s", *"referral")
        await asyncio.sleep(0.3)  # let the typing debounce run its search
        out.setdefault("search (history)", []).append(await probe.press("enter"))
        await _unmeasured(probe, "escape", "escape")
        assert _screen(app) == "HomeScreen", _screen(app)


async def _meeting(
    probe: Probe, app: App[Any], n: int, out: Samples, floors: Floors | None
) -> None:
    await _unmeasured(probe, "s")  # start the planned meeting
    if _screen(app) == "StartElsewhenDialog":  # (not its day: moved to today)
        await _unmeasured(probe, "y")
    if _screen(app) == "ConfidentialityDialog":
        await _unmeasured(probe, "y")
    assert _screen(app) == "MeetingScreen", _screen(app)
    meeting = app.screen
    first = meeting.bundle.items[0].id  # type: ignore[attr-defined]
    stepped = 0
    while stepped < n or len(out.get(INTO_CASE, ())) < max(2, n // 2):
        items = meeting._visible_items()  # type: ignore[attr-defined]
        current = meeting.bundle.meeting.current_item_id  # type: ignore[attr-defined]
        if current == items[-1].id:
            meeting._goto(first)  # type: ignore[attr-defined]
            current = first
        ids = [i.id for i in items]
        into_case = items[ids.index(current) + 1].confidential
        if stepped >= n and not into_case:  # (a few more steps into a case review)
            meeting._goto(items[ids.index(current) + 1].id)  # type: ignore[attr-defined]
            await probe.settle()
            continue
        await _key(probe, "n", INTO_CASE if into_case else NEXT, out, floors)
        stepped += not into_case
        if _screen(app) in ("ConfidentialityDialog", "CaseReviewReminder"):  # a case review
            await _unmeasured(probe, "y")
    await _unmeasured(probe, "i")
    assert _screen(app) == "RollCallScreen", _screen(app)
    table = app.screen.query_one("#attendance")
    for _ in range(n):
        if table.cursor_row >= table.row_count - 1:  # type: ignore[attr-defined]
            table.move_cursor(row=0)  # type: ignore[attr-defined]
        await _key(probe, "p", "mark present", out, floors)
    await _unmeasured(probe, "escape")
    for _ in range(n):
        await _key(probe, "d", "open decision form", out, floors)
        assert _screen(app) == "DecisionForm", _screen(app)
        await _unmeasured(probe, "escape")
    for _ in range(n):
        await _key(probe, "plus", "add an agenda item", out, floors)
        assert _screen(app) == "AddItemForm", _screen(app)
        await _unmeasured(probe, "escape")
    await _edit_decisions(probe, app, n, out, floors)
    await _unmeasured(probe, "o")
    for n_typed in range(n * 2):
        char = TYPED[n_typed % len(TYPED)]
        await _key(probe, char, "type into notes", out, floors)
    await _unmeasured(probe, "escape")
    await _speaking(probe, app, n, out, floors)


async def _speaking(
    probe: Probe, app: App[Any], n: int, out: Samples, floors: Floors | None
) -> None:
    """The speakers' queue: ``k`` gives the floor to the next one waiting (three wait each
    time); ``R`` starts a round on a new information-sharing item (one turn per organization
    present), then Esc. What each key needs is set up through the services, unmeasured."""
    from facilitate.domain.meeting import AttendanceStatus, ItemKind
    from facilitate.domain.speaking import TurnStatus
    from facilitate.services.live_agenda import LiveAgenda

    meeting = app.screen
    live = meeting.live  # type: ignore[attr-defined]
    speakers = meeting.speakers  # type: ignore[attr-defined]
    members = [a for a in live.load().attendance if not a.is_guest]
    for record in members[:12]:
        if not record.in_room:
            live.mark(record.id, AttendanceStatus.PRESENT)
    for _ in range(n):
        bundle = live.load()
        item_id = bundle.meeting.current_item_id
        busy = {
            t.attendance_id
            for t in bundle.turns
            if t.item_id == item_id and t.status in (TurnStatus.QUEUED, TurnStatus.SPEAKING)
        }
        waiting = sum(
            1 for t in bundle.turns if t.item_id == item_id and t.status is TurnStatus.QUEUED
        )
        for record in (a for a in bundle.attendance if a.in_room and a.id not in busy):
            if waiting >= 3:
                break
            speakers.enqueue(record.id)
            waiting += 1
        meeting.reload()  # type: ignore[attr-defined]
        await asyncio.sleep(0.05)
        await _key(probe, "k", "next speaker", out, floors)
    agenda = LiveAgenda(live.ws, live.meeting_id)
    for k in range(n):
        current = live.load().meeting.current_item_id
        item = agenda.add(
            f"Partner updates {k}", 20, kind=ItemKind.INFORMATION_SHARING, after=current
        )
        live.goto(item.id)
        meeting.reload()  # type: ignore[attr-defined]
        await asyncio.sleep(0.05)
        await _key(probe, "R", "start round", out, floors)
        assert _screen(app) == "RoundScreen", _screen(app)
        await _unmeasured(probe, "escape")
    assert _screen(app) == "MeetingScreen", _screen(app)


async def _edit_decisions(
    probe: Probe, app: App[Any], n: int, out: Samples, floors: Floors | None
) -> None:
    """Correct the record: c opens it, the decision is selected, e opens its form."""
    from facilitate.domain.meeting import Decision

    meeting = app.screen
    live = meeting.live  # type: ignore[attr-defined]
    decision = live.add_decision(Decision(meeting_id=live.meeting_id, text="Adopt the protocol"))
    await _unmeasured(probe, "c")
    assert _screen(app) == "RecordScreen", _screen(app)
    keys = [e.key for e in app.screen.entries]  # type: ignore[attr-defined]
    app.screen.query_one("#record-table").move_cursor(row=keys.index(f"Decision:{decision.id}"))  # type: ignore[attr-defined]
    for _ in range(n):
        await _key(probe, "e", "edit a decision", out, floors)
        assert _screen(app) == "DecisionEditForm", _screen(app)
        await _unmeasured(probe, "escape")
    await _unmeasured(probe, "escape")
    assert _screen(app) == "MeetingScreen", _screen(app)


async def _facilitate_session(
    ctx: Context, name: str, label: str, n: int, out: Samples, floor_out: Samples | None
) -> None:
    """One session; with ``floor_out``, the meeting's keys too, each followed by its floor."""
    from facilitate.ui.app import FacilitateApp

    ws = Workspace.open(ctx.copy(name, label))
    app = FacilitateApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe(app)
        if floor_out is None:
            await _between_meetings(probe, app, 2, out, None)
        else:
            async with Floors(floor_out) as floors:
                floors.beside(probe)
                # (Each floor's run_test made its app the active one in this task: direct
                # calls into facilitate below need their own app there.)
                with app._context():
                    await _between_meetings(probe, app, 2, out, floors)
                    await _meeting(probe, app, n, out, floors)
                probe.others = []
        _no_frames(probe, out)


def _no_frames(probe: Probe, out: Samples) -> None:
    if probe.no_frame:
        out.setdefault("(no frame)", []).append((float(probe.no_frame), 0.0))


def measure(ctx: Context) -> dict[str, dict[str, Stats]]:
    """{"minimal"|"ws10"|"empty": {op: Stats of latency}} plus "<op> busy" entries."""
    rounds = 1 if ctx.smoke else 2 if ctx.quick else 3
    n = 2 if ctx.smoke else 10 if ctx.quick else 14
    raw: dict[str, Samples] = {"minimal": {}, "ws10": {}, "empty": {}, "floors": {}}

    async def main() -> None:
        for r in range(rounds):
            order = ["minimal", "ws10", "empty", "floors"]
            for which in order if r % 2 == 0 else order[::-1]:
                if which == "minimal":
                    await _minimal_session(n * 2, raw["minimal"])
                elif which == "floors":  # (the others run beside the 10-year session)
                    for floor in FLOORS:
                        if not floor.names:
                            await _floor_session(floor, n, raw["floors"])
                else:
                    floor_out = raw["floors"] if which == "ws10" else None
                    await _facilitate_session(ctx, which, f"keys{r}", n, raw[which], floor_out)

    asyncio.run(main())
    out: dict[str, dict[str, Stats]] = {}
    for which, samples in raw.items():
        out[which] = {}
        for op, values in samples.items():
            out[which][op] = stats([lat for lat, _ in values])
            out[which][f"{op} busy"] = stats([busy for _, busy in values])
    return out


def run(ctx: Context) -> list[Row]:
    s = measure(ctx)
    base = s["minimal"]["no-op key"]
    for which, ops in s.items():
        if "(no frame)" in ops:
            print(f"warning: {which}: {sum(ops['(no frame)'].samples):.0f} key(s) drew nothing")
    rows: list[Row] = []
    floor_of = {name: s["floors"][f.what] for f in FLOORS for name in f.names}
    for op in (*MEETING_OPS, TRACKER_FILTER, *SPEAKING_OPS):
        mine = s["ws10"][op]
        floor = floor_of[op]
        ratio = mine.p95 / floor.p95
        rows.append(
            Row(
                f"3. Key to screen: {op}, 10-year workspace",
                med_p95(mine),
                f"stock-Textual floor of the same change {med_p95(floor)}",
                ratio,
                "p95",
                f"<= {LATENCY_TARGET}x",
                ratio <= LATENCY_TARGET,
                f"n={mine.n}; busy (handler + render) p95 {ms(s['ws10'][op + ' busy'].p95)}; "
                f"{mine.p95 / base.p95:.1f}x a no-op key in the minimal app (p95 {ms(base.p95)})",
            )
        )
    for f in FLOORS:
        mine = s["floors"][f.what]
        rows.append(
            Row(
                f"3. Stock-Textual floor: {f.what}",
                med_p95(mine),
                f"no-op key, minimal app {med_p95(base)}",
                mine.p95 / base.p95,
                "p95",
                "(reported: the keys' baseline)",
                None,
                f"n={mine.n}; stock widgets in an app as small as the minimal one"
                + (f"; the floor of: {', '.join(f.names)}" if f.names else ""),
            )
        )
    typing_busy = s["ws10"]["type into notes busy"]
    rows.append(
        Row(
            "3. Type into notes: handler + render time per key",
            med_p95(typing_busy),
            f"one 60 Hz frame {ms(FRAME)}",
            typing_busy.p95 / FRAME,
            "p95",
            "p95 < 16.7 ms",
            typing_busy.p95 < FRAME,
            "busy time of the event loop from key to the end of the frame",
        )
    )
    for op in BETWEEN_OPS:
        mine, empty = s["ws10"][op], s["empty"][op]
        rows.append(
            Row(
                f"Between meetings: {op}, 10-year vs empty",
                med_p95(mine),
                f"empty {med_p95(empty)}",
                mine.median / empty.median,
                "median",
                "(reported)",
                None,
                f"n={mine.n}; vs no-op key p95: {mine.p95 / base.p95:.1f}x",
            )
        )
    return rows
