"""History: every meeting, search across meetings, trends; and a read-only meeting view.

The workspace is read once when the screen opens (Ctrl+R reloads). Searching filters an
in-memory index as you type. Confidential notes (and decisions and actions under confidential
items) are left out of search and shown withheld until unlocked for the session with ``u``.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    DataTable,
    Header,
    Input,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.data_table import ColumnKey

from ...domain.actions import ActionStatus
from ...domain.common import FacilitateError, counted
from ...domain.meeting import MeetingStatus, summarize_attendance
from ...domain.roster import Roster
from ...domain.timer import fmt_mmss
from ...domain.trend_bars import trend_line
from ...domain.trends import MeetingSummary, Series, bar
from ...storage.workspace import MeetingBundle
from ...tracker.history import HistoryData, load_history
from ...tracker.loading import under_confidential
from ...tracker.search import SearchHit, parse_query, snippet
from ..commands import HISTORY, MEETING_DETAIL, bindings
from ..redraw import SteadyFooter
from ..safe_text import SafeTitles, labelled, one_line, plain
from ..tables import FixedTable
from .tracker_dialogs import fapp, set_columns
from .unlock import ConfidentialMarker, confidential_unlocked, toggle_unlock

TABS = ("meetings", "search", "trends")
SEARCH_DELAY = 0.15  # seconds after the last keystroke
MAX_RESULTS = 200
WITHHELD_NOTES = "(confidential notes withheld: u unlocks)"


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if digits else str(round(value))


class HistoryScreen(SafeTitles, Screen[None]):
    CSS_PATH = "between.tcss"  # parsed when first shown (see app.tcss)
    _width = 0  # the terminal width the tables were last laid out for
    COMMAND_TABLE = HISTORY
    BINDINGS = bindings(HISTORY)

    def __init__(self, tab: str = "meetings") -> None:
        super().__init__()
        self.initial_tab = tab if tab in TABS else "meetings"
        self.data: HistoryData | None = None
        self.hits: list[SearchHit] = []
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield ConfidentialMarker(id="conf-marker", classes="conf-marker")
        with TabbedContent(id="history-tabs", initial=self.initial_tab):
            with TabPane("Meetings", id="meetings"):
                yield FixedTable(id="meeting-table", cursor_type="row")
            with TabPane("Search", id="search"):
                yield Input(
                    placeholder="Search notes, decisions, actions, agenda titles",
                    id="search-input",
                )
                yield Static(id="search-status")
                yield FixedTable(id="result-table", cursor_type="row")
            with TabPane("Trends", id="trends"), VerticalScroll(id="trends-body"):
                for key in ("attendance", "orgs", "rating", "length"):
                    yield Static(id=f"trend-{key}-label", classes="trend-label")
                    yield Static("", id=f"trend-{key}", classes="trend-line")
                yield Static(id="trend-org-rates")
                yield Static(id="trend-airtime")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "History"
        self.load()
        self._focus_tab()

    def on_screen_resume(self) -> None:
        # Back from a meeting where the notes may have been unlocked (or locked again).
        self.query_one(ConfidentialMarker).refresh_marker()
        if self.data is not None:
            self.run_search()

    def on_resize(self, event: events.Resize) -> None:
        if self.data is not None and self.app.size.width != self._width:
            self._fill_meetings()
            self._fill_results()

    @property
    def unlocked(self) -> bool:
        return confidential_unlocked(self.app)

    # --- data -------------------------------------------------------------------------------

    def load(self) -> None:
        """Read every meeting once; search and trends then work from memory."""
        try:
            self.data = load_history(fapp(self).ws)
        except FacilitateError as exc:
            fapp(self).report(exc)
            return
        for problem in self.data.problems:
            self.notify(problem, severity="warning", markup=False, timeout=8)
        self._fill_meetings()
        self.run_search()
        self._fill_trends()
        # The search index is built once the screen is on show (not before: see HistoryData).
        self.call_after_refresh(lambda: self.data and self.data.index)

    def _fill_meetings(self) -> None:
        assert self.data is not None
        table = self.query_one("#meeting-table", FixedTable)
        keep = self._key(table)
        self._width = self.app.size.width
        set_columns(
            table,
            [
                ("date", "Date", 10),
                ("title", "Meeting", 0),
                ("length", "Length/plan", 11),
                ("present", "Ppl", 3),
                ("orgs", "Orgs", 4),
                ("dec", "Dec", 3),
                ("act", "Act", 3),
                ("rating", "Rate", 4),
            ],
            self.app.size.width,
        )
        table.add_keyed_rows(
            (
                s.meeting_id,
                (
                    s.day.to_date_string(),
                    Content(one_line(s.title)),
                    Content.styled(_length(s), _length_style(s)),
                    str(s.present) if s.held else "-",
                    str(s.organizations) if s.held else "-",
                    str(s.decisions),
                    str(s.actions),
                    _number(s.rating, 1),
                ),
            )
            for s in reversed(self.data.summaries)
        )
        self._restore(table, keep)

    @staticmethod
    def _key(table: DataTable[Any]) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @staticmethod
    def _restore(table: DataTable[Any], key: str | None) -> None:
        if key is None:
            return
        with contextlib.suppress(Exception):  # the row is no longer there
            table.move_cursor(row=table.get_row_index(key))

    # --- search -----------------------------------------------------------------------------

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self.run_search)

    @on(Input.Submitted, "#search-input")
    def _query_submitted(self, event: Input.Submitted) -> None:
        self.run_search()
        if self.hits:
            self.query_one("#result-table", DataTable).focus()

    def run_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if self.data is None:
            return
        query = self.query_one("#search-input", Input).value
        self.hits = (
            self.data.index.search(query, include_confidential=self.unlocked)
            if parse_query(query)
            else []  # (no need for the index)
        )
        self._fill_results()

    def _fill_results(self) -> None:
        assert self.data is not None
        query = self.query_one("#search-input", Input).value
        table = self.query_one("#result-table", FixedTable)
        set_columns(
            table,
            [
                ("date", "Date", 10),
                ("kind", "Found in", 12),
                ("text", "Match", 0),
                ("meeting", "Meeting", 16),
            ],
            self.app.size.width,
        )
        # The snippet is cut to the column, around the match, so the match stays visible.
        width = max(12, table.columns[ColumnKey("text")].width)
        rows: list[tuple[str, tuple[Any, ...]]] = []
        for n, h in enumerate(self.hits[:MAX_RESULTS]):
            kind = h.doc.kind.label + (" (C)" if h.doc.confidential else "")
            cells = (
                h.doc.day.to_date_string(),
                Content.styled(kind, "bold $error") if h.doc.confidential else kind,
                Content(snippet(h.doc.flat, h.term, width, folded=h.doc.folded)),
                Content(one_line(h.doc.meeting_title)),
            )
            rows.append((str(n), cells))
        table.add_keyed_rows(rows)
        if not query.strip():
            status = "Type to search all meetings; Enter goes to the results and opens one."
        else:
            more = f" (first {MAX_RESULTS} shown)" if len(self.hits) > MAX_RESULTS else ""
            status = f"{len(self.hits)} match(es){more}; Enter opens the meeting."
        if not self.unlocked and self.data.has_confidential:
            status += " Confidential notes not searched: u unlocks."
        self.query_one("#search-status", Static).update(Content(status))

    # --- trends -----------------------------------------------------------------------------

    def _fill_trends(self) -> None:
        assert self.data is not None
        t = self.data.trends
        self._trend("attendance", "Attendance per meeting", t.attendance, digits=0)
        self._trend("orgs", "Organizations per meeting", t.organizations, digits=0)
        self._trend("rating", "Feedback rating (1-5)", t.rating, digits=1)
        last = t.lengths[-1] if t.lengths else None
        on_time = sum(1 for p in t.lengths if p.actual <= p.planned)
        self._trend(
            "length",
            "Length vs plan (min)",
            t.overrun,
            digits=0,
            signed=True,
            extra=f"{on_time}/{len(t.lengths)} on time" if last else "",
        )
        lines: list[Content] = [
            labelled(
                "[b]Attendance by organization, last $n meeting(s)[/b] (drifting first)",
                n=t.window,
            )
        ]
        if not t.by_organization or not t.window:
            lines.append(Content("No meetings held yet."))
        for o in t.by_organization:
            flag = o.flag
            style = "bold $error" if o.drifting else "$warning" if o.absent else ""
            lines.append(
                Content.assemble(
                    (bar(o.rate, 6), "$primary"),
                    f" {o.count}/{o.meetings} {round(o.rate * 100):>3}%  ",
                    Content(one_line(o.name, 44)),
                    ("  " + flag, style) if flag else "",
                )
            )
        self.query_one("#trend-org-rates", Static).update(Content("\n").join(lines))
        self._fill_airtime()

    def _fill_airtime(self) -> None:
        """Share of airtime by sector across meetings, beside how often each sector was in
        the room then (hidden until a meeting has timed speaking turns)."""
        assert self.data is not None
        shares = self.data.trends.airtime
        widget = self.query_one("#trend-airtime", Static)
        widget.display = bool(shares)
        if not shares:
            return
        n = shares[0].meetings
        lines: list[Content] = [
            Content(""),
            labelled(
                "[b]Airtime by sector, $n[/b] with a speakers' queue (share of time)",
                n=counted(n, "meeting"),
            ),
        ]
        for a in shares:
            silent = a.present > 0 and a.heard == 0
            lines.append(
                Content.assemble(
                    (bar(a.share, 6), "$primary"),
                    f" {round(a.share * 100):>3}%  ",
                    Content(one_line(a.label, 26).ljust(26)),
                    f"  spoke {a.heard}/{n}, in room {a.present}/{n}",
                    ("  never heard", "$warning") if silent else "",
                )
            )
        widget.update(Content("\n").join(lines))

    def _trend(
        self,
        key: str,
        title: str,
        series: Series,
        *,
        digits: int,
        signed: bool = False,
        extra: str = "",
    ) -> None:
        values = series.values
        label = self.query_one(f"#trend-{key}-label", Static)
        line = self.query_one(f"#trend-{key}", Static)
        if not values:
            label.update(labelled("[b]$title[/b]  no data yet", title=title))
            line.display = False
            return
        line.display = True
        # From zero, with the values: 23/24/23 reads as steady, not as a collapse.
        line.update(Content(trend_line(values, digits, signed=signed)))

        def fmt(v: float, places: int = digits) -> str:
            text = f"{v:.{places}f}" if places else str(round(v))
            return f"+{text}" if (signed and v > 0) else text

        change = series.change
        moved = ""
        if change:
            moved = f" ({'+' if change > 0 else ''}{fmt(change).lstrip('+')})"
        label.update(
            labelled(
                "[b]$title[/b]  last $last$moved  avg $avg  ($n)  $extra",
                title=title,
                last=fmt(series.last if series.last is not None else 0),
                moved=moved,
                avg=fmt(series.average or 0, 1),
                n=counted(len(values), "mtg"),
                extra=extra,
            )
        )

    # --- navigation -------------------------------------------------------------------------

    @property
    def tab(self) -> str:
        return str(self.query_one("#history-tabs", TabbedContent).active or "meetings")

    def _focus_tab(self) -> None:
        # (Screen.set_focus at once: Widget.focus waits its turn behind keys already typed.)
        tab = self.tab
        if tab == "meetings":
            self.set_focus(self.query_one("#meeting-table", DataTable))
        elif tab == "search":
            self.set_focus(self.query_one("#search-input", Input))
        else:
            self.set_focus(self.query_one("#trends-body", VerticalScroll))

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.call_after_refresh(self._focus_tab)

    def action_tab(self, tab: str) -> None:
        if tab in TABS:
            self.query_one("#history-tabs", TabbedContent).active = tab
            # Focused now (the pane is shown as soon as it is active), so a key typed right
            # after this one (1 then Enter) reaches the new tab, not the one left; the tab
            # change focuses it again after the refresh (_tab_changed).
            self._focus_tab()

    def action_search(self) -> None:
        self.action_tab("search")

    @on(DataTable.RowSelected, "#meeting-table")
    def _meeting_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.row_key.value, None)

    @on(DataTable.RowSelected, "#result-table")
    def _result_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = int(event.row_key.value or 0)
        if 0 <= index < len(self.hits):
            hit = self.hits[index]
            self._open(hit.doc.meeting_id, hit.doc.record_id)

    def action_open(self) -> None:
        if self.tab == "search":
            table = self.query_one("#result-table", DataTable)
            key = self._key(table)
            if key is not None and int(key) < len(self.hits):
                hit = self.hits[int(key)]
                self._open(hit.doc.meeting_id, hit.doc.record_id)
            return
        self._open(self._key(self.query_one("#meeting-table", DataTable)), None)

    def _open(self, meeting_id: str | None, record_id: str | None) -> None:
        if self.data is None or meeting_id is None:
            return
        bundle = self.data.view.bundle(meeting_id)
        summary = self.data.summary(meeting_id)
        if bundle is None or summary is None:
            self.notify("That meeting could not be read.", severity="warning")
            return
        self.app.push_screen(MeetingDetailScreen(bundle, summary, self.data.view.roster, record_id))

    def action_unlock(self) -> None:
        def after() -> None:
            self.query_one(ConfidentialMarker).refresh_marker()
            self.run_search()

        toggle_unlock(self, after)

    def action_refresh(self) -> None:
        self.load()
        self.notify("Reloaded.", timeout=2)

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self.query_one("#result-table", DataTable).focus()
            return
        self.dismiss(None)


def _length(s: MeetingSummary) -> str:
    """Minutes held against minutes planned, compactly: ``127/120 +7``."""
    if s.status is MeetingStatus.PLANNED:
        return f"plan {s.planned_minutes}"
    if s.status is MeetingStatus.LIVE:
        return "live now"
    if s.actual_minutes is None:
        return f"?/{s.planned_minutes}"
    over = s.over_minutes or 0
    sign = f"+{over}" if over > 0 else str(over) if over < 0 else "="
    return f"{s.actual_minutes}/{s.planned_minutes} {sign}"


def _length_style(s: MeetingSummary) -> str:
    over = s.over_minutes
    if over is None:
        return "$foreground-muted"
    return "$warning" if over > 0 else ""


# --- a meeting, read-only -----------------------------------------------------------------------


def _widget_id(record_id: str) -> str:
    return "rec-" + re.sub(r"[^A-Za-z0-9_-]", "_", record_id)


class MeetingDetailScreen(SafeTitles, Screen[None]):
    """One past (or planned) meeting as recorded: agenda and notes, decisions, actions, feedback.

    Read-only, from the data the history screen already loaded.
    """

    CSS_PATH = "between.tcss"  # parsed when first shown (see app.tcss)

    COMMAND_TABLE = MEETING_DETAIL
    BINDINGS = bindings(MEETING_DETAIL)

    def __init__(
        self,
        bundle: MeetingBundle,
        summary: MeetingSummary,
        roster: Roster,
        focus_record: str | None = None,
    ) -> None:
        super().__init__()
        self.bundle = bundle
        self.summary = summary
        self.roster = roster
        self.focus_record = focus_record

    def compose(self) -> ComposeResult:
        yield Header()
        yield ConfidentialMarker(id="conf-marker", classes="conf-marker")
        with VerticalScroll(id="detail-body"):
            for widget_id, classes in self._sections():
                yield Static(id=widget_id, classes=classes)
        yield SteadyFooter(compact=True)

    def _sections(self) -> list[tuple[str, str]]:
        b = self.bundle
        out = [("detail-head", "detail-head")]
        out.append(("detail-agenda-title", "detail-section"))
        out += [(_widget_id(i.id), "detail-record") for i in b.items]
        out.append(("detail-decisions-title", "detail-section"))
        out += [(_widget_id(d.id), "detail-record") for d in b.decisions]
        out.append(("detail-actions-title", "detail-section"))
        out += [(_widget_id(a.id), "detail-record") for a in b.actions]
        out.append(("detail-feedback", "detail-section-body"))
        return out

    def on_mount(self) -> None:
        self.sub_title = "Meeting (read-only)"
        self.render_body()
        body = self.query_one("#detail-body", VerticalScroll)
        body.focus()
        if self.focus_record:
            try:
                target = self.query_one(f"#{_widget_id(self.focus_record)}", Static)
            except Exception:
                return
            target.add_class("hit")
            self.call_after_refresh(body.scroll_to_widget, target, animate=False, top=True)

    def render_body(self) -> None:
        b, s = self.bundle, self.summary
        m = b.meeting
        unlocked = confidential_unlocked(self.app)
        items = {i.id: i for i in b.items}
        local = m.local(m.start)
        att = summarize_attendance(b.attendance, self.roster, attended=True)
        self.query_one("#detail-head", Static).update(
            labelled(
                "[b]$title[/b]\n$when to $end ($tz)  $where\n"
                "Facilitator: $fac   Note-taker: $notes\n"
                "Status: $status   Length: $length   Minutes: $minutes\n"
                "Attendance: $present present ($guests), $orgs; "
                "$decisions, $actions; rating $rating",
                title=m.title,
                when=local.format("ddd D MMM YYYY, HH:mm"),
                end=m.local(m.end).format("HH:mm"),
                tz=m.timezone,
                where=m.location,
                fac=m.facilitator or "-",
                notes=m.note_taker or "-",
                status=m.status.value,
                length=s.length_label(),
                minutes=m.minutes_status.value,
                present=att.present,
                guests=counted(s.guests, "guest"),
                orgs=counted(s.organizations, "member organization"),
                decisions=counted(len(b.decisions), "decision"),
                actions=counted(len(b.actions), "action"),
                rating=_number(s.rating, 1),
            )
        )
        self.query_one("#detail-agenda-title", Static).update(
            labelled("[b]Agenda and notes[/b] ($n)", n=counted(len(b.items), "item"))
        )
        # Time on each item up to the end, or up to now while the meeting runs (not up to its
        # scheduled end: a running item showed 1:59:38 after three minutes).
        upto = m.ended_at or self.app.clock().in_timezone("UTC")  # type: ignore[attr-defined]
        for n, item in enumerate(b.items, start=1):
            used = item.elapsed_seconds(upto) if item.started else None
            running = " so far" if item.running and m.ended_at is None else " used"
            conf = " [CONFIDENTIAL]" if item.confidential else ""
            withheld = item.confidential and not unlocked
            notes = plain(item.notes).strip()
            self.query_one(f"#{_widget_id(item.id)}", Static).update(
                labelled(
                    "[b]$n. $title[/b]$conf  ($planned min planned$used)\n$notes",
                    n=n,
                    title=one_line(item.title),
                    conf=conf,
                    planned=item.planned_minutes,
                    used=f", {fmt_mmss(used)}{running}" if used is not None else "",
                    notes=(WITHHELD_NOTES if notes else "") if withheld else notes or "-",
                )
            )
        self.query_one("#detail-decisions-title", Static).update(
            labelled("[b]Decisions[/b] ($n)", n=len(b.decisions))
        )
        for d in b.decisions:
            hidden = under_confidential(d.agenda_item_id, items) and not unlocked
            dissent = f"\nDissent or concerns: {plain(d.dissent)}" if d.dissent else ""
            self.query_one(f"#{_widget_id(d.id)}", Static).update(
                labelled(
                    "- $text\n  ($method)",
                    text="(decision on a confidential item: withheld, u unlocks)"
                    if hidden
                    else plain(d.text) + dissent,
                    method=d.method_text(),
                )
            )
        self.query_one("#detail-actions-title", Static).update(
            labelled("[b]Action items[/b] ($n)", n=len(b.actions))
        )
        for a in b.actions:
            hidden = under_confidential(a.agenda_item_id, items) and not unlocked
            owner = self.roster.member(a.owner_id) if a.owner_id else None
            sub = self.roster.subcommittee(a.subcommittee_id) if a.subcommittee_id else None
            who = " / ".join(x for x in (owner.name if owner else "", sub.name if sub else "") if x)
            note = ""
            if a.report_back and not hidden:
                note = f"\n  Report-back: {plain(a.report_back)}"
            status = a.status.value if a.status is not ActionStatus.OPEN else "open"
            self.query_one(f"#{_widget_id(a.id)}", Static).update(
                labelled(
                    "- $text\n  $who, report back $due, $status$note",
                    text="(action on a confidential item: withheld, u unlocks)"
                    if hidden
                    else plain(a.text),
                    who=who or "-",
                    due=a.due_label(),
                    status=status,
                    note=note,
                )
            )
        feedback = [
            f"- {f.rating if f.rating is not None else '-'}/5 {plain(f.comment)}"
            + (f" ({one_line(f.attendee)})" if f.attendee else "")
            for f in b.feedback
        ]
        self.query_one("#detail-feedback", Static).update(
            labelled(
                "[b]Feedback[/b] ($n)\n$lines", n=len(b.feedback), lines="\n".join(feedback) or "-"
            )
        )

    def action_unlock(self) -> None:
        def after() -> None:
            self.query_one(ConfidentialMarker).refresh_marker()
            self.render_body()

        toggle_unlock(self, after)

    def action_correct_record(self) -> None:
        from .meeting_record import open_record

        app = fapp(self)
        open_record(
            self,
            app.ws,
            self.bundle.meeting.id,
            show_confidential=confidential_unlocked(app),
            clock=app.clock,
            after=self._corrected,
        )

    async def _corrected(self, changed: bool | None) -> None:
        """Show the record as it stands now (entries may have gone: laid out anew)."""
        if not changed:
            return
        self.bundle = fapp(self).ws.snapshot().bundle(self.bundle.meeting.id)
        await self.recompose()
        self.render_body()

    def action_back(self) -> None:
        self.dismiss(None)
