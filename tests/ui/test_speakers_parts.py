"""The speakers' queue UI parts that need no meeting (issue 20): the picker's filter, the
limit as typed, the panel's lines and the airtime panel's figures."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from facilitate.domain.common import ValidationError
from facilitate.domain.speaking import Airtime
from facilitate.domain.timer import TimerState
from facilitate.ui.screens.airtime import airtime_lines
from facilitate.ui.screens.speakers import (
    Candidate,
    QueueActions,
    SpeakerPicker,
    Waiting,
    matching,
    parse_limit,
)
from facilitate.ui.widgets.speakers import QueueShown, speaker_line, waiting_line

ROOM = [
    Candidate("a1", "Ana Ruiz", "Harbor Valley Shelter"),
    Candidate("a2", "Bo Chen", "County District Attorney"),
    Candidate("a3", "Mariam Diaz", "Harbor Valley Police"),
    Candidate("a4", "Omar Haddad", "Survivor Alliance"),
]


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("", ["a1", "a2", "a3", "a4"]),
        ("mar", ["a3", "a4"]),  # Mariam first (her name begins so), then Omar
        ("harbor", ["a1", "a3"]),  # by organization
        ("harbor pol", ["a3"]),  # every word must match
        ("CHEN", ["a2"]),
        ("district bo", ["a2"]),
        ("zzz", []),
    ],
)
def test_the_filter_matches_names_and_organizations(typed, expected) -> None:
    assert [c.id for c in matching(ROOM, typed)] == expected


def test_a_waiting_candidate_says_so() -> None:
    assert Candidate("a", "Ana", "Shelter", waiting=2).label == "Ana - Shelter  (waiting #2)"


@pytest.mark.parametrize(
    "typed,minutes", [("", None), (" 0 ", 0), ("3", 3), ("120", 120), ("05", 5)]
)
def test_the_limit_as_typed(typed, minutes) -> None:
    assert parse_limit(typed) == minutes


@pytest.mark.parametrize("typed", ["-1", "2.5", "three", "121", "³"])
def test_a_bad_limit_is_refused_with_a_reason(typed) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_limit(typed)
    message = str(caught.value)
    assert "Speaker limit" in message and "\n" not in message


def test_the_speaker_line_shows_elapsed_and_countdown() -> None:
    shown = QueueShown(speaker="Ana Ruiz (Shelter)", elapsed_seconds=83, countdown="1:37")
    assert str(speaker_line(shown)) == "1:23 · 1:37 left: Ana Ruiz (Shelter)"
    warn = QueueShown(
        speaker="Ana", elapsed_seconds=150, countdown="0:30", state=TimerState.WARNING
    )
    assert str(speaker_line(warn)) == "2:30 · 0:30 left: Ana"
    over = QueueShown(speaker="Ana", elapsed_seconds=190, countdown="over by 0:10")
    assert str(speaker_line(over)) == "3:10 · over by 0:10: Ana"
    untimed = QueueShown(speaker="Ana", elapsed_seconds=5, paused=True)
    assert str(speaker_line(untimed)) == "Paused 0:05: Ana"


def test_the_waiting_line_lists_the_next_three() -> None:
    shown = QueueShown(waiting=("Ana", "Bo", "Cy", "Di", "Ed"))
    assert str(waiting_line(shown)) == "Next (5): Ana, Bo, Cy +2"
    assert str(waiting_line(QueueShown(waiting=("Ana",), hidden=True))) == "Next (1): "
    rnd = QueueShown(waiting=("Bo",), round_text="Round: 2 left, on time")
    assert str(waiting_line(rnd)) == "Round: 2 left, on time · Next (1): Bo"


def test_an_idle_panel_says_so_on_both_lines() -> None:
    """Once an item has had a turn, the panel keeps both lines (the screen does not jump)."""
    done = QueueShown(spoken=2)
    assert not done.empty and QueueShown().empty
    assert str(speaker_line(done)) == "No one has the floor"
    assert str(waiting_line(done)) == "Nobody waiting"
    rnd = QueueShown(round_text="Round: 0 left, on time", spoken=4)
    assert str(waiting_line(rnd)) == "Round: 0 left, on time · Nobody waiting"


def test_markup_in_a_name_is_shown_literally(hostile_strings) -> None:
    for text in hostile_strings:
        line = speaker_line(QueueShown(speaker=text, elapsed_seconds=1))
        assert "\x1b" not in str(line)
        waiting_line(QueueShown(waiting=(text,)))


def test_airtime_lines_give_minutes_shares_and_who_was_not_heard() -> None:
    figures = Airtime(
        by_sector={"police": 450.0, "ngo": 150.0},
        by_organization={"Harbor Valley Shelter": 150.0, "Harbor Valley Police": 450.0},
        total_seconds=600.0,
        sectors_not_heard=["health"],
    )
    names = {"police": "Police", "ngo": "NGOs", "health": "Health"}
    lines = airtime_lines(figures, lambda sector: names.get(sector, sector))
    text = "\n".join(lines)
    assert lines[0] == "Spoken so far: 10:00 (m:ss)"
    police = next(ln for ln in lines if ln.startswith("Police"))
    assert police.split()[1:3] == ["7:30", "75%"]
    ngo = next(ln for ln in lines if ln.startswith("NGOs"))
    assert ngo.split()[1:3] == ["2:30", "25%"]
    assert "Not heard yet (1): Health" in text
    orgs = lines[lines.index(next(ln for ln in lines if ln.startswith("By organization"))) + 1 :]
    assert [ln.split("  ")[0].strip() for ln in orgs][:2] == [
        "Harbor Valley Police",
        "Harbor Valley Shelter",
    ]  # most airtime first


def test_airtime_lines_before_anyone_spoke() -> None:
    lines = airtime_lines(Airtime(sectors_not_heard=["ngo"]), lambda s: s.upper())
    assert "Nobody has spoken yet" in "\n".join(lines)
    assert "Not heard yet (1): NGO" in lines


class PickerHost(App[None]):
    """An app with one priority key that opens the picker, as the meeting's ``s``."""

    BINDINGS = [Binding("s", "pick", "Pick", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[tuple[bool | None, str | None]] = []
        self.withdrawn: list[str] = []
        self.queue = [
            Waiting("t1", "Bo Chen", "County District Attorney"),
            Waiting("t2", "Ana Ruiz"),
        ]

    def compose(self) -> ComposeResult:
        yield Static("meeting")

    def _withdraw(self, turn_id: str) -> list[Waiting]:
        self.withdrawn.append(turn_id)
        self.queue = [w for w in self.queue if w.turn_id != turn_id]
        return self.queue

    def _move(self, turn_id: str, offset: int) -> list[Waiting]:
        ids = [w.turn_id for w in self.queue]
        i = ids.index(turn_id)
        j = max(0, min(len(ids) - 1, i + offset))
        self.queue.insert(j, self.queue.pop(i))
        return self.queue

    def action_pick(self) -> None:
        picker = SpeakerPicker(
            "Information sharing", ROOM, self.queue, QueueActions(self._withdraw, self._move)
        )
        self.push_screen(picker, lambda ok: self.results.append((ok, picker.picked)))


def burst(app: App[None], keys: list[str]) -> None:
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_a_burst_of_keys_opens_the_picker_filters_and_picks() -> None:
    """ "s", "harbor pol", Enter in one burst, as a laggy SSH link delivers them: the picker
    is still being built when the name arrives; every key lands in its filter."""
    app = PickerHost()
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, ["s", *"harbor pol", "enter"])
        for _ in range(4):
            await pilot.pause()
        assert app.results == [(True, "a3")]


async def test_the_waiting_list_withdraws_and_moves() -> None:
    app = PickerHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SpeakerPicker)
        await pilot.press("tab", "right_square_bracket")  # Bo Chen down below Ana
        assert [w.turn_id for w in app.queue] == ["t2", "t1"]
        await pilot.press("x")  # the highlight followed Bo: withdrawn
        assert app.withdrawn == ["t1"]
        assert picker.query_one("#picker-filter", Input).value == ""  # (nothing typed there)
        await pilot.press("escape")
        assert app.results == [(False, None)]
