"""agenda/import_markdown.py: agendas as people write them."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from facilitate.agenda.import_markdown import (
    AgendaImportError,
    import_agenda,
    parse_agenda,
    parse_agenda_bytes,
)
from facilitate.agenda.render import render_agenda
from facilitate.domain.meeting import ItemKind
from tests.agenda.builders import small_workspace

NOW = pendulum.datetime(2026, 2, 1, 12, 0, tz="UTC")


def one(markdown: str):
    parsed = parse_agenda(markdown, "a.md")
    assert len(parsed.items) == 1, parsed.items
    return parsed.items[0]


# --- durations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "minutes"),
    [
        ("- Welcome (10m)", 10),
        ("- Welcome (10 m)", 10),
        ("- Welcome 10 min", 10),
        ("- Welcome (10 mins)", 10),
        ("- Welcome 15 minutes", 15),
        ("- Welcome (1 minute)", 1),
        ("- Welcome 1h", 60),
        ("- Welcome (1 hour)", 60),
        ("- Welcome (2 hours)", 120),
        ("- Welcome 1h30", 90),
        ("- Welcome 1h30m", 90),
        ("- Welcome 1h 30min", 90),
        ("- Welcome (1.5h)", 90),
        ("- Welcome (1,5 h)", 90),
        ("- Welcome 10-15m", 15),
        ("- Welcome (10–15 min)", 15),
        ("- Welcome (10 to 15 minutes)", 15),
        ("- Welcome (30m-1h)", 60),
        ("- Welcome 5'", 5),
        ("- Welcome (approx. 20 min)", 20),
        ("- 10 min: Welcome", 10),
        ("- (0m) Welcome", 0),
        ("## Welcome (25 min)", 25),
        ("1. Welcome — 10 minutes", 10),
    ],
)
def test_duration_forms(line: str, minutes: int) -> None:
    item = one(line)
    assert item.minutes == minutes
    assert item.title == "Welcome"


def test_range_uses_upper_bound_and_keeps_the_range_in_notes() -> None:
    item = one("- Open discussion (10-15m)")
    assert item.minutes == 15
    assert "10-15m" in item.notes


def test_numbers_that_are_not_durations_stay_in_the_title() -> None:
    item = one("- Review of 2026 plan for 5 members (10m)")
    assert item.title == "Review of 2026 plan for 5 members"
    assert item.minutes == 10


def test_item_number_dash_duration_is_not_a_range() -> None:
    item = one("- Item 2 - 10 min")
    assert (item.title, item.minutes) == ("Item 2", 10)


@pytest.mark.parametrize(
    ("line", "minutes"),
    [
        ("- 10:00-10:15 Welcome", 15),
        ("- 10:00 – 10:20 Welcome", 20),
        ("- 11:45-12:15 Welcome", 30),
        ("- 9:30am - 10:00am Welcome", 30),
    ],
)
def test_clock_ranges(line: str, minutes: int) -> None:
    parsed = parse_agenda(line + "\n- 13:00 Lunch (30m)\n", "a.md")
    assert (parsed.items[0].title, parsed.items[0].minutes) == ("Welcome", minutes)


def test_start_times_give_durations_until_the_next_item() -> None:
    parsed = parse_agenda("- 10:00 Welcome\n- 10:05 Introductions\n- 10:20 Close (5m)\n")
    assert [(i.title, i.minutes) for i in parsed.items] == [
        ("Welcome", 5),
        ("Introductions", 15),
        ("Close", 5),
    ]


# --- presenters, confidentiality, kinds ------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title", "presenter"),
    [
        ("- Housing update (Ana Ruiz) (10m)", "Housing update", "Ana Ruiz"),
        ("- Housing update (10m, Ana Ruiz)", "Housing update", "Ana Ruiz"),
        ("- Housing update - Ana Ruiz (10m)", "Housing update", "Ana Ruiz"),
        ("- Housing update – Ana Ruiz 10 min", "Housing update", "Ana Ruiz"),
        ("- Housing update — Dr. Nguyễn Thị Lan (10m)", "Housing update", "Dr. Nguyễn Thị Lan"),
        ("- Housing update (led by Sofía de la Cruz) 10m", "Housing update", "Sofía de la Cruz"),
        ("- Report-backs (20m) — Subcommittee chairs", "Report-backs", "Subcommittee chairs"),
        ("- Training – Vicarious Trauma (10m)", "Training – Vicarious Trauma", ""),
        ("- Budget (see attached) (10m)", "Budget (see attached)", ""),
        ("- Budget (TBC) (10m)", "Budget (TBC)", ""),
        ("- 田中 太郎 briefing (5m) - 田中 太郎", "田中 太郎 briefing", "田中 太郎"),
    ],
)
def test_presenters(line: str, title: str, presenter: str) -> None:
    item = one(line)
    assert (item.title, item.presenter) == (title, presenter)


@pytest.mark.parametrize(
    "line",
    [
        "- Shelter referrals (confidential) (10m)",
        "- Shelter referrals (10m, confidential)",
        "- Shelter referrals - confidential - 10m",
        "- Case review (25m)",
    ],
)
def test_confidential_items(line: str) -> None:
    assert one(line).confidential


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Welcome and confidentiality reminder", ItemKind.OPENING),
        ("Introductions", ItemKind.INTRODUCTIONS),
        ("Approval of October minutes", ItemKind.MINUTES_APPROVAL),
        ("Subcommittee report-backs", ItemKind.REPORT_BACKS),
        ("Training: Recognizing labor trafficking", ItemKind.TRAINING),
        ("Information sharing", ItemKind.INFORMATION_SHARING),
        ("Case review", ItemKind.CASE_REVIEW),
        ("AOB", ItemKind.NEW_BUSINESS),
        ("Decisions", ItemKind.DECISIONS),
        ("Feedback", ItemKind.FEEDBACK),
        ("Close", ItemKind.CLOSING),
        ("Budget", ItemKind.OTHER),
    ],
)
def test_kinds_from_titles(title: str, kind: ItemKind) -> None:
    assert one(f"- {title} (5m)").kind is kind


def test_inline_formatting_links_and_emoji_become_plain_text() -> None:
    item = one("- **Welcome** to the _new_ `task force` [site](https://example.org) :wave: 🎉 (5m)")
    assert item.title == "Welcome to the new task force site :wave: 🎉"
    assert "https://example.org" in item.notes


# --- structure --------------------------------------------------------------------------------

NESTED = """\
# Task force agenda

Location: Room 4, bring the Q3 figures.

## Opening
1. Welcome (5m) - Ana Ruiz
2. Introductions (10 min)

## Business
- Report-backs (20m)
  - Housing – Ana
  - Labor – Bo
- Working groups
  - Housing (5m) - Ana
  - Labor (10-15m) - Bo
    - Sub-point without time
- AOB

## Notes
Bring laptops.
"""


def test_nested_lists_and_sections() -> None:
    parsed = parse_agenda(NESTED, "a.md")
    assert parsed.title == "Task force agenda"
    got = [(i.title, i.minutes, i.presenter) for i in parsed.items]
    assert got == [
        ("Welcome", 5, "Ana Ruiz"),
        ("Introductions", 10, ""),
        ("Report-backs", 20, ""),
        ("Working groups: Housing", 5, "Ana"),
        ("Working groups: Labor", 15, "Bo"),
        ("AOB", None, ""),
    ]
    report_backs = parsed.items[2]
    assert "Housing – Ana" in report_backs.notes and "Labor – Bo" in report_backs.notes
    assert "Sub-point without time" in parsed.items[4].notes
    assert [i.line for i in parsed.missing_durations] == [17]


def test_headings_as_items() -> None:
    parsed = parse_agenda(
        "# Agenda\n\n## Welcome (5m)\nSome words.\n\n"
        "## Reports (20m)\n- Housing\n- Labor\n\n## AOB\n"
    )
    got = [(i.title, i.minutes) for i in parsed.items]
    assert got == [("Welcome", 5), ("Reports", 20), ("AOB", None)]
    assert parsed.items[0].notes == "Some words."
    assert "- Housing" in parsed.items[1].notes


def test_headings_only_agenda_without_times() -> None:
    parsed = parse_agenda("# Agenda\n## Welcome\n## Reports\n## Close\n")
    assert [i.title for i in parsed.items] == ["Welcome", "Reports", "Close"]
    assert all(i.minutes is None for i in parsed.items)


def test_table_with_timebox_and_topic_columns() -> None:
    parsed = parse_agenda(
        "| Timebox | Topic | Lead | Notes |\n"
        "|---|---|---|---|\n"
        "| 5m | Welcome | Ana | |\n"
        "| 10-15 min | Shelter \\| beds | Bo | bring numbers |\n"
        "| 1h | Case review | Cy | |\n"
        "| | AOB | | |\n"
    )
    got = [(i.title, i.minutes, i.presenter, i.confidential) for i in parsed.items]
    assert got == [
        ("Welcome", 5, "Ana", False),
        ("Shelter | beds", 15, "Bo", False),
        ("Case review", 60, "Cy", True),
        ("AOB", None, "", False),
    ]
    assert "bring numbers" in parsed.items[1].notes
    assert parsed.items[1].line == 4


def test_table_with_bare_minutes_and_clock_column() -> None:
    parsed = parse_agenda(
        "| Item | Minutes |\n|---|---|\n| Welcome | 5 |\n| Reports | 20 |\n\n"
        "| Time | Session |\n|---|---|\n| 11:00 | Lunch |\n| 11:45 | Close |\n"
    )
    assert [(i.title, i.minutes) for i in parsed.items] == [
        ("Welcome", 5),
        ("Reports", 20),
        ("Lunch", 45),
        ("Close", None),
    ]


def test_front_matter_is_skipped_and_line_numbers_still_count_it() -> None:
    parsed = parse_agenda("---\ntitle: x\n---\n- Welcome (5m)\n- AOB\n")
    assert [i.title for i in parsed.items] == ["Welcome", "AOB"]
    assert parsed.items[1].line == 5


# --- malformed input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "line", "phrase"),
    [
        ("- Welcome (5m)\n- Reports (15-10m)\n", 2, "runs backwards"),
        ("- Welcome (5m)\n\n- Long one (1h75)\n", 3, "under 60"),
        ("- Welcome (5m)\n- Marathon (11h)\n", 2, "limit"),
        ("- Welcome (5m)\n- (10m)\n", 2, "no title"),
        (
            "| Timebox | Topic |\n|---|---|\n| 5m | Welcome |\n| Shelter | beds | 10m |\n",
            4,
            "cannot read 'Shelter'",
        ),
        ("- Welcome (5m)\n\n```\n- Reports (10m)\n- Close (5m)\n", 3, "never closed"),
    ],
)
def test_malformed_input_names_the_line(markdown: str, line: int, phrase: str) -> None:
    with pytest.raises(AgendaImportError) as info:
        parse_agenda(markdown, "bad.md")
    assert info.value.line == line
    assert f"bad.md, line {line}:" in str(info.value)
    assert phrase in str(info.value)
    assert "Nothing was imported" in str(info.value)


def test_empty_file_is_an_error() -> None:
    with pytest.raises(AgendaImportError, match="no agenda found"):
        parse_agenda("# Just a title\n\nSome text.\n", "empty.md")


def test_non_utf8_names_the_line() -> None:
    with pytest.raises(AgendaImportError, match=r"latin\.md, line 2: this is not UTF-8"):
        parse_agenda_bytes("- Welcome (5m)\n- Café (5m)\n".encode("latin-1"), "latin.md")


# --- importing into a meeting ----------------------------------------------------------------


def test_import_replaces_the_next_planned_agenda(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    parsed = parse_agenda("- Welcome (5m)\n- Case review (30m) - Bo Advocate\n- AOB\n", "a.md")
    result = import_agenda(small.ws, parsed, now=NOW)
    assert result.meeting.id == small.upcoming
    assert len(result.replaced) == 6
    items = small.ws.snapshot().bundle(small.upcoming).items
    assert [(i.title, i.planned_minutes, i.position) for i in items] == [
        ("Welcome", 5, 0),
        ("Case review", 30, 1),
        ("AOB", 5, 2),
    ]
    assert items[1].confidential and items[1].presenter == "Bo Advocate"
    text = "\n".join(result.summary_lines())
    assert "Imported 3 items" in text
    assert "Replaced the previous agenda (6 items" in text
    assert "40 of 120 min" in text
    assert "AOB (line 3)" in text
    assert "Confidential: Case review" in text


def test_import_refuses_a_held_meeting_and_writes_nothing(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    before = (small.ws.meetings_dir / "mtg-past.json").read_bytes()
    with pytest.raises(Exception, match="already started"):
        import_agenda(small.ws, parse_agenda("- Welcome (5m)\n"), small.past, now=NOW)
    assert (small.ws.meetings_dir / "mtg-past.json").read_bytes() == before


def test_round_trip_export_then_import(tmp_path: Path) -> None:
    small = small_workspace(tmp_path / "ws")
    tx = small.ws.snapshot()
    original = [i for i in tx.bundle(small.upcoming).items if not i.deferred]
    markdown = render_agenda(small.ws, small.upcoming, "md").decode()
    parsed = parse_agenda(markdown, "agenda.md")
    assert [(i.title, i.minutes, i.presenter, i.confidential, i.kind) for i in parsed.items] == [
        (i.title, i.planned_minutes, i.presenter, bool(i.confidential), i.kind) for i in original
    ]
    # And into the meeting itself: same titles and durations.
    import_agenda(small.ws, parsed, small.upcoming, now=NOW)
    again = small.ws.snapshot().bundle(small.upcoming).items
    assert [(i.title, i.planned_minutes) for i in again] == [
        (i.title, i.planned_minutes) for i in original
    ]


def test_round_trip_of_the_sample_upcoming_meeting(tmp_path: Path) -> None:
    from tests.agenda.builders import sample_workspace

    ws = sample_workspace(tmp_path / "ws")
    planned = next(m for m in ws.snapshot().meetings() if m.status.value == "planned")
    original = ws.snapshot().bundle(planned.id).items
    parsed = parse_agenda(render_agenda(ws, planned.id, "md").decode(), "agenda.md")
    assert [(i.title, i.minutes, i.presenter) for i in parsed.items] == [
        (i.title, i.planned_minutes, i.presenter) for i in original
    ]
