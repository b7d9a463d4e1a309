"""Circulating minutes and agendas to the members: an e-mail draft (.eml), sent only on request.

The draft is an RFC 5322 message made with Python's ``email`` package, addressed to the active
members who have an e-mail address, with a short body and the documents attached. It opens in
any mail client. ``send_with_sendmail`` hands it to the server's ``sendmail`` (the shared-server
setup); nothing is ever sent otherwise.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid

from pendulum import DateTime

from ..domain.common import FacilitateError, clean_text
from ..domain.meeting import Meeting
from ..domain.roster import Member, Roster
from ..storage.portable import login_name
from ..storage.workspace import Workspace

EMAIL_CHECK = r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$"
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass(frozen=True)
class Draft:
    message: EmailMessage
    recipients: list[str]
    without_address: list[str]  # active members with no e-mail address

    def as_bytes(self) -> bytes:
        return self.message.as_bytes(policy=SMTP)


def member_address(member: Member) -> str:
    """A member's e-mail address: the e-mail field, else a contact that is an address."""
    import re

    for value in (member.email, member.contact):
        value = clean_text(value or "").strip()
        if value and re.match(EMAIL_CHECK, value):
            return value
    return ""


def recipients(roster: Roster) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, address) of the active members with an address, and the names of those without."""
    found: list[tuple[str, str]] = []
    missing: list[str] = []
    for member in sorted(roster.active_members(), key=lambda m: m.name.casefold()):
        address = member_address(member)
        if address:
            found.append((member.name, address))
        else:
            missing.append(member.name)
    return found, missing


def default_sender() -> str:
    return os.environ.get("EMAIL") or f"{login_name()}@{socket.getfqdn()}"


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def build_draft(
    roster: Roster,
    subject: str,
    body: str,
    attachments: list[tuple[str, bytes, tuple[str, str]]],
    *,
    sender: str | None,
    now: DateTime,
) -> Draft:
    found, missing = recipients(roster)
    if not found:
        raise FacilitateError(
            "No active member has an e-mail address: add them in the roster (e key) or with "
            "'facilitate roster import' (email column)."
        )
    msg = EmailMessage()
    collaborative = _one_line(roster.profile.name)
    msg["Subject"] = _one_line(subject)
    msg["From"] = formataddr((collaborative, sender or default_sender()))
    msg["To"] = ", ".join(formataddr((_one_line(name), addr)) for name, addr in found)
    msg["Date"] = formatdate(now.timestamp(), localtime=False)
    msg["Message-ID"] = make_msgid(domain="facilitate.local")
    msg["X-Unsent"] = "1"  # mail clients open it as a draft to review and send
    msg.set_content(body)
    for filename, data, (maintype, subtype) in attachments:
        if maintype == "text":
            msg.add_attachment(
                data.decode("utf-8"), subtype=subtype, filename=filename, charset="utf-8"
            )
        else:
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return Draft(msg, [a for _, a in found], missing)


def minutes_draft(
    ws: Workspace,
    meeting: Meeting,
    *,
    include_confidential: bool,
    sender: str | None,
    now: DateTime,
) -> Draft:
    from ..minutes.export import render_minutes, suggested_filename

    tx = ws.snapshot()
    roster = tx.roster()
    day = meeting.local(meeting.start).format("D MMMM YYYY")
    files = []
    for fmt, kind in (
        ("md", ("text", "markdown")),
        ("html", ("text", "html")),
        ("docx", DOCX_TYPE),
    ):
        data = render_minutes(tx, meeting.id, fmt, include_confidential)
        files.append((suggested_filename(meeting, fmt, include_confidential), data, kind))
    status = "approved" if meeting.minutes_status.value == "approved" else "draft, for approval"
    note = (
        "This copy includes confidential items: members only, do not forward."
        if include_confidential
        else "Confidential items are withheld from this copy."
    )
    body = (
        f"Dear members,\n\nAttached are the minutes ({status}) of {_one_line(meeting.title)}, "
        f"held on {day}, as Markdown, HTML and Word files.\n{note}\n\n"
        "Please send corrections before the next meeting.\n\n"
        f"{_one_line(roster.profile.name)}\n"
    )
    subject = f"Minutes: {meeting.title} ({day})"
    if include_confidential:
        subject = "CONFIDENTIAL: " + subject
    return build_draft(roster, subject, body, files, sender=sender, now=now)


def agenda_draft(ws: Workspace, meeting: Meeting, *, sender: str | None, now: DateTime) -> Draft:
    from ..agenda.render import render_agenda, suggested_agenda_filename

    tx = ws.snapshot()
    roster = tx.roster()
    local = meeting.local(meeting.start)
    when = f"{local.format('dddd D MMMM YYYY, HH:mm')} ({meeting.timezone})"
    files = [
        (
            suggested_agenda_filename(meeting, "md"),
            render_agenda(tx, meeting.id, "md"),
            ("text", "markdown"),
        ),
        (
            suggested_agenda_filename(meeting, "html"),
            render_agenda(tx, meeting.id, "html"),
            ("text", "html"),
        ),
        (
            suggested_agenda_filename(meeting, "ics"),
            render_agenda(tx, meeting.id, "ics", now=now),
            ("text", "calendar"),
        ),
    ]
    where = f"\nLocation: {_one_line(meeting.location)}" if meeting.location else ""
    body = (
        f"Dear members,\n\nThe agenda of {_one_line(meeting.title)} is attached, with a "
        f"calendar invitation.\nWhen: {when}{where}\n\n"
        "Items to add? Reply before the meeting.\n\n"
        f"{_one_line(roster.profile.name)}\n"
    )
    subject = f"Agenda: {meeting.title} ({local.format('D MMMM YYYY')})"
    return build_draft(roster, subject, body, files, sender=sender, now=now)


def sendmail_command() -> list[str]:
    """The server's sendmail (``FACILITATE_SENDMAIL`` overrides the path)."""
    path = os.environ.get("FACILITATE_SENDMAIL") or shutil.which("sendmail")
    if not path:
        for candidate in ("/usr/sbin/sendmail", "/usr/lib/sendmail"):
            if os.access(candidate, os.X_OK):
                path = candidate
                break
    if not path:
        raise FacilitateError(
            "No sendmail on this machine: open the .eml draft in your mail client instead."
        )
    return [path, "-t", "-oi"]


def send_with_sendmail(draft: Draft) -> None:
    """Hand the message to sendmail (-t: recipients from its headers)."""
    command = sendmail_command()
    try:
        done = subprocess.run(
            command, input=draft.as_bytes(), capture_output=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FacilitateError(f"sendmail ({command[0]}) failed: {exc}; nothing was sent.") from exc
    if done.returncode != 0:
        reason = _one_line(done.stderr.decode("utf-8", "replace"))[:200] or "no message"
        raise FacilitateError(
            f"sendmail ({command[0]}) refused the message (exit {done.returncode}: {reason})."
        )
