"""What every part of the agenda importer shares: its error and its limits."""

from __future__ import annotations

from ...domain.common import FacilitateError

DEFAULT_MINUTES = 5
MAX_MINUTES = 600
MAX_TITLE = 300  # AgendaItem's limit; a longer line keeps a short title and goes to the notes
SHORT_TITLE = 120  # how much of an over-long line stays in the title
MAX_PRESENTER = 200
MAX_NOTES = 100_000  # AgendaItem's limit for notes; longer text is cut, with a warning
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 2000
RANGE_RULE = (
    "a range such as 10-15m is planned at its upper bound (15 min); the range is kept in the notes"
)


class AgendaImportError(FacilitateError):
    """The Markdown could not be read as an agenda. The message names the line."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source, self.line = source, line
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {message} Nothing was imported.")
