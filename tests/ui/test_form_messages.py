"""Form errors name what is wrong: impossible dates, negative or fractional vote counts."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

from facilitate.domain.common import ValidationError
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.dialogs import ActionForm, DecisionForm, _count

from .conftest import start_meeting, upcoming


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0), (" 3 ", 3), ("+4", 4), ("-0", 0), ("0012", 12), ("１５", 15), ("10000", 10_000)],
)
def test_count_reads_whole_numbers(text: str, expected: int) -> None:
    assert _count(text, "Votes for") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-2", "Votes for cannot be negative (got '-2'): enter 0 or more."),
        ("1.5", "Votes for must be a whole number (got '1.5')."),
        ("1,000", "Votes for must be a whole number (got '1,000')."),
        ("two", "Votes for must be a whole number (got 'two')."),
        ("²", "Votes for must be a whole number (got '²')."),
        ("10001", "Votes for is more than 10,000: check the count."),
        ("9" * 5000, "Votes for is more than 10,000: check the count."),
    ],
)
def test_count_names_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        _count(text, "Votes for")
    assert str(info.value) == message


async def _open_form(pilot, key: str, kind: type):
    """Start the meeting and open the form that ``key`` opens (of class ``kind``)."""
    await start_meeting(pilot)
    await pilot.press(key)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, kind)
    return form


async def test_typed_vote_counts_are_kept_as_typed_and_refused_by_name(sample_ws, clock):
    """Typing "1.5" used to become "15" (the Input dropped the "."): now the text stays
    and the save says what is wrong; "-2" says counts cannot be negative."""
    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, "d", DecisionForm)
        await pilot.press(*"Adopt the annex")
        form.query_one("#decision-method", Select).value = "vote"
        await pilot.pause()
        form.query_one("#votes-abstain", Input).focus()
        await pilot.press(*"1.5")
        await pilot.pause()
        assert form.query_one("#votes-abstain", Input).value == "1.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = form.query_one("#form-error", Static)
        assert str(error.render()) == "Abstentions must be a whole number (got '1.5')."
        assert app.screen is form
        form.query_one("#votes-abstain", Input).value = ""
        form.query_one("#votes-for", Input).focus()
        await pilot.press(*"-2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(error.render()) == "Votes for cannot be negative (got '-2'): enter 0 or more."
        assert app.screen is form
        assert sample_ws.snapshot().bundle(mid).decisions == []


async def test_an_impossible_report_back_date_says_why(sample_ws, clock):
    mid = upcoming(sample_ws).id
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, "a", ActionForm)
        await pilot.press(*"Draft the annex")
        form.query_one("#action-due", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(form.query_one("#form-error", Static).render())
        assert error == "2026-02-30 is not a real date: February 2026 has 28 days."
        assert app.screen is form
        assert sample_ws.snapshot().bundle(mid).actions == []
