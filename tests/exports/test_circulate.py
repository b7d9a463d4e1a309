"""Circulating minutes and agendas: .eml drafts that parse back, and sendmail only on request."""

from __future__ import annotations

import io
import os
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.domain.roster import Member
from facilitate.storage.workspace import Workspace

SECRET = "HV-2611"  # a case number in the November case review (confidential)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    root = str(tmp_path / "ws")
    assert run(capsys, "--data", root, "init", "--sample")[0] == 0
    return root


@pytest.fixture
def fake_sendmail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sendmail that keeps what it is given (and its arguments)."""
    box = tmp_path / "outbox"
    script = tmp_path / "sendmail"
    script.write_text(f'#!/bin/sh\necho "$@" > {box}.args\ncat > {box}\n')
    script.chmod(0o700)
    monkeypatch.setenv("FACILITATE_SENDMAIL", str(script))
    return box


def parse(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def active_addresses(data: str) -> set[str]:
    roster = Workspace.open(Path(data)).snapshot().roster()
    return {m.contact for m in roster.active_members() if "@" in m.contact}


def test_minutes_draft_parses_back_with_its_attachments(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_sendmail: Path
) -> None:
    target = tmp_path / "minutes.eml"
    code, out, err = run(
        capsys, "--data", data, "minutes", "send", "mtg-2026-11", "-o", str(target)
    )
    assert code == 0, err
    assert "Nothing was sent" in out
    assert not fake_sendmail.exists()  # no flag, no sending
    assert os.stat(target).st_mode & 0o777 == 0o600
    msg = parse(target)
    assert msg["Subject"].startswith("Minutes: ")
    to = {addr.addr_spec for addr in msg["To"].addresses}
    assert to == active_addresses(data) and len(to) > 10
    assert msg["From"].addresses[0].display_name.startswith("Harbor Valley")
    parts = {p.get_filename(): p for p in msg.iter_attachments()}
    names = sorted(parts)
    assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "html", "md"]
    md = next(p for n, p in parts.items() if n.endswith(".md")).get_content()
    assert "## Attendance" in md and SECRET not in md  # redacted by default
    html = next(p for n, p in parts.items() if n.endswith(".html")).get_content()
    assert "<html" in html and SECRET not in html
    import docx

    word = next(p for n, p in parts.items() if n.endswith(".docx")).get_content()
    document = docx.Document(io.BytesIO(word))
    assert document.paragraphs[0].text.startswith("Minutes: ")
    assert SECRET not in "\n".join(p.text for p in document.paragraphs)
    assert "Dear members" in msg.get_body(preferencelist=("plain",)).get_content()


def test_confidential_minutes_only_when_asked(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "c.eml"
    code, _, err = run(
        capsys,
        "--data",
        data,
        "minutes",
        "send",
        "mtg-2026-11",
        "--include-confidential",
        "-o",
        str(target),
    )
    assert code == 0, err
    msg = parse(target)
    assert msg["Subject"].startswith("CONFIDENTIAL: ")
    md = next(p for p in msg.iter_attachments() if p.get_filename().endswith(".md"))
    assert SECRET in md.get_content()


def test_sendmail_only_with_the_flag(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_sendmail: Path
) -> None:
    target = tmp_path / "m.eml"
    code, out, err = run(
        capsys, "--data", data, "minutes", "send", "latest", "-o", str(target), "--sendmail"
    )
    assert code == 0, err
    assert "Handed to sendmail" in out
    assert fake_sendmail.read_bytes() == target.read_bytes()
    assert Path(f"{fake_sendmail}.args").read_text().split() == ["-t", "-oi"]


def test_agenda_draft_carries_the_invitation(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "agenda.eml"
    code, _, err = run(capsys, "--data", data, "agenda", "send", "next", "-o", str(target))
    assert code == 0, err
    msg = parse(target)
    assert msg["Subject"].startswith("Agenda: ")
    ics = next(p for p in msg.iter_attachments() if p.get_filename().endswith(".ics"))
    assert ics.get_content_type() == "text/calendar"
    text = ics.get_content()
    assert "BEGIN:VEVENT" in text and "DTSTART" in text


def test_no_addresses_is_a_clear_error(
    data: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = Workspace.open(Path(data))
    with ws.transaction() as tx:
        for member in tx.all(Member):
            member.contact = member.email = ""
            tx.update(member)
    target = tmp_path / "none.eml"
    code, _, err = run(capsys, "--data", data, "minutes", "send", "latest", "-o", str(target))
    assert code == 1 and "No active member has an e-mail address" in err
    assert not target.exists()
