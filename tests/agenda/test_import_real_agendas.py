"""The defects found importing real agendas (issue 15), one test each. Every test here failed
on the importer before the rework (commit 4be75b6)."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from facilitate.agenda.import_markdown import AgendaImportError, import_agenda, parse_agenda
from facilitate.agenda.render import render_agenda
from facilitate.cli import main
from facilitate.domain.meeting import AgendaItem, ItemKind
from facilitate.domain.training import TrainingSnippet
from tests.agenda.builders import small_workspace

NOW = pendulum.datetime(2026, 2, 1, 12, 0, tz="UTC")
LONG_RULE = (
    "Topics must be added at least ten days before the meeting, with a link to the materials, "
    "so delegates can review them; late topics are taken only if the chairs agree and the "
    "committee has time left over at the end of the last day, and proposals asking to advance "
    "a stage must have had their text available for the full ten days as well, without "
    "exception."
)


def titles(markdown: str) -> list[str]:
    return [i.title for i in parse_agenda(markdown, "a.md").items]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# --- non-agenda parts ---------------------------------------------------------------------------


def test_a_legend_table_is_skipped_not_a_reason_to_refuse() -> None:
    md = (
        "# Committee meeting\n\n## Legend\n\n| Emoji | Meaning |\n|:-:|---|\n"
        "| ⏱️ | Timeboxed |\n| 🔒 | Closed: members only |\n\n"
        "## Agenda\n\n- Welcome (5m)\n- Budget (20m) - Ana Ruiz\n"
    )
    parsed = parse_agenda(md, "a.md")
    assert [(i.title, i.minutes) for i in parsed.items] == [("Welcome", 5), ("Budget", 20)]


def test_rules_bullets_are_skipped_even_when_long() -> None:
    md = (
        "## Agenda topic rules\n\n"
        f"- {LONG_RULE}\n- Give each topic a timebox of at most 30m.\n\n"
        "## Agenda\n\n- Welcome (5m)\n- Close (5m)\n"
    )
    assert titles(md) == ["Welcome", "Close"]


def test_schedule_constraints_are_skipped() -> None:
    md = (
        "## Schedule constraints\n\n"
        "- Delegates from the Pacific cannot join before 11:00 on day 1.\n"
        "- Ingrid presents elsewhere on Wednesday afternoon (2h).\n\n"
        "## Agenda\n\n- Welcome (5m)\n- Reports (20m)\n"
    )
    assert titles(md) == ["Welcome", "Reports"]


def test_meeting_metadata_and_background_links_are_skipped() -> None:
    md = (
        "# Coalition meeting\n\n"
        "- **Host:** Safe Harbor Alliance\n"
        "- **Dates and times:** 10:00 to 17:30\n"
        "- **Location:** Justice Center, room 2\n"
        "- **Dial-in:** shared by email\n"
        "- **Attendee information:** register on the form\n"
        "- [Background paper](https://example.org/paper.pdf)\n\n"
        "## Agenda\n\n- Welcome (5m)\n- Hotline data (20m) - Ravi Menon\n"
    )
    parsed = parse_agenda(md, "a.md")
    assert [(i.title, i.minutes) for i in parsed.items] == [("Welcome", 5), ("Hotline data", 20)]
    assert sum(i.minutes or 0 for i in parsed.items) == 25


def test_a_document_with_no_agenda_says_so() -> None:
    md = "# Notes\n\n## Legend\n\n| Emoji | Meaning |\n|---|---|\n| 🔒 | closed |\n"
    with pytest.raises(AgendaImportError, match="no agenda found") as info:
        parse_agenda(md, "notes.md")
    assert "legend" in str(info.value)


# --- comments --------------------------------------------------------------------------------


COMMENTED = """\
# Agenda

1. Welcome (5m)
1. Task Group Reports <!-- 1. TG2: date library (5m) - Rin Sato -->
   1. TG1: schema registry (10m) - Joanna Pike
<!-- 1. Bonus training on the tracker (5m) -->
1. Close (5m)
"""


def test_commented_out_items_appear_nowhere(tmp_path: Path) -> None:
    parsed = parse_agenda(COMMENTED, "a.md")
    assert [(i.title, i.minutes) for i in parsed.items] == [
        ("Welcome", 5),
        ("Task Group Reports: TG1: schema registry", 10),
        ("Close", 5),
    ]
    small = small_workspace(tmp_path / "ws")
    import_agenda(small.ws, parsed, small.upcoming, now=NOW)
    for fmt in ("md", "html", "ics"):
        out = render_agenda(small.ws, small.upcoming, fmt).decode()
        assert "Bonus" not in out and "TG2" not in out and "<!--" not in out, fmt


# --- headings, sections, confidentiality -----------------------------------------------------


def test_a_timebox_in_a_section_heading_qualifies_the_heading() -> None:
    md = (
        "## Short (&le;30m) Timeboxed Discussions\n\n"
        "| Timebox | Topic | Presenter |\n|---|---|---|\n"
        "| 15m | Number formatting | Ada Lindqvist |\n| 20m | Duration literals | Marcus Bell |\n"
    )
    parsed = parse_agenda(md, "a.md")
    assert [(i.title, i.minutes, i.presenter) for i in parsed.items] == [
        ("Number formatting", 15, "Ada Lindqvist"),
        ("Duration literals", 20, "Marcus Bell"),
    ]


CASE_SECTION = """\
# Task force meeting

## Agenda

- Welcome (5m)
- Partner updates (15m)

## Case review

- Placement for the 16-year-old referred by the school (15m) - Mercy Adjei
  - Foster family found; court date on 3 April
- Hotline referral from the farm inspection (10m)
"""


def test_items_under_a_case_review_heading_are_confidential_case_reviews(tmp_path: Path) -> None:
    parsed = parse_agenda(CASE_SECTION, "a.md")
    cases = parsed.items[2:]
    assert [(i.kind, i.confidential) for i in cases] == [(ItemKind.CASE_REVIEW, True)] * 2
    assert not parsed.items[0].confidential
    small = small_workspace(tmp_path / "ws")
    import_agenda(small.ws, parsed, small.upcoming, now=NOW)
    for fmt in ("md", "html", "ics"):
        out = render_agenda(small.ws, small.upcoming, fmt).decode()
        assert "court date" not in out, fmt


def test_a_legend_marker_for_closed_items_is_honoured() -> None:
    md = (
        "| Emoji | Meaning |\n|---|---|\n| 🔒 | Restricted: members only |\n\n"
        "## Agenda\n\n| Timebox | Topic | Presenter |\n|---|---|---|\n"
        "| 10m | Data dashboard | Ravi Menon |\n| 20m | 🔒 Membership application | Chairs |\n"
    )
    parsed = parse_agenda(md, "a.md")
    assert [(i.title, i.confidential) for i in parsed.items] == [
        ("Data dashboard", False),
        ("🔒 Membership application", True),
    ]
    assert "🔒" in parsed.items[1].why_confidential


@pytest.mark.parametrize(
    "heading", ["Closed session", "Executive Session (board only)", "Confidential items"]
)
def test_closed_and_confidential_sections(heading: str) -> None:
    md = f"## Agenda\n\n- Welcome (5m)\n\n## {heading}\n\n- Staffing matter (20m)\n"
    item = parse_agenda(md, "a.md").items[1]
    assert item.confidential and item.kind is ItemKind.CASE_REVIEW


# --- kinds and the training slot -----------------------------------------------------------------


def test_kinds_come_from_the_whole_title_not_one_word() -> None:
    md = "- Law Enforcement Liaison: joint training calendar (5m)\n- Data & Evaluation (5m)\n"
    parsed = parse_agenda(md, "a.md")
    assert [i.kind for i in parsed.items] == [ItemKind.OTHER, ItemKind.OTHER]
    under = parse_agenda("## Report-backs\n\n" + md, "a.md")
    assert [i.kind for i in under.items] == [ItemKind.REPORT_BACKS, ItemKind.REPORT_BACKS]


def test_training_use_never_overwrites_a_report_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = small_workspace(tmp_path / "ws")
    with small.ws.transaction() as tx:
        tx.add(TrainingSnippet(id="trn-1", title="Debt bondage indicators", minutes=10))
    md = tmp_path / "agenda.md"
    md.write_text(
        "## Report-backs\n\n- Law Enforcement Liaison: joint training calendar (5m)\n"
        "- Data & Evaluation (5m)\n\n## Close\n\n- Close (5m)\n",
        "utf-8",
    )
    data, meeting = str(tmp_path / "ws"), small.upcoming
    assert run(capsys, "--data", data, "agenda", "import", str(md), "--meeting", meeting)[0] == 0
    code, out, _ = run(capsys, "--data", data, "agenda", "training", meeting, "--use", "best")
    assert code == 0 and "no training slot: added" in out
    items = small.ws.snapshot().bundle(small.upcoming).items
    got = [(i.title, i.kind) for i in sorted(items, key=lambda i: i.position)]
    assert got == [
        ("Law Enforcement Liaison: joint training calendar", ItemKind.REPORT_BACKS),
        ("Data & Evaluation", ItemKind.REPORT_BACKS),
        ("Training: Debt bondage indicators", ItemKind.TRAINING),
        ("Close", ItemKind.CLOSING),
    ]


def test_training_use_leaves_a_training_item_with_its_own_title(tmp_path: Path) -> None:
    """An item someone made a training item (an older import did) is not the slot."""
    from facilitate.agenda.planner import use_training

    small = small_workspace(tmp_path / "ws")
    with small.ws.transaction() as tx:
        tx.add(TrainingSnippet(id="trn-1", title="Debt bondage indicators", minutes=10))
        for old in tx.bundle(small.upcoming).items:
            tx.delete(old)
        tx.add(
            AgendaItem(
                meeting_id=small.upcoming,
                position=0,
                title="Law Enforcement Liaison: joint training calendar",
                kind=ItemKind.TRAINING,
                planned_minutes=5,
            )
        )
    use_training(small.ws, small.upcoming, None)
    titles = [i.title for i in small.ws.snapshot().bundle(small.upcoming).items]
    assert "Law Enforcement Liaison: joint training calendar" in titles
    assert "Training: Debt bondage indicators" in titles


# --- titles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title", "minutes"),
    [
        ("- Number formatting ([slides](https://e.org/s)) (15m)", "Number formatting", 15),
        (
            "- Errata ([spec](https://e.org/a), [slides](https://e.org/b)) (30m)",
            "Errata",
            30,
        ),
        ("- Streaming errata (spec, slides) (30m)", "Streaming errata", 30),
        ("- :hourglass: Duration literals (20m)", ":hourglass: Duration literals", 20),
        ("- Duration literals :hourglass: (20m)", "Duration literals :hourglass:", 20),
        ("- ~~Record~~Tuple equality (10m)", "Record Tuple equality", 10),
        ("- Summary of conclusions (15m on the last day)", "Summary of conclusions", 15),
        ("- 🎉 Launch party planning (10m)", "🎉 Launch party planning", 10),
    ],
)
def test_titles_are_cleaned_as_written(line: str, title: str, minutes: int) -> None:
    item = parse_agenda(line, "a.md").items[0]
    assert (item.title, item.minutes) == (title, minutes)


def test_a_conditional_duration_is_kept_in_the_notes() -> None:
    item = parse_agenda("- Summary of conclusions (15m on the last day)\n", "a.md").items[0]
    assert "15m on the last day" in item.notes


def test_over_long_text_becomes_a_note_with_a_warning() -> None:
    parsed = parse_agenda(f"- Welcome (5m)\n- {LONG_RULE} (10m)\n", "a.md")
    item = parsed.items[1]
    assert len(item.title) <= 130 and item.title.endswith("…")
    assert LONG_RULE in item.notes and item.minutes == 10
    assert parsed.warnings and "line 2" in parsed.warnings[0]


def test_a_legend_that_gives_the_lock_another_meaning_is_honoured_too() -> None:
    """In some committees' keys 🔒 means "schedule constraints apply": not confidential."""
    md = (
        "## Agenda key\n\n| Emoji | Meaning |\n|---|---|\n"
        "| 🔒 | schedule constraints apply to this item |\n\n"
        "## Agenda items\n\n- 🔒 Observables API (45m) - Dominic Farol\n"
    )
    assert not parse_agenda(md, "a.md").items[0].confidential
    without_key = parse_agenda("- 🔒 Observables API (45m) - Dominic Farol\n", "a.md")
    item = without_key.items[0]
    assert item.confidential and item.why_confidential.startswith("in doubt")


def test_rows_of_a_table_inside_a_list_item_are_items_of_their_own() -> None:
    md = (
        "1. Adoption of the agenda\n"
        "1. Proposals\n\n"
        "    | stage | timebox | topic | presenter |\n"
        "    |:-:|:-:|---|---|\n"
        "    | 3 | 20m | [Import attributes](https://e.org/i) for stage 4 "
        "(https://e.org/pr/1, https://e.org/pr/2) | Nia Roberts |\n"
        "1. Adjournment\n"
    )
    parsed = parse_agenda(md, "a.md")
    assert [(i.title, i.minutes, i.presenter) for i in parsed.items] == [
        ("Adoption of the agenda", None, ""),
        ("Import attributes for stage 4", 20, "Nia Roberts"),
        ("Adjournment", None, ""),
    ]
    assert "stage: 3" in parsed.items[1].notes and "https://e.org/pr/2" in parsed.items[1].notes


def test_a_duration_between_two_dashes_leaves_one_separator() -> None:
    item = parse_agenda("* Holy Week planning – 25 minutes – Deacon Paul Mensah\n").items[0]
    assert (item.title, item.minutes, item.presenter) == (
        "Holy Week planning",
        25,
        "Deacon Paul Mensah",
    )


def test_a_timebox_cell_saying_as_needed_is_no_duration_not_an_error() -> None:
    md = (
        "| Item | Duration | Lead |\n|---|---|---|\n| Call to Order | 5 min | Chair |\n"
        "| Executive Session | As needed | Chair |\n| Adjournment | 5 min | Chair |\n"
    )
    parsed = parse_agenda(md, "a.md")
    assert [(i.title, i.minutes) for i in parsed.items] == [
        ("Call to Order", 5),
        ("Executive Session", None),
        ("Adjournment", 5),
    ]
    assert parsed.items[1].confidential  # a closed session by its own title


def test_text_over_the_notes_limit_is_cut_with_a_warning_not_refused(tmp_path: Path) -> None:
    body = "\n".join(f"  - background point {n}: " + "words " * 20 for n in range(1200))
    parsed = parse_agenda(f"- Welcome (5m)\n- Long briefing (30m)\n{body}\n", "a.md")
    assert len(parsed.items[1].notes) <= 100_000
    assert any("only the first 100,000" in w for w in parsed.warnings)
    small = small_workspace(tmp_path / "ws")
    import_agenda(small.ws, parsed, small.upcoming, now=NOW)  # not refused


def test_plain_lines_without_times_are_read_when_nothing_else_is_an_agenda() -> None:
    text = (
        "Staff meeting agenda\nTuesday 3 March, room 4\n\n"
        "Welcome and check-in\nBudget review\nVolunteer rota for the spring fair\n"
        "Any other business\n\nPlease send apologies to Maria.\n"
    )
    parsed = parse_agenda(text, "plain.txt")
    assert [(i.title, i.minutes) for i in parsed.items] == [
        ("Welcome and check-in", None),
        ("Budget review", None),
        ("Volunteer rota for the spring fair", None),
        ("Any other business", None),
    ]
    assert parsed.warnings and "each short line was read as an item" in parsed.warnings[0]
