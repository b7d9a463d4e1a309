"""Modal dialogs: confidentiality reminder, capture forms, re-plan proposal, training."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...domain.actions import ActionItem
from ...domain.cadence import local_instant, next_meeting_slot
from ...domain.common import FacilitateError, ValidationError, counted, parse_date
from ...domain.meeting import (
    MAX_VOTES,
    AgendaItem,
    Decision,
    DecisionMethod,
    ItemKind,
    Meeting,
    require_vote_count,
)
from ...domain.standing import parse_clock, standing_rule
from ...domain.timer import fmt_mmss
from ...domain.training import TrainingSnippet, least_recently_delivered
from ...services.live import LiveMeeting, today_in
from ...storage.index import file_key
from ..form_fit import fit_overlay
from ..redraw import update_auto_height
from ..safe_text import labelled, one_line, plain, safe
from ..typeahead import FIELD_ORDER_BINDINGS, enter_in_field, move_field
from .kept import KeptScreen


class KeptDialog(KeptScreen, ModalScreen[bool]):
    """A modal dialog kept between showings (see KeptScreen)."""


class ConfidentialityDialog(KeptDialog):
    BINDINGS = [
        Binding("enter,y", "ack", "I acknowledge", priority=True),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, statement: str, *, first: bool, guests: Sequence[str] = ()) -> None:
        super().__init__()
        self.statement = statement
        self.first = first
        self.guests = tuple(guests)

    def compose(self) -> ComposeResult:
        heading = (
            "Confidentiality: read this aloud before we begin"
            if self.first
            else "Confidential item: a reminder before case discussion"
        )
        with Vertical(classes="dialog", id="confidentiality"):
            yield Static(heading, classes="dialog-title")
            yield Static(safe(self.statement), id="statement")
            guests = Static(self._guests_text(), id="guests-present", classes="error")
            guests.display = bool(self.guests)
            yield guests
            back = "back" if self.first else "back to the item before"
            yield Static(f"Enter or y: acknowledged    Esc: {back}", classes="hint")

    def _guests_text(self) -> Content:
        if not self.guests:
            return Content("")
        names = ", ".join(one_line(name, 30) for name in self.guests[:4])
        more = f" and {len(self.guests) - 4} more" if len(self.guests) > 4 else ""
        return safe(
            f"Still marked present: {counted(len(self.guests), 'walk-in guest')} ({names}{more}). "
            "Case discussion is for members: ask guests to step out, then mark them left "
            "early in the roll call (i, then y)."
        )

    def show_guests(self, guests: Sequence[str]) -> bool:
        """For another showing (kept dialog): the guests still in the room now."""
        self.guests = tuple(guests)
        line = self.query_one("#guests-present", Static)
        line.update(self._guests_text())
        line.display = bool(self.guests)
        return True

    def action_ack(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class StartElsewhenDialog(ModalScreen[bool]):
    """Asks before starting a meeting on another day than scheduled (y starts, Esc does not)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Start now", priority=True),
        Binding("escape,n", "answer(False)", "Cancel"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Not the scheduled day", classes="dialog-title")
            yield Static(safe(self.text))
            yield Static("y: start now (moved to today)    Esc: cancel", classes="hint")

    def action_answer(self, start: bool) -> None:
        self.dismiss(start)


class _Form(KeptDialog):
    """A small form: Enter in the last field or Ctrl+S saves, Esc cancels, errors shown inline."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
        *FIELD_ORDER_BINDINGS,  # (keys typed ahead land in the field meant)
    ]

    TITLE_TEXT = ""
    AUTO_FOCUS = "Input"
    _initial: dict[str, object]
    _error_for: dict[str, object] | None = None  # the fields' values the error is about

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # What ``clear`` puts back (subclasses' own on_mount handlers run as well).
        self._initial = self._values()

    def clear(self) -> None:
        """Put every field back as it was when the form first opened, for another use: a
        form the meeting screen keeps mounted (building a modal screen of ~20 widgets is
        most of what opening it costs) is cleared instead of built again."""
        for selector, value in self._initial.items():
            field = self.query_one(selector)
            if isinstance(field, Input | Select):
                field.value = value
        self.show_error("")
        self.query_one(VerticalScroll).scroll_home(animate=False)
        first = next((i for i in self.query(Input) if i.display), None)
        if first is not None:
            first.focus()

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield Static(self.TITLE_TEXT, classes="dialog-title")
            yield from self.compose_fields()
            yield Static("", id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save (^s)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def _values(self) -> dict[str, object]:
        """Every field's value, by selector."""
        return {
            f"#{field.id}": field.value
            for field in self.query("Input, Select")
            if isinstance(field, Input | Select) and field.id
        }

    def show_error(self, message: str) -> None:
        # (Laid out again only when its height changes: clearing the form for another use
        # would cost a layout pass of the whole form each time.)
        self._error_for = self._values() if message else None
        update_auto_height(self.query_one("#form-error", Static), safe(message))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        fit_overlay(event.widget, self.query_one(".dialog"))  # (a drop-down's list)

    @on(Input.Changed)
    @on(Select.Changed)
    def _edited(self) -> None:
        """The error shown is about what the fields held at the last save: once they change
        it goes (the next save says it again if it still holds)."""
        if self._error_for is not None and self._values() != self._error_for:
            self.show_error("")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = [i for i in self.query(Input) if i.display]
        if inputs and event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_field(self, direction: int) -> None:
        move_field(self, direction)

    def action_enter_field(self) -> None:
        if enter_in_field(self):
            self.action_save()

    def action_cancel(self) -> None:
        if self._values() == getattr(self, "_initial", None):
            self.dismiss(False)
            return
        from .discard import DiscardDialog  # (something was typed: ask first)

        def done(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(DiscardDialog(self.TITLE_TEXT), done)

    def action_save(self) -> None:
        try:
            self.save()
        except FacilitateError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(True)

    def save(self) -> None:
        raise NotImplementedError

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value


def _count(text: str, label: str) -> int:
    """A vote count as typed: empty is 0; a sign, a fraction or a letter is refused by name
    (the Inputs take any text, so nothing typed is silently dropped or changed)."""
    text = text.strip()
    if not text:
        return 0
    sign, digits = (text[0], text[1:]) if text[0] in "+-" else ("", text)
    if not digits.isdecimal():  # (not isdigit: "²" is a digit that int() refuses)
        raise ValidationError(f"{label} must be a whole number (got {text!r}).")
    digits = "".join(str(int(c)) for c in digits).lstrip("0")  # (any script's digits)
    if sign == "-" and digits:
        raise ValidationError(f"{label} cannot be negative (got {text!r}): enter 0 or more.")
    if len(digits) > len(str(MAX_VOTES)):  # (int() refuses thousands of digits)
        raise ValidationError(f"{label} is more than {MAX_VOTES:,}: check the count.")
    return require_vote_count(int(digits or "0"), label)


class GuestForm(_Form):
    TITLE_TEXT = "Walk-in guest"

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live

    def compose_fields(self) -> ComposeResult:
        yield Input(placeholder="Name", id="guest-name")
        yield Input(placeholder="Role or title", id="guest-role")
        yield Input(placeholder="Organization", id="guest-org")

    def save(self) -> None:
        self.live.add_guest(
            self.value("#guest-name"), self.value("#guest-role"), self.value("#guest-org")
        )


class ItemForm(_Form):
    """A form about the current agenda item ("On: ..." at the top), reusable for another."""

    def __init__(self, live: LiveMeeting, item: AgendaItem | None) -> None:
        super().__init__()
        self.live = live
        self.item = item

    def compose_fields(self) -> ComposeResult:
        # (Widgets start as shown here, not set up in on_mount: a form built ahead of use
        # may lose its widgets before its Mount is handled, when the program quits then.)
        on = Static(self._on_text(), classes="hint", id="form-on")
        on.display = self.item is not None
        yield on

    def _on_text(self) -> Content:
        return labelled("On: $t", t=one_line(self.item.title, 60)) if self.item else Content("")

    def reuse(self, item: AgendaItem | None) -> bool:
        """Prepare for another use about ``item``; False when the form must be built anew."""
        self.item = item
        on = self.query_one("#form-on", Static)
        update_auto_height(on, self._on_text())
        on.display = item is not None
        self.clear()
        return True


class DecisionForm(ItemForm):
    TITLE_TEXT = "Record a decision"

    def compose_fields(self) -> ComposeResult:
        yield from super().compose_fields()
        yield Input(placeholder="Decision text", id="decision-text")
        yield Select(
            [("Consensus", "consensus"), ("Vote", "vote")],
            value="consensus",
            allow_blank=False,
            id="decision-method",
        )
        counts = Horizontal(id="vote-counts")
        counts.display = False  # (shown for a vote)
        with counts:
            # (Plain text, not type="integer": that drops a typed "." so 1.5 became 15.)
            yield Input(placeholder="For", id="votes-for")
            yield Input(placeholder="Against", id="votes-against")
            yield Input(placeholder="Abstain", id="votes-abstain")
        yield Input(placeholder="Dissent or concerns noted (optional)", id="decision-dissent")

    @on(Select.Changed, "#decision-method")
    def _method_changed(self, event: Select.Changed) -> None:
        self.query_one("#vote-counts").display = event.value == "vote"

    def save(self) -> None:
        method = DecisionMethod(str(self.query_one("#decision-method", Select).value))
        decision = Decision(
            meeting_id=self.live.meeting_id,
            agenda_item_id=self.item.id if self.item else None,
            text=self.value("#decision-text"),
            method=method,
            dissent=self.value("#decision-dissent"),
        )
        if method is DecisionMethod.VOTE:
            decision.votes_for = _count(self.value("#votes-for"), "Votes for")
            decision.votes_against = _count(self.value("#votes-against"), "Votes against")
            decision.abstentions = _count(self.value("#votes-abstain"), "Abstentions")
        saved = self.live.add_decision(decision)
        if saved.quorum_met is False:
            self.app.notify(
                "Recorded without a quorum (see the roll call, i): the minutes say so.",
                title="No quorum",
                severity="warning",
                timeout=8,
            )


class ActionForm(ItemForm):
    TITLE_TEXT = "Record an action item"

    def __init__(self, live: LiveMeeting, item: AgendaItem | None) -> None:
        super().__init__(live, item)
        self._roster_key = file_key(live.ws.collaborative_path)
        self.roster = live.ws.snapshot().roster()

    def reuse(self, item: AgendaItem | None) -> bool:
        # The owner and subcommittee lists come from the roster: built anew when it changed.
        key = file_key(self.live.ws.collaborative_path)
        if key is None or key != self._roster_key:
            return False
        return super().reuse(item)

    def compose_fields(self) -> ComposeResult:
        yield from super().compose_fields()
        yield Input(placeholder="What needs doing", id="action-text")
        yield Select(
            [(plain(s.name), s.id) for s in self.roster.subcommittees],
            prompt="Subcommittee (or an owner)",
            id="action-sub",
        )
        yield Select(
            [
                (plain(f"{m.name} ({(self.roster.org(m.organization_id) or m).name})"), m.id)
                for m in self.roster.active_members()
            ],
            prompt="Owner (or a subcommittee)",
            id="action-owner",
        )
        yield Input(
            placeholder="Report back: 2026-12-15, 'in 2 weeks' or 'next meeting'",
            value="next meeting",
            id="action-due",
        )

    def save(self) -> None:
        sub = self.query_one("#action-sub", Select).value
        owner = self.query_one("#action-owner", Select).value
        due_text = self.value("#action-due").strip()
        meeting = self.live.load().meeting
        action = ActionItem(
            meeting_id=self.live.meeting_id,
            agenda_item_id=self.item.id if self.item else None,
            text=self.value("#action-text"),
            subcommittee_id=sub if isinstance(sub, str) else None,
            owner_id=owner if isinstance(owner, str) else None,
        )
        if due_text.lower() in ("next meeting", "next"):
            action.due_next_meeting = True
        else:
            today = today_in(meeting, self.live.now())
            action.due = parse_date(due_text, today=today)
            if action.due < today:
                raise ValidationError(
                    f"Report-back date {action.due} is in the past: pick a later date."
                )
        self.live.add_action(action)


class ReplanDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("a", "apply", "Apply"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live
        self.proposal = live.propose()

    def compose(self) -> ComposeResult:
        p = self.proposal
        lines = [
            f"Time left for the remaining items: {p.available_minutes} min; "
            f"planned: {p.needed_minutes} min.",
            "",
        ]
        if not p.needed:
            lines.append("On track: nothing to change.")
        else:
            lines += [f"  {one_line(c.describe(), 70)}" for c in p.changes]
            lines.append("")
            lines.append(
                f"New total {p.new_total} min: "
                + ("ends on time." if p.ends_on_time else "still over (pinned items or minimums).")
            )
            lines.append("a: apply exactly these changes    Esc: cancel")
        with VerticalScroll(classes="dialog", id="replan"):
            yield Static("Re-plan to end on time", classes="dialog-title")
            yield Static(safe("\n".join(lines)), id="replan-body")

    def action_apply(self) -> None:
        if not self.proposal.changes:
            self.dismiss(False)
            return
        try:
            self.live.apply(self.proposal)
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            self.dismiss(False)
            return
        self.app.notify(f"Re-planned {len(self.proposal.changes)} item(s).", timeout=3)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class TrainingPicker(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, live: LiveMeeting, item: AgendaItem | None) -> None:
        super().__init__()
        self.live = live
        self.item = item
        snippets = live.ws.snapshot().all(TrainingSnippet)
        self.snippets = least_recently_delivered(snippets)

    def compose(self) -> ComposeResult:
        options = []
        for s in self.snippets:
            last = s.last_delivered
            when = "never delivered" if last is None else f"last {last.format('D MMM YYYY')}"
            options.append(
                Option(safe(f"{one_line(s.title, 44)} - {s.minutes} min, {when}"), id=s.id)
            )
        with Vertical(classes="dialog", id="training-picker"):
            yield Static(
                "Training: least recently delivered first (Enter opens)", classes="dialog-title"
            )
            yield OptionList(*options, id="training-list")

    def on_mount(self) -> None:
        # On a training item, the snippet planned for it is the one highlighted.
        planned = self.item.training_id if self.item is not None else None
        ids = [s.id for s in self.snippets]
        if planned in ids:
            options = self.query_one("#training-list", OptionList)
            options.highlighted = ids.index(planned)
            options.scroll_to_highlight()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        snippet = next(s for s in self.snippets if s.id == event.option.id)

        def done(delivered: bool | None) -> None:
            self.dismiss(bool(delivered))

        self.app.push_screen(TrainingView(self.live, snippet, self.item), done)

    def action_cancel(self) -> None:
        self.dismiss(False)


class TrainingView(ModalScreen[bool]):
    BINDINGS = [
        Binding("d", "delivered", "Delivered"),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(
        self, live: LiveMeeting, snippet: TrainingSnippet, item: AgendaItem | None
    ) -> None:
        super().__init__()
        self.live = live
        self.snippet = snippet
        self.item = item if item is not None and item.kind is ItemKind.TRAINING else None
        self.opened = live.now()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="training-view"):
            yield Static(safe(self.snippet.title), classes="dialog-title")
            yield Static(id="training-timer")
            from textual.widgets import Markdown  # imported here: heavy, and only needed now

            with VerticalScroll(id="training-scroll"):
                yield Markdown(self.snippet.body, open_links=False)
            yield Static("d: mark delivered    Esc: back", classes="hint")

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(0.5, self.tick)

    def tick(self) -> None:
        elapsed = (self.live.now() - self.opened).total_seconds()
        left = self.snippet.minutes * 60 - elapsed
        text = f"{fmt_mmss(left)} left" if left > 0 else f"over by {fmt_mmss(-left)}"
        self.query_one("#training-timer", Static).update(f"{text} of {self.snippet.minutes} min")

    def action_delivered(self) -> None:
        try:
            self.live.deliver_training(self.snippet.id, self.item.id if self.item else None)
        except FacilitateError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self.app.notify(f"Delivered: {one_line(self.snippet.title, 40)}", markup=False, timeout=3)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class FeedbackForm(_Form):
    TITLE_TEXT = "Feedback: a rating (1-5), a comment, or both"

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live

    def compose_fields(self) -> ComposeResult:
        yield Input(placeholder="Rating 1-5 (optional)", id="fb-rating", max_length=2)
        yield Input(placeholder="Comment (optional)", id="fb-comment")
        yield Input(placeholder="Who (leave empty for the room as a whole)", id="fb-who")

    def save(self) -> None:
        text = self.value("#fb-rating").strip()
        if text and not text.isdigit():
            raise ValidationError(
                f"Rating {text!r} is not 1-5: use a whole number or leave it empty."
            )
        self.live.add_feedback(
            self.value("#fb-who"), int(text) if text else None, self.value("#fb-comment")
        )


class NextMeetingForm(_Form):
    TITLE_TEXT = "Next meeting: date and time"

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live
        tx = live.ws.snapshot()
        self.meeting = tx.get(Meeting, live.meeting_id)
        m = self.meeting
        profile = tx.profile()
        if m.next_meeting_start:
            base = m.local(m.next_meeting_start)
            self.source = "as set"
        else:
            held = [other for other in tx.meetings() if other.start <= m.start]
            standing = standing_rule(profile)
            base = next_meeting_slot(
                held,
                profile.cadence,
                m.timezone,
                today=today_in(m, live.now()),
                standing=standing,
            ).start.in_timezone(m.timezone)
            self.source = "from the standing slot" if standing else "from the meetings held"
        self.suggested = base.to_date_string()
        self.suggested_time = base.format("HH:mm")

    def compose_fields(self) -> ComposeResult:
        yield Static(
            f"Suggested {self.source}: {self.suggested} {self.suggested_time}", classes="hint"
        )
        yield Input(value=self.suggested, placeholder="2026-12-15 or 'in 4 weeks'", id="next-date")
        yield Input(value=self.suggested_time, placeholder="10:00", id="next-time")

    def save(self) -> None:
        m = self.meeting
        day = parse_date(self.value("#next-date"), today=today_in(m, self.live.now()))
        hour, minute = parse_clock(self.value("#next-time"))
        start = local_instant(day, hour, minute, m.timezone)
        self.live.set_next_meeting(start)
