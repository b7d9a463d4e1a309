"""The speakers' queue (issue 20), continued: a report-back round goes by subcommittee, a
confidential item's turns count in the airtime panel, and the follow view shows the speaker
and who waits (names only; nothing on a confidential item)."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from facilitate.domain.meeting import ItemKind
from facilitate.domain.roster import Subcommittee
from facilitate.services.speaking import Speakers
from facilitate.storage.workspace import Workspace
from facilitate.ui.app import FacilitateApp
from facilitate.ui.follow_app import FollowApp
from facilitate.ui.screens.round import RoundScreen
from facilitate.ui.widgets.speakers import SpeakersPanel

from .test_speakers import live_on, meeting_screen, one_per_organization, open_airtime, turns


async def test_a_report_back_round_goes_by_subcommittee(sample_ws, clock) -> None:
    live, item = live_on(sample_ws, clock, ItemKind.REPORT_BACKS)
    one_per_organization(live, 4)
    subcommittees = sorted(s.name for s in sample_ws.snapshot().all(Subcommittee))
    assert subcommittees, "the sample task force has subcommittees"
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await meeting_screen(pilot)
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoundScreen)
        assert sorted(t.organization for t in turns(sample_ws, live, item.id)) == subcommittees
        heading = str(screen.query_one("#round-title", Static).render())
        assert "by subcommittee" in heading
        labels = [
            c.label.plain for c in screen.query_one("#round-table", DataTable).columns.values()
        ]
        assert "Subcommittee" in labels and "Organization" not in labels


async def test_a_confidential_items_turns_count_in_the_airtime(sample_ws, clock) -> None:
    live, info = live_on(sample_ws, clock)
    ids = one_per_organization(live, 3)
    speakers = Speakers(live)
    case = next(i for i in live.load().items if i.confidential)
    live.goto(case.id)
    speakers.enqueue(ids[0])
    speakers.next_speaker()
    clock.advance(seconds=60)
    live.goto(info.id)  # (ends the turn: spoke)
    speakers.enqueue(ids[1])
    speakers.next_speaker()
    clock.advance(seconds=30)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        _panel, text = await open_airtime(pilot)
        assert "Spoken so far: 1:30" in text  # 1:00 on the case review + 0:30 now


def _follow_text(app: FollowApp) -> list[str]:
    panel = app.screen.query_one("#follow-speakers", SpeakersPanel)
    if not panel.display:
        return []
    return [str(s.render()) for s in panel.query(Static) if s.display]


async def test_the_follow_view_shows_the_speaker_and_who_waits(sample_ws, clock) -> None:
    live, _ = live_on(sample_ws, clock)
    ids = one_per_organization(live, 4)
    speakers = Speakers(live)
    for attendance_id in ids:
        speakers.enqueue(attendance_id)
    first = speakers.next_speaker()
    assert first is not None
    speakers.mark(first.id, first.status.SPOKE, "Two new referrals from the hotline")
    speaking = speakers.next_speaker()
    assert speaking is not None
    clock.advance(seconds=75)
    people = {a.id: a for a in live.load().attendance}
    follow = FollowApp(Workspace.open(sample_ws.root, read_only=True), live.meeting_id, clock=clock)
    async with follow.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.6)
        now, nxt = _follow_text(follow)
        assert now.startswith(f"1:15 · 1:45 left: {speaking.name}")
        assert nxt == f"Next (2): {people[ids[2]].name}, {people[ids[3]].name}"
        screen_text = " ".join(str(w.render()) for w in follow.screen.query(Static))
        assert "Two new referrals" not in screen_text  # a turn's note is never shown


async def test_the_follow_view_names_nobody_on_a_confidential_item(sample_ws, clock) -> None:
    live, _ = live_on(sample_ws, clock)
    ids = one_per_organization(live, 3)
    case = next(i for i in live.load().items if i.confidential)
    live.goto(case.id)
    speakers = Speakers(live)
    for attendance_id in ids:
        speakers.enqueue(attendance_id)
    speakers.next_speaker()
    names = [a.name for a in live.load().attendance if a.id in ids]
    follow = FollowApp(Workspace.open(sample_ws.root, read_only=True), live.meeting_id, clock=clock)
    async with follow.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.6)
        now, nxt = _follow_text(follow)
        assert now.startswith("0:00 · 3:00 left: A speaker")
        assert nxt == "Next (2): "
        for name in names:
            assert name not in now + nxt


async def test_a_round_turn_over_its_share_rings_once(sample_ws, clock) -> None:
    """Both screens tick (the meeting under the round screen too). Someone had the floor
    before the round: the round's first turn ends theirs, and no bell rings for them when
    their old limit (3:00) passes; the round's turn rings once when it crosses its share
    (5:00), and not again back on the meeting screen."""
    live, _ = live_on(sample_ws, clock)
    ids = one_per_organization(live, 3)
    Speakers(live).enqueue(ids[0])
    app = FacilitateApp(sample_ws, clock=clock)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await meeting_screen(pilot)
        await pilot.press("k")  # someone has the floor
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoundScreen) and screen.round is not None
        share = screen.round.turn_seconds  # (15 min divided among 3: 5:00)
        assert share > 200
        await pilot.press("n")  # the round's first turn: the earlier speaker is done
        clock.advance(seconds=200)  # past 3:00 since the earlier speaker began
        await pilot.pause(1.2)
        assert bells == [], "no bell for a turn that has ended"
        clock.advance(seconds=share - 200 + 5)
        await pilot.pause(1.2)
        assert bells == [1]
        clock.advance(seconds=30)
        await pilot.pause(1.2)
        await pilot.press("escape")
        await pilot.pause(0.6)
        assert app.screen is meeting
        assert bells == [1], "one bell per turn, whichever screen shows it"


async def test_the_round_screen_is_kept_and_shows_each_new_round(sample_ws, clock) -> None:
    """R shows the one round screen the meeting keeps: a report-back round by subcommittee,
    then an information-sharing round by organization. The second showing has the second
    round's turns, the "Organization" heading again, the cursor on its first turn, and the
    kept screen does not tick (or ring) under the meeting screen between rounds."""
    live, _report = live_on(sample_ws, clock, ItemKind.REPORT_BACKS)
    info = next(i for i in live.load().items if i.kind is ItemKind.INFORMATION_SHARING)
    one_per_organization(live, 4)
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = await meeting_screen(pilot)
        await pilot.press("R")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, RoundScreen)
        await pilot.press("end", "escape")
        await pilot.pause()
        assert app.screen is meeting and first.is_mounted  # kept, not removed
        title = first.query_one("#round-title", Static)
        shown_before = str(title.render())
        live.goto(info.id)
        meeting.reload()
        clock.advance(seconds=180)
        first.tick()  # (as its interval would: not shown, it draws nothing)
        assert str(title.render()) == shown_before
        await pilot.press("R")
        await pilot.pause()
        assert app.screen is first  # the same screen, shown again
        mine = turns(sample_ws, live, info.id)
        assert first.round_id == mine[0].round_id
        table = first.query_one("#round-table", DataTable)
        assert [k.value for k in table.rows] == [t.id for t in mine]
        assert table.cursor_row == 0
        labels = [c.label.plain for c in table.columns.values()]
        assert "Organization" in labels and "Subcommittee" not in labels
        heading = str(first.query_one("#round-title", Static).render())
        assert "by organization" in heading and info.title[:20] in heading
