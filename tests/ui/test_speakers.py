"""The speakers' queue on the meeting screen (issue 20), driven by keys under Pilot: queue
someone with the quick picker (a burst of keys), next speaker, the per-speaker limit's colours
and its single bell, pausing the meeting pauses the speaker, the limit form, a round around
the table marked by keys, and the airtime panel's figures."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, Static, TextArea

from facilitate.domain.meeting import AttendanceStatus, ItemKind
from facilitate.domain.speaking import TurnStatus
from facilitate.services.live import LiveMeeting
from facilitate.services.speaking import Speakers
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.safe_text import one_line
from facilitate.ui.screens.airtime import AirtimePanel
from facilitate.ui.screens.meeting import MeetingScreen
from facilitate.ui.screens.round import RoundScreen
from facilitate.ui.screens.speakers import LimitForm, SpeakerPicker
from facilitate.ui.widgets.speakers import SpeakersPanel

from .conftest import FakeClock, upcoming


def one_per_organization(live: LiveMeeting, organizations: int, extra: int = 0) -> list[str]:
    """Mark present the first member of each of ``organizations`` organizations (in the
    roll call's order), plus ``extra`` more people; their attendance ids, in that order."""
    seen: dict[str, str] = {}
    others: list[str] = []
    for a in sorted(live.load().attendance, key=lambda a: (a.organization_name, a.name)):
        if a.is_guest or not a.organization_id:
            continue
        if a.organization_id not in seen and len(seen) < organizations:
            seen[a.organization_id] = a.id
        elif len(others) < extra and a.organization_id in seen:
            others.append(a.id)
    ids = [*seen.values(), *others]
    for attendance_id in ids:
        live.mark(attendance_id, AttendanceStatus.PRESENT)
    return ids


def live_on(ws: Workspace, clock: FakeClock, kind: ItemKind = ItemKind.INFORMATION_SHARING):
    """The upcoming meeting started through the service, on the first item of ``kind``."""
    meeting = upcoming(ws)
    clock.t = meeting.start
    live = LiveMeeting(ws, meeting.id, clock)
    live.start()
    live.acknowledge_confidentiality()
    item = next(i for i in live.load().items if i.kind is kind)
    live.goto(item.id)
    return live, item


async def meeting_screen(pilot) -> MeetingScreen:
    await pilot.press("s")  # (home: resume the live meeting)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


async def open_airtime(pilot) -> tuple[AirtimePanel, str]:
    """From home: resume the meeting, press A; the panel and its text."""
    await meeting_screen(pilot)
    await pilot.press("A")
    await pilot.pause()
    panel = pilot.app.screen
    assert isinstance(panel, AirtimePanel)
    return panel, airtime_text(panel)


def airtime_text(panel: AirtimePanel) -> str:
    return str(panel.query_one("#airtime-body", Static).render())


def burst(app: FacilitateApp, keys: list[str]) -> None:
    """Every key posted at once, as a terminal driver does for a burst over SSH."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


def panel_text(screen: MeetingScreen) -> list[str]:
    panel = screen.query_one("#speakers", SpeakersPanel)
    if not panel.display:
        return []
    return [str(s.render()) for s in panel.query(Static) if s.display]


def turns(ws: Workspace, live: LiveMeeting, item_id: str):
    found = [t for t in ws.snapshot().bundle(live.meeting_id).turns if t.item_id == item_id]
    return sorted(found, key=lambda t: (t.position, t.id))


async def test_a_burst_of_keys_queues_the_person_typed(sample_ws, clock) -> None:
    live, item = live_on(sample_ws, clock)
    ids = one_per_organization(live, 5)
    people = {a.id: a for a in live.load().attendance}
    target = people[ids[2]]
    # A word of the organization's name that no other organization present has.
    others = [people[i].organization_name.casefold() for i in ids if i != target.id]
    word = next(
        w for w in target.organization_name.split() if all(w.casefold() not in o for o in others)
    )
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await meeting_screen(pilot)
        assert panel_text(screen) == []  # no queue: the panel takes no room
        burst(app, ["s", *word.lower(), "enter"])
        for _ in range(6):
            await pilot.pause()
        assert app.screen is screen, "Enter queued the person and closed the picker"
        (turn,) = turns(sample_ws, live, item.id)
        assert turn.attendance_id == target.id and turn.status is TurnStatus.QUEUED
        assert panel_text(screen) == ["No one has the floor", f"Next (1): {target.name}"]


async def test_s_in_the_notes_is_a_letter(sample_ws, clock) -> None:
    """``s`` is a priority key (a name typed right after it reaches the picker); typed into
    the notes it is just a letter."""
    live_on(sample_ws, clock)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await meeting_screen(pilot)
        await pilot.press("o", *"sss")
        assert app.screen is screen
        assert screen.query_one("#notes", TextArea).text == "sss"


async def test_the_picker_lists_only_people_in_the_room(sample_ws, clock) -> None:
    live, item = live_on(sample_ws, clock)
    ids = one_per_organization(live, 3)
    absent = next(a for a in live.load().attendance if a.id not in ids)
    live.mark(absent.id, AttendanceStatus.ABSENT)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await meeting_screen(pilot)
        await pilot.press("s")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SpeakerPicker)
        assert sorted(c.id for c in picker.candidates) == sorted(ids)
        await pilot.press(*absent.name.split()[0].lower())
        assert absent.id not in [c.id for c in picker.shown]
        await pilot.press("escape")
        assert turns(sample_ws, live, item.id) == []


async def test_s_then_enter_twice_queues_two_people(sample_ws, clock) -> None:
    """The picker opens on the first match not already waiting: s Enter, s Enter queues two
    people (it opened on the one just queued, and Enter only said so)."""
    live, item = live_on(sample_ws, clock)
    one_per_organization(live, 3)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await meeting_screen(pilot)
        for _ in range(2):
            await pilot.press("s")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert app.screen is screen
        queued = turns(sample_ws, live, item.id)
        assert len(queued) == 2 and queued[0].attendance_id != queued[1].attendance_id


async def test_next_speaker_gives_the_floor_in_order(sample_ws, clock) -> None:
    live, item = live_on(sample_ws, clock)
    ids = one_per_organization(live, 3)
    speakers = Speakers(live)
    for attendance_id in ids:
        speakers.enqueue(attendance_id)
    names = {a.id: a.name for a in live.load().attendance}
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await meeting_screen(pilot)
        assert panel_text(screen)[0] == "No one has the floor"
        assert panel_text(screen)[1].startswith("Next (3): ")
        panel = screen.query_one("#speakers", SpeakersPanel)
        notes_top = screen.query_one("#notes").region.y
        await pilot.press("k")
        first, second, _ = turns(sample_ws, live, item.id)
        assert first.status is TurnStatus.SPEAKING and second.status is TurnStatus.QUEUED
        lines = panel_text(screen)
        assert lines[0].startswith("0:00 · 3:00 left: " + names[ids[0]])
        assert lines[1].startswith(f"Next (2): {names[ids[1]]}")
        clock.advance(seconds=40)
        await pilot.press("k")
        first, second, _ = turns(sample_ws, live, item.id)
        assert first.status is TurnStatus.SPOKE and second.status is TurnStatus.SPEAKING
        assert first.elapsed_seconds(clock()) == pytest.approx(40)
        assert panel_text(screen)[0].startswith("0:00 · 3:00 left: " + names[ids[1]])
        # Giving the floor does not move the screen below the panel by a line: it keeps
        # its two lines from the first queued turn to the item's end.
        assert panel.region.height == 2 and screen.query_one("#notes").region.y == notes_top
        clock.advance(seconds=10)
        await pilot.press("k", "k")  # the last one speaks, then nobody
        await pilot.pause()
        assert panel_text(screen) == ["No one has the floor", "Nobody waiting"]
        assert screen.query_one("#notes").region.y == notes_top


async def test_limit_colours_and_one_bell(sample_ws, clock) -> None:
    live, _ = live_on(sample_ws, clock)
    ids = one_per_organization(live, 2)
    Speakers(live).enqueue(ids[0])
    app = FacilitateApp(sample_ws, clock=clock)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await meeting_screen(pilot)
        await pilot.press("k")
        now = screen.query_one("#speakers-now", Static)
        clock.advance(seconds=143)  # 2:23 of 3:00: not yet 80 %
        await pilot.pause(0.4)
        assert not now.has_class("warning") and not now.has_class("overrun")
        clock.advance(seconds=1)  # 2:24 = 80 %
        await pilot.pause(0.4)
        assert now.has_class("warning") and panel_text(screen)[0].startswith("2:24 · 0:36 left")
        assert bells == []
        clock.advance(seconds=36)  # 3:00
        await pilot.pause(0.4)
        assert now.has_class("overrun") and not now.has_class("warning")
        assert "over by 0:00" in panel_text(screen)[0]
        assert bells == [1]
        clock.advance(seconds=50)
        await pilot.pause(0.4)
        assert "over by 0:50" in panel_text(screen)[0]
        assert bells == [1], "one bell per speaker crossing the limit, not one per tick"


async def test_pausing_the_meeting_pauses_the_speaker(sample_ws, clock) -> None:
    live, item = live_on(sample_ws, clock)
    ids = one_per_organization(live, 2)
    Speakers(live).enqueue(ids[0])
    app = FacilitateApp(sample_ws, clock=clock)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await meeting_screen(pilot)
        await pilot.press("k")
        clock.advance(seconds=60)
        await pilot.press("space")  # pause
        clock.advance(seconds=300)  # well past the limit, had it run
        await pilot.pause(0.4)
        assert panel_text(screen)[0].startswith("Paused 1:00 · 2:00 left")
        (turn,) = turns(sample_ws, live, item.id)
        assert turn.elapsed_seconds(clock()) == pytest.approx(60)
        assert bells == []
        await pilot.press("space")  # resume
        clock.advance(seconds=30)
        await pilot.pause(0.4)
        assert panel_text(screen)[0].startswith("1:30 · 1:30 left")


async def test_the_limit_form_changes_this_item_only(sample_ws, clock) -> None:
    live, item = live_on(sample_ws, clock)
    ids = one_per_organization(live, 2)
    Speakers(live).enqueue(ids[0])
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await meeting_screen(pilot)
        await pilot.press("k", "l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LimitForm)
        await pilot.press(*"2.5", "enter")
        error = str(form.query_one("#form-error", Static).render())
        assert "whole minutes" in error and app.screen is form
        form.query_one("#limit-minutes", Input).value = ""
        await pilot.press(*"5", "enter")
        await pilot.pause()
        assert app.screen is screen
        stored = sample_ws.snapshot().bundle(live.meeting_id).item(item.id)
        assert stored is not None and stored.speaker_limit_minutes == 5
        assert panel_text(screen)[0].startswith("0:00 · 5:00 left")
        others = [i for i in sample_ws.snapshot().bundle(live.meeting_id).items if i.id != item.id]
        assert all(i.speaker_limit_minutes is None for i in others)


async def test_round_marked_by_keys(sample_ws, clock) -> None:
    live, item = live_on(sample_ws, clock)
    ids = one_per_organization(live, 4, extra=2)
    orgs = sorted({a.organization_name for a in live.load().attendance if a.id in ids})
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await meeting_screen(pilot)
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoundScreen)
        round_turns = turns(sample_ws, live, item.id)
        assert sorted(t.organization for t in round_turns) == orgs  # one per organization
        assert all(t.round_id == screen.round_id for t in round_turns)
        # The fourth one goes first: selected, moved up three times.
        await pilot.press("end", "left_square_bracket", "left_square_bracket")
        await pilot.press("left_square_bracket")
        order = [t.organization for t in turns(sample_ws, live, item.id)]
        assert order[0] == round_turns[3].organization
        await pilot.press("n")  # the first speaks
        clock.advance(seconds=90)
        await pilot.press("n")  # the first spoke, the second speaks
        clock.advance(seconds=30)
        await pilot.press("home", "down", "down", "p")  # the third passes
        await pilot.press("up", "up", "o")  # a note on the second (speaking): saved as spoke
        await pilot.pause()
        await pilot.press(*"Two referrals", "enter")
        await pilot.pause()
        assert app.screen is screen
        now = turns(sample_ws, live, item.id)
        assert [t.status for t in now] == [
            TurnStatus.SPOKE,
            TurnStatus.SPOKE,
            TurnStatus.PASSED,
            TurnStatus.QUEUED,
        ]
        assert now[0].elapsed_seconds(clock()) == pytest.approx(90)
        assert now[1].note == "Two referrals"
        notes = sample_ws.snapshot().bundle(live.meeting_id).item(item.id).notes
        assert f"{now[1].organization}" in notes and "Two referrals" in notes
        summary = str(screen.query_one("#round-summary", Static).render())
        assert summary.startswith(f"Left 1 of 4: {now[3].organization[:20]}")
        assert "3 turns done; the item ends on time" in summary
        await pilot.press("escape")
        assert isinstance(app.screen, MeetingScreen)


async def test_round_on_another_kind_of_item_says_what_it_is_for(sample_ws, clock) -> None:
    live, _ = live_on(sample_ws, clock, ItemKind.NEW_BUSINESS)
    one_per_organization(live, 3)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await meeting_screen(pilot)
        await pilot.press("R")
        await pilot.pause()
        assert app.screen is screen
        said = " ".join(str(n.message) for n in app._notifications)
        assert "R starts a round on information-sharing and report-back items" in said
        assert "new business" in said
        assert sample_ws.snapshot().bundle(live.meeting_id).rounds == []


async def test_airtime_panel_figures(sample_ws, clock) -> None:
    live, _ = live_on(sample_ws, clock)
    ids = one_per_organization(live, 4)
    speakers = Speakers(live)
    people = {a.id: a for a in live.load().attendance}
    speakers.enqueue(ids[0])
    speakers.enqueue(ids[1])
    speakers.next_speaker()
    clock.advance(seconds=120)
    speakers.next_speaker()
    clock.advance(seconds=45)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        panel, text = await open_airtime(pilot)
        assert "Spoken so far: 2:45" in text
        first, second = people[ids[0]].organization_name, people[ids[1]].organization_name
        rows = {ln[:30].strip(): ln[30:].split() for ln in text.splitlines()}
        assert rows[one_line(first, 30)][:2] == ["2:00", "73%"]
        assert rows[one_line(second, 30)][:2] == ["0:45", "27%"]
        figures = speakers.airtime()
        assert figures.total_seconds == pytest.approx(165)
        assert "Not heard yet" in text
        clock.advance(seconds=15)  # the speaker's time goes on while the panel is open
        await pilot.pause(1.2)
        assert "Spoken so far: 3:00" in airtime_text(panel)
        await pilot.press("escape")
        assert isinstance(app.screen, MeetingScreen)


async def test_notes_typed_in_a_burst_right_after_o(sample_ws, clock) -> None:
    """Over a laggy link "o" and the words after it arrive at once. Every letter lands in the
    notes, capitals too (R, A and k are the meeting's keys, a and d open forms): the notes
    have the focus as soon as "o" is handled, not a message later. (The tmux run of the demo
    lost the "R" of "Room 214" under load; a burst lost every letter.)"""
    live, item = live_on(sample_ws, clock)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await meeting_screen(pilot)
        typed = "Room 214, Ask Lk and dad"
        burst(app, ["o", *typed, "escape"])
        for _ in range(6):
            await pilot.pause()
        assert app.screen is screen and screen.focused is screen.query_one("#agenda")
        notes = sample_ws.snapshot().bundle(live.meeting_id).item(item.id).notes
        assert notes == typed
        assert not turns(sample_ws, live, item.id)  # no "k", no round ("R")
        await pilot.press("o", *"s s")  # ("s", a priority key, is a letter in the notes)
        assert app.screen is screen
        assert screen.query_one("#notes", TextArea).text == typed + "s s"
