"""Close: feedback, the next meeting date, end, and a summary with export keys."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from ...domain.common import FacilitateError, ValidationError, parse_date
from ...domain.meeting import MeetingStatus, average_rating
from ...domain.timer import fmt_mmss
from ...services.live import LiveMeeting, today_in
from ..commands import CLOSE, bindings
from ..safe_text import one_line, safe


class CloseScreen(Screen[bool]):
    COMMAND_TABLE = CLOSE
    BINDINGS = bindings(CLOSE)

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="close-body"):
            yield Static(id="close-summary")
            with Vertical(classes="box", id="feedback-box"):
                yield Static("Feedback (f saves): rating 1-5 and/or a comment", classes="hint")
                with Horizontal(id="feedback-row"):
                    yield Input(placeholder="Rating", id="fb-rating", type="integer", max_length=1)
                    yield Input(placeholder="Who (empty: the room)", id="fb-who")
                yield Input(placeholder="Comment", id="fb-comment")
            with Vertical(classes="box", id="next-box"):
                yield Static("Next meeting (N saves): a date, or 'in 4 weeks'", classes="hint")
                yield Input(id="next-date")
        yield Footer()

    def on_mount(self) -> None:
        bundle = self.live.load()
        m = bundle.meeting
        profile = self.live.ws.snapshot().profile()
        cadence = profile.cadence
        base = m.local(m.next_meeting_start) if m.next_meeting_start else m.local(m.start).add(
            **{cadence.unit.value: cadence.every}
        )
        self.query_one("#next-date", Input).value = base.to_date_string()
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
                f"{one_line(item.title, 40):<40} {item.planned_minutes:>5} {fmt_mmss(used):>8}{flag}"
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
            f"Feedback: {len(bundle.feedback)} entries"
            + (f", average {avg}/5" if avg is not None else "")
        )
        if m.next_meeting_start:
            lines.append(f"Next meeting: {m.local(m.next_meeting_start).format('ddd D MMM YYYY HH:mm')}")
        if m.status is MeetingStatus.ENDED:
            lines.append("")
            lines.append("Meeting ended. Export minutes: m Markdown, h HTML, w Word. Esc: home.")
        else:
            lines.append("")
            lines.append("E (shift+e) ends the meeting.")
        self.query_one("#close-summary", Static).update(safe("\n".join(lines)))

    def action_feedback(self) -> None:
        rating_text = self.query_one("#fb-rating", Input).value.strip()
        try:
            rating = int(rating_text) if rating_text else None
            if rating_text and not rating_text.isdigit():
                raise ValidationError("Rating must be 1-5.")
            self.live.add_feedback(
                self.query_one("#fb-who", Input).value,
                rating,
                self.query_one("#fb-comment", Input).value,
            )
        except (FacilitateError, ValueError) as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        for selector in ("#fb-rating", "#fb-who", "#fb-comment"):
            self.query_one(selector, Input).value = ""
        self.notify("Feedback saved.", timeout=2)
        self.refresh_summary()

    def action_next_date(self) -> None:
        m = self.live.load().meeting
        try:
            day = parse_date(self.query_one("#next-date", Input).value, today=today_in(m, self.live.now()))
            local_start = m.local(m.start)
            start = local_start.set(year=day.year, month=day.month, day=day.day)
            self.live.set_next_meeting(start)
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self.notify(f"Next meeting set: {day}", timeout=2)
        self.refresh_summary()

    def action_end_meeting(self) -> None:
        try:
            self.live.end()
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self.notify("Meeting ended. Everything is saved.", timeout=3)
        self.refresh_summary()

    def action_export(self, fmt: str) -> None:
        self.export_minutes(fmt)

    @work(thread=True, exclusive=True)
    def export_minutes(self, fmt: str) -> None:
        try:
            from ...minutes.export import default_filename, render_minutes
            from ...services.output import write_export

            data = render_minutes(self.live.ws, self.live.meeting_id, fmt, include_confidential=False)
            target = Path.cwd() / default_filename(self.live.ws, self.live.meeting_id, fmt)
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
