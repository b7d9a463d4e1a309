"""Golden files for the sample's most recent ended meeting, redacted and confidential.

Regenerate after an intended change with:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/exports
"""

from __future__ import annotations

import pytest

from facilitate.minutes.docx import read_docx_text
from facilitate.minutes.export import render_minutes
from facilitate.minutes.model import BANNER, REDACTED
from facilitate.storage.workspace import Workspace
from tests.agenda.builders import last_ended
from tests.exports.helpers import check_golden, docx_golden_text, parse_html

VARIANTS = [(False, "redacted"), (True, "confidential")]


@pytest.mark.parametrize(("include", "label"), VARIANTS)
def test_markdown_golden(sample_ws: Workspace, include: bool, label: str) -> None:
    meeting = last_ended(sample_ws)
    text = render_minutes(sample_ws, meeting.id, "md", include).decode()
    check_golden(f"minutes-sample-{label}.md", text)


@pytest.mark.parametrize(("include", "label"), VARIANTS)
def test_html_golden(sample_ws: Workspace, include: bool, label: str) -> None:
    meeting = last_ended(sample_ws)
    text = render_minutes(sample_ws, meeting.id, "html", include).decode()
    check_golden(f"minutes-sample-{label}.html", text)


@pytest.mark.parametrize(("include", "label"), VARIANTS)
def test_docx_golden(sample_ws: Workspace, include: bool, label: str) -> None:
    meeting = last_ended(sample_ws)
    data = render_minutes(sample_ws, meeting.id, "docx", include)
    check_golden(f"minutes-sample-{label}.docx.json", docx_golden_text(data))


def test_rendering_is_deterministic(sample_ws: Workspace) -> None:
    meeting = last_ended(sample_ws)
    for fmt in ("md", "html"):
        assert render_minutes(sample_ws, meeting.id, fmt) == render_minutes(
            sample_ws, meeting.id, fmt
        )


def test_sample_minutes_contain_every_section(sample_ws: Workspace) -> None:
    meeting = last_ended(sample_ws)
    text = render_minutes(sample_ws, meeting.id, "md").decode()
    for heading in (
        "## Attendance",
        "## Agenda",
        "## Notes",
        "## Decisions",
        "## Action items",
        "## Report-backs received",
        "## Training delivered",
        "## Feedback",
        "## Next meeting",
        "## Confidentiality and data protection",
    ):
        assert heading in text
    assert "**Minutes:** Draft, not yet approved" in text
    assert "(America/Chicago)" in text.replace("\\_", "_")
    assert "**Quorum:** met" in text
    assert "Vote: 16 for, 3 against, 2 abstaining; carried." in text
    assert "**Total:** planned" in text and "min over" in text
    assert "Thursday 10 December 2026" in text


def test_docx_structure(sample_ws: Workspace) -> None:
    meeting = last_ended(sample_ws)
    paragraphs, tables, headers = read_docx_text(
        render_minutes(sample_ws, meeting.id, "docx", include_confidential=False)
    )
    assert paragraphs[0] == f"Minutes: {meeting.title}"
    assert "Attendance" in paragraphs and "Action items" in paragraphs
    attendance, agenda, airtime, actions = tables[0], tables[1], tables[2], tables[3]
    assert attendance[0] == ["Name", "Role", "Organization", "Status"]
    assert agenda[0] == ["#", "Item", "Presenter", "Planned min", "Actual min", "Difference"]
    # Redacted: airtime by sector totals only (no organizations column).
    assert airtime[0] == ["Sector", "Time (m:ss)", "Share"]
    assert actions[0] == ["Action", "Owner", "Subcommittee", "Report back", "Status"]
    assert any(REDACTED in cell for row in actions for cell in row)
    assert BANNER not in "\n".join(paragraphs + headers)


def test_confidential_banner_in_every_format(sample_ws: Workspace) -> None:
    meeting = last_ended(sample_ws)
    md = render_minutes(sample_ws, meeting.id, "md", True).decode()
    assert md.startswith(f"> **{BANNER}**")
    html = render_minutes(sample_ws, meeting.id, "html", True).decode()
    banners = [t for t in parse_html(html).tags if t[0] == "div" and ("class", "banner") in t[1]]
    assert banners and BANNER in html
    paragraphs, _, headers = read_docx_text(render_minutes(sample_ws, meeting.id, "docx", True))
    assert paragraphs[0] == BANNER
    assert headers == [BANNER]
    assert REDACTED not in md
