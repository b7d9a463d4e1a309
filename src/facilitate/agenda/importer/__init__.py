"""Import an agenda written in Markdown (or plain text), read the way a chair reads it.

- ``reading``: the file itself (a regular file under the size limit, never a FIFO or device);
- ``document`` and ``tables``: Markdown to a tree, HTML comments removed first;
- ``lines``: one line to title, duration, presenter, confidentiality;
- ``kinds``: what headings and titles say (sections to skip, confidential sections, kinds);
- ``parse``: the tree to items, with what was skipped and why;
- ``apply``: the same plan for the dry run and the real run, then the write.
"""

from __future__ import annotations

from .apply import ImportPlan, import_agenda, plan_import
from .common import (
    DEFAULT_MINUTES,
    MAX_FILE_BYTES,
    MAX_ITEMS,
    MAX_MINUTES,
    MAX_TITLE,
    RANGE_RULE,
    AgendaImportError,
)
from .kinds import guess_kind
from .lines import analyze_title, parse_duration
from .parse import ImportedItem, ParsedAgenda, parse_agenda, parse_agenda_bytes
from .reading import read_agenda_file

__all__ = [
    "DEFAULT_MINUTES",
    "MAX_FILE_BYTES",
    "MAX_ITEMS",
    "MAX_MINUTES",
    "MAX_TITLE",
    "RANGE_RULE",
    "AgendaImportError",
    "ImportPlan",
    "ImportedItem",
    "ParsedAgenda",
    "analyze_title",
    "guess_kind",
    "import_agenda",
    "parse_agenda",
    "parse_agenda_bytes",
    "parse_duration",
    "plan_import",
    "read_agenda_file",
]
