"""training.py: which training snippet to deliver next."""

from __future__ import annotations

import pendulum
import pytest

from facilitate.domain.common import ValidationError
from facilitate.domain.training import Delivery, TrainingSnippet, least_recently_delivered

T = pendulum.datetime(2026, 1, 1, 9, 0, tz="UTC")


def snippet(
    title: str, minutes: int = 5, delivered_days: list[int] | None = None
) -> TrainingSnippet:
    return TrainingSnippet(
        title=title,
        minutes=minutes,
        deliveries=[
            Delivery(meeting_id=f"mtg-{d}", delivered_at=T.add(days=d))
            for d in delivered_days or []
        ],
    )


def titles(snippets: list[TrainingSnippet]) -> list[str]:
    return [s.title for s in snippets]


def test_last_delivered_is_the_latest_not_the_last_listed() -> None:
    s = snippet("Indicators", delivered_days=[30, 90, 10])
    assert s.last_delivered == T.add(days=90)
    assert snippet("New").last_delivered is None


def test_last_delivered_compares_instants_across_timezones() -> None:
    s = TrainingSnippet(
        title="x",
        deliveries=[
            Delivery(
                meeting_id="a", delivered_at=pendulum.datetime(2026, 5, 1, 10, tz="Asia/Tokyo")
            ),
            Delivery(meeting_id="b", delivered_at=pendulum.datetime(2026, 5, 1, 2, tz="UTC")),
        ],
    )
    # 10:00 Tokyo is 01:00 UTC, so the UTC delivery is the later one.
    assert s.last_delivered == pendulum.datetime(2026, 5, 1, 2, tz="UTC")


def test_least_recently_delivered_never_delivered_first_then_oldest() -> None:
    snippets = [
        snippet("Recent", delivered_days=[100]),
        snippet("Zeta never"),
        snippet("Oldest", delivered_days=[5]),
        snippet("alpha never"),
        snippet("Middle", delivered_days=[1, 50]),  # last delivered day 50
    ]
    assert titles(least_recently_delivered(snippets)) == [
        "alpha never",
        "Zeta never",
        "Oldest",
        "Middle",
        "Recent",
    ]


def test_least_recently_delivered_ties_broken_by_title() -> None:
    snippets = [snippet("b", delivered_days=[3]), snippet("A", delivered_days=[3])]
    assert titles(least_recently_delivered(snippets)) == ["A", "b"]


@pytest.mark.parametrize(
    ("max_minutes", "expected"),
    [
        (None, ["Long never", "Short never", "Ten old", "Five new"]),
        (10, ["Short never", "Ten old", "Five new"]),  # the limit is inclusive
        (9, ["Short never", "Five new"]),
        (4, ["Short never"]),
        (2, []),
    ],
)
def test_least_recently_delivered_fits_slot(max_minutes: int | None, expected: list[str]) -> None:
    snippets = [
        snippet("Five new", 5, [200]),
        snippet("Ten old", 10, [1]),
        snippet("Long never", 30),
        snippet("Short never", 3),
    ]
    assert titles(least_recently_delivered(snippets, max_minutes)) == expected


def test_least_recently_delivered_does_not_mutate_input() -> None:
    snippets = [snippet("b", delivered_days=[2]), snippet("a")]
    least_recently_delivered(snippets)
    assert titles(snippets) == ["b", "a"]
    assert least_recently_delivered([]) == []


def test_training_validate() -> None:
    s = TrainingSnippet(title=" Labor\x1b[1m trafficking ", minutes=120).validate()
    assert s.title == "Labor trafficking"
    with pytest.raises(ValidationError, match="Training minutes is 121"):
        TrainingSnippet(title="x", minutes=121).validate()
    with pytest.raises(ValidationError, match="Training title is empty"):
        TrainingSnippet(title="").validate()


def test_delivered_at_meeting_only_when_marked_there() -> None:
    s = snippet("Indicators", delivered_days=[30])
    assert s.delivered_at_meeting("mtg-30")
    assert not s.delivered_at_meeting("mtg-31")
    assert not snippet("New").delivered_at_meeting("mtg-30")
