"""`facilitate log`: who changed what and when, from the hash-chained audit log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pendulum

from ..domain.common import clean_text
from ..storage import audit
from ..storage.workspace import Workspace

# A save's intent and done lines (see storage/ledger.py) frame its record changes; they are
# not changes themselves.
HIDDEN_OPS = ("intent", "done")
KIND_LABELS = {
    "AgendaItem": "agenda item",
    "ActionItem": "action",
    "TrainingSnippet": "training",
    "AgendaProposal": "proposal",
}


@dataclass(frozen=True)
class LogLine:
    seq: int | None
    at: str
    user: str
    op: str
    kind: str
    record_id: str
    rev: Any
    meeting: str | None
    summary: str
    # A correction of the record: "field: old -> new", one per changed field.
    changes: tuple[str, ...] = ()

    def format(self, timezone: str = "UTC") -> str:
        when = self.at
        try:
            when = pendulum.parse(self.at).in_timezone(timezone).format("YYYY-MM-DD HH:mm:ss")  # type: ignore[union-attr]
        except Exception:
            when = _one_line(self.at, 30)
        what = f"{self.op} {self.kind} {self.record_id}"
        rev = f" rev {self.rev}" if self.rev not in (None, "") else ""
        summary = f"  {self.summary}" if self.summary else ""
        from ..cells import pad  # (wcwidth: loaded when a line is printed, not at start-up)

        line = f"{when}  {pad(self.user, 12)} {what}{rev}{summary}"
        return "\n".join([line, *(f"    {change}" for change in self.changes)])


def _one_line(value: object, width: int = 0) -> str:
    text = " ".join(clean_text("" if value is None else str(value)).split())
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def entries(ws: Workspace, meeting_id: str | None = None) -> Iterator[LogLine]:
    """Log entries, oldest first; with ``meeting_id`` only that meeting's records (and the
    meeting itself). Every field is cleaned for printing (no control characters)."""
    for raw in audit.read(ws.audit_path):
        if raw.get("op") in HIDDEN_OPS:
            continue
        if raw.get("op") == audit.TAMPER:
            raw = {**raw, "kind": "audit log", "id": "", "summary": raw.get("reason", "")}
        meeting = raw.get("meeting")
        if meeting_id and meeting != meeting_id and raw.get("id") != meeting_id:
            continue
        kind = str(raw.get("kind", "?"))
        seq = raw.get("seq")
        yield LogLine(
            seq=seq if isinstance(seq, int) else None,
            at=_one_line(raw.get("at", "?"), 40),
            user=_one_line(raw.get("user", "?"), 32),
            op=_one_line(raw.get("op", "?"), 10),
            kind=_one_line(KIND_LABELS.get(kind, kind.lower()), 24),
            record_id=_one_line(raw.get("id", "?"), 90),
            rev=raw.get("rev") if isinstance(raw.get("rev"), int) else None,
            meeting=meeting if isinstance(meeting, str) else None,
            summary=_one_line(raw.get("summary", ""), 80),
            changes=_changes(raw.get("changes")),
        )


def _value(value: object) -> str:
    if value is None:
        return "(none)"
    if value == audit.WITHHELD:
        return audit.WITHHELD
    if isinstance(value, str):
        return repr(_one_line(value, 120))
    return _one_line(value, 120)


def _changes(raw: object) -> tuple[str, ...]:
    """The old and new values of a correction, one line per field (as cleaned as the rest)."""
    if not isinstance(raw, dict):
        return ()
    out = []
    for name, change in raw.items():
        if not isinstance(change, dict):
            continue
        old, new = change.get("old"), change.get("new")
        label = _one_line(name, 30).replace("_", " ")
        out.append(f"{label}: {_value(old)} -> {_value(new)}")
    return tuple(out)


def tail(lines: Iterable[LogLine], count: int | None) -> list[LogLine]:
    out = list(lines)
    return out[-count:] if count else out
