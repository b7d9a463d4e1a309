"""The agenda importer's old import path; the code lives in ``facilitate.agenda.importer``."""

from __future__ import annotations

from .importer import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    MAX_TITLE,
    AgendaImportError,
    ImportedItem,
    ImportPlan,
    ParsedAgenda,
    analyze_title,
    guess_kind,
    import_agenda,
    parse_agenda,
    parse_agenda_bytes,
    parse_duration,
    plan_import,
)
from .importer.apply import ImportResult

__all__ = [
    "DEFAULT_MINUTES",
    "MAX_MINUTES",
    "MAX_TITLE",
    "AgendaImportError",
    "ImportPlan",
    "ImportResult",
    "ImportedItem",
    "ParsedAgenda",
    "analyze_title",
    "guess_kind",
    "import_agenda",
    "parse_agenda",
    "parse_agenda_bytes",
    "parse_duration",
    "plan_import",
]
