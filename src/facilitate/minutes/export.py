"""Minutes export: the service the CLI and the TUI close screen call.

render_minutes(ws_or_tx, meeting_id, "md" | "html" | "docx", include_confidential) -> bytes
suggested_filename(meeting, fmt, include_confidential) -> str
"""

from __future__ import annotations

import re
import unicodedata

from pendulum import DateTime

from ..domain.common import FacilitateError, counted
from ..domain.meeting import Meeting, MeetingStatus, MinutesStatus
from ..domain.timer import fmt_mmss
from ..storage.workspace import Transaction, Workspace
from .blocks import (
    Banner,
    Block,
    BulletList,
    Document,
    Heading,
    Paragraph,
    Run,
    Table,
    to_html,
    to_markdown,
)
from .model import BANNER, DASH, MinutesData, fmt_minutes_diff, gather_minutes

FORMATS = ("md", "html", "docx")
EXTENSIONS = {"md": "md", "html": "html", "docx": "docx", "ics": "ics"}


def check_format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    value = (fmt or "").strip().lower()
    if value == "markdown":
        value = "md"
    if value not in allowed:
        raise FacilitateError(f"Unknown format {fmt!r}: use one of {', '.join(allowed)}.")
    return value


def transaction_of(source: Workspace | Transaction) -> Transaction:
    return source.snapshot() if isinstance(source, Workspace) else source


def render_minutes(
    source: Workspace | Transaction,
    meeting_id: str,
    fmt: str,
    include_confidential: bool = False,
    *,
    now: DateTime | None = None,
) -> bytes:
    """The minutes of a meeting as bytes in ``fmt`` (md, html or docx).

    Confidential items are redacted unless ``include_confidential``; then every format carries
    the "CONFIDENTIAL: members only" banner. ``now`` only matters for a meeting still running.
    """
    fmt = check_format(fmt)
    data = gather_minutes(
        transaction_of(source), meeting_id, include_confidential=include_confidential, now=now
    )
    doc = minutes_document(data)
    if fmt == "md":
        return to_markdown(doc).encode("utf-8")
    if fmt == "html":
        return to_html(doc).encode("utf-8")
    from .docx import to_docx

    return to_docx(doc, created=data.start)


def slug(text: str, max_len: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = "-".join(words)[:max_len].strip("-")
    return out or "meeting"


def suggested_filename(meeting: Meeting, fmt: str, include_confidential: bool = False) -> str:
    """A file name such as ``minutes-2026-11-12-monthly-task-force-meeting.md``."""
    ext = EXTENSIONS[check_format(fmt, ("md", "html", "docx", "ics"))]
    day = meeting.local(meeting.start).format("YYYY-MM-DD")
    marker = "-CONFIDENTIAL" if include_confidential else ""
    return f"minutes-{day}-{slug(meeting.title)}{marker}.{ext}"


def default_filename(
    source: Workspace | Transaction, meeting_id: str, fmt: str, include_confidential: bool = False
) -> str:
    """``suggested_filename`` for a meeting given by id (what the TUI close screen uses)."""
    meeting = transaction_of(source).get(Meeting, meeting_id)
    return suggested_filename(meeting, fmt, include_confidential)


# --- the document -----------------------------------------------------------------------------


def _minutes_status_text(data: MinutesData) -> str:
    if data.minutes_status is MinutesStatus.APPROVED:
        return f"Approved on {data.approved_on}" if data.approved_on else "Approved"
    return "Draft, not yet approved"


def minutes_document(data: MinutesData) -> Document:
    blocks: list[Block] = []
    if data.include_confidential:
        blocks.append(Banner(BANNER))
    blocks.append(Heading(f"Minutes: {data.title}", 1))
    blocks.append(Paragraph.of(Run(data.collaborative, italic=True)))
    blocks.append(Paragraph.field("Date", data.day))
    blocks.append(Paragraph.field("Time", f"{data.time} ({data.timezone})"))
    if data.location:
        blocks.append(Paragraph.field("Location", data.location))
    blocks.append(Paragraph.field("Facilitator", data.facilitator or DASH))
    blocks.append(Paragraph.field("Note-taker", data.note_taker or DASH))
    blocks.append(Paragraph.field("Minutes", _minutes_status_text(data)))
    if data.corrections:
        blocks.append(Paragraph.field("Corrections at approval", data.corrections))
    if data.meeting_status is MeetingStatus.PLANNED:
        blocks.append(Paragraph.of(Run("This meeting has not been held yet.", italic=True)))
    if data.has_confidential and not data.include_confidential:
        blocks.append(
            Paragraph.of(
                Run(
                    "Confidential items are listed by title only: their notes, decisions and "
                    "actions are withheld from this version of the minutes.",
                    italic=True,
                )
            )
        )

    blocks += _attendance(data)
    blocks += _agenda(data)
    blocks += _notes(data)
    blocks += _airtime(data)
    blocks += _decisions(data)
    blocks += _actions(data)
    blocks += _report_backs(data)
    blocks += _training(data)
    blocks += _feedback(data)

    blocks.append(Heading("Next meeting", 2))
    blocks.append(Paragraph.of(data.next_meeting[:1].upper() + data.next_meeting[1:] + "."))

    blocks.append(Heading("Confidentiality and data protection", 2))
    blocks.append(Paragraph.of(data.confidentiality_statement))
    if data.data_protection_statement.strip():
        blocks.append(Paragraph.of(data.data_protection_statement))
    if data.include_confidential:
        blocks.append(Banner(BANNER))
    return Document(
        title=f"Minutes: {data.title}",
        blocks=tuple(blocks),
        confidential=data.include_confidential,
        banner=BANNER,
        footer=data.collaborative,
    )


def _attendance(data: MinutesData) -> list[Block]:
    out: list[Block] = [Heading("Attendance", 2)]
    if not data.attendance:
        out.append(Paragraph.of("No attendance was recorded."))
        return out
    out.append(
        Table(
            ("Name", "Role", "Organization", "Status"),
            tuple((a.name, a.role, a.organization, a.status) for a in data.attendance),
        )
    )
    s = data.summary
    guests = sum(1 for a in data.attendance if a.guest and a.attending)
    members = s.present - guests
    present = f"{members} of {s.expected} expected members"
    if guests:
        present += f", and {guests} guest{'s' if guests != 1 else ''}"
    if s.left_early:
        present += f" ({s.left_early} left early)"
    out.append(Paragraph.field("Present", present))
    # Guests' employers are not member organizations: never listed as represented.
    out.append(
        Paragraph.field(
            "Organizations represented",
            f"{len(s.organizations)}: " + "; ".join(s.organizations) if s.organizations else "none",
        )
    )
    out.append(
        Paragraph.field(
            "Sectors represented", ", ".join(x.label for x in s.sectors) if s.sectors else "none"
        )
    )
    out.append(
        Paragraph.field(
            "Expected organizations absent",
            "; ".join(s.missing_organizations) if s.missing_organizations else "none",
        )
    )
    quorum = (
        f"{'met' if s.quorum_met else 'not met'}: {s.member_organizations} of "
        f"{data.member_organizations} member organizations represented, "
        f"{s.quorum_required} required ({data.quorum_rule})"
    )
    end = data.closing
    if end.member_organizations != s.member_organizations:
        # People left: the quorum as it stood at the close (each vote says its own room).
        quorum += (
            f"; at the close {'met' if end.quorum_met else 'not met'}: "
            f"{end.member_organizations} represented"
        )
    out.append(Paragraph.field("Quorum", quorum))
    if data.stepped_out:
        out.append(Paragraph.field("Stepped out for case review", "; ".join(data.stepped_out)))
    if data.reconstructed_on:
        out.append(
            Paragraph.of(
                Run(
                    "This meeting ended before its record was kept: the organizations expected "
                    f"and the quorum were reconstructed on {data.reconstructed_on} from the "
                    "roster as it stood then.",
                    italic=True,
                )
            )
        )
    return out


def _agenda(data: MinutesData) -> list[Block]:
    out: list[Block] = [Heading("Agenda", 2)]
    if not data.items:
        out.append(Paragraph.of("No agenda was recorded."))
        return out
    rows = []
    for item in data.items:
        title = item.title + (" (confidential)" if item.confidential else "")
        if item.deferred:
            actual, diff = DASH, "moved to next meeting"
        elif item.actual is None:
            actual, diff = DASH, item.state if item.state != "planned" else ""
        else:
            actual, diff = str(item.actual), _signed(item.actual - item.planned)
        rows.append(
            (str(item.number), title, item.presenter or DASH, str(item.planned), actual, diff)
        )
    out.append(
        Table(
            ("#", "Item", "Presenter", "Planned min", "Actual min", "Difference"),
            tuple(rows),
            numeric=frozenset({0, 3, 4}),
        )
    )
    if data.any_started:
        total = (
            f"planned {data.planned_total} min, actual {data.actual_total} min "
            f"({fmt_minutes_diff(data.actual_total - data.planned_total)})"
        )
    else:
        slot = int((data.end - data.start).total_seconds() // 60)
        total = f"planned {data.planned_total} min of a {slot}-min slot"
    out.append(Paragraph.field("Total", total))
    if data.session:
        out.append(Paragraph.of(data.session))
    return out


def _signed(delta: int) -> str:
    return f"+{delta}" if delta > 0 else ("0" if delta == 0 else f"−{-delta}")


def _notes(data: MinutesData) -> list[Block]:
    out: list[Block] = [Heading("Notes", 2)]
    noted = [i for i in data.items if i.notes or i.spoke]
    if not noted:
        out.append(Paragraph.of("No notes were taken."))
        return out
    for item in noted:
        title = f"{item.number}. {item.title}" + (" (confidential)" if item.confidential else "")
        out.append(Heading(title, 3))
        if item.spoke:
            out.append(Paragraph.field("Who spoke", "; ".join(item.spoke)))
        if item.notes:
            out.append(Paragraph.of(Run(item.notes, italic=item.redacted)))
    return out


def _airtime(data: MinutesData) -> list[Block]:
    """Time on the floor by sector (only when someone had a timed turn): with the
    organizations in each sector in the members-only minutes, sector totals only otherwise."""
    if not data.airtime:
        return []
    out: list[Block] = [Heading("Airtime by sector", 2)]
    members = data.include_confidential
    rows = []
    for row in data.airtime:
        cells = [row.sector, fmt_mmss(row.seconds), f"{row.share:.0%}"]
        if members:
            cells.append("; ".join(f"{org} {fmt_mmss(sec)}" for org, sec in row.organizations))
        rows.append(tuple(cells))
    header = ("Sector", "Time (m:ss)", "Share") + (("Organizations",) if members else ())
    out.append(Table(header, tuple(rows), numeric=frozenset({1, 2})))
    out.append(
        Paragraph.field(
            "Total", f"{fmt_mmss(data.airtime_total)} spoken in the speakers' queue and rounds"
        )
    )
    if not members:
        out.append(
            Paragraph.of(
                Run(
                    "Sector totals only: who spoke in each sector is in the members-only minutes.",
                    italic=True,
                )
            )
        )
    return out


def _decisions(data: MinutesData) -> list[Block]:
    out: list[Block] = [Heading("Decisions", 2)]
    if not data.decisions:
        out.append(Paragraph.of("No decisions were recorded."))
        return out
    entries = []
    for d in data.decisions:
        runs = [Run(f"{d.item_title}:", bold=True), Run(f" {d.text}", italic=d.redacted)]
        if d.method:
            runs.append(Run(f" ({d.method}.)"))
        if d.dissent:
            runs.append(Run("\nDissent: ", bold=True))
            runs.append(Run(d.dissent))
        entries.append(Paragraph(tuple(runs)))
    out.append(BulletList(tuple(entries)))
    return out


def _actions(data: MinutesData) -> list[Block]:
    out: list[Block] = [Heading("Action items", 2)]
    if not data.actions:
        out.append(Paragraph.of("No actions were raised."))
        return out
    rows = tuple(
        (
            f"{a.item_title}: {a.text}" if a.redacted else a.text,
            a.owner,
            a.subcommittee,
            a.due,
            a.status,
        )
        for a in data.actions
    )
    out.append(Table(("Action", "Owner", "Subcommittee", "Report back", "Status"), rows))
    return out


def _report_backs(data: MinutesData) -> list[Block]:
    out: list[Block] = [Heading("Report-backs received", 2)]
    if not data.report_backs:
        out.append(Paragraph.of("No report-backs on earlier actions were due."))
        return out
    rows = tuple(
        (r.text, r.owner, r.subcommittee, r.raised, r.status, r.report) for r in data.report_backs
    )
    out.append(Table(("Action", "Owner", "Subcommittee", "Raised", "Status", "Report"), rows))
    return out


def _training(data: MinutesData) -> list[Block]:
    out: list[Block] = [Heading("Training delivered", 2)]
    if not data.training:
        out.append(Paragraph.of("No training was scheduled."))
        return out
    entries = []
    for t in data.training:
        runs = [Run(t.title, bold=True)]
        if t.topic:
            runs.append(Run(f" ({t.topic})"))
        details = []
        if t.presenter:
            details.append(t.presenter)
        if t.delivered and t.actual is not None:
            details.append(f"{t.actual} min (planned {t.planned})")
        elif t.delivered:
            details.append(f"delivered, planned {t.planned} min")
        elif data.meeting_status is MeetingStatus.ENDED:
            details.append("not delivered")
        else:
            details.append(f"planned {t.planned} min")
        runs.append(Run(": " + ", ".join(details)))
        entries.append(Paragraph(tuple(runs)))
    out.append(BulletList(tuple(entries)))
    return out


def _feedback(data: MinutesData) -> list[Block]:
    out: list[Block] = [Heading("Feedback", 2)]
    if not data.feedback_count:
        out.append(Paragraph.of("No feedback was collected."))
        return out
    if data.feedback_average is not None:
        summary = (
            f"average rating {data.feedback_average:.1f} of 5 from "
            f"{counted(data.feedback_rated, 'rating')} "
            f"({counted(data.feedback_count, 'response')})"
        )
    else:
        summary = f"{counted(data.feedback_count, 'response')}, no ratings"
    out.append(Paragraph.field("Summary", summary))
    if data.feedback_comments:
        out.append(Paragraph.of(Run("Comments:", bold=True)))
        out.append(BulletList(tuple(Paragraph.of(c) for c in data.feedback_comments)))
    if data.feedback_comments_withheld:
        n = data.feedback_comments_withheld
        out.append(
            Paragraph.of(
                Run(
                    f"{counted(n, 'comment')} withheld from this version (members only).",
                    italic=True,
                )
            )
        )
    return out
