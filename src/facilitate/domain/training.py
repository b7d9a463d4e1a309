"""Short training pieces delivered at meetings, and which one to pick next."""

from __future__ import annotations

from dataclasses import dataclass, field

from pendulum import DateTime

from .common import new_id, optional_text, require_minutes, require_title


@dataclass(kw_only=True)
class Delivery:
    meeting_id: str
    delivered_at: DateTime


@dataclass(kw_only=True)
class TrainingSnippet:
    id: str = field(default_factory=lambda: new_id("trn"))
    rev: int = 0
    title: str
    topic: str = ""
    minutes: int = 5
    body: str = ""  # Markdown
    deliveries: list[Delivery] = field(default_factory=list)

    def validate(self) -> TrainingSnippet:
        self.title = require_title(self.title, "Training title", max_len=300)
        self.topic = optional_text(self.topic, "Topic", max_len=200)
        self.minutes = require_minutes(self.minutes, "Training minutes", maximum=120)
        self.body = optional_text(self.body, "Training text")
        return self

    @property
    def last_delivered(self) -> DateTime | None:
        return max((d.delivered_at for d in self.deliveries), default=None)

    def delivered_at_meeting(self, meeting_id: str) -> bool:
        """Marked delivered at that meeting (``d`` in the training dialog).

        Time spent on the training item is not delivery: an item left after a few seconds was
        skipped. This is the one rule for both the minutes and the next suggestion."""
        return any(d.meeting_id == meeting_id for d in self.deliveries)


def least_recently_delivered(
    snippets: list[TrainingSnippet], max_minutes: int | None = None
) -> list[TrainingSnippet]:
    """Never-delivered first, then oldest delivery first; optionally only those that fit a slot.

    Only deliveries count (marked with ``d``), not agenda items that merely had the snippet."""
    fitting = [s for s in snippets if max_minutes is None or s.minutes <= max_minutes]

    def key(s: TrainingSnippet) -> tuple[int, float, str]:
        last = s.last_delivered
        return (0 if last is None else 1, last.timestamp() if last else 0.0, s.title.lower())

    return sorted(fitting, key=key)
