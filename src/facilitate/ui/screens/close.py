"""Close: feedback, the next meeting date, end, and a summary with export keys."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ...domain.common import FacilitateError, counted
from ...domain.meeting import MeetingStatus, average_rating
from ...domain.timer import fmt_mmss
from ...services.live import LiveMeeting
from ..commands import CLOSE, CLOSE_HELP_AT, bindings
from ..redraw import SteadyFooter
from ..safe_text import SafeTitles, one_line, safe


def free_path(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``... so an export never replaces a file."""
    candidate, n = path, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


class CloseScreen(SafeTitles, Screen[bool]):
    CSS_PATH = "meeting.tcss"  # parsed when first shown (see app.tcss)
    COMMAND_TABLE = CLOSE
    BINDINGS = bindings(CLOSE, help_at=CLOSE_HELP_AT)

    def __init__(self, live: LiveMeeting, export_dir: Path | None = None) -> None:
        super().__init__()
        self.live = live
        self.export_dir = export_dir or Path.cwd()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="close-body"):
            yield Static(id="close-summary")
        yield SteadyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_summary()

    def refresh_summary(self) -> None:
        bundle = self.live.load()
        m = bundle.meeting
        now = self.live.now()
        lines = [f"{one_line(m.title)}  ({m.status.value})", ""]
        lines.append(f"{'Item':<40} {'Plan':>5} {'Used':>8}")
        total_plan = total_used = 0.0
        for item in bundle.items:
            used = item.elapsed_seconds(now)
            total_plan += 0 if item.deferred else item.planned_minutes
            total_used += used
            flag = " (moved to next meeting)" if item.deferred else ""
            lines.append(
                f"{one_line(item.title, 40):<40} {item.planned_minutes:>5} "
                f"{fmt_mmss(used):>8}{flag}"
            )
        diff = total_used / 60 - total_plan
        lines.append(
            f"{'Total':<40} {int(total_plan):>5} {fmt_mmss(total_used):>8}  "
            + (f"over by {diff:.0f} min" if diff > 0.5 else f"under by {-diff:.0f} min")
        )
        lines.append("")
        lines.append(f"Decisions: {len(bundle.decisions)}")
        for d in bundle.decisions:
            lines.append(f"  - {one_line(d.text, 70)}")
        lines.append(f"Actions: {len(bundle.actions)}")
        for a in bundle.actions:
            lines.append(f"  - {one_line(a.text, 56)} ({a.due_label()})")
        avg = average_rating(bundle.feedback)
        lines.append(
            f"Feedback: {counted(len(bundle.feedback), 'entry', 'entries')}"
            + (f", average {avg}/5" if avg is not None else "")
        )
        if m.next_meeting_start:
            lines.append(
                f"Next meeting: {m.local(m.next_meeting_start).format('ddd D MMM YYYY HH:mm')}"
            )
        if m.status is MeetingStatus.ENDED:
            lines.append("")
            lines.append("Meeting ended. Export minutes: m Markdown, h HTML, w Word. Esc: home.")
        else:
            lines.append("")
            lines.append(
                "f: add feedback   N: set the next meeting date   E (shift+e): end the meeting"
            )
        self.query_one("#close-summary", Static).update(safe("\n".join(lines)))

    def action_feedback(self) -> None:
        from .dialogs import FeedbackForm

        self.app.push_screen(FeedbackForm(self.live), lambda _: self.refresh_summary())

    def action_next_date(self) -> None:
        from .dialogs import NextMeetingForm

        self.app.push_screen(NextMeetingForm(self.live), lambda _: self.refresh_summary())

    def action_end_meeting(self) -> None:
        try:
            self.live.end()
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self.notify("Meeting ended. Everything is saved.", timeout=3)
        try:
            planned = self.live.plan_next_meeting()
        except FacilitateError as exc:  # e.g. another meeting takes that date
            self.app.report(exc)  # type: ignore[attr-defined]
            planned = None
        if planned is not None:
            when = planned.local(planned.start).format("ddd D MMM YYYY, HH:mm")
            self.notify(
                f"Next meeting created: {when}, with the standard agenda.",
                markup=False,
                timeout=5,
            )
        self.refresh_summary()

    def action_export(self, fmt: str) -> None:
        self.export_minutes(fmt)

    @work(thread=True, exclusive=True)
    def export_minutes(self, fmt: str) -> None:
        try:
            from ...minutes.export import default_filename, render_minutes
            from ...services.output import write_export

            data = render_minutes(
                self.live.ws, self.live.meeting_id, fmt, include_confidential=False
            )
            target = free_path(
                self.export_dir / default_filename(self.live.ws, self.live.meeting_id, fmt)
            )
            write_export(target, data, force=False)
        except (FacilitateError, ImportError, OSError) as exc:
            self.app.call_from_thread(self.app.report, exc)  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(
            self.notify, f"Minutes written to {target} (confidential items redacted)", markup=False
        )

    def action_back(self) -> None:
        ended = self.live.load().meeting.status is MeetingStatus.ENDED
        self.dismiss(ended)
