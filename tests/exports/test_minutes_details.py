"""Minutes details: attendance order, members-only feedback comments, organization lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate.minutes.export import render_minutes
from facilitate.minutes.model import gather_minutes
from facilitate.storage.workspace import Workspace
from tests.agenda.builders import last_ended

COMMENT = "The coordinated-interview decision will spare a young person"


def test_attendance_is_sorted_by_organization_then_name_guests_last(sample_ws: Workspace) -> None:
    data = gather_minutes(sample_ws.snapshot(), "mtg-2026-11")
    rows = data.attendance
    members = [r for r in rows if not r.guest]
    guests = [r for r in rows if r.guest]
    assert guests and rows[-len(guests) :] == guests
    keys = [(r.organization.casefold(), r.name.casefold()) for r in members]
    assert keys == sorted(keys)
    assert [r.name.casefold() for r in guests] == sorted(r.name.casefold() for r in guests)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_feedback_comments_are_members_only(sample_ws: Workspace, fmt: str) -> None:
    meeting = last_ended(sample_ws)
    redacted = render_minutes(sample_ws, meeting.id, fmt).decode()
    full = render_minutes(sample_ws, meeting.id, fmt, True).decode()
    assert COMMENT not in redacted
    assert "withheld from this version (members only)" in redacted
    assert "average rating" in redacted  # ratings still summarised
    assert COMMENT in full
    assert "withheld from this version" not in full


def test_organization_lists_never_use_commas(sample_ws: Workspace) -> None:
    """'State Bureau of Investigation, Harbor Valley District' is one organization."""
    text = render_minutes(sample_ws, last_ended(sample_ws).id, "md").decode()
    for label in ("**Organizations represented:**", "**Expected organizations absent:**"):
        line = next(x for x in text.splitlines() if x.startswith(label))
        names = line.split(":**", 1)[1].split(":", 1)[-1]
        assert ", Harbor Valley District" not in names.replace(
            "State Bureau of Investigation, Harbor Valley District", ""
        )
    roll_call = Path(__file__).resolve().parents[2] / "src/facilitate/ui/screens/roll_call.py"
    assert '", ".join(s.missing_organizations' not in roll_call.read_text()


def test_word_footer_has_page_numbers_and_the_workspace_name(sample_ws: Workspace) -> None:
    from facilitate.minutes.docx import read_docx_footers, read_docx_text

    meeting = last_ended(sample_ws)
    name = sample_ws.snapshot().profile().name
    texts, codes = read_docx_footers(render_minutes(sample_ws, meeting.id, "docx"))
    assert any(name in t and "Page" in t for t in texts)
    assert codes == ["PAGE", "NUMPAGES"]
    assert not any("CONFIDENTIAL" in t for t in texts)

    data = render_minutes(sample_ws, meeting.id, "docx", True)
    texts, _ = read_docx_footers(data)
    _, _, headers = read_docx_text(data)
    assert "CONFIDENTIAL: members only" in texts  # footer of every page
    assert "CONFIDENTIAL: members only" in headers  # header of every page


def test_html_print_css_repeats_the_banner_on_every_page(sample_ws: Workspace) -> None:
    meeting = last_ended(sample_ws)
    full = render_minutes(sample_ws, meeting.id, "html", True).decode()
    style = full.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "@top-center" in style and "@bottom-center" in style
    assert style.count("CONFIDENTIAL") == 2
    redacted = render_minutes(sample_ws, meeting.id, "html").decode()
    assert "@top-center" not in redacted


def test_print_banner_css_cannot_escape_its_string() -> None:
    from facilitate.minutes.blocks import print_banner_css

    css = print_banner_css('x"; } </style><script>alert(1)</script> \\')
    assert "</style>" not in css and "<" not in css and '"; }' not in css
