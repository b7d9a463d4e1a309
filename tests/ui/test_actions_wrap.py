"""The action tracker's detail box wraps the action's text by terminal cells, not characters:
a CJK character takes two cells, so wrapping by characters made each line twice too wide."""

from __future__ import annotations

import dataclasses

import pytest
from rich.cells import cell_len
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from facilitate.domain.actions import ActionItem
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.safe_text import one_line, wrap_cells

ACTION = ("act-2026-11-07", "mtg-2026-11")
# A Japanese-speaking partner's action, as typed: no spaces between words.
CJK_TEXT = "県警の人身取引対策担当者に、来月の合同研修の日程と会場について確認し、結果を報告する"


def _set_text(ws: Workspace, text: str) -> None:
    with ws.transaction() as tx:
        action = tx.get(ActionItem, *ACTION)
        tx.update(dataclasses.replace(action, text=text))


@pytest.mark.parametrize("text", [CJK_TEXT, f"Ask 田中 太郎 about {CJK_TEXT} before Friday"])
async def test_the_detail_wraps_cjk_text_within_the_screen(sample_ws, clock, text) -> None:
    _set_text(sample_ws, text)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one("#action-table", DataTable)
        keys = [
            table.coordinate_to_cell_key(Coordinate(r, 0)).row_key.value
            for r in range(table.row_count)
        ]
        table.move_cursor(row=keys.index(ACTION[0]))
        await pilot.pause()
        detail = app.screen.query_one("#action-detail", Static)
        lines = str(detail.render()).splitlines()
        width = app.size.width - 2
        first, second = lines[0], lines[1]
        assert all(cell_len(line) <= width for line in (first, second)), (first, second)
        if " " not in text:  # one long word: folded by cells, the first line filled
            assert cell_len(first) >= width - 1
        else:  # words move whole to the next line, which is then filled
            assert first == "Ask 田中 太郎 about" and cell_len(second) >= width - 1
        shown = (first + second).replace(" ", "")
        assert shown.rstrip("…") and text.replace(" ", "").startswith(shown.rstrip("…"))


def test_wrap_cells_keeps_every_line_within_the_width() -> None:
    text = f"Ask 田中 太郎 about {CJK_TEXT} before Friday 👩🏽\u200d⚖️ judge"
    for width in (10, 17, 30, 78):
        lines = wrap_cells(text, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_one_line_cuts_by_cells() -> None:
    cut = one_line(CJK_TEXT, 21)
    assert cut.endswith("…") and cell_len(cut) <= 21 and cell_len(cut) >= 20
    assert one_line("short", 21) == "short"
