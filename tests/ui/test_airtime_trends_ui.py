"""History trends: share of airtime by sector beside attendance (issue 20), under Pilot."""

from __future__ import annotations

from textual.widgets import Static

from facilitate.domain.speaking import sector_label
from facilitate.domain.trends import spoken_by_sector
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.history import HistoryScreen


def text_of(widget: Static) -> str:
    return str(widget.render())


async def test_trends_show_airtime_by_sector_beside_attendance(sample_ws, clock) -> None:
    # The sample's November meeting used the speakers' queue; October did not.
    turns = sample_ws.snapshot().bundle("mtg-2026-11").turns
    spoken = dict(spoken_by_sector(turns))
    total = sum(spoken.values())
    top = max(spoken, key=lambda s: (spoken[s], s))
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "3")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        widget = app.screen.query_one("#trend-airtime", Static)
        assert widget.display
        text = text_of(widget)
        assert "Airtime by sector, 1 meeting" in text
        lines = {line.split("%", 1)[1].strip(): line for line in text.splitlines() if "%" in line}
        row = next(line for key, line in lines.items() if key.startswith(sector_label(top)))
        assert f"{round(spoken[top] / total * 100):>3}%" in row
        assert "spoke 1/1, in room 1/1" in row
        # A sector in the room that never spoke is flagged (the sample's federal office,
        # mental health and educators were there in November and did not speak).
        silent = [line for line in text.splitlines() if "never heard" in line]
        assert silent and all("  0%" in line and "spoke 0/1" in line for line in silent)
        assert any(sector_label("mental_health") in line for line in silent)
        assert all(len(line) <= 80 for line in text.splitlines())
