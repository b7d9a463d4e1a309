"""Every hostile string, used as a name, agenda title and note, renders literally and safely."""

from __future__ import annotations

import pendulum
from textual.widgets import DataTable, Input, TextArea

from facilitate.domain.common import clean_text
from facilitate.domain.meeting import AgendaItem, ItemKind, Meeting
from facilitate.domain.roster import Member, Organization, Profile, Sector
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.meeting import MeetingScreen
from facilitate.ui.screens.roll_call import RollCallScreen

from ..conftest import HOSTILE_STRINGS
from .conftest import FakeClock

# A blank value is (rightly) refused as a name or title; every other one must be shown as typed.
USABLE = [s for s in HOSTILE_STRINGS if clean_text(s).strip()]


def _hostile_workspace(root) -> tuple[Workspace, str]:
    ws = Workspace.create(root)
    start = pendulum.datetime(2026, 12, 3, 15, tz="UTC")
    with ws.transaction() as tx:
        tx.add(Profile(name=USABLE[0], mission=USABLE[1]))
        for n, text in enumerate(USABLE):
            org = tx.add(Organization(name=f"{text} org", sector=list(Sector)[n % len(Sector)]))
            tx.add(Member(name=text, role=text, organization_id=org.id))
        meeting = tx.add(
            Meeting(title=USABLE[2], start=start, end=start.add(hours=3), location=USABLE[3])
        )
        for n, text in enumerate(USABLE):
            tx.add(
                AgendaItem(
                    meeting_id=meeting.id,
                    position=n,
                    title=text,
                    kind=ItemKind.OTHER,
                    planned_minutes=5,
                    presenter=text,
                    notes=f"{text}\nsecond line",
                )
            )
    return ws, meeting.id


async def test_hostile_strings_render_literally(tmp_path):
    ws, mid = _hostile_workspace(tmp_path / "ws")
    clock = FakeClock(pendulum.datetime(2026, 12, 3, 15, tz="UTC"))
    app = FacilitateApp(ws, clock=clock)
    quits: list[str] = []
    app.action_quit = lambda: quits.append("quit")  # type: ignore[method-assign, assignment, return-value]
    app.action_screenshot = lambda *a, **k: quits.append("screenshot")  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        name = app.screen.query_one("#collab-name").render()
        assert str(name) == clean_text(USABLE[0]).strip()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        items = ws.snapshot().bundle(mid).items
        for n, item in enumerate(items):
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            title = str(screen.query_one("#item-title").render())
            assert title == f"{item.title}  ({item.presenter})"
            assert "\x1b" not in title and "\x07" not in title
            notes = screen.query_one("#notes", TextArea).text
            assert notes == clean_text(f"{USABLE[n]}\nsecond line")
            await pilot.press("n")
            await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, RollCallScreen)
        table = app.screen.query_one("#attendance", DataTable)
        cells = {str(table.get_row_at(r)[0]) for r in range(table.row_count)}
        for text in USABLE:
            cleaned = " ".join(clean_text(text).split())
            assert any(cell.startswith(cleaned[:20]) for cell in cells), cleaned
        await pilot.press("p", "g")
        await pilot.pause()
        for text in USABLE[:6]:
            app.screen.query_one("#guest-name", Input).value = text
            app.screen.query_one("#guest-org", Input).value = text
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("g")
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert quits == [], "markup in user text ran an action"
    guests = [a for a in ws.snapshot().bundle(mid).attendance if a.is_guest]
    assert [g.name for g in guests] == [clean_text(t).strip() for t in USABLE[:6]]
