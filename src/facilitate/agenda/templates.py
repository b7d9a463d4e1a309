"""The standard task-force agenda, scaled to the meeting's time slot."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.meeting import ItemKind

BASE_SLOT = 120
MIN_ITEM = 2


@dataclass(frozen=True)
class TemplateItem:
    kind: ItemKind
    title: str
    minutes: int
    flexible: bool = True  # grows or shrinks with the slot

    @property
    def confidential(self) -> bool:
        return self.kind is ItemKind.CASE_REVIEW


# Minutes for a two-hour meeting. Opening, minutes approval, feedback and close are short and
# fixed; the discussion items take up a longer or shorter slot.
STANDARD_TEMPLATE: tuple[TemplateItem, ...] = (
    TemplateItem(ItemKind.OPENING, "Opening and confidentiality reminder", 5, flexible=False),
    TemplateItem(ItemKind.INTRODUCTIONS, "Introductions", 10),
    TemplateItem(ItemKind.MINUTES_APPROVAL, "Approval of previous minutes", 5, flexible=False),
    TemplateItem(ItemKind.REPORT_BACKS, "Subcommittee report-backs", 20),
    TemplateItem(ItemKind.TRAINING, "Training", 10),
    TemplateItem(ItemKind.INFORMATION_SHARING, "Information sharing", 15),
    TemplateItem(ItemKind.CASE_REVIEW, "Case review", 20),
    TemplateItem(ItemKind.NEW_BUSINESS, "New business", 15),
    TemplateItem(ItemKind.DECISIONS, "Decisions", 10),
    TemplateItem(ItemKind.FEEDBACK, "Feedback", 5, flexible=False),
    TemplateItem(ItemKind.CLOSING, "Close", 5, flexible=False),
)


def scaled_template(slot_minutes: int) -> list[TemplateItem]:
    """The standard template with the flexible items scaled so the total fits the slot.

    Fixed items keep their minutes; flexible items never drop below ``MIN_ITEM`` minutes, so a
    very short slot yields an agenda longer than the slot (the planner reports it).
    """
    fixed = sum(t.minutes for t in STANDARD_TEMPLATE if not t.flexible)
    flexible = [t for t in STANDARD_TEMPLATE if t.flexible]
    base_flexible = sum(t.minutes for t in flexible)
    budget = max(0, slot_minutes - fixed)
    factor = budget / base_flexible
    minutes = {t.kind: max(MIN_ITEM, int(t.minutes * factor)) for t in flexible}
    # Hand out the minutes lost to rounding down, largest items first.
    spare = budget - sum(minutes.values())
    for t in sorted(flexible, key=lambda t: -t.minutes):
        if spare <= 0:
            break
        minutes[t.kind] += 1
        spare -= 1
    return [
        TemplateItem(t.kind, t.title, minutes.get(t.kind, t.minutes), t.flexible)
        for t in STANDARD_TEMPLATE
    ]
