"""The speakers' queue, rounds and airtime as pure rules (issue 20)."""

from __future__ import annotations

import pendulum
import pytest

from facilitate.domain.common import ValidationError
from facilitate.domain.meeting import AgendaItem, ItemKind, TimeSpan
from facilitate.domain.roster import Sector
from facilitate.domain.speaking import (
    GUEST_SECTOR,
    SpeakingRound,
    SpeakingTurn,
    TurnStatus,
    airtime,
    end_turn,
    limit_seconds,
    moved,
    pause_turn,
    reorder,
    require_limit,
    round_progress,
    round_split,
    run_turn,
    sector_label,
    speaker_clock,
    waiting,
    who_spoke,
)
from facilitate.domain.timer import TimerState

T0 = pendulum.datetime(2026, 12, 10, 16, 0, tz="UTC")


def turn(
    name: str,
    org: str,
    sector: str,
    *spans: tuple[int, int | None],
    item: str = "itm-1",
    status: TurnStatus = TurnStatus.SPOKE,
    position: int = 0,
) -> SpeakingTurn:
    return SpeakingTurn(
        meeting_id="mtg-1",
        item_id=item,
        attendance_id=f"att-{name}",
        name=name,
        organization=org,
        sector=sector,
        status=status,
        position=position,
        spans=[
            TimeSpan(start=T0.add(seconds=a), end=None if b is None else T0.add(seconds=b))
            for a, b in spans
        ],
    )


def test_elapsed_time_is_the_sum_of_spans_and_runs_only_while_open() -> None:
    t = turn("Ana", "Port Merrow PD", "law_enforcement_local", (0, 60), (120, None))
    t.status = TurnStatus.SPEAKING
    assert t.running
    assert t.elapsed_seconds(T0.add(seconds=150)) == 90
    pause_turn(t, T0.add(seconds=180))
    assert not t.running
    # Paused: the clock stands still however long the pause lasts.
    assert t.elapsed_seconds(T0.add(hours=3)) == 120
    run_turn(t, T0.add(seconds=600))
    assert t.elapsed_seconds(T0.add(seconds=630)) == 150
    end_turn(t, T0.add(seconds=640))
    assert t.status is TurnStatus.SPOKE and not t.running
    assert t.elapsed_seconds(T0.add(days=1)) == 160
    assert t.started_at == T0 and t.ended_at == T0.add(seconds=640)


def test_a_span_ending_before_its_start_is_closed_at_its_start() -> None:
    t = turn("Ana", "A", "survivors", (100, None), status=TurnStatus.SPEAKING)
    pause_turn(t, T0.add(seconds=50))  # a clock that stepped back
    assert t.elapsed_seconds(T0.add(hours=1)) == 0


def test_speaker_clock_warns_at_80_and_overruns_at_100_percent() -> None:
    def state(elapsed: int, limit: int | None) -> TimerState:
        t = turn("Ana", "A", "survivors", (0, None), status=TurnStatus.SPEAKING)
        return speaker_clock(t, limit, T0.add(seconds=elapsed)).state

    assert state(143, 180) is TimerState.NORMAL
    assert state(144, 180) is TimerState.WARNING
    assert state(179, 180) is TimerState.WARNING
    assert state(180, 180) is TimerState.OVERRUN
    # No limit (None or 0): never warns, and the display counts the time taken.
    assert state(10_000, None) is TimerState.NORMAL
    assert state(10_000, 0) is TimerState.NORMAL
    t = turn("Ana", "A", "survivors", (0, None), status=TurnStatus.SPEAKING)
    assert speaker_clock(t, None, T0.add(seconds=75)).display == "1:15"
    assert speaker_clock(t, 180, T0.add(seconds=75)).display == "1:45"
    assert speaker_clock(t, 60, T0.add(seconds=75)).display == "over by 0:15"
    queued = turn("Bo", "B", "survivors", status=TurnStatus.QUEUED)
    assert speaker_clock(queued, 180, T0).state is TimerState.IDLE


def test_limit_comes_from_the_round_then_the_item_then_the_profile() -> None:
    item = AgendaItem(meeting_id="mtg-1", title="Information sharing")
    assert limit_seconds(item, 3) == 180
    assert limit_seconds(item, 0) is None
    item.speaker_limit_minutes = 5
    assert limit_seconds(item, 3) == 300
    item.speaker_limit_minutes = 0  # this item: no limit, whatever the profile says
    assert limit_seconds(item, 3) is None
    rnd = SpeakingRound(meeting_id="mtg-1", item_id=item.id, turn_seconds=150)
    assert limit_seconds(item, 3, rnd) == 150


@pytest.mark.parametrize("bad", [-1, 121, 2.5, "3", True])
def test_a_limit_outside_whole_minutes_0_to_120_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError, match="Speaker limit"):
        require_limit(bad)


def test_queue_order_and_moves_clamp_at_the_ends() -> None:
    turns = [
        turn("Ana", "A", "survivors", status=TurnStatus.QUEUED, position=3),
        turn("Bo", "B", "survivors", status=TurnStatus.QUEUED, position=5),
        turn("Cy", "C", "survivors", status=TurnStatus.QUEUED, position=4),
        turn("Di", "D", "survivors", (0, 10), position=1),
        turn("Ed", "E", "survivors", status=TurnStatus.QUEUED, position=1, item="itm-2"),
    ]
    queue = waiting(turns, "itm-1")
    assert [t.name for t in queue] == ["Ana", "Cy", "Bo"]
    after = moved(queue, queue[2].id, -1)
    assert [t.name for t in after] == ["Ana", "Bo", "Cy"]
    changed = reorder(queue, after)
    assert {t.name for t in changed} == {"Bo", "Cy"}
    assert [t.name for t in waiting(turns, "itm-1")] == ["Ana", "Bo", "Cy"]
    # Clamped: moving the first one up, or the last one down by 10, changes nothing.
    queue = waiting(turns, "itm-1")
    assert moved(queue, queue[0].id, -1) == queue
    assert moved(queue, queue[-1].id, 10) == queue
    with pytest.raises(ValidationError, match="no longer waiting"):
        moved(queue, "trn-gone", 1)


def test_airtime_sums_equal_the_sum_of_turns() -> None:
    turns = [
        turn("Ana", "Port Merrow PD", "law_enforcement_local", (0, 90)),
        turn("Bo", "Rising Voices", "survivors", (90, 150), (400, 430)),
        turn("Cy", "Port Merrow PD", "law_enforcement_local", (150, 200)),
        turn("Di", "Guest agency", GUEST_SECTOR, (200, 260)),
        turn("Ed", "Safe Passage", "ngo_advocacy", status=TurnStatus.QUEUED),
        turn("Fay", "Lantern House", "homeless_advocates", (500, None), status=TurnStatus.SPEAKING),
    ]
    now = T0.add(seconds=520)
    result = airtime(turns, now, ["survivors", "ngo_advocacy", "law_enforcement_local"])
    assert result.total_seconds == sum(t.elapsed_seconds(now) for t in turns) == 310
    assert sum(result.by_sector.values()) == pytest.approx(result.total_seconds)
    assert sum(result.by_organization.values()) == pytest.approx(result.total_seconds)
    assert result.by_sector == {
        "law_enforcement_local": 140,
        "survivors": 90,
        "homeless_advocates": 20,
        GUEST_SECTOR: 60,
    }
    assert list(result.by_organization) == [
        "Port Merrow PD",
        "Rising Voices",
        "Guest agency",
        "Lantern House",
    ]
    # In the room and not heard: the NGO queued but has not had the floor.
    assert result.sectors_not_heard == ["ngo_advocacy"]
    assert result.share("survivors") == pytest.approx(90 / 310)
    assert airtime([], now).total_seconds == 0 and airtime([], now).share("survivors") == 0


def test_who_spoke_lists_organizations_in_order_once() -> None:
    turns = [
        turn("Bo", "Rising Voices", "survivors", (90, 150)),
        turn("Ana", "Port Merrow PD", "law_enforcement_local", (0, 90)),
        turn("Cy", "Port Merrow PD", "law_enforcement_local", (150, 200)),
        turn("Di", "Safe Passage", "ngo_advocacy", status=TurnStatus.PASSED),
        turn("Ed", "Lantern House", "homeless_advocates", status=TurnStatus.QUEUED),
        turn("Fay", "St. Brigid", "health_care", (0, 30), item="itm-2"),
    ]
    assert who_spoke(turns, "itm-1") == ["Port Merrow PD", "Rising Voices"]
    assert who_spoke(turns, "itm-3") == []


def test_round_divides_the_time_and_says_whether_the_item_ends_on_time() -> None:
    assert round_split(15 * 60, 4) == 225
    assert round_split(-30, 4) == 0  # an item already over: nothing to divide
    assert round_split(600, 0) == 0
    item = AgendaItem(
        meeting_id="mtg-1",
        title="Information sharing",
        kind=ItemKind.INFORMATION_SHARING,
        planned_minutes=10,
        spans=[TimeSpan(start=T0)],
    )
    rnd = SpeakingRound(meeting_id="mtg-1", item_id=item.id, turn_seconds=150)
    turns = [
        turn("Ana", "A", "survivors", (0, 150), item=item.id, position=1),
        turn("Bo", "B", "survivors", (150, None), item=item.id, position=2),
        turn("Cy", "C", "survivors", item=item.id, position=3, status=TurnStatus.QUEUED),
        turn("Di", "D", "survivors", item=item.id, position=4, status=TurnStatus.QUEUED),
    ]
    turns[1].status = TurnStatus.SPEAKING
    for t in turns:
        t.round_id = rnd.id
    progress = round_progress(rnd, turns, item, T0.add(seconds=200))
    assert [t.name for t in progress.left] == ["Bo", "Cy", "Di"]
    # 200 s used, Bo has 100 s of the share left, Cy and Di 150 s each: 600 s = on time.
    assert progress.projected_seconds == 600 and progress.on_time
    late = round_progress(rnd, turns, item, T0.add(seconds=320))  # Bo ran over
    assert not late.on_time and late.over_seconds == 20


def test_a_turn_that_runs_while_marked_done_is_refused() -> None:
    t = turn("Ana", "A", "survivors", (0, None), status=TurnStatus.SPOKE)
    with pytest.raises(ValidationError, match="still running"):
        t.validate()
    bad = turn("Ana", "A", "the_police")
    with pytest.raises(ValidationError, match="unknown sector"):
        bad.validate()


def test_sector_labels() -> None:
    assert sector_label(Sector.SURVIVORS.value) == "Survivors"
    assert sector_label(GUEST_SECTOR) == "Guests"
    assert sector_label("nonsense") == "nonsense"


def test_profile_and_item_limits_are_checked_when_saved() -> None:
    from facilitate.domain.roster import Profile

    assert Profile(name="Harbor Valley Task Force").speaker_limit_minutes == 3
    with pytest.raises(ValidationError, match="Speaker limit"):
        Profile(name="Harbor Valley Task Force", speaker_limit_minutes=500).validate()
    item = AgendaItem(meeting_id="mtg-1", title="Information sharing", speaker_limit_minutes=-2)
    with pytest.raises(ValidationError, match="Speaker limit"):
        item.validate()
    item.speaker_limit_minutes = None  # the profile's default
    item.validate()


def test_pass_floor_ends_the_speaker_and_gives_the_floor_to_the_first_waiting() -> None:
    """The rule the service saves and the meeting screen draws ahead of the save."""
    from facilitate.domain.meeting import AgendaItem, TimeSpan
    from facilitate.domain.speaking import SpeakingTurn, TurnStatus, pass_floor

    t0 = pendulum.datetime(2026, 12, 3, 10, 0, tz="UTC")
    item = AgendaItem(title="Partner updates", planned_minutes=20, meeting_id="m", id="itm-1")
    item.spans.append(TimeSpan(start=t0))
    speaking_now = SpeakingTurn(
        meeting_id="m",
        item_id="itm-1",
        name="A",
        status=TurnStatus.SPEAKING,
        position=1,
        spans=[TimeSpan(start=t0)],
    )
    second = SpeakingTurn(meeting_id="m", item_id="itm-1", name="C", position=3)
    first = SpeakingTurn(meeting_id="m", item_id="itm-1", name="B", position=2)
    other_item = SpeakingTurn(meeting_id="m", item_id="itm-2", name="D", position=1)
    turns = [speaking_now, second, first, other_item]
    later = t0.add(minutes=2)
    changed, turn = pass_floor(turns, item, later)
    assert turn is first and first.status is TurnStatus.SPEAKING and first.running
    assert speaking_now.status is TurnStatus.SPOKE and speaking_now.elapsed_seconds(later) == 120
    assert changed == [speaking_now, first]
    assert second.status is TurnStatus.QUEUED and other_item.status is TurnStatus.QUEUED
    # Nobody left waiting: the one speaking is done, nobody gets the floor.
    second.status = TurnStatus.SPOKE
    changed, turn = pass_floor(turns, item, later.add(minutes=1))
    assert turn is None and changed == [first] and first.status is TurnStatus.SPOKE
    # A round's next turn goes ahead of anyone queued outside the round, who keeps a place.
    outside = SpeakingTurn(meeting_id="m", item_id="itm-1", name="E", position=4)
    in_round = SpeakingTurn(meeting_id="m", item_id="itm-1", name="F", position=5, round_id="r1")
    turns += [outside, in_round]
    changed, turn = pass_floor(turns, item, later.add(minutes=2), round_id="r1")
    assert turn is in_round and changed == [in_round]
    assert outside.status is TurnStatus.QUEUED and outside.position == 4
