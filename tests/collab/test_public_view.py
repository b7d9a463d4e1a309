"""What the follow view may show: no notes, nothing of a confidential item."""

from __future__ import annotations

import dataclasses

from facilitate.collab.follow import HIDDEN, public_view
from facilitate.domain.actions import ActionItem
from facilitate.domain.meeting import Decision

from ..agenda.builders import SECRET_DISSENT, SECRETS, small_workspace


def _all_text(view) -> str:
    parts = [view.title, *view.present]
    for item in view.items:
        parts.append(item.title)
    for capture in [*view.decisions, *view.actions]:
        parts += [capture.text, capture.detail]
    return "\n".join(parts)


def test_confidential_items_decisions_and_actions_are_hidden(tmp_path) -> None:
    small = small_workspace(tmp_path / "ws")
    tx = small.ws.snapshot()
    bundle = tx.bundle(small.past)
    names = {m.id: m.name for m in tx.roster().members}
    view = public_view(bundle, names)
    text = _all_text(view)
    for secret in (*SECRETS, SECRET_DISSENT, "Maple"):
        assert secret not in text
    # No notes at all, not even ordinary ones.
    for item in bundle.items:
        if item.notes:
            assert item.notes not in text
    case = next(i for i in view.items if i.confidential)
    assert case.title == f"Case review {HIDDEN}"
    assert "Bo Advocate" not in case.title  # nor its presenter
    # Ordinary records are shown.
    assert "Adopt the budget" in text
    assert "Send the budget to the county" in text
    assert "Ann Officer" in text  # the action's owner
    secret_decision = next(d for d in view.decisions if d.confidential)
    assert HIDDEN in secret_decision.text and secret_decision.detail == ""
    secret_action = next(a for a in view.actions if a.confidential)
    assert secret_action.detail == "report back next meeting"
    # Who is present: attending members and guests, with their organization.
    assert "Gus Guest (State Office)" in view.present
    assert not any(p.startswith("Cy") for p in view.present)  # absent


def test_a_capture_on_an_unknown_item_is_treated_as_confidential(tmp_path) -> None:
    small = small_workspace(tmp_path / "ws")
    bundle = small.ws.snapshot().bundle(small.past)
    bundle.decisions.append(
        Decision(meeting_id=small.past, agenda_item_id="itm-gone", text="Secret about X")
    )
    bundle.actions.append(
        dataclasses.replace(bundle.actions[0], id="act-x", agenda_item_id="itm-gone", text="X")
    )
    view = public_view(bundle)
    assert "Secret about X" not in _all_text(view)
    assert view.decisions[-1].confidential and view.actions[-1].confidential
    assert isinstance(bundle.actions[-1], ActionItem)


def test_current_item_and_order(tmp_path) -> None:
    small = small_workspace(tmp_path / "ws")
    bundle = small.ws.snapshot().bundle(small.upcoming)
    case = next(i for i in bundle.items if i.confidential)
    bundle.meeting.current_item_id = case.id
    view = public_view(bundle)
    assert [i.number for i in view.items] == list(range(1, len(bundle.items) + 1))
    assert view.current is not None and view.current.id == case.id
    assert view.current.title == f"Case review {HIDDEN}"
