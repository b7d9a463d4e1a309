"""Members' optional e-mail address: the form, the roster CSV column, the sample."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

from facilitate.domain.common import ValidationError
from facilitate.domain.roster import Member
from facilitate.tracker.roster_csv import COLUMNS, export_csv, import_roster
from facilitate.ui.app import FacilitateApp
from facilitate.ui.screens.tracker_dialogs import MemberForm


def test_sample_members_have_addresses(sample_ws):
    members = sample_ws.snapshot().roster().active_members()
    with_email = [m for m in members if m.email]
    assert len(with_email) >= 20
    assert all("@" in m.email for m in with_email)


@pytest.mark.parametrize("bad", ["robin@gazette", "robin at gazette.example", "a@x.org; b@y.org"])
def test_a_bad_address_is_refused_with_a_clear_message(bad: str) -> None:
    with pytest.raises(ValidationError, match="is not an address: use one address such as"):
        Member(name="Robin Vale", organization_id="org-x", email=bad).validate()


def test_roster_csv_carries_the_email_column(sample_ws):
    assert "email" in COLUMNS
    text = export_csv(sample_ws.snapshot().roster()).decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert "email" in header
    assert "mdelaney@pmpd.example" in text
    csv_text = (
        ",".join(COLUMNS)
        + "\nPort Merrow Police Department,law_enforcement_local,signed,2024-03-01,formal,yes,"
        + "Priya Raman,Youth Services Officer,,yes,priya.raman@pmpd.example\n"
    )
    import_roster(sample_ws, csv_text.encode("utf-8"))
    priya = next(m for m in sample_ws.snapshot().roster().members if m.name == "Priya Raman")
    assert priya.email == "priya.raman@pmpd.example"
    bad = csv_text.replace("priya.raman@pmpd.example", "priya@pmpd")
    with pytest.raises(Exception, match="email"):
        import_roster(sample_ws, bad.encode("utf-8"))


async def test_member_form_takes_an_email(sample_ws, clock):
    app = FacilitateApp(sample_ws, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("2", "m")
        await pilot.pause()
        assert isinstance(app.screen, MemberForm)
        org = sample_ws.snapshot().roster().organizations[0]
        await pilot.press(*"Robin Vale")
        app.screen.query_one("#mem-org", Select).value = org.id
        app.screen.query_one("#mem-email", Input).value = "robin@gazette"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "is not an address" in error
        app.screen.query_one("#mem-email", Input).value = "robin.vale@gazette.example"
        await pilot.press("ctrl+s")
        await pilot.pause()
    robin = next(m for m in sample_ws.snapshot().roster().members if m.name == "Robin Vale")
    assert robin.email == "robin.vale@gazette.example"
