"""3. Keystroke to screen under Pilot (headless, 80x24), and the between-meetings screens.

Target: each key's p95 <= 1.5x the stock-Textual floor of the same change (_floors.py), on the
10-year workspace, measured in the same run.

Rounds alternate the app sessions in one process: the minimal app (Header + Static + Footer,
a key bound to a no-op action that repaints the Static so a frame follows), facilitate on the
10-year workspace, facilitate on the empty one (same roster, no past meetings), and the
stock-Textual floors (_floors.py: the change each key makes, by stock widgets in an app as
small as the minimal one). Each facilitate session starts from a fresh copy of its workspace.
See _tui.py for what is measured.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from benchmarks._common import Context, Row, Stats, med_p95, ms, stats
from benchmarks._floors import FLOORS, Floor
from benchmarks._tui import Probe
from facilitate.storage.workspace import Workspace

FRAME = 1 / 60
LATENCY_TARGET = 1.5
MEETING_OPS = (
    "next item",
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


async def _floor_session(floor: Floor, n: int, out: Samples) -> None:
    app = floor.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe(app)
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


async def _between_meetings(probe: Probe, app: App[Any], n: int, out: Samples) -> None:
    """Open and filter the action tracker, open the history and search it (from home)."""
    for _ in range(n):
        out.setdefault("open action tracker", []).append(await probe.press("a"))
        assert _screen(app) == "ActionsScreen", _screen(app)
        for key in "ssss" + "oo":  # status: done, dropped, all, open; overdue on, off
            out.setdefault(TRACKER_FILTER, []).append(await probe.press(key))
        await _unmeasured(probe, "escape")
        out.setdefault("open history", []).append(await probe.press("h"))
        assert _screen(app) == "HistoryScreen", _screen(app)
        await _unmeasured(probe, "s", *"referral")
        await asyncio.sleep(0.3)  # let the typing debounce run its search
        out.setdefault("search (history)", []).append(await probe.press("enter"))
        await _unmeasured(probe, "escape", "escape")
        assert _screen(app) == "HomeScreen", _screen(app)


async def _meeting(probe: Probe, app: App[Any], n: int, out: Samples) -> None:
    await _unmeasured(probe, "s")  # start the planned meeting
    if _screen(app) == "StartElsewhenDialog":  # (not its day: moved to today)
        await _unmeasured(probe, "y")
    if _screen(app) == "ConfidentialityDialog":
        await _unmeasured(probe, "y")
    assert _screen(app) == "MeetingScreen", _screen(app)
    meeting = app.screen
    first = meeting.bundle.items[0].id  # type: ignore[attr-defined]
    for _ in range(n):
        items = meeting._visible_items()  # type: ignore[attr-defined]
        if meeting.bundle.meeting.current_item_id == items[-1].id:  # type: ignore[attr-defined]
            meeting._goto(first)  # type: ignore[attr-defined]
        out.setdefault("next item", []).append(await probe.press("n"))
        if _screen(app) in ("ConfidentialityDialog", "CaseReviewReminder"):  # a case review
            await _unmeasured(probe, "y")
    await _unmeasured(probe, "i")
    assert _screen(app) == "RollCallScreen", _screen(app)
    table = app.screen.query_one("#attendance")
    for _ in range(n):
        if table.cursor_row >= table.row_count - 1:  # type: ignore[attr-defined]
            table.move_cursor(row=0)  # type: ignore[attr-defined]
        out.setdefault("mark present", []).append(await probe.press("p"))
    await _unmeasured(probe, "escape")
    for _ in range(n):
        out.setdefault("open decision form", []).append(await probe.press("d"))
        assert _screen(app) == "DecisionForm", _screen(app)
        await _unmeasured(probe, "escape")
    for _ in range(n):
        out.setdefault("add an agenda item", []).append(await probe.press("plus"))
        assert _screen(app) == "AddItemForm", _screen(app)
        await _unmeasured(probe, "escape")
    await _edit_decisions(probe, app, n, out)
    await _unmeasured(probe, "o")
    for n_typed in range(n * 2):
        char = TYPED[n_typed % len(TYPED)]
        out.setdefault("type into notes", []).append(await probe.press(char))
    await _unmeasured(probe, "escape")
    await _speaking(probe, app, n, out)


async def _speaking(probe: Probe, app: App[Any], n: int, out: Samples) -> None:
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
        out.setdefault("next speaker", []).append(await probe.press("k"))
    agenda = LiveAgenda(live.ws, live.meeting_id)
    for k in range(n):
        current = live.load().meeting.current_item_id
        item = agenda.add(
            f"Partner updates {k}", 20, kind=ItemKind.INFORMATION_SHARING, after=current
        )
        live.goto(item.id)
        meeting.reload()  # type: ignore[attr-defined]
        await asyncio.sleep(0.05)
        out.setdefault("start round", []).append(await probe.press("R"))
        assert _screen(app) == "RoundScreen", _screen(app)
        await _unmeasured(probe, "escape")
    assert _screen(app) == "MeetingScreen", _screen(app)


async def _edit_decisions(probe: Probe, app: App[Any], n: int, out: Samples) -> None:
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
        out.setdefault("edit a decision", []).append(await probe.press("e"))
        assert _screen(app) == "DecisionEditForm", _screen(app)
        await _unmeasured(probe, "escape")
    await _unmeasured(probe, "escape")
    assert _screen(app) == "MeetingScreen", _screen(app)


async def _facilitate_session(
    ctx: Context, name: str, label: str, n: int, out: Samples, meeting: bool
) -> None:
    from facilitate.ui.app import FacilitateApp

    ws = Workspace.open(ctx.copy(name, label))
    app = FacilitateApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        probe = Probe(app)
        await _between_meetings(probe, app, 2, out)
        if meeting:
            await _meeting(probe, app, n, out)
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
                elif which == "floors":
                    for floor in FLOORS:
                        await _floor_session(floor, n, raw["floors"])
                else:
                    await _facilitate_session(
                        ctx, which, f"keys{r}", n, raw[which], meeting=which == "ws10"
                    )

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
