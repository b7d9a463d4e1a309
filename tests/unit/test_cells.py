"""facilitate.cells: widths in terminal cells, cuts that never split a character."""

from __future__ import annotations

import pytest
from rich.cells import cell_len as rich_cell_len

from facilitate.cells import cell_len, cut, fit, terminal_columns

JUDGE = "\U0001f469\U0001f3fd\u200d\u2696\ufe0f"  # woman judge, medium skin tone: 5 code points
WORDS = [
    "Ana Ruiz",
    "Sofía Ramírez",
    "田中 太郎",
    f"{JUDGE} Judge",
    "Zalgo z\u0351\u0352\u0353a\u0354\u0355l\u0356\u0357g\u0358o",
    "Ngũgĩ wa Thiong'o",
]


@pytest.mark.parametrize("text", WORDS)
def test_widths_agree_with_rich(text: str) -> None:
    assert cell_len(text) == rich_cell_len(text)


def test_wide_and_zero_width_characters() -> None:
    assert cell_len("田中 太郎") == 9
    assert cell_len(JUDGE) == 2
    assert cell_len("e\u0301") == 1


@pytest.mark.parametrize("text", WORDS)
@pytest.mark.parametrize("cells", range(1, 16))
def test_fit_is_exactly_the_width_and_keeps_whole_characters(text: str, cells: int) -> None:
    cell = fit(text, cells)
    assert rich_cell_len(cell) == cells
    shown = cell.rstrip(" ")
    if shown.endswith("…"):
        kept = shown[:-1]
        assert text.startswith(kept)
        rest = text[len(kept) :]
        # the next character is not a mark, joiner or selector left behind
        assert not rest or (rest[0] not in "\u200d\ufe0f" and not 0x300 <= ord(rest[0]) <= 0x36F)
        assert not kept.endswith("\u200d")
    else:
        assert shown == text.rstrip(" ")


def test_a_wide_character_that_does_not_fit_is_left_out_whole() -> None:
    assert cut("田中太郎", 4) == "田…"
    assert fit("田中太郎", 4) == "田… "
    assert cut(f"ab{JUDGE}cd", 4) == "ab…"
    assert cut("short", 10) == "short"


def test_terminal_columns_follows_columns(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "132")
    assert terminal_columns() == 132
    monkeypatch.setenv("COLUMNS", "60")
    assert terminal_columns() == 60
