"""`facilitate check`, record by record: what a damaged or hand-edited file can hold.

For every data file it reports, each on one line naming the file, the record and the field:

- records that do not decode (wrong types, numbers outside any stored value, minutes outside
  0-1440, unknown time zones, impossible dates, text fields over 100,000 characters): these
  block every save to their file until repaired;
- records with no id, ids used twice, and records filed under another meeting's file;
- values a record could never be saved with (the domain's own rules: vote counts, ratings,
  meeting times...), agenda time spans that end before they start or last over a day, and
  dates outside 1900-2200;
- stored control characters and bidi overrides (planted by hand or by another member of a
  shared group: the program strips them on output, but they should not be there).

Files that cannot be read at all, or hold a record that does not decode, are returned too, so
``check`` does not report them a second time through the reference checks.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.common import FacilitateError, clean_text
from ..domain.meeting import AgendaItem, Meeting
from ..domain.speaking import SpeakingTurn
from ..storage.codec import DecodeError, from_doc
from ..storage.workspace import COLLAB_TABLES, MEETING_TABLES, META, Workspace

# Bidi embedding, override and isolate controls (U+202A-202E, U+2066-2069): they reorder what
# a terminal shows, so a planted one can make a line read as something else.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
MAX_SPAN_SECONDS = 24 * 60 * 60
FIRST_YEAR, LAST_YEAR = 1900, 2200
RESTORE_HINT = "or restore the file from a backup ('facilitate backups')"


@dataclass
class RecordReport:
    problems: list[str] = field(default_factory=list)
    unreadable: set[Path] = field(default_factory=set)  # already reported: skip their references


def check_records(ws: Workspace) -> RecordReport:
    report = RecordReport()
    seen: dict[tuple[str, str], str] = {}  # (table, id) -> the file it was first seen in
    files = [(ws.collaborative_path, "collaborative", COLLAB_TABLES)]
    files += [(p, "meeting", MEETING_TABLES) for p in ws.meeting_files()]
    for path, kind, tables in files:
        rel = str(path.relative_to(ws.root))
        try:
            data = ws.load_file(path, kind=kind, fresh=True)
        except FacilitateError as exc:
            report.problems.append(str(exc))  # (it names the file)
            report.unreadable.add(path)
            continue
        if data is None:
            continue
        for line, damaged in _file_problems(rel, path, data, tables, seen):
            report.problems.append(line)
            if damaged:
                report.unreadable.add(path)
    return report


# Tables whose one record per file has the same id in every meeting file (the frozen record).
PER_FILE = {META, "record"}


def _label(cls: type) -> str:
    return {
        "AgendaItem": "agenda item",
        "ActionItem": "action",
        "AgendaProposal": "proposal",
        "SpeakingTurn": "speaking turn",
        "SpeakingRound": "speaking round",
    }.get(cls.__name__, cls.__name__.lower())


def _file_problems(
    rel: str,
    path: Path,
    data: Mapping[str, Any],
    tables: Mapping[type, str],
    seen: dict[tuple[str, str], str],
) -> Iterator[tuple[str, bool]]:
    """(line, makes the file unreadable) for every problem in one file's records."""
    meeting_id = path.stem if tables is MEETING_TABLES else None
    if meeting_id is not None:
        meetings = data.get(MEETING_TABLES[Meeting], {})
        if isinstance(meetings, dict) and len(meetings) > 1:
            yield f"{rel}: holds {len(meetings)} meeting records; a meeting file holds one.", False
    for cls, table in tables.items():
        docs = data.get(table, {})
        if not isinstance(docs, dict):
            continue  # (reported by the schema check when the file is read)
        label = _label(cls)
        for key, doc in docs.items():
            rid = doc.get("id")
            name = f"{label} {rid}" if isinstance(rid, str) and rid else f"{label} (record {key})"
            where = f"{rel}: {name}"
            if not isinstance(rid, str) or not rid.strip():
                yield (
                    f"{where} in table {table!r} has no id; fix: give it a unique id by hand "
                    f"{RESTORE_HINT}.",
                    False,
                )
            elif (table, rid) in seen and table not in PER_FILE:
                yield (
                    f"{where}: the id is used twice (also in {seen[(table, rid)]}); fix: give "
                    f"one of them a new id by hand {RESTORE_HINT}.",
                    False,
                )
            else:
                seen[(table, rid)] = rel
            yield from ((line, False) for line in _unsafe_text(where, doc))
            try:
                record: Any = from_doc(cls, doc)
            except DecodeError as exc:
                yield (
                    f"{rel}: damaged record ({exc}); nothing can be saved to this file until "
                    f"it is fixed: correct that field by hand {RESTORE_HINT}.",
                    True,
                )
                continue
            owner = getattr(record, "meeting_id", None) if cls is not Meeting else record.id
            if meeting_id is not None and owner != meeting_id:
                yield (
                    f"{where} belongs to meeting {owner!r} but is filed in {rel}; fix: move it "
                    f"to meetings/{owner}.json by hand {RESTORE_HINT}.",
                    False,
                )
            yield from ((line, False) for line in _rule_problems(where, record))


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _strings(v, f"{path}[{n}]")


def _unsafe_text(where: str, doc: Mapping[str, Any]) -> Iterator[str]:
    for name, text in _strings(dict(doc), ""):
        plain = text.replace("\r\n", "\n")
        found = []
        if clean_text(plain) != plain:
            found.append("control characters or terminal escape sequences")
        if BIDI.search(plain):
            found.append("bidi override characters (U+202A-202E, U+2066-2069)")
        if found:
            yield (
                f"{where}, field {name}: holds {' and '.join(found)}, which can disguise text on "
                "a terminal; fix: retype the field in facilitate (input is cleaned) or remove "
                "them by hand."
            )


def _rule_problems(where: str, record: Any) -> Iterator[str]:
    """The rules a save enforces (the record's own ``validate``), and a few more on values
    only a hand edit can produce."""
    validate = getattr(record, "validate", None)
    if validate is not None:
        try:
            copy.deepcopy(record).validate()
        except (FacilitateError, ValueError, TypeError, OverflowError) as exc:
            yield (
                f"{where}: {exc} (a value it could not be saved with); fix: correct it by hand "
                f"{RESTORE_HINT}."
            )
    if isinstance(record, AgendaItem | SpeakingTurn):
        for n, span in enumerate(record.spans):
            if span.end is None:
                continue
            seconds = (span.end - span.start).total_seconds()
            if not 0 <= seconds <= MAX_SPAN_SECONDS:
                yield (
                    f"{where}, field spans[{n}]: a time span of {seconds / 60:.0f} minutes "
                    "(outside 0-1440); fix: correct its start or end by hand."
                )
    for name, value in vars(record).items():
        year = getattr(value, "year", None)
        if isinstance(year, int) and not FIRST_YEAR <= year <= LAST_YEAR:
            yield (
                f"{where}, field {name}: the year {year} is not a real date for this record; "
                "fix: correct the date by hand."
            )
